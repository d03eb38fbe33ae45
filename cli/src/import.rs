//! `hookscope import FILE`: HAR files and raw HTTP request files become captured requests
//! (source `imported`), ready to be replayed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::DbArg;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A HAR file (Hookscope's, a browser's, another tool's) or a raw HTTP request file.
    file: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    super::block_on(async move {
        let ids = args.db.open().await?.import_file(&args.file).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "imported {} request(s) from {}", ids.len(), args.file.display())?;
        for id in ids {
            writeln!(stdout, "{id}")?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
