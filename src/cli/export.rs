//! `hookscope export`.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {}

pub fn run(_args: ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'hookscope export' is not available in this build yet")
}
