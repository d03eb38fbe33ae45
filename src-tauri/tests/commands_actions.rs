//! The window's action commands (deliveries, replay, export/import, the tunnel) against a real
//! engine, a temp database and a real HTTP receiver on 127.0.0.1 port 0, called through Tauri's
//! IPC with the mock runtime (no display needed).

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use common::{invoke, listener_url, receiver};
use hookscope::tunnel::AuthtokenStore;
use hookscope_desktop::TunnelHandle;
use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::{Manager, WebviewWindow};

/// A running app whose tunnel keeps its authtoken in a file of the temp dir.
fn app_with_engine(dir: &tempfile::TempDir) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = common::engine_state(dir);
    let tunnel = TunnelHandle::with_token_store(&state, Some(AuthtokenStore::at(dir.path().join("ngrok-authtoken"))));
    common::app_with(state, |app| {
        app.manage(tunnel);
    })
}

fn send(url: &str, head: &str, body: &[u8]) -> String {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{head}Host: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn a_replay_reaches_the_target_and_its_attempt_is_listed_with_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with_engine(&dir);
    let url = listener_url(&window);
    let body = br#"{"type":"invoice.paid"}"#;
    let head = "POST /stripe/events?x=1 HTTP/1.1\r\nContent-Type: application/json\r\nX-Dup: a\r\nX-Dup: b\r\n";
    assert!(send(&url, head, body).starts_with("HTTP/1.1 200"));
    let rows = invoke(&window, "list_requests", json!({"filter": {"limit": 10}})).unwrap();
    let id = rows[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        invoke(&window, "list_deliveries", json!({"requestId": id})).unwrap(),
        json!([])
    );

    let (target, received) = receiver();
    let options = json!({"target": format!("{target}/hooks"), "kind": "replay", "edit": {}, "resign": false});
    let attempt = invoke(&window, "replay_request", json!({"id": id, "options": options})).unwrap();
    let got = received.recv().unwrap();
    assert_eq!(got.request_line, "POST /hooks/stripe/events?x=1 HTTP/1.1");
    assert_eq!(got.body, body, "body bytes unchanged");
    let dups: Vec<&String> = got.headers.iter().filter(|h| h.starts_with("X-Dup")).collect();
    assert_eq!(dups, ["X-Dup: a", "X-Dup: b"], "duplicates kept in order");
    assert_eq!(attempt["response"]["status"], 201);
    assert_eq!(attempt["response"]["body"], base64(b"received"));
    assert!(attempt["error"].is_null());
    assert_eq!(attempt["edited"], false);

    // Replay with edit: what the dialog sends (method, full URL, headers, body as base64).
    let edit = json!({
        "method": "PUT",
        "url": format!("{target}/edited?y=2"),
        "headers": [{"name": "Content-Type", "value": "text/plain"}, {"name": "X-Edited", "value": "1"}],
        "body": base64(b"changed"),
    });
    let options = json!({"target": target, "kind": "replay", "edit": edit, "resign": false});
    let edited = invoke(&window, "replay_request", json!({"id": id, "options": options})).unwrap();
    let got = received.recv().unwrap();
    assert_eq!(got.request_line, "PUT /edited?y=2 HTTP/1.1");
    assert!(got.headers.contains(&"X-Edited: 1".to_owned()));
    assert!(!got.headers.iter().any(|h| h.starts_with("X-Dup")));
    assert_eq!(got.body, b"changed");
    assert_eq!(edited["edited"], true);
    assert_eq!(edited["sent"]["method"], "PUT");

    // A target that refuses the connection: an attempt with an error, not a failed command.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let options = json!({"target": closed_url, "kind": "replay", "edit": {}, "resign": false});
    let refused = invoke(&window, "replay_request", json!({"id": id, "options": options})).unwrap();
    assert!(refused["response"].is_null());
    assert_eq!(refused["error"]["kind"], "connection_refused");

    let listed = invoke(&window, "list_deliveries", json!({"requestId": id})).unwrap();
    let ids: Vec<&Value> = listed.as_array().unwrap().iter().map(|d| &d["id"]).collect();
    assert_eq!(ids, [&attempt["id"], &edited["id"], &refused["id"]], "oldest first");
    assert_eq!(listed[1]["response"]["headers"][1]["name"], "X-Receiver");

    let missing = json!({"target": target, "kind": "replay", "edit": {}, "resign": false});
    let error = invoke(&window, "replay_request", json!({"id": "nope", "options": missing})).unwrap_err();
    assert!(error.as_str().unwrap().contains("nope"), "{error}");
}

#[test]
fn the_current_search_exports_as_har_and_imports_back_with_its_deliveries() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with_engine(&dir);
    let url = listener_url(&window);
    let binary: Vec<u8> = (0..=255u8).collect();
    send(
        &url,
        "POST /keep HTTP/1.1\r\nContent-Type: application/octet-stream\r\nX-Tag: findme\r\n",
        &binary,
    );
    send(
        &url,
        "POST /other HTTP/1.1\r\nContent-Type: text/plain\r\n",
        b"not this one",
    );
    let rows = invoke(&window, "list_requests", json!({"filter": {"limit": 10}})).unwrap();
    let kept = rows[1]["id"].as_str().unwrap().to_owned();
    let (target, received) = receiver();
    let options = json!({"target": target, "kind": "replay", "edit": {}, "resign": false});
    invoke(&window, "replay_request", json!({"id": kept, "options": options})).unwrap();
    received.recv().unwrap();

    let har_path = dir.path().join("out.har");
    let filter = json!({"limit": 200, "before_seq": null, "search": null, "method": null, "endpoint": null,
        "status": null, "header": "x-tag: findme"});
    let count = invoke(
        &window,
        "export_har",
        json!({"filter": filter, "path": har_path.to_str().unwrap(), "redact": false}),
    )
    .unwrap();
    assert_eq!(count, 1);
    let har: Value = serde_json::from_slice(&std::fs::read(&har_path).unwrap()).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    let entries = har["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "only the request matching the filter");
    assert!(entries[0]["request"]["url"].as_str().unwrap().ends_with("/keep"));

    let imported = invoke(&window, "import_file", json!({"path": har_path.to_str().unwrap()})).unwrap();
    assert_eq!(imported["ids"].as_array().unwrap().len(), 1);
    assert_eq!(imported["notes"], json!([]), "a Hookscope HAR imports byte for byte");
    let rows = invoke(&window, "list_requests", json!({"filter": {"limit": 10}})).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(rows[0]["source"], "imported");
    let copy = rows[0]["id"].as_str().unwrap().to_owned();
    let detail = invoke(&window, "get_request", json!({"id": copy})).unwrap();
    assert_eq!(detail["request"]["body"], base64(&binary), "binary body round-trips");
    let deliveries = invoke(&window, "list_deliveries", json!({"requestId": copy})).unwrap();
    assert_eq!(deliveries.as_array().unwrap().len(), 1, "the delivery came along");

    let http_path = dir.path().join("one.http");
    std::fs::write(
        &http_path,
        "POST /from-file?z=1 HTTP/1.1\r\nHost: example.test\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
    )
    .unwrap();
    assert_eq!(
        invoke(&window, "import_file", json!({"path": http_path.to_str().unwrap()})).unwrap()["ids"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let rows = invoke(&window, "list_requests", json!({"filter": {"limit": 10}})).unwrap();
    assert_eq!(rows[0]["target"], "/from-file?z=1");

    // Another tool's HAR: the entry whose body the file does not carry byte for byte is named.
    let mitmproxy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/har/mitmproxy/mitmproxy.har"
    );
    let report = invoke(&window, "import_file", json!({"path": mitmproxy})).unwrap();
    assert_eq!(report["ids"].as_array().unwrap().len(), 10);
    assert_eq!(report["notes"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["notes"][0]["entry"], 4);
    assert_eq!(report["notes"][0]["kind"], "not_exact");
    assert_eq!(report["notes"][0]["request_id"], report["ids"][3]);

    let garbage = dir.path().join("garbage.har");
    std::fs::write(&garbage, "{ not json").unwrap();
    let error = invoke(&window, "import_file", json!({"path": garbage.to_str().unwrap()})).unwrap_err();
    assert!(error.as_str().unwrap().contains("HAR"), "{error}");
}

#[test]
fn the_tunnel_says_when_there_is_no_authtoken_and_keeps_a_saved_one_to_itself() {
    if std::env::var("NGROK_AUTHTOKEN").is_ok_and(|t| !t.trim().is_empty()) {
        eprintln!("skipped: NGROK_AUTHTOKEN is set, so the no-authtoken path cannot be reached");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with_engine(&dir);
    assert_eq!(
        invoke(&window, "tunnel_state", json!({})).unwrap(),
        json!({"state": "off"})
    );
    assert_eq!(invoke(&window, "tunnel_has_authtoken", json!({})).unwrap(), false);

    let error = invoke(&window, "tunnel_start", json!({})).unwrap_err();
    let message = error.as_str().unwrap();
    assert!(message.starts_with("no ngrok authtoken"), "{message}");
    let state = invoke(&window, "tunnel_state", json!({})).unwrap();
    assert_eq!(state["state"], "error");
    assert_eq!(state["message"], message, "the status bar shows the same words");

    let token = "2abcSECRETtoken_for_tests";
    assert_eq!(
        invoke(&window, "tunnel_save_authtoken", json!({"token": token})).unwrap(),
        true
    );
    assert_eq!(invoke(&window, "tunnel_has_authtoken", json!({})).unwrap(), true);
    let stored = std::fs::read_to_string(dir.path().join("ngrok-authtoken")).unwrap();
    assert!(stored.contains(token));

    // With the saved token the tunnel goes further: to a server that is not there.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = closed.local_addr().unwrap().to_string();
    drop(closed);
    let options = json!({"options": {"domain": null, "basic_auth": null, "allow_cidrs": [], "deny_cidrs": [],
        "server_addr": server, "connect_timeout_ms": 5000}});
    let error = invoke(&window, "tunnel_start", options).unwrap_err();
    let message = error.as_str().unwrap();
    assert!(message.contains("cannot reach ngrok's server"), "{message}");
    assert!(!message.contains(token), "the token is never echoed");
    let state = invoke(&window, "tunnel_state", json!({})).unwrap();
    assert!(!state.to_string().contains(token));

    invoke(&window, "tunnel_stop", json!({})).unwrap();
    assert_eq!(
        invoke(&window, "tunnel_state", json!({})).unwrap(),
        json!({"state": "off"})
    );
    assert_eq!(
        invoke(&window, "tunnel_save_authtoken", json!({"token": ""})).unwrap(),
        false
    );
    assert!(
        !dir.path().join("ngrok-authtoken").exists()
            || std::fs::read_to_string(dir.path().join("ngrok-authtoken"))
                .unwrap()
                .trim()
                .is_empty()
    );
}

#[test]
fn a_failed_signature_is_shown_with_its_diagnosis_and_a_re_signed_replay_verifies() {
    let dir = tempfile::tempdir().unwrap();
    // The endpoint is stored before the engine starts, as `hookscope endpoint add` does.
    let mut conn = hookscope::store::open_database(&dir.path().join("hookscope.db")).unwrap();
    let endpoint = hookscope::model::NewEndpoint {
        name: "gh".into(),
        path_prefix: "/gh".into(),
        provider: Some("github".into()),
        secrets: vec!["the-right-secret".into()],
        ..Default::default()
    };
    hookscope::store::endpoints::insert(&mut conn, &endpoint).unwrap();
    drop(conn);
    let (_app, window) = app_with_engine(&dir);
    let url = listener_url(&window);

    // Signed with another secret: the stored verdict says it failed and why.
    let wrong = "sha256=0000000000000000000000000000000000000000000000000000000000000000";
    let head = format!(
        "POST /gh/events HTTP/1.1\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-Hub-Signature-256: {wrong}\r\n"
    );
    assert!(send(&url, &head, br#"{"ref":"main"}"#).starts_with("HTTP/1.1 200"));
    let rows = invoke(&window, "list_requests", json!({"filter": {"limit": 10}})).unwrap();
    assert_eq!(rows[0]["signature_status"], "failed", "the list's badge");
    let id = rows[0]["id"].as_str().unwrap().to_owned();
    let detail = invoke(&window, "get_request", json!({"id": id})).unwrap();
    let verdict = &detail["request"]["signature"];
    assert_eq!(verdict["provider"], "github");
    assert_eq!(verdict["detected"], false);
    assert_eq!(verdict["received_signature"], wrong);
    assert!(
        verdict["diagnosis"].is_string() && verdict["reason"].is_string(),
        "{verdict}"
    );
    assert!(
        !verdict.to_string().contains("the-right-secret"),
        "the secret never reaches the window"
    );

    // Replayed into Hookscope's own listener: as captured it fails again; re-signed it verifies.
    for (resign, expected) in [(false, "failed"), (true, "verified")] {
        let options = json!({"target": format!("{url}/gh"), "kind": "replay", "edit": {}, "resign": resign});
        let attempt = invoke(&window, "replay_request", json!({"id": id, "options": options})).unwrap();
        assert_eq!(attempt["resigned"], resign);
        assert_eq!(attempt["response"]["status"], 200);
        let rows = invoke(&window, "list_requests", json!({"filter": {"limit": 1}})).unwrap();
        assert_eq!(rows[0]["target"], "/gh/events");
        assert_eq!(rows[0]["signature_status"], expected, "resign = {resign}");
    }
}
