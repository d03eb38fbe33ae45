//! The endpoint editor's commands against a real engine (temp database, listener on port 0),
//! called through Tauri's IPC with the mock runtime: what they change is observed on real HTTP
//! requests to the listener, and no secret ever comes back out of a command or into a log.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

const SECRET: &str = "whsec_EditorSecretValue42";
const TOKEN: &str = "verify-token-EditorHidden";
/// GitHub's published example: this secret signs "Hello, World!" as below.
const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const GITHUB_SIGNATURE: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

/// Everything any test in this binary logged, at every level.
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || LogSink(sink.clone()))
            .try_init();
        buffer
    })
}

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl Write for LogSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An app on a fresh engine; every command answer it gives is kept to check for secrets.
struct Editor {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    url: String,
    answers: Vec<String>,
}

impl Editor {
    fn new() -> Self {
        logs();
        let dir = tempfile::tempdir().unwrap();
        let (app, window) = common::app_with(common::engine_state(&dir), |_| {});
        let info = common::invoke(&window, "listener_info", json!({})).unwrap();
        let url = info["url"].as_str().expect("listener runs").to_owned();
        Editor {
            _dir: dir,
            _app: app,
            window,
            url,
            answers: Vec::new(),
        }
    }

    fn call(&mut self, cmd: &str, args: Value) -> Result<Value, Value> {
        let result = common::invoke(&self.window, cmd, args);
        self.answers.push(format!("{result:?}"));
        result
    }

    fn ok(&mut self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone())
            .unwrap_or_else(|e| panic!("{cmd} {args} failed: {e}"))
    }

    /// Sends a request to the listener; returns the raw answer.
    fn send(&self, method: &str, target: &str, headers: &str, body: &str) -> String {
        let addr = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    fn newest(&mut self) -> Value {
        self.ok("list_requests", json!({"filter": {"limit": 1}}))[0].clone()
    }

    /// No command answer and no log line holds a secret value.
    fn assert_no_secret_left(&self) {
        let logged = String::from_utf8_lossy(&logs().lock().unwrap()).into_owned();
        for text in self.answers.iter().chain([&logged]) {
            for secret in [SECRET, TOKEN, GITHUB_SECRET] {
                assert!(!text.contains(secret), "a secret came out: {text}");
            }
        }
    }
}

fn body_of(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[test]
fn an_endpoint_added_in_the_editor_answers_with_its_rule_until_changed_and_removed() {
    let mut editor = Editor::new();
    let added = editor.ok(
        "add_endpoint",
        json!({"changes": {
            "name": "shop",
            "path_prefix": "/shop",
            "provider": {"kind": "set", "value": "shopify"},
            "secrets": {"kind": "replace", "secrets": [SECRET]},
            "verify_token": {"kind": "set", "value": TOKEN},
            "status": 201,
            "headers": [{"name": "X-Order", "value": "{{json.order.id}}"}],
            "body": {"kind": "set", "value": "got {{json.order.id}} as {{request.id}}"},
        }}),
    );
    assert_eq!(added["secret_count"], 1);
    assert_eq!(added["verify_token_set"], true);
    assert_eq!(added["handshake_enabled"], true, "handshakes are on for a new endpoint");

    let answer = editor.send(
        "POST",
        "/shop/orders",
        "Content-Type: application/json\r\n",
        r#"{"order":{"id":"A-17"}}"#,
    );
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(
        answer.contains("x-order: A-17") || answer.contains("X-Order: A-17"),
        "{answer}"
    );
    let row = editor.newest();
    assert_eq!(
        row["endpoint_name"], "shop",
        "the list attributes the request to the endpoint"
    );
    assert_eq!(body_of(&answer), format!("got A-17 as {}", row["id"].as_str().unwrap()));

    let listed = editor.ok("list_endpoints", json!({}));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["name"], "shop");
    assert_eq!(listed[0]["provider"], "shopify");

    // Back to the default answer: status 202 and no body template.
    let id = added["id"].clone();
    let saved = editor.ok(
        "change_endpoint",
        json!({"id": id, "changes": {"status": 202, "body": {"kind": "clear"}, "headers": []}}),
    );
    assert_eq!(saved["rechecked"], 0, "nothing that signs changed");
    assert_eq!(saved["endpoint"]["secret_count"], 1, "secrets kept");
    let answer = editor.send("POST", "/shop/orders", "", "{}");
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
    let id_now = editor.newest()["id"].as_str().unwrap().to_owned();
    let answered: Value = serde_json::from_str(body_of(&answer)).unwrap();
    assert_eq!(answered, json!({"ok": true, "id": id_now}));

    editor.ok("remove_endpoint", json!({"id": id}));
    assert_eq!(editor.ok("list_endpoints", json!({})), json!([]));
    let answer = editor.send("POST", "/shop/orders", "", "{}");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        editor.newest()["endpoint_name"].is_null(),
        "no endpoint matches any more"
    );
    let gone = editor.call("remove_endpoint", json!({"id": id})).unwrap_err();
    assert!(gone["message"].as_str().unwrap().contains("no longer exists"), "{gone}");
    editor.assert_no_secret_left();
}

#[test]
fn a_slack_url_verification_is_answered_once_the_provider_is_set_to_slack() {
    let mut editor = Editor::new();
    let added = editor.ok(
        "add_endpoint",
        json!({"changes": {"name": "chat", "path_prefix": "/chat", "provider": {"kind": "set", "value": "stripe"}}}),
    );
    let challenge = r#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
    let json = "Content-Type: application/json\r\n";
    // With Stripe as the provider only Stripe's handshake would be answered: this gets the rule.
    let answer = editor.send("POST", "/chat/events", json, challenge);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(!body_of(&answer).contains("3eZbrw1aBm2rZg"), "{answer}");

    editor.ok(
        "change_endpoint",
        json!({"id": added["id"], "changes": {"provider": {"kind": "set", "value": "slack"}}}),
    );
    let answer = editor.send("POST", "/chat/events", json, challenge);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(body_of(&answer), "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

    // Switched off in the editor, the handshake is answered by the rule again.
    editor.ok(
        "change_endpoint",
        json!({"id": added["id"], "changes": {"handshake_enabled": false}}),
    );
    let answer = editor.send("POST", "/chat/events", json, challenge);
    assert!(body_of(&answer).contains(r#""ok":true"#), "{answer}");
    editor.assert_no_secret_left();
}

#[test]
fn a_secret_added_in_the_editor_re_checks_stored_requests_and_clearing_it_undoes_that() {
    let mut editor = Editor::new();
    let added = editor.ok(
        "add_endpoint",
        json!({"changes": {
            "name": "gh", "path_prefix": "/gh",
            "provider": {"kind": "set", "value": "github"},
            "secrets": {"kind": "replace", "secrets": [SECRET]},
        }}),
    );
    let signed = format!("X-Hub-Signature-256: {GITHUB_SIGNATURE}\r\n");
    let answer = editor.send("POST", "/gh/hook", &signed, "Hello, World!");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let row = editor.newest();
    assert_eq!(row["signature_status"], "failed", "signed with another secret");
    let request_id = row["id"].clone();

    let saved = editor.ok(
        "change_endpoint",
        json!({"id": added["id"], "changes": {"secrets": {"kind": "add_newest", "secret": GITHUB_SECRET}}}),
    );
    assert_eq!(saved["rechecked"], 1);
    assert_eq!(saved["endpoint"]["secret_count"], 2);
    let detail = editor.ok("get_request", json!({"id": request_id}));
    assert_eq!(detail["request"]["signature"]["status"], "verified");
    assert_eq!(
        detail["request"]["signature"]["matched_secret"], 0,
        "the newest secret matched"
    );
    assert_eq!(editor.newest()["signature_status"], "verified");

    let saved = editor.ok(
        "change_endpoint",
        json!({"id": added["id"], "changes": {"secrets": {"kind": "clear"}}}),
    );
    assert_eq!(saved["endpoint"]["secret_count"], 0);
    assert_eq!(editor.newest()["signature_status"], "no_secret");
    editor.assert_no_secret_left();
}

#[test]
fn invalid_settings_are_refused_with_the_field_at_fault_in_words() {
    let mut editor = Editor::new();
    editor.ok(
        "add_endpoint",
        json!({"changes": {"name": "stripe", "path_prefix": "/stripe"}}),
    );
    let cases = [
        (json!({"path_prefix": "/x"}), "name", "name"),
        (json!({"name": "x"}), "path_prefix", "path prefix"),
        (
            json!({"name": "stripe", "path_prefix": "/other"}),
            "name",
            "already exists",
        ),
        (
            json!({"name": "x", "path_prefix": "stripe"}),
            "path_prefix",
            "must start with '/'",
        ),
        (
            json!({"name": "x", "path_prefix": "/stripe/"}),
            "path_prefix",
            "already uses /stripe",
        ),
        (
            json!({"name": "x", "path_prefix": "/x", "provider": {"kind": "set", "value": "nonsense"}}),
            "provider",
            "unknown provider",
        ),
        (
            json!({"name": "x", "path_prefix": "/x", "status": 42}),
            "status",
            "not an HTTP status",
        ),
        (
            json!({"name": "x", "path_prefix": "/x", "headers": [{"name": "Bad Name", "value": "1"}]}),
            "headers",
            "not a header name",
        ),
        (
            json!({"name": "x", "path_prefix": "/x", "delay_ms": 900000}),
            "delay_ms",
            "longer than",
        ),
        (
            json!({"name": "x", "path_prefix": "/x", "forward_targets": ["localhost:3000"]}),
            "forward_targets",
            "http://",
        ),
        (
            json!({"name": "x", "path_prefix": "/x", "auto_forward": "async"}),
            "auto_forward",
            "forward target",
        ),
        (
            json!({"name": "x", "path_prefix": "/x", "secrets": {"kind": "add_newest", "secret": " "}}),
            "secrets",
            "empty",
        ),
    ];
    for (changes, field, words) in cases {
        let error = editor
            .call("add_endpoint", json!({"changes": changes}))
            .expect_err("refused");
        assert_eq!(error["field"], field, "{changes}: {error}");
        assert!(error["message"].as_str().unwrap().contains(words), "{changes}: {error}");
    }
    assert_eq!(
        editor.ok("list_endpoints", json!({})).as_array().unwrap().len(),
        1,
        "nothing half-stored"
    );
}

#[test]
fn the_provider_choices_are_the_engines_and_outages_start_empty() {
    let mut editor = Editor::new();
    let providers = editor.ok("list_providers", json!({}));
    let ids: Vec<&str> = providers
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, hookscope::signature::provider_ids());
    assert!(ids.contains(&"slack") && ids.contains(&"github"));
    assert_eq!(editor.ok("list_tunnel_outages", json!({})), json!([]));
}
