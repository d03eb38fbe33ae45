//! The `hookscope` binary as a child process: serve, list, show, endpoint, kill -9 durability.

mod common;

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::{answered_id, lines_of, next_line, post, run_cli, spawn_serve, TestDb};

#[test]
fn serve_prints_every_request_of_a_burst_as_whole_lines() {
    let db = TestDb::new();
    let (mut child, addr, stdout) = spawn_serve(&db.path(), &[]);
    // Four senders at once, so that lines are printed in batches.
    let senders: Vec<_> = (0..4)
        .map(|sender| {
            std::thread::spawn(move || {
                (0..75)
                    .map(|i| answered_id(&post(addr, &format!("/burst/{sender}/{i}"), "", b"{}")))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut answered: Vec<String> = senders.into_iter().flat_map(|s| s.join().unwrap()).collect();
    // Lines arrive whole: while serve runs, the reader only hands over what ends in a newline.
    let lines = lines_of(stdout);
    let mut printed: Vec<String> = (0..answered.len())
        .map(|n| {
            let line = next_line(&lines, &format!("request {} of the burst", n + 1));
            assert!(line.contains("/burst/"), "not a request line: {line:?}");
            let id = answered.iter().find(|id| line.contains(id.as_str())).cloned();
            id.unwrap_or_else(|| panic!("a line for no answered request: {line}"))
        })
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    answered.sort();
    printed.sort();
    assert_eq!(printed, answered, "each answered request is printed once");
}

#[test]
fn serve_prints_a_line_per_request_and_list_show_read_them_back() {
    let db = TestDb::new();
    let (mut child, addr, mut stdout) = spawn_serve(&db.path(), &[]);
    let body: Vec<u8> = [&b"{\"bin\":\""[..], &[0xff, 0x00, 0x1b], b"\"}\r\n"].concat();
    let response = post(
        addr,
        "/cli/test?q=%20x",
        "X-Case-Kept: Yes\r\nContent-Type: application/json\r\n",
        &body,
    );
    assert_eq!(response.status, 200);
    let id = answered_id(&response);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(
        line.contains("POST") && line.contains("/cli/test?q=%20x") && line.contains(&id),
        "{line}"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let (code, out, _) = run_cli(&db.path(), &["list", "--json"]);
    assert_eq!(code, 0);
    let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["method"], "POST");
    assert_eq!(rows[0]["target"], "/cli/test?q=%20x");
    assert_eq!(rows[0]["body_size"], body.len());
    assert_eq!(rows[0]["response_status"], 200);

    let (code, out, _) = run_cli(&db.path(), &["show", &id, "--body"]);
    assert_eq!(code, 0);
    assert_eq!(out, body, "--body writes the exact bytes");

    let (_, raw, _) = run_cli(&db.path(), &["show", &id, "--raw"]);
    assert!(raw.starts_with(b"POST /cli/test?q=%20x HTTP/1.1\r\n"));
    assert!(raw
        .windows(b"X-Case-Kept: Yes\r\n".len())
        .any(|w| w == b"X-Case-Kept: Yes\r\n"));
    assert!(raw.ends_with(&body));

    let (_, json, _) = run_cli(&db.path(), &["show", &id, "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    use base64::Engine as _;
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(doc["body_base64"].as_str().unwrap())
            .unwrap(),
        body
    );
    assert_eq!(doc["body_text"], serde_json::Value::Null, "not UTF-8, so no text");
    assert_eq!(doc["headers"][1]["name"], "X-Case-Kept");

    let (code, _, err) = run_cli(&db.path(), &["show", "01NOPE"]);
    assert_eq!(code, 1);
    assert!(err.contains("no captured request with id 01NOPE"), "{err}");
}

#[test]
fn list_search_finds_a_word_inside_a_body() {
    let db = TestDb::new();
    let (mut child, addr, _stdout) = spawn_serve(&db.path(), &[]);
    post(
        addr,
        "/a",
        "",
        br#"{"event":"charge.refunded","customer":"cus_walrus"}"#,
    );
    post(addr, "/b", "", br#"{"event":"charge.succeeded"}"#);
    child.kill().unwrap();
    child.wait().unwrap();
    let (code, out, _) = run_cli(&db.path(), &["list", "--search", "walrus", "--json"]);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["target"], "/a");
}

#[test]
fn endpoint_secrets_never_appear_in_output() {
    let db = TestDb::new();
    let secret = "whsec_TopSecretValue123";
    let (code, _, err) = run_cli(
        &db.path(),
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
            "--verify-token",
            "vt-hidden",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, listed, _) = run_cli(&db.path(), &["endpoint", "list"]);
    let (_, listed_json, _) = run_cli(&db.path(), &["endpoint", "list", "--json"]);
    let listed = String::from_utf8(listed).unwrap();
    assert!(listed.contains("stripe") && listed.contains("secrets=1"), "{listed}");
    let (mut child, addr, _stdout) = spawn_serve(&db.path(), &[]);
    let id = answered_id(&post(addr, "/stripe/events", "", b"{}"));
    child.kill().unwrap();
    child.wait().unwrap();
    let (_, show, _) = run_cli(&db.path(), &["show", &id, "--json"]);
    let (_, list, _) = run_cli(&db.path(), &["list", "--json"]);
    let show_doc: serde_json::Value = serde_json::from_slice(&show).unwrap();
    assert_eq!(show_doc["endpoint"], "stripe", "attributed to the endpoint");
    for output in [listed.as_bytes(), &listed_json, &show, &list] {
        let text = String::from_utf8_lossy(output);
        assert!(
            !text.contains(secret) && !text.contains("vt-hidden"),
            "secret leaked: {text}"
        );
    }
    let (code, _, _) = run_cli(&db.path(), &["endpoint", "remove", "stripe"]);
    assert_eq!(code, 0);
    let (code, _, err) = run_cli(&db.path(), &["endpoint", "remove", "stripe"]);
    assert_eq!(code, 1);
    assert!(err.contains("no endpoint named 'stripe'"), "{err}");
}

#[test]
fn endpoint_notify_is_off_until_turned_on_and_set_keeps_it() {
    let db = TestDb::new();
    let listed = |db: &TestDb| {
        let (_, out, _) = run_cli(&db.path(), &["endpoint", "list", "--json"]);
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()
    };
    assert_eq!(run_cli(&db.path(), &["endpoint", "add", "a", "--path", "/a"]).0, 0);
    let add_on = ["endpoint", "add", "b", "--path", "/b", "--notify", "true"];
    assert_eq!(run_cli(&db.path(), &add_on).0, 0);
    let endpoints = listed(&db);
    assert_eq!(
        (endpoints[0]["name"].as_str(), endpoints[0]["notify"].as_bool()),
        (Some("a"), Some(false))
    );
    assert_eq!(
        (endpoints[1]["name"].as_str(), endpoints[1]["notify"].as_bool()),
        (Some("b"), Some(true))
    );
    assert_eq!(run_cli(&db.path(), &["endpoint", "set", "b", "--status", "202"]).0, 0);
    assert_eq!(listed(&db)[1]["notify"], true, "set without --notify keeps it");
    assert_eq!(run_cli(&db.path(), &["endpoint", "set", "b", "--notify", "false"]).0, 0);
    assert_eq!(listed(&db)[1]["notify"], false);
    let (code, _, err) = run_cli(&db.path(), &["endpoint", "set", "b", "--notify", "sometimes"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn endpoint_set_changes_only_what_it_is_given() {
    let db = TestDb::new();
    let add = [
        "endpoint",
        "add",
        "gh",
        "--path",
        "/gh",
        "--provider",
        "github",
        "--secret",
        "s1",
        "--no-handshake",
    ];
    assert_eq!(run_cli(&db.path(), &add).0, 0);
    let endpoint = |db: &TestDb| {
        let (_, out, _) = run_cli(&db.path(), &["endpoint", "list", "--json"]);
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()[0].clone()
    };
    assert_eq!(endpoint(&db)["handshake_enabled"], false);
    let set = [
        "endpoint",
        "set",
        "gh",
        "--handshake",
        "--status",
        "202",
        "--header",
        "X-Reply: yes",
    ];
    assert_eq!(run_cli(&db.path(), &set).0, 0);
    let changed = endpoint(&db);
    assert_eq!(changed["handshake_enabled"], true);
    assert_eq!(changed["response"]["status"], 202);
    assert_eq!(changed["response"]["headers"][0]["name"], "X-Reply");
    assert_eq!(changed["provider"], "github", "untouched options keep their value");
    assert_eq!(changed["secret_count"], 1);
    let (code, _, err) = run_cli(&db.path(), &["endpoint", "set", "gh", "--status", "42"]);
    assert_eq!(code, 1);
    assert!(err.contains("not an HTTP status"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_a_busy_port_is_explained() {
    let db = TestDb::new();
    let (code, _, err) = run_cli(&db.path(), &["show"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run_cli(&db.path(), &["frobnicate"]);
    assert_eq!(code, 2);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().to_string();
    let (code, _, err) = run_cli(&db.path(), &["serve", "--listen", &port]);
    assert_eq!(code, 1);
    assert!(err.contains("address in use") && err.contains(&port), "{err}");
}

#[test]
fn a_damaged_database_is_reported_not_overwritten() {
    let db = TestDb::new();
    std::fs::write(
        db.path(),
        b"this is not a database, it is a text file that happens to be long enough ......",
    )
    .unwrap();
    let (code, _, err) = run_cli(&db.path(), &["list"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a Hookscope database or is damaged"), "{err}");
}

/// Every request answered 2xx before `kill -9` is in the database afterwards.
#[test]
fn kill_9_under_load_loses_no_answered_request() {
    let db = TestDb::new();
    let (mut child, addr, _stdout) = spawn_serve(&db.path(), &[]);
    let answered = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let answered = answered.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) && i < 5000 {
                    i += 1;
                    let body = format!("{{\"worker\":{w},\"n\":{i},\"pad\":\"{}\"}}", "p".repeat(1500));
                    let response = std::panic::catch_unwind(|| post(addr, "/load", "", body.as_bytes()));
                    match response {
                        Ok(r) if r.status == 200 => answered.lock().unwrap().push(answered_id(&r)),
                        _ => {}
                    }
                }
            })
        })
        .collect();
    // Let load build up, then kill without warning once a good number were answered.
    while answered.lock().unwrap().len() < 300 {
        std::thread::yield_now();
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    let (code, out, err) = run_cli(&db.path(), &["list", "--json", "--limit", "1000000"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    let stored: std::collections::HashSet<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let missing: Vec<&String> = answered.iter().filter(|id| !stored.contains(id.as_str())).collect();
    assert!(answered.len() >= 300);
    assert!(
        missing.is_empty(),
        "{} of {} answered requests missing",
        missing.len(),
        answered.len()
    );
}

#[test]
fn changing_an_endpoints_secret_re_verifies_its_stored_requests() {
    let db = TestDb::new();
    let add = [
        "endpoint",
        "add",
        "gh",
        "--path",
        "/gh",
        "--provider",
        "github",
        "--secret",
        "not the secret",
    ];
    assert_eq!(run_cli(&db.path(), &add).0, 0);
    let (mut child, addr, _stdout) = spawn_serve(&db.path(), &[]);
    // GitHub's published example: secret "It's a Secret to Everybody", body "Hello, World!".
    let signature = "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17\r\n";
    let id = answered_id(&post(addr, "/gh/hook", signature, b"Hello, World!"));
    child.kill().unwrap();
    child.wait().unwrap();
    let status = |db: &TestDb| {
        let (_, out, _) = run_cli(&db.path(), &["list", "--json"]);
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
        assert_eq!(rows[0]["id"], id.as_str());
        rows[0]["signature_status"].clone()
    };
    assert_eq!(status(&db), "failed");
    let set = ["endpoint", "set", "gh", "--secret", "It's a Secret to Everybody"];
    let (code, out, err) = run_cli(&db.path(), &set);
    assert_eq!(code, 0, "{err}");
    assert!(String::from_utf8_lossy(&out).contains("re-verified 1 stored requests"));
    assert_eq!(status(&db), "verified");
}

#[test]
fn show_prints_bodies_decoded_for_reading() {
    use std::io::Write as _;
    let db = TestDb::new();
    let (mut child, addr, _stdout) = spawn_serve(&db.path(), &[]);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(br#"{"event":"order.paid","amount":1250}"#).unwrap();
    let gzip = gzip.finish().unwrap();
    let json_id = answered_id(&post(
        addr,
        "/g",
        "Content-Type: application/json\r\nContent-Encoding: gzip\r\n",
        &gzip,
    ));
    let form_id = answered_id(&post(
        addr,
        "/f",
        "Content-Type: application/x-www-form-urlencoded\r\n",
        b"a=1&b=x%20y&a=2",
    ));
    child.kill().unwrap();
    child.wait().unwrap();
    let (_, out, _) = run_cli(&db.path(), &["show", &json_id]);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("[gzip decoded:"), "{out}");
    assert!(
        out.contains("\n  \"event\": \"order.paid\",\n  \"amount\": 1250\n"),
        "{out}"
    );
    let (_, out, _) = run_cli(&db.path(), &["show", &form_id]);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("a = 1\nb = x y\na = 2\n"), "{out}");
    let (_, exact, _) = run_cli(&db.path(), &["show", &json_id, "--body"]);
    assert_eq!(exact, gzip, "--body still writes the gzip bytes");
}
