//! Diffing two requests: captures over real HTTP, a capture and what a delivery sent, JSON by
//! pointer, text by line, bytes by offset, and the volatile-field toggle.

mod common;

use std::io::Write;

use common::{answered_id, blocking, post, start, TestDb};
use hookscope::diff::{diff, BodyKind, ChangeOp, DiffOptions, HeaderChange, RequestView};
use hookscope::model::{CapturedRequest, HeaderField, OutgoingRequest};
use hookscope::store::requests;
use serde_json::json;

fn request(headers: &[(&str, &str)], body: &[u8]) -> CapturedRequest {
    CapturedRequest {
        headers: headers.iter().map(|(n, v)| HeaderField::new(*n, *v)).collect(),
        ..CapturedRequest::posted("r", "/hook", body.to_vec())
    }
}

fn compare(a: &CapturedRequest, b: &CapturedRequest, hide_volatile: bool) -> hookscope::diff::RequestDiff {
    diff(
        RequestView::from(a),
        RequestView::from(b),
        DiffOptions { hide_volatile },
    )
}

fn header(op: ChangeOp, name: &str, before: Option<&str>, after: Option<&str>) -> HeaderChange {
    HeaderChange {
        op,
        name: name.into(),
        before: before.map(str::to_owned),
        after: after.map(str::to_owned),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_captured_redeliveries_differ_only_in_volatile_fields_once_hidden() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    let send = |signature: &'static str, body: &'static str| {
        blocking(move || {
            answered_id(&post(
                addr,
                "/stripe",
                &format!("Content-Type: application/json\r\nStripe-Signature: {signature}\r\n"),
                body.as_bytes(),
            ))
        })
    };
    let first = send(
        "t=1700000000,v1=aa",
        r#"{"id":"evt_1","created":1700000000,"type":"invoice.paid","data":{"object":{"customer":"cus_42","amount_due":1130}}}"#,
    )
    .await;
    let second = send(
        "t=1700000300,v1=bb",
        r#"{"type":"invoice.paid","created":1700000300,"id":"evt_2","data":{"object":{"amount_due":2000,"customer":"cus_42"}}}"#,
    )
    .await;
    let load = |id: String| {
        let store = engine.store().clone();
        async move { store.read(move |conn| requests::get(conn, &id)).await.unwrap().unwrap() }
    };
    let (a, b) = (load(first).await, load(second).await);

    let all = compare(&a, &b, false);
    assert_eq!(all.body_kind, BodyKind::Json);
    let paths: Vec<_> = all.body.iter().map(|c| c.path.as_deref().unwrap()).collect();
    assert_eq!(
        paths,
        ["/id", "/created", "/data/object/amount_due"],
        "key order is ignored"
    );
    assert!(all.headers.contains(&header(
        ChangeOp::Changed,
        "Stripe-Signature",
        Some("t=1700000000,v1=aa"),
        Some("t=1700000300,v1=bb")
    )));
    assert_eq!(all.hidden, 0);

    let quiet = compare(&a, &b, true);
    assert_eq!(quiet.body.len(), 1);
    assert_eq!(quiet.body[0].path.as_deref(), Some("/data/object/amount_due"));
    assert_eq!(
        (quiet.body[0].before.clone(), quiet.body[0].after.clone()),
        (Some(json!(1130)), Some(json!(2000)))
    );
    // Stripe-Signature, /id and /created; the lengths are equal here.
    assert_eq!(quiet.hidden, 3);
    assert!(quiet.headers.iter().all(|h| h.op == ChangeOp::Equal));

    // The documented JSON shape.
    let value = serde_json::to_value(&quiet).unwrap();
    assert_eq!(
        value["body"],
        json!([{"op": "changed", "path": "/data/object/amount_due", "before": 1130, "after": 2000}])
    );
    assert!(value["headers"].is_array());
    engine.shutdown().await;
}

#[test]
fn headers_are_aligned_in_order_with_duplicates_kept() {
    let a = request(
        &[
            ("Host", "h"),
            ("X-Tag", "1"),
            ("X-Tag", "2"),
            ("Accept", "*/*"),
            ("X-Old", "o"),
        ],
        b"",
    );
    let b = request(
        &[
            ("host", "h"),
            ("X-Tag", "1"),
            ("Accept", "*/*"),
            ("X-Tag", "2"),
            ("X-New", "n"),
        ],
        b"",
    );
    let d = compare(&a, &b, false);
    assert_eq!(
        d.headers,
        [
            header(ChangeOp::Equal, "Host", Some("h"), Some("h")),
            header(ChangeOp::Equal, "X-Tag", Some("1"), Some("1")),
            // The moved line: one shortest edit keeps X-Tag: 2 and moves Accept around it.
            header(ChangeOp::Added, "Accept", None, Some("*/*")),
            header(ChangeOp::Equal, "X-Tag", Some("2"), Some("2")),
            header(ChangeOp::Removed, "Accept", Some("*/*"), None),
            header(ChangeOp::Removed, "X-Old", Some("o"), None),
            header(ChangeOp::Added, "X-New", None, Some("n")),
        ]
    );
    assert!(!d.is_empty());
    assert!(compare(&a, &a, false).is_empty());
}

#[test]
fn json_compares_objects_by_key_arrays_by_index_and_tells_null_from_missing() {
    let a = request(
        &[],
        br#"{"a":{"x":1,"y":2},"list":[1,2,3],"n":null,"gone":true,"k/~":1}"#,
    );
    let b = request(&[], br#"{"list":[1,3],"a":{"y":2,"x":1},"n":0,"new":null,"k/~":2}"#);
    let d = compare(&a, &b, false);
    let changes: Vec<_> = d
        .body
        .iter()
        .map(|c| (c.op, c.path.clone().unwrap(), c.before.clone(), c.after.clone()))
        .collect();
    assert_eq!(
        changes,
        [
            (ChangeOp::Changed, "/list/1".into(), Some(json!(2)), Some(json!(3))),
            (ChangeOp::Removed, "/list/2".into(), Some(json!(3)), None),
            (ChangeOp::Changed, "/n".into(), Some(json!(null)), Some(json!(0))),
            (ChangeOp::Removed, "/gone".into(), Some(json!(true)), None),
            (ChangeOp::Changed, "/k~1~0".into(), Some(json!(1)), Some(json!(2))),
            (ChangeOp::Added, "/new".into(), None, Some(json!(null))),
        ]
    );
    // A change of type at the top: the whole document, at pointer "".
    let d = compare(&request(&[], b"[1]"), &request(&[], br#"{"a":1}"#), false);
    assert_eq!(d.body[0].path.as_deref(), Some(""));
}

#[test]
fn volatile_fields_hide_by_key_anywhere_in_the_document() {
    let a = request(
        &[("Date", "Mon, 01 Jan 2024 00:00:00 GMT"), ("X-Request-Id", "1")],
        br#"{"items":[{"id":"a","created_at":"2024","qty":1}],"customerId":"c1","meta":{"ts":1}}"#,
    );
    let b = request(
        &[("Date", "Tue, 02 Jan 2024 00:00:00 GMT"), ("X-Request-Id", "2")],
        br#"{"items":[{"id":"b","created_at":"2025","qty":2}],"customerId":"c2","meta":{"ts":2}}"#,
    );
    let d = compare(&a, &b, true);
    let paths: Vec<_> = d.body.iter().map(|c| c.path.clone().unwrap()).collect();
    assert_eq!(paths, ["/items/0/qty"]);
    assert_eq!(d.hidden, 6);
}

#[test]
fn text_bodies_differ_by_line_and_binary_bodies_by_offset() {
    let a = request(
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"a=1\nb=2\nc=3\n",
    );
    let b = request(
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"a=1\nb=20\nc=3\nd=4\n",
    );
    let d = compare(&a, &b, false);
    assert_eq!(d.body_kind, BodyKind::Text);
    let lines: Vec<_> = d.body.iter().map(|c| (c.op, c.line.unwrap())).collect();
    assert_eq!(
        lines,
        [(ChangeOp::Removed, 2), (ChangeOp::Added, 2), (ChangeOp::Added, 4)]
    );
    assert_eq!(d.body[0].before, Some(json!("b=2")));

    let d = compare(
        &request(&[], b"\x00\x01\x02\x03"),
        &request(&[], b"\x00\x01\xff\x03\x04"),
        false,
    );
    assert_eq!(d.body_kind, BodyKind::Bytes);
    assert_eq!(
        (d.body[0].offset, d.body[0].before_size, d.body[0].after_size),
        (Some(2), Some(4), Some(5))
    );
    let same = compare(&request(&[], b"\x00\xff"), &request(&[], b"\x00\xff"), false);
    assert!(same.body.is_empty());
    // One is a prefix of the other: they differ where the shorter ends.
    let d = compare(&request(&[], b"\x00\xff"), &request(&[], b"\x00\xff\x00"), false);
    assert_eq!(d.body[0].offset, Some(2));
}

#[test]
fn a_gzip_body_is_compared_with_its_encoding_undone() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(br#"{"a":1,"b":2}"#).unwrap();
    let gzipped = request(&[("Content-Encoding", "gzip")], &encoder.finish().unwrap());
    let plain = request(&[], br#"{"b":2,"a":1}"#);
    let d = compare(&gzipped, &plain, false);
    assert_eq!(d.body_kind, BodyKind::Json);
    assert!(d.body.is_empty());
}

#[test]
fn a_capture_compares_with_what_an_edited_replay_sent() {
    let captured = request(
        &[("Content-Type", "application/json"), ("X-GitHub-Event", "push")],
        br#"{"ref":"refs/heads/main","after":"abc"}"#,
    );
    let sent = OutgoingRequest {
        method: "PUT".into(),
        url: "http://127.0.0.1:9000/hook".into(),
        headers: vec![
            HeaderField::new("Content-Type", "application/json"),
            HeaderField::new("X-GitHub-Event", "push"),
            HeaderField::new("X-Edited", "yes"),
        ],
        body: br#"{"ref":"refs/heads/dev","after":"abc"}"#.to_vec(),
    };
    let d = diff(
        RequestView::from(&captured),
        RequestView::from(&sent),
        DiffOptions::default(),
    );
    let line: Vec<_> = d.request_line.iter().map(|c| c.path.clone().unwrap()).collect();
    assert_eq!(line, ["method", "target"]);
    assert_eq!(
        d.headers.last(),
        Some(&header(ChangeOp::Added, "X-Edited", None, Some("yes")))
    );
    assert_eq!(d.body.len(), 1);
    assert_eq!(d.body[0].path.as_deref(), Some("/ref"));
}
