//! `hookscope sign`.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct SignArgs {}

pub fn run(_args: SignArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'hookscope sign' is not available in this build yet")
}
