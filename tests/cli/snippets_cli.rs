//! `hookscope show ID --as LANG --to URL` through the real binary: a request with a binary body,
//! duplicate headers and mixed-case names is captured by a running engine, each snippet is run
//! with its real interpreter against a recorder, and the recorder must receive the same method,
//! target, body bytes and headers (in order, duplicates kept). A language whose interpreter is
//! not installed is skipped with a note on stderr, never faked.

mod common;
#[path = "../recorder/mod.rs"]
mod recorder;

use std::process::Command;

use common::{answered_id, blocking, run_cli_async, send_raw, start, TestDb};
use recorder::{Received, Recorder};

/// Headers that HTTP clients set themselves for the connection, URL and body they use (or add
/// when absent: `fetch` adds Accept-Language and Sec-Fetch-Mode), left out of every comparison.
/// The same list for every language.
const CLIENT_SET: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "accept-encoding",
    "accept-language",
    "sec-fetch-mode",
];

/// Not UTF-8, with NUL, CR/LF and high bytes.
const BODY: &[u8] = b"\x00\x01\xff\xfe\r\n\x80binary\x00\xc3\x28 end";

const TARGET: &str = "/hooks/copy?x=1&y=%2F&z=a%20b";

/// The captured header lines, in order: duplicates, mixed case, a quote and a `$` in values.
const HEADERS: &[(&str, &str)] = &[
    ("User-Agent", "Sender/1.0"),
    ("Accept", "*/*"),
    ("X-Dup", "one"),
    ("x-MiXed-Case", "it's $HOME"),
    ("Content-Type", "application/octet-stream"),
    ("X-Dup", "two"),
    ("X-Signature", "t=1,v1=\"abc\""),
];

async fn capture() -> (TestDb, String) {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    let mut request = format!("PUT {TARGET} HTTP/1.1\r\nHost: {addr}\r\n");
    for (name, value) in HEADERS {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n", BODY.len()));
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(BODY);
    let response = blocking(move || send_raw(addr, &bytes)).await;
    assert_eq!(response.status, 200, "{}", response.head);
    let id = answered_id(&response);
    engine.shutdown().await;
    (db, id)
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
        || Command::new(program)
            .arg("version")
            .output()
            .map(|output| output.status.success())
            .unwrap_or(false)
}

fn without_client_set(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| !CLIENT_SET.iter().any(|c| name.eq_ignore_ascii_case(c)))
        .cloned()
        .collect()
}

/// What a client that keeps header lines as given sends.
fn expected_exact() -> Vec<(String, String)> {
    let all: Vec<(String, String)> = HEADERS.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    without_client_set(&all)
}

/// What `fetch` sends: its `Headers` joins the values of one name into a single field with ", "
/// at the name's first position (the Fetch standard's "combine"), so duplicates cannot survive;
/// names are compared case-insensitively because fetch implementations may lowercase them.
fn expected_fetch() -> Vec<(String, String)> {
    let mut folded: Vec<(String, String)> = Vec::new();
    for (name, value) in expected_exact() {
        match folded.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            Some((_, joined)) => *joined = format!("{joined}, {value}"),
            None => folded.push((name.to_ascii_lowercase(), value)),
        }
    }
    folded
}

/// Runs the snippet for `language` with `interpreter` and returns what the recorder received;
/// `None` (with a note) when `client`, the program the snippet needs, is not installed.
async fn run_snippet(language: &str, client: &str, file_name: &str, interpreter: &[&str]) -> Option<Received> {
    if !installed(client) {
        eprintln!("note: skipping --as {language}: `{client}` is not installed here");
        return None;
    }
    let (db, id) = capture().await;
    let mut recorder = Recorder::answering(200).await;
    let to = recorder.url("");
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["show", &id, "--as", language, "--to", &to]).await;
    assert_eq!(code, 0, "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(file_name);
    std::fs::write(&file, &stdout).unwrap();
    let mut command = Command::new(interpreter[0]);
    command.args(&interpreter[1..]).arg(&file).current_dir(dir.path());
    let output = blocking(move || command.output().expect("run the interpreter")).await;
    assert!(
        output.status.success(),
        "the {language} snippet failed: {}\n--- snippet ---\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&stdout)
    );
    Some(recorder.next().await)
}

fn assert_same_request(received: &Received, expected_headers: Vec<(String, String)>, case_insensitive: bool) {
    assert_eq!(received.method, "PUT");
    assert_eq!(received.target, TARGET);
    assert_eq!(received.body, BODY);
    let mut got = without_client_set(&received.headers);
    let mut expected = expected_headers;
    if case_insensitive {
        for (name, _) in got.iter_mut().chain(expected.iter_mut()) {
            *name = name.to_ascii_lowercase();
        }
    }
    assert_eq!(got, expected, "all received: {:?}", received.headers);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_curl_snippet_sends_the_same_request() {
    if let Some(received) = run_snippet("curl", "curl", "snippet.sh", &["sh"]).await {
        assert_same_request(&received, expected_exact(), false);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_python_snippet_sends_the_same_request() {
    if let Some(received) = run_snippet("python", "python3", "snippet.py", &["python3"]).await {
        assert_same_request(&received, expected_exact(), false);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fetch_snippet_sends_the_same_request_with_duplicates_combined() {
    if let Some(received) = run_snippet("fetch", "node", "snippet.mjs", &["node"]).await {
        assert_same_request(&received, expected_fetch(), true);
    }
}

/// HTTPie (on `requests`) sends every header of the snippet with its exact name, value and
/// duplicates, but in an order of its own: a header name's values go out together, and
/// `Content-Type` early. So: the same headers, and each name's values in the same order.
#[tokio::test(flavor = "multi_thread")]
async fn the_httpie_snippet_sends_the_same_headers_and_body_in_its_own_header_order() {
    if let Some(received) = run_snippet("httpie", "http", "snippet.sh", &["sh"]).await {
        assert_eq!(received.method, "PUT");
        assert_eq!(received.target, TARGET);
        assert_eq!(received.body, BODY);
        let got = without_client_set(&received.headers);
        let expected = expected_exact();
        let sorted = |headers: &[(String, String)]| {
            let mut headers = headers.to_vec();
            headers.sort_by(|a, b| a.0.cmp(&b.0));
            headers
        };
        assert_eq!(sorted(&got), sorted(&expected), "all received: {:?}", received.headers);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_go_snippet_sends_the_same_request() {
    // Go's net/http writes header names in sorted order: compare as a sorted list.
    if let Some(received) = run_snippet("go", "go", "main.go", &["go", "run"]).await {
        assert_eq!(received.method, "PUT");
        assert_eq!(received.target, TARGET);
        assert_eq!(received.body, BODY);
        let mut got = without_client_set(&received.headers);
        let mut expected = expected_exact();
        got.sort();
        expected.sort();
        assert_eq!(got, expected);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_language_and_to_without_as_are_usage_errors() {
    let (db, id) = capture().await;
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["show", &id, "--as", "ruby"]).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("ruby"), "{stderr}");
    let (code, _, stderr) = run_cli_async(&db.path(), &["show", &id, "--to", "http://127.0.0.1:1"]).await;
    assert_eq!(code, 2, "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_to_the_snippet_sends_to_the_default_listener() {
    let (db, id) = capture().await;
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["show", &id, "--as", "python"]).await;
    assert_eq!(code, 0, "{stderr}");
    let text = String::from_utf8(stdout).unwrap();
    assert!(text.contains("\"http://127.0.0.1:8787\""), "{text}");
}
