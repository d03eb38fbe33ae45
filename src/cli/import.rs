//! `hookscope import`.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {}

pub fn run(_args: ImportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'hookscope import' is not available in this build yet")
}
