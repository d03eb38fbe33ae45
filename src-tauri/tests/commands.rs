//! The window's commands against a real engine: a listener on port 0, a temp database and real
//! HTTP, called through Tauri's IPC with the mock runtime (no display needed).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::invoke;
use hookscope_desktop::DesktopState;
use serde_json::json;
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

fn post(url: &str, target: &str, body: &str) -> String {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nX-Test: One\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn app_with_engine(dir: &tempfile::TempDir) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    common::app_with(common::engine_state(dir), |_| {})
}

#[test]
fn captured_requests_are_listed_fetched_filtered_and_deleted_through_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app_with_engine(&dir);
    let info = invoke(&window, "listener_info", json!({})).unwrap();
    let url = info["url"].as_str().expect("listener runs").to_owned();
    assert!(info["error"].is_null());

    assert!(post(&url, "/github/push", r#"{"ref":"main"}"#).starts_with("HTTP/1.1 200"));
    assert!(post(&url, "/stripe/events?x=1", r#"{"type":"invoice.paid"}"#).starts_with("HTTP/1.1 200"));

    let all = invoke(&window, "list_requests", json!({"filter": {"limit": 50}})).unwrap();
    let rows = all.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["target"], "/stripe/events?x=1", "newest first");
    assert_eq!(rows[1]["target"], "/github/push");

    let page = invoke(
        &window,
        "list_requests",
        json!({"filter": {"limit": 1, "before_seq": rows[0]["seq"]}}),
    )
    .unwrap();
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert_eq!(
        page[0]["target"], "/github/push",
        "keyset page continues after the first row"
    );

    let found = invoke(
        &window,
        "list_requests",
        json!({"filter": {"limit": 50, "search": "invoice"}}),
    )
    .unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["target"], "/stripe/events?x=1");

    let id = rows[0]["id"].as_str().unwrap();
    let detail = invoke(&window, "get_request", json!({"id": id})).unwrap();
    assert_eq!(
        detail["request"]["body"], "eyJ0eXBlIjoiaW52b2ljZS5wYWlkIn0=",
        "body bytes as base64"
    );
    assert_eq!(detail["preview_cut"], false);
    let headers = detail["request"]["headers"].as_array().unwrap();
    assert!(headers.iter().any(|h| h["name"] == "X-Test" && h["value"] == "One"));

    let saved = dir.path().join("body.json");
    invoke(&window, "save_body", json!({"id": id, "path": saved.to_str().unwrap()})).unwrap();
    assert_eq!(std::fs::read(&saved).unwrap(), br#"{"type":"invoice.paid"}"#);

    assert_eq!(invoke(&window, "delete_requests", json!({"ids": [id]})).unwrap(), 1);
    assert_eq!(invoke(&window, "count_requests", json!({})).unwrap(), 1);
    assert_eq!(invoke(&window, "clear_requests", json!({})).unwrap(), 1);
    assert_eq!(invoke(&window, "count_requests", json!({})).unwrap(), 0);
    assert!(invoke(&window, "get_request", json!({"id": id})).unwrap().is_null());
}

#[test]
fn a_listener_that_cannot_bind_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let state = tauri::async_runtime::block_on(DesktopState::start(
        Ok(taken.local_addr().unwrap()),
        dir.path().join("hookscope.db"),
    ));
    let (_app, window) = common::app_with(state, |_| {});
    let info = invoke(&window, "listener_info", json!({})).unwrap();
    assert!(info["url"].is_null());
    assert!(!info["error"].as_str().unwrap().is_empty());
    let error = invoke(&window, "list_requests", json!({"filter": {"limit": 10}})).unwrap_err();
    assert!(error.as_str().is_some(), "the window gets the reason as a message");
}
