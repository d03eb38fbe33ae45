//! What the tests of the `hookscope` binary share: the engine harness of `tests/common`, plus
//! running the binary. These tests belong to the CLI's package (`cli/Cargo.toml`), the only one
//! cargo builds the binary for.

#![allow(dead_code)]

#[path = "../../common/mod.rs"]
mod engine_harness;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub use engine_harness::*;

/// The `hookscope` binary with `HOOKSCOPE_DB` pointing at `db`.
pub fn hookscope(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hookscope"));
    command.env("HOOKSCOPE_DB", db).env_remove("HOOKSCOPE_LISTEN");
    command
}

/// [`run_cli`] from an async test.
pub async fn run_cli_async(db: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let db = db.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    blocking(move || run_cli(&db, &args.iter().map(String::as_str).collect::<Vec<_>>())).await
}

/// Runs the CLI to completion; returns (exit code, stdout bytes, stderr text).
pub fn run_cli(db: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let output = hookscope(db).args(args).output().expect("run hookscope");
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `hookscope serve` on port 0 as a child process; returns it and the address it printed.
pub fn spawn_serve(db: &Path, extra: &[&str]) -> (Child, SocketAddr, std::io::BufReader<std::process::ChildStdout>) {
    use std::io::BufRead;
    let mut child = hookscope(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn serve");
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).expect("serve prints its address");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .parse()
        .expect("address");
    (child, addr, stdout)
}

/// `hookscope endpoint add stripe --path /stripe --provider stripe --secret SECRET`.
pub async fn add_stripe_endpoint(db: &Path, secret: &str) {
    let (code, _, stderr) = run_cli_async(
        db,
        &[
            "endpoint",
            "add",
            "stripe",
            "--path",
            "/stripe",
            "--provider",
            "stripe",
            "--secret",
            secret,
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
}

/// `hookscope trigger stripe EVENT --endpoint stripe --listen LISTEN` with `--set` edits; it must succeed.
pub async fn trigger_stripe(db: &Path, listen: &str, event: &str, sets: &[&str]) {
    let mut args = vec!["trigger", "stripe", event, "--endpoint", "stripe", "--listen", listen];
    for set in sets {
        args.extend_from_slice(&["--set", set]);
    }
    let (code, _, stderr) = run_cli_async(db, &args).await;
    assert_eq!(code, 0, "{stderr}");
}

/// Generous: only a hung serve takes this long to print a line.
pub const LINE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The lines `reader` yields (without their newline), delivered on a channel by a thread of
/// their own, so that a test can wait for each with a bound ([`next_line`]). Before the reader
/// ends, only whole lines arrive.
pub fn lines_of(reader: impl std::io::BufRead + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    let (send, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                return;
            }
        }
    });
    lines
}

/// The next line from [`lines_of`]; fails the test, naming `what`, after [`LINE_WAIT`].
pub fn next_line(lines: &std::sync::mpsc::Receiver<String>, what: &str) -> String {
    lines
        .recv_timeout(LINE_WAIT)
        .unwrap_or_else(|_| panic!("serve printed no line for {what}"))
}
