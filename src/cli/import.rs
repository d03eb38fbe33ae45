//! `hookscope import FILE`: HAR files and raw HTTP request files become captured requests
//! (source `imported`), ready to be replayed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::DbArg;
use crate::export::{from_har, parse_raw_requests};
use crate::store::{self, Store};

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
        let store = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || Store::open(&path)).await??
        };
        let endpoints = store.read(store::endpoints::list).await?;
        let is_har = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let requests = if is_har {
            from_har(&bytes, &endpoints)?
        } else {
            parse_raw_requests(&bytes, &endpoints)?
        };
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "imported {} request(s) from {}",
            requests.len(),
            args.file.display()
        )?;
        for request in requests {
            let id = request.id.clone();
            store.insert_request(request).await?;
            writeln!(stdout, "{id}")?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
