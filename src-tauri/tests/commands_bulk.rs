//! The bulk replay commands against a real engine (temp database, listener on port 0) and a real
//! HTTP receiver on 127.0.0.1 port 0, called through Tauri's IPC with the mock runtime: the
//! summary, the progress events the window gets, and cancelling a run.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{mpsc, Arc, Mutex};

use common::{invoke, listener_url, receiver_with};
use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::{Listener, WebviewWindow};

/// Captures a POST on the app's listener; returns its id.
fn capture(url: &str, target: &str, body: &str) -> String {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let json: Value = serde_json::from_str(&answer[answer.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    json["id"].as_str().unwrap().to_owned()
}

/// Collects the window's bulk progress events.
fn progress_events(window: &WebviewWindow<MockRuntime>) -> Arc<Mutex<Vec<Value>>> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    window.listen_any("bulk-replay-progress", move |event| {
        sink.lock()
            .unwrap()
            .push(serde_json::from_str(event.payload()).unwrap());
    });
    events
}

fn options(target: &str) -> Value {
    json!({
        "concurrency": 1,
        "rate_per_second": null,
        "replay": {"target": target, "kind": "replay", "edit": {}, "resign": false},
    })
}

#[test]
fn selected_requests_are_replayed_in_capture_order_with_progress_events_and_a_summary_of_failures() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = common::app_with(common::engine_state(&dir), |_| {});
    let url = listener_url(&window);
    let ids: Vec<String> = (0..4)
        .map(|n| capture(&url, &format!("/hook/{n}"), &format!("{{\"n\":{n}}}")))
        .collect();
    let (target, received) = receiver_with(|line| if line.contains("/hook/2") { 500 } else { 201 }, None);
    let events = progress_events(&window);

    // Rows 3, 2 and 0 selected (in the list's order, newest first); row 1 is not.
    let selected = json!({"kind": "ids", "ids": [ids[3], ids[2], ids[0]]});
    let summary = invoke(
        &window,
        "bulk_replay",
        json!({"run": "run-1", "requests": selected, "options": options(&format!("{target}/in"))}),
    )
    .unwrap();

    let got: Vec<(String, Vec<u8>)> = received.try_iter().map(|r| (r.request_line, r.body)).collect();
    assert_eq!(
        got,
        [0, 2, 3]
            .map(|n| (
                format!("POST /in/hook/{n} HTTP/1.1"),
                format!("{{\"n\":{n}}}").into_bytes()
            ))
            .to_vec(),
        "exactly the selected requests, oldest first, bodies as captured"
    );
    assert_eq!(
        (
            &summary["sent"],
            &summary["success"],
            &summary["non_success"],
            &summary["errors"]
        ),
        (&json!(3), &json!(2), &json!(1), &json!(0))
    );
    assert_eq!(summary["cancelled"], false);
    let failures = summary["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["request_id"], ids[2].as_str());
    assert_eq!(failures[0]["status"], 500);

    let events = events.lock().unwrap().clone();
    let seen: Vec<(Value, Value, Value, Value, Value)> = events
        .iter()
        .map(|e| {
            let p = &e["progress"];
            (
                e["run"].clone(),
                p["done"].clone(),
                p["total"].clone(),
                p["request_id"].clone(),
                p["status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [(0, 1, 201), (2, 2, 500), (3, 3, 201)]
            .map(|(n, done, status)| (json!("run-1"), json!(done), json!(3), json!(ids[n]), json!(status)))
            .to_vec()
    );

    // Each attempt is stored with its request, like a single replay.
    let deliveries = invoke(&window, "list_deliveries", json!({"requestId": ids[2]})).unwrap();
    assert_eq!(deliveries[0]["response"]["status"], 500);
    let none = invoke(&window, "list_deliveries", json!({"requestId": ids[1]})).unwrap();
    assert_eq!(none, json!([]));
}

#[test]
fn every_request_matching_the_search_is_replayed_without_listing_them_first() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = common::app_with(common::engine_state(&dir), |_| {});
    let url = listener_url(&window);
    let refund = capture(&url, "/a", r#"{"kind":"refund"}"#);
    capture(&url, "/b", r#"{"kind":"charge"}"#);
    let refund_again = capture(&url, "/c", r#"{"kind":"refund","again":true}"#);
    let (target, received) = receiver_with(|_| 200, None);
    let events = progress_events(&window);

    let matching = json!({"kind": "matching", "filter": {"limit": 1, "before_seq": null, "search": "refund",
        "method": null, "endpoint": null, "status": null, "header": null}});
    let summary = invoke(
        &window,
        "bulk_replay",
        json!({"run": "r", "requests": matching, "options": options(&target)}),
    )
    .unwrap();
    let lines: Vec<String> = received.try_iter().map(|r| r.request_line).collect();
    assert_eq!(lines, ["POST /a HTTP/1.1", "POST /c HTTP/1.1"]);
    assert_eq!((&summary["sent"], &summary["success"]), (&json!(2), &json!(2)));
    let done: Vec<Value> = events
        .lock()
        .unwrap()
        .iter()
        .map(|e| e["progress"]["request_id"].clone())
        .collect();
    assert_eq!(done, [json!(refund), json!(refund_again)]);
}

#[test]
fn cancel_stops_a_run_after_the_request_in_flight_and_unknown_runs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = common::app_with(common::engine_state(&dir), |_| {});
    let url = listener_url(&window);
    let ids: Vec<String> = (0..5).map(|n| capture(&url, &format!("/c/{n}"), "{}")).collect();
    let (release, hold) = mpsc::channel();
    let (target, received) = receiver_with(|_| 200, Some(hold));
    assert_eq!(
        invoke(&window, "bulk_replay_cancel", json!({"run": "nothing-running"})).unwrap(),
        false
    );

    let running = {
        let window = window.clone();
        let requests = json!({"kind": "ids", "ids": ids});
        std::thread::spawn(move || {
            invoke(
                &window,
                "bulk_replay",
                json!({"run": "long", "requests": requests, "options": options(&target)}),
            )
        })
    };
    // The first request is held by the receiver until the run has been cancelled.
    let first = received.recv().unwrap();
    assert_eq!(first.request_line, "POST /c/0 HTTP/1.1");
    assert_eq!(
        invoke(&window, "bulk_replay_cancel", json!({"run": "long"})).unwrap(),
        true
    );
    release.send(()).unwrap();
    let summary = running.join().unwrap().unwrap();
    assert_eq!(
        (
            &summary["sent"],
            &summary["success"],
            &summary["not_sent"],
            &summary["cancelled"]
        ),
        (&json!(1), &json!(1), &json!(4), &json!(true))
    );
    assert_eq!(received.try_iter().count(), 0, "nothing after the cancel was sent");
    assert_eq!(
        invoke(&window, "bulk_replay_cancel", json!({"run": "long"})).unwrap(),
        false,
        "a finished run is forgotten"
    );
}
