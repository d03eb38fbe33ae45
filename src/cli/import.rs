//! `hookscope import FILE`: HAR files and raw HTTP request files become captured requests
//! (source `imported`), ready to be replayed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::DbArg;
use crate::export::import_bytes;
use crate::store::Store;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A HAR file (Hookscope's, a browser's, another tool's) or a raw HTTP request file.
    file: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("could not read {}", args.file.display()))?;
    let path = args.db.path();
    super::runtime()?.block_on(async move {
        let store = tokio::task::spawn_blocking(move || Store::open(&path)).await??;
        let ids = import_bytes(&store, &bytes, None).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "imported {} request(s) from {}", ids.len(), args.file.display())?;
        for id in ids {
            writeln!(stdout, "{id}")?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
