//! `hookscope import` of HAR files from other tools, through the real binary: the ids on stdout,
//! a warning line on stderr for each entry skipped or whose body the file does not carry byte
//! for byte, and a clear error for a file that is not HAR.

mod common;

use std::path::PathBuf;

use common::{run_cli_async, TestDb};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/har")
        .join(path)
}

#[tokio::test]
async fn importing_a_mitmproxy_har_prints_the_ids_and_warns_about_the_one_body_it_compressed_again() {
    let db = TestDb::new();
    let file = fixture("mitmproxy/mitmproxy.har");
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{stderr}");
    let stdout = String::from_utf8(stdout).unwrap();
    let mut lines = stdout.lines();
    assert!(
        lines.next().unwrap().starts_with("imported 10 request(s) from "),
        "{stdout}"
    );
    let ids: Vec<&str> = lines.collect();
    assert_eq!(ids.len(), 10, "{stdout}");

    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("hookscope: warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    let expected = format!(
        "hookscope: warning: entry 4 ({}): the file holds this body decoded (Content-Encoding: gzip)",
        ids[3]
    );
    assert!(warnings[0].starts_with(&expected), "{stderr}");

    // The 12-byte binary PUT comes back as its 12 bytes.
    let (code, body, stderr) = run_cli_async(&db.path(), &["show", ids[0], "--body"]).await;
    assert_eq!(code, 0, "{stderr}");
    let sent = std::fs::read(fixture("mitmproxy/sent/01-binary-put.body")).unwrap();
    assert_eq!(body, sent);
}

#[tokio::test]
async fn skipped_entries_are_named_and_a_file_that_is_not_har_fails_with_the_reason() {
    let db = TestDb::new();
    let file = fixture("invalid/unusable-entries.har");
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(String::from_utf8_lossy(&stdout).starts_with("imported 1 request(s)"));
    assert!(
        stderr.contains("hookscope: warning: entry 1 skipped: it holds a response only, no request"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hookscope: warning: entry 2 skipped: its request has no method"),
        "{stderr}"
    );

    let file = fixture("invalid/not-json.har");
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("the file is not a HAR document: it is not valid JSON"),
        "{stderr}"
    );
}
