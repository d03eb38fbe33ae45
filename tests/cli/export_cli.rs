//! Export (HAR, curl), import (HAR, raw HTTP) and the delivery commands of the real CLI binary,
//! against a real engine and a recording target server on 127.0.0.1.

mod common;
#[path = "../recorder/mod.rs"]
mod recorder;

use std::io::{BufRead, Write};
use std::path::Path;

use common::{answered_id, blocking, post, run_cli_async, send_raw, start, TestDb};
use hookscope::model::{CaptureSource, CapturedRequest};
use hookscope::store::requests;
use recorder::{Recorder, Reply};

/// Sends exact bytes to the engine: request line, the given header lines, body.
async fn capture_raw(addr: std::net::SocketAddr, head: String, body: Vec<u8>) -> String {
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body);
    let response = blocking(move || send_raw(addr, &bytes)).await;
    assert_eq!(response.status, 200, "{}", response.head);
    answered_id(&response)
}

fn read_all(db: &Path) -> Vec<CapturedRequest> {
    let conn = hookscope::store::open_database(db).unwrap();
    let summaries = requests::list(
        &conn,
        &requests::ListQuery {
            limit: 1000,
            ..Default::default()
        },
    )
    .unwrap();
    summaries
        .iter()
        .rev()
        .map(|s| requests::get(&conn, &s.id).unwrap().unwrap())
        .collect()
}

fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(b"{\"zipped\":true}").unwrap();
    let mut random = vec![0u8; 10_000];
    rand::Rng::fill(&mut rand::thread_rng(), random.as_mut_slice());
    vec![
        ("json", b"{\"event\":\"paid\",\"quote\":\"it's \\\"x\\\"\"}".to_vec()),
        ("gzip", gzip.finish().unwrap()),
        ("binary", random),
        ("invalid utf-8", vec![b'a', 0xff, 0x00, 0xc3, 0x28]),
        ("empty", Vec::new()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn har_export_is_valid_har_1_2_and_round_trips_through_import_byte_for_byte() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    for (name, body) in bodies() {
        let head = format!(
            "POST /hooks/{}?a=1&b=%20 HTTP/1.1\r\nHost: {addr}\r\nX-Case: Kept\r\nX-Dup: 1\r\nx-dup: 2\r\n\
             Authorization: Bearer sekret-token\r\nStripe-Signature: t=1,v1=abc\r\nContent-Length: {}\r\n\r\n",
            name.replace(' ', "-"),
            body.len()
        );
        capture_raw(addr, head, body).await;
    }
    let mut target = Recorder::answering(201).await;
    let first = read_all(&db.path())[0].id.clone();
    let (code, _, stderr) = run_cli_async(&db.path(), &["replay", &first, "--to", &target.url("/")]).await;
    assert_eq!(code, 0, "{stderr}");
    target.next().await;
    engine.shutdown().await;

    let (code, har, stderr) = run_cli_async(&db.path(), &["export", "--har"]).await;
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&har).unwrap();
    assert_har_1_2(&json);
    let entries = json["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    assert_eq!(
        entries[0]["_deliveries"][0]["response"]["status"], 201,
        "deliveries ride along"
    );
    assert_eq!(
        entries[2]["request"]["postData"]["_encoding"], "base64",
        "binary bodies are marked"
    );

    let copy = TestDb::new();
    let file = copy.dir.path().join("export.har");
    std::fs::write(&file, &har).unwrap();
    let (code, stdout, stderr) = run_cli_async(&copy.path(), &["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(String::from_utf8_lossy(&stdout).starts_with("imported 5 request(s)"));
    let originals = read_all(&db.path());
    let imported = read_all(&copy.path());
    assert_eq!(imported.len(), originals.len());
    for (original, copy) in originals.iter().zip(&imported) {
        assert_eq!(copy.body, original.body, "{}: body bytes equal", original.target);
        assert_eq!(
            copy.headers, original.headers,
            "{}: headers equal in order",
            original.target
        );
        assert_eq!((&copy.method, &copy.target), (&original.method, &original.target));
        assert_eq!(copy.received_at_ns, original.received_at_ns);
        assert_eq!(copy.response.body, original.response.body);
        assert_eq!(copy.source, CaptureSource::Imported);
        assert_ne!(copy.id, original.id);
    }
    let conn = hookscope::store::open_database(&copy.path()).unwrap();
    let carried = hookscope::store::deliveries::list_for_request(&conn, &imported[0].id).unwrap();
    assert_eq!(carried.len(), 1, "deliveries come back, linked to the imported request");
    assert_eq!(carried[0].status(), Some(201));
    assert_eq!(carried[0].sent.body, originals[0].body);

    let (code, raw, _) = run_cli_async(&db.path(), &["export", "--raw", "--redact", "--id", &originals[0].id]).await;
    assert_eq!(code, 0);
    let mut expected = originals[0].clone();
    expected.headers = hookscope::export::redact_headers(&expected.headers);
    assert_eq!(
        raw,
        expected.to_raw_http(),
        "raw export is the request as it arrived, redacted"
    );
    assert!(String::from_utf8_lossy(&raw).contains("Authorization: [redacted]"));

    let (_, redacted, _) = run_cli_async(&db.path(), &["export", "--har", "--redact"]).await;
    let text = String::from_utf8(redacted).unwrap();
    assert!(
        !text.contains("sekret-token") && !text.contains("v1=abc"),
        "credentials are gone"
    );
    assert!(text.contains("[redacted]"));
}

/// The fields HAR 1.2 requires, with their types.
fn assert_har_1_2(har: &serde_json::Value) {
    let log = &har["log"];
    assert_eq!(log["version"], "1.2");
    assert!(log["creator"]["name"].is_string() && log["creator"]["version"].is_string());
    for entry in log["entries"].as_array().unwrap() {
        let started = entry["startedDateTime"].as_str().unwrap();
        time::OffsetDateTime::parse(started, &time::format_description::well_known::Rfc3339).unwrap();
        assert!(entry["time"].is_number());
        assert!(entry["cache"].is_object());
        for timing in ["send", "wait", "receive"] {
            assert!(entry["timings"][timing].is_number(), "timings.{timing}");
        }
        let request = &entry["request"];
        for field in ["method", "url", "httpVersion"] {
            assert!(request[field].is_string(), "request.{field}");
        }
        for field in ["cookies", "headers", "queryString"] {
            assert!(request[field].is_array(), "request.{field}");
        }
        assert!(request["headersSize"].is_i64() && request["bodySize"].is_i64());
        if let Some(post) = request.get("postData") {
            assert!(post["mimeType"].is_string() && post["text"].is_string());
        }
        for header in request["headers"].as_array().unwrap() {
            assert!(header["name"].is_string() && header["value"].is_string());
        }
        let response = &entry["response"];
        assert!(response["status"].is_i64() && response["statusText"].is_string());
        assert!(response["httpVersion"].is_string() && response["redirectURL"].is_string());
        assert!(response["cookies"].is_array() && response["headers"].is_array());
        assert!(response["content"]["size"].is_i64() && response["content"]["mimeType"].is_string());
        assert!(response["headersSize"].is_i64() && response["bodySize"].is_i64());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_har_files_import_with_their_bodies_and_hosts() {
    let db = TestDb::new();
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
        "entries": [{
            "startedDateTime": "2024-05-01T10:00:00.123Z", "time": 12.5,
            "request": {"method": "POST", "url": "https://api.example.com/v1/hook?x=1#frag", "httpVersion": "h2",
                "headers": [{"name": ":authority", "value": "api.example.com"}, {"name": "content-type", "value": "application/x-www-form-urlencoded"}],
                "queryString": [{"name": "x", "value": "1"}], "cookies": [], "headersSize": -1, "bodySize": 5,
                "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "a", "value": "1 2"}]}},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "h2", "headers": [], "cookies": [],
                "content": {"size": 4, "mimeType": "application/octet-stream", "text": "AAEC/w==", "encoding": "base64"},
                "redirectURL": "", "headersSize": -1, "bodySize": 4},
            "cache": {}, "timings": {"send": 1, "wait": 10, "receive": 1.5}}]}});
    let file = db.dir.path().join("browser.har");
    std::fs::write(&file, serde_json::to_vec(&har).unwrap()).unwrap();
    let (code, _, stderr) = run_cli_async(&db.path(), &["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{stderr}");
    let imported = &read_all(&db.path())[0];
    assert_eq!(imported.target, "/v1/hook?x=1");
    assert_eq!(
        imported.header("host"),
        Some("api.example.com"),
        "Host comes from the URL"
    );
    assert!(imported.headers.iter().all(|h| !h.name.starts_with(':')));
    assert_eq!(imported.body, b"a=1+2");
    assert_eq!(imported.response.body, [0, 1, 2, 255]);
}

#[tokio::test(flavor = "multi_thread")]
async fn curl_output_run_by_real_curl_sends_the_same_request() {
    if std::process::Command::new("curl").arg("--version").output().is_err() {
        eprintln!("curl is not installed; skipping");
        return;
    }
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut target = Recorder::answering(200).await;
    let work = tempfile::tempdir().unwrap();
    let text_body = b"@not-a-file 'single' \"double\" $HOME `date` \\n\r\nline two\n".to_vec();
    let mut binary_body = vec![0u8, 1, 2, 255, b'\'', b'\n'];
    binary_body.extend((0..=255u8).rev());
    let cases = [
        ("PUT", "/p/../x?a=1&q=it's&b=%20", text_body),
        ("POST", "/bin", binary_body),
    ];
    for (method, path, body) in cases {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nX-Quote: it's $HOME \"x\" `y`\r\nx-dup: 1\r\nX-Dup: 2\r\n\
             Content-Type: text/odd; q='1'\r\nX-Empty: \r\nContent-Length: {}\r\n\r\n",
            target.addr,
            body.len()
        );
        let id = capture_raw(engine.local_addr(), head, body.clone()).await;
        let db_path = db.path();
        let dir = work.path().to_path_buf();
        let output = blocking(move || {
            common::hookscope(&db_path)
                .current_dir(&dir)
                .args(["show", &id, "--curl"])
                .output()
                .unwrap()
        })
        .await;
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let command = String::from_utf8(output.stdout).unwrap();
        let dir = work.path().to_path_buf();
        let run = blocking(move || {
            std::process::Command::new("sh")
                .arg("-c")
                .arg(&command)
                .current_dir(&dir)
                .output()
                .unwrap()
        })
        .await;
        assert!(
            run.status.success(),
            "curl failed: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let received = target.next().await;
        let captured = read_all(&db.path()).pop().unwrap();
        assert_eq!(received.method, method);
        assert_eq!(received.target, path, "the path and query are sent as captured");
        assert_eq!(received.body, body, "{method}: body bytes equal");
        let expected: Vec<(String, String)> = captured
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.trim().to_owned()))
            .collect();
        assert_eq!(
            received.headers, expected,
            "{method}: same header lines, order and casing; nothing added"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_http_files_import_and_replay() {
    let db = TestDb::new();
    let file = db.dir.path().join("hook.http");
    std::fs::write(&file, b"POST http://example.test/gh/push?x=1\nX-GitHub-Event: push\nContent-Type: application/json\n\n{\"ref\":\"main\"}").unwrap();
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["import", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{stderr}");
    let id = String::from_utf8(stdout).unwrap().lines().nth(1).unwrap().to_owned();
    let (_, listed, _) = run_cli_async(&db.path(), &["list", "--json"]).await;
    let listed: serde_json::Value = serde_json::from_slice(&listed).unwrap();
    assert_eq!(listed[0]["source"], "imported");
    let mut target = Recorder::answering(200).await;
    let (code, stdout, stderr) =
        run_cli_async(&db.path(), &["replay", &id, "--to", &target.url("/local"), "--json"]).await;
    assert_eq!(code, 0, "{stderr}");
    let attempt: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(attempt["response"]["status"], 200);
    assert_eq!(attempt["request_id"], id.as_str());
    let received = target.next().await;
    assert_eq!(received.target, "/local/gh/push?x=1");
    assert_eq!(received.header("X-GitHub-Event"), Some("push"));
    assert_eq!(received.body, b"{\"ref\":\"main\"}");
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_replay_with_edits_sends_the_edited_request() {
    let db = TestDb::new();
    let file = db.dir.path().join("hook.http");
    std::fs::write(
        &file,
        b"POST /orig HTTP/1.1\r\nHost: h\r\nX-Drop: 1\r\nX-Keep: a\r\nX-Set: old\r\n\r\nold",
    )
    .unwrap();
    let (_, stdout, _) = run_cli_async(&db.path(), &["import", file.to_str().unwrap()]).await;
    let id = String::from_utf8(stdout).unwrap().lines().nth(1).unwrap().to_owned();
    let body = db.dir.path().join("body.bin");
    std::fs::write(&body, [0u8, 159, 146, 150]).unwrap();
    let mut target = Recorder::answering(200).await;
    let url = target.url("/t");
    let args = [
        "replay",
        &id,
        "--to",
        &url,
        "--method",
        "PATCH",
        "-H",
        "X-Drop:",
        "-H",
        "x-set: new",
        "-H",
        "X-New: 1",
    ];
    let mut args: Vec<&str> = args.to_vec();
    args.extend(["--body-file", body.to_str().unwrap(), "--json"]);
    let (code, stdout, stderr) = run_cli_async(&db.path(), &args).await;
    assert_eq!(code, 0, "{stderr}");
    let received = target.next().await;
    assert_eq!(
        (received.method.as_str(), received.target.as_str()),
        ("PATCH", "/t/orig")
    );
    let names: Vec<&str> = received.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Host", "X-Keep", "x-set", "X-New", "Content-Length"]);
    assert_eq!(received.header("x-set"), Some("new"));
    assert_eq!(received.body, [0u8, 159, 146, 150]);
    let attempt: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(attempt["edited"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_bulk_replay_of_a_search_prints_a_summary_and_fails_on_non_2xx() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    for n in 0..5 {
        let body = format!(
            "{{\"kind\":\"{}\",\"n\":{n}}}",
            if n == 3 { "refund" } else { "charge" }
        );
        blocking(move || post(addr, "/s", "", body.as_bytes())).await;
    }
    let mut target = Recorder::start(|received| {
        Reply::status(if received.body.windows(6).any(|w| w == b"\"n\":2}") {
            503
        } else {
            200
        })
    })
    .await;
    let (code, stdout, stderr) = run_cli_async(
        &db.path(),
        &[
            "replay",
            "--search",
            "charge",
            "--to",
            &target.url("/"),
            "--concurrency",
            "2",
            "--rate",
            "500",
        ],
    )
    .await;
    let stdout = String::from_utf8(stdout).unwrap();
    assert_eq!(code, 1, "a non-2xx makes the exit code 1: {stdout}{stderr}");
    assert!(stdout.starts_with("sent 4: 3 2xx, 1 non-2xx, 0 errors"), "{stdout}");
    assert!(stdout.lines().nth(1).unwrap().ends_with(" 503"), "{stdout}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with('[')).count(),
        4,
        "progress per request: {stderr}"
    );
    assert_eq!(target.drain().len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_forward_to_forwards_each_capture_and_prints_the_answer() {
    let db = TestDb::new();
    let mut target = Recorder::answering(202).await;
    let url = target.url("/app");
    let db_path = db.path();
    let (mut child, addr, mut lines) = blocking(move || common::spawn_serve(&db_path, &["--forward-to", &url])).await;
    let response = blocking(move || post(addr, "/hook?x=1", "", b"{}")).await;
    assert_eq!(response.status, 200, "async mode answers from the response rule");
    assert_eq!(target.next().await.target, "/app/hook?x=1");
    let printed = blocking(move || {
        let mut seen = Vec::new();
        for line in (&mut lines).lines() {
            let line = line.unwrap();
            let done = line.contains("forwarded");
            seen.push(line);
            if done {
                break;
            }
        }
        seen
    })
    .await;
    assert!(printed.last().unwrap().ends_with(": 202"), "{printed:?}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_har_from_mitmproxy_with_a_binary_body_as_code_points_imports_byte_for_byte() {
    // The shape `mitmdump --set hardump=` writes for a binary PUT: `postData.text` holds one code
    // point per byte (U+0000 to U+00FF), `bodySize` and Content-Length say 12.
    let db = TestDb::new();
    let bytes: Vec<u8> = vec![0x00, 0x01, 0x7f, 0x80, 0x9f, 0xa0, 0xc3, 0xa9, 0xff, 0xfe, b'A', b'\n'];
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "mitmproxy", "version": "11.0.0"},
        "entries": [{"startedDateTime": "2026-12-06T07:00:00.000Z", "time": 1,
            "request": {"method": "PUT", "url": "http://127.0.0.1:9/upload", "httpVersion": "HTTP/1.1",
                "cookies": [], "headers": [{"name": "Content-Type", "value": "application/octet-stream"},
                    {"name": "Content-Length", "value": "12"}],
                "queryString": [], "headersSize": 90, "bodySize": 12,
                "postData": {"mimeType": "application/octet-stream", "text": text, "params": []}},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                "content": {"size": 0, "mimeType": "", "text": ""}, "redirectURL": "", "headersSize": 0, "bodySize": 0},
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}]}});
    let file = db.dir.path().join("mitmproxy.har");
    std::fs::write(&file, serde_json::to_vec(&har).unwrap()).unwrap();
    let (code, stdout, stderr) = common::run_cli(&db.path(), &["import", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let id = String::from_utf8(stdout).unwrap().lines().nth(1).unwrap().to_owned();
    let (code, body, _) = common::run_cli(&db.path(), &["show", &id, "--body"]);
    assert_eq!(code, 0);
    assert_eq!(body, bytes);
}
