//! The store's side of `hookscope wait`: from a watermark, exactly the new requests that
//! match, seen from another connection, whether or not the full-text index has caught up.

use hookscope::model::{CapturedRequest, HeaderField, SignatureVerdict, VerdictStatus};
use hookscope::store::{self, wait};
use rusqlite::Connection;

struct Db {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl Db {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hookscope.db");
        Self { _dir: dir, path }
    }
}

fn request(id: &str, endpoint: Option<&str>, body: &str, status: Option<VerdictStatus>) -> CapturedRequest {
    CapturedRequest {
        endpoint_name: endpoint.map(str::to_owned),
        headers: vec![HeaderField::new("Content-Type", "application/json")],
        signature: status.map(|status| SignatureVerdict {
            provider: Some("stripe".into()),
            detected: false,
            status,
            matched_secret: None,
            reason: None,
            diagnosis: None,
            signed_content: None,
            expected_signature: None,
            received_signature: None,
        }),
        ..CapturedRequest::posted(id, "/hooks", body.as_bytes().to_vec())
    }
}

/// Inserts on the writing connection, outside the full-text index (as a writer does before it indexes).
fn insert(writer: &Connection, requests: &[CapturedRequest]) {
    for request in requests {
        store::requests::insert(writer, request).unwrap();
    }
}

fn ids(page: &wait::WaitPage) -> Vec<&str> {
    page.matches.iter().map(|m| m.id.as_str()).collect()
}

#[test]
fn sees_exactly_the_new_matching_requests_whether_indexed_or_not() {
    let db = Db::new();
    let mut writer = store::open_database(&db.path).unwrap();
    insert(
        &writer,
        &[request("01A", Some("shop"), r#"{"type":"invoice.paid"}"#, None)],
    );
    let reader = store::open_connection(&db.path).unwrap();
    let start = wait::max_seq(&reader).unwrap();
    assert!(start > 0);
    let filter = wait::WaitFilter {
        endpoint: Some("shop".into()),
        search: Some("invoice.paid".into()),
        ..wait::WaitFilter::default()
    };
    assert!(wait::matching_after(&reader, start, &filter, 10)
        .unwrap()
        .matches
        .is_empty());

    // Two matches, one of another endpoint, one of other text: none indexed yet.
    insert(
        &writer,
        &[
            request("01B", Some("shop"), r#"{"type":"invoice.paid","n":1}"#, None),
            request("01C", Some("other"), r#"{"type":"invoice.paid"}"#, None),
            request("01D", Some("shop"), r#"{"type":"invoice.failed"}"#, None),
            request("01E", Some("shop"), r#"{"type":"invoice.paid","n":2}"#, None),
        ],
    );
    let page = wait::matching_after(&reader, start, &filter, 10).unwrap();
    assert_eq!(ids(&page), ["01B", "01E"]);
    assert_eq!(page.watermark, wait::max_seq(&reader).unwrap());

    // Once indexed, the same range gives the same answer through the index.
    assert_eq!(store::search::index_all_pending(&mut writer).unwrap(), 5);
    assert_eq!(
        ids(&wait::matching_after(&reader, start, &filter, 10).unwrap()),
        ["01B", "01E"]
    );

    // Half indexed, half not: one call sees both, and nothing before its watermark.
    insert(
        &writer,
        &[request("01F", Some("shop"), r#"{"type":"invoice.paid"}"#, None)],
    );
    store::search::index_all_pending(&mut writer).unwrap();
    insert(
        &writer,
        &[request("01G", Some("shop"), r#"{"type":"invoice.paid"}"#, None)],
    );
    let next = wait::matching_after(&reader, page.watermark, &filter, 10).unwrap();
    assert_eq!(ids(&next), ["01F", "01G"]);
    let after = wait::matching_after(&reader, next.watermark, &filter, 10).unwrap();
    assert!(after.matches.is_empty());
    assert_eq!(after.watermark, next.watermark);
}

#[test]
fn a_full_page_stops_at_its_last_match_and_the_next_call_goes_on_from_there() {
    let db = Db::new();
    let writer = store::open_database(&db.path).unwrap();
    let reader = store::open_connection(&db.path).unwrap();
    let start = wait::max_seq(&reader).unwrap();
    assert_eq!(start, 0);
    let batch: Vec<CapturedRequest> = ["01A", "01B", "01C"]
        .iter()
        .map(|id| request(id, None, "{}", None))
        .collect();
    insert(&writer, &batch);
    let filter = wait::WaitFilter::default();
    let first = wait::matching_after(&reader, start, &filter, 2).unwrap();
    assert_eq!(ids(&first), ["01A", "01B"]);
    assert_eq!(first.watermark, first.matches[1].seq);
    let second = wait::matching_after(&reader, first.watermark, &filter, 2).unwrap();
    assert_eq!(ids(&second), ["01C"]);
}

#[test]
fn verified_only_ignores_requests_whose_signature_did_not_verify() {
    let db = Db::new();
    let writer = store::open_database(&db.path).unwrap();
    let reader = store::open_connection(&db.path).unwrap();
    insert(
        &writer,
        &[
            request("01A", None, "{}", Some(VerdictStatus::Failed)),
            request("01B", None, "{}", None),
            request("01C", None, "{}", Some(VerdictStatus::Verified)),
        ],
    );
    let filter = wait::WaitFilter {
        verified_only: true,
        ..wait::WaitFilter::default()
    };
    assert_eq!(ids(&wait::matching_after(&reader, 0, &filter, 10).unwrap()), ["01C"]);
}

#[tokio::test]
async fn a_running_store_and_a_waiting_connection_agree_on_new_rows() {
    let db = Db::new();
    let running = store::Store::open(&db.path).unwrap();
    let reader = store::open_connection(&db.path).unwrap();
    let start = wait::max_seq(&reader).unwrap();
    let filter = wait::WaitFilter {
        search: Some("evt_77".into()),
        ..wait::WaitFilter::default()
    };
    running
        .insert_request(request("01A", None, r#"{"id":"evt_76"}"#, None))
        .await
        .unwrap();
    running
        .insert_request(request("01B", None, r#"{"id":"evt_77"}"#, None))
        .await
        .unwrap();
    // Answered means committed: the row is found at once, indexed by then or not.
    let page = wait::matching_after(&reader, start, &filter, 10).unwrap();
    assert_eq!(ids(&page), ["01B"]);
}

#[test]
fn json_conditions_filter_on_the_body_and_a_full_page_still_stops_at_its_last_match() {
    let db = Db::new();
    let writer = store::open_database(&db.path).unwrap();
    let reader = store::open_connection(&db.path).unwrap();
    insert(
        &writer,
        &[
            request("01A", None, r#"{"type":"invoice.paid","n":1}"#, None),
            request("01B", None, r#"{"type":"invoice.failed"}"#, None),
            request("01C", None, "type=invoice.paid", None),
            request("01D", None, r#"{"type":"invoice.paid","n":2}"#, None),
            request("01E", None, r#"{"type":"invoice.paid","n":3}"#, None),
        ],
    );
    let filter = wait::WaitFilter {
        fields: hookscope::event_meta::filter::EventFilter::from_args::<&str>(None, &["/type=invoice.paid"]).unwrap(),
        ..wait::WaitFilter::default()
    };
    let first = wait::matching_after(&reader, 0, &filter, 2).unwrap();
    assert_eq!(ids(&first), ["01A", "01D"]);
    assert_eq!(first.watermark, first.matches[1].seq);
    let second = wait::matching_after(&reader, first.watermark, &filter, 2).unwrap();
    assert_eq!(ids(&second), ["01E"]);
    assert_eq!(second.watermark, wait::max_seq(&reader).unwrap());
}
