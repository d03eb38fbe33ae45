//! A search never waits for the full-text index and never misses a committed row: rows the
//! index has not reached yet (the tail) are searched directly, on real SQLite files.

mod common;

use std::io::Write;

use common::TestDb;
use hookscope::model::{CapturedRequest, HeaderField, RequestSummary};
use hookscope::store::{self, requests, requests::ListQuery, search, search_tail};
use rusqlite::Connection;

fn request(id: &str, target: &str, headers: Vec<HeaderField>, body: &[u8]) -> CapturedRequest {
    CapturedRequest {
        headers,
        ..CapturedRequest::posted(id, target, body.to_vec())
    }
}

fn json(id: &str, body: &str) -> CapturedRequest {
    request(
        id,
        "/hooks",
        vec![HeaderField::new("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

/// A database whose full-text index holds nothing of what `insert` stores afterwards (rows are
/// written past the writer, which would index them).
fn unindexed_db() -> (TestDb, Connection) {
    let db = TestDb::new();
    let conn = store::open_database(&db.path()).unwrap();
    (db, conn)
}

fn insert(conn: &Connection, request: &CapturedRequest) -> i64 {
    requests::insert(conn, request).unwrap().seq
}

fn search(conn: &Connection, text: &str, limit: usize, before_seq: Option<i64>) -> Vec<String> {
    ids(requests::list(
        conn,
        &ListQuery {
            limit,
            before_seq,
            search: Some(text.to_owned()),
            ..Default::default()
        },
    )
    .unwrap())
}

fn ids(rows: Vec<RequestSummary>) -> Vec<String> {
    rows.into_iter().map(|r| r.id).collect()
}

#[test]
fn a_row_not_yet_indexed_is_found_by_words_in_its_target_headers_body_and_gzip_body() {
    let (_db, conn) = unindexed_db();
    insert(&conn, &json("PLAIN", r#"{"type":"invoice.paid","customer":"cus_42"}"#));
    insert(
        &conn,
        &request(
            "HEADER",
            "/orders/created",
            vec![HeaderField::new("X-Shopify-Topic", "Orders/Fulfilled")],
            b"{}",
        ),
    );
    insert(
        &conn,
        &request(
            "GZIP",
            "/hooks",
            vec![
                HeaderField::new("Content-Type", "application/json"),
                HeaderField::new("Content-Encoding", "gzip"),
            ],
            &gzip(r#"{"note":"squeezed refund"}"#),
        ),
    );
    assert_eq!(
        search_tail::indexed_seq(&conn).unwrap(),
        0,
        "nothing is indexed: every row is in the tail"
    );

    assert_eq!(search(&conn, "INVOICE", 10, None), ["PLAIN"], "case-insensitive");
    assert_eq!(search(&conn, "invoice.paid", 10, None), ["PLAIN"], "a dotted phrase");
    assert_eq!(search(&conn, "cus_42", 10, None), ["PLAIN"]);
    assert_eq!(search(&conn, "fulfilled", 10, None), ["HEADER"], "a header value");
    assert_eq!(search(&conn, "created", 10, None), ["HEADER"], "the target");
    assert_eq!(search(&conn, "refund", 10, None), ["GZIP"], "a word inside a gzip body");
    assert_eq!(search(&conn, "squeez*", 10, None), ["GZIP"], "a prefix");
    assert!(
        search(&conn, "invoice refund", 10, None).is_empty(),
        "every word must match"
    );
    assert!(search(&conn, "nowhere", 10, None).is_empty());
    assert_eq!(search_tail::indexed_seq(&conn).unwrap(), 0, "a search indexes nothing");
}

#[test]
fn searching_across_the_index_and_the_tail_pages_newest_first_exactly_as_once_indexed() {
    let (_db, mut conn) = unindexed_db();
    // 12,000 rows, every 7th about invoices, a few of them on another endpoint's path.
    for i in 0..12_000 {
        let body = if i % 7 == 0 {
            format!(r#"{{"type":"invoice.paid","n":{i}}}"#)
        } else {
            format!(r#"{{"type":"customer.updated","n":{i}}}"#)
        };
        let mut row = json(&format!("R{i:05}"), &body);
        if i % 700 == 0 {
            row.target = "/elsewhere".into();
        }
        insert(&conn, &row);
    }
    // The index reaches the first 2,000 rows; the tail (10,000 rows) spans two search steps.
    let mut indexed = 0;
    while indexed < 2_000 {
        indexed += search::index_pending(&mut conn, 1_000).unwrap();
    }
    assert_eq!(search_tail::indexed_seq(&conn).unwrap(), 2_000);

    let mut tail_pages = Vec::new();
    let mut before = None;
    loop {
        let page = requests::list(
            &conn,
            &ListQuery {
                limit: 400,
                before_seq: before,
                search: Some("invoice".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.seq);
        tail_pages.push(ids(page));
    }
    let filtered_tail = search(&conn, "invoice elsewhere", 100, None);

    search::index_all_pending(&mut conn).unwrap();
    assert_eq!(search_tail::indexed_seq(&conn).unwrap(), 12_000);
    let mut indexed_pages = Vec::new();
    let mut before = None;
    loop {
        let page = search(&conn, "invoice", 400, before);
        if page.is_empty() {
            break;
        }
        before = Some(requests::seq_of(&conn, page.last().unwrap()).unwrap().unwrap());
        indexed_pages.push(page);
    }
    assert_eq!(tail_pages, indexed_pages, "the same pages before and after indexing");
    let all: Vec<&String> = tail_pages.iter().flatten().collect();
    assert_eq!(all.len(), (0..12_000).filter(|i| i % 7 == 0).count());
    let newest = (0..12_000).rev().find(|i| i % 7 == 0).unwrap();
    assert_eq!(*all[0], format!("R{newest:05}"));
    assert_eq!(filtered_tail, search(&conn, "invoice elsewhere", 100, None));
    assert_eq!(filtered_tail.len(), (0..12_000).filter(|i| i % 700 == 0).count());
}

#[test]
fn filters_in_the_search_box_apply_to_the_tail_too() {
    let (_db, conn) = unindexed_db();
    let a = json("A", r#"{"type":"invoice.paid","data":{"customer":"cus_1"}}"#);
    let mut b = json("B", r#"{"type":"invoice.paid","data":{"customer":"cus_2"}}"#);
    b.method = "PUT".into();
    insert(&conn, &a);
    insert(&conn, &b);
    assert_eq!(search(&conn, "invoice /data/customer=cus_2", 10, None), ["B"]);
    let put_only = requests::list(
        &conn,
        &ListQuery {
            limit: 10,
            search: Some("invoice".into()),
            method: Some("put".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(ids(put_only), ["B"]);
}

#[test]
fn a_word_without_accents_finds_accented_text_in_the_tail_as_the_index_does() {
    let (_db, conn) = unindexed_db();
    insert(&conn, &json("ACCENT", r#"{"shop":"Café Crème","city":"Zürich"}"#));
    insert(&conn, &json("OTHER", r#"{"shop":"Tea Room"}"#));
    for (text, want) in [
        ("cafe", "ACCENT"),
        ("CREME zurich", "ACCENT"),
        ("café", "ACCENT"),
        ("tea", "OTHER"),
    ] {
        assert_eq!(search(&conn, text, 10, None), [want], "tail, {text:?}");
    }
    assert!(search(&conn, "cafes", 10, None).is_empty());

    // The same answers once the rows are indexed.
    let mut conn = conn;
    search::index_all_pending(&mut conn).unwrap();
    assert_eq!(search_tail::indexed_seq(&conn).unwrap(), 2);
    for (text, want) in [("cafe", "ACCENT"), ("CREME zurich", "ACCENT"), ("tea", "OTHER")] {
        assert_eq!(search(&conn, text, 10, None), [want], "index, {text:?}");
    }
}

#[test]
fn a_search_of_the_tail_leaves_no_mapping_of_the_database_behind() {
    let (_db, conn) = unindexed_db();
    insert(&conn, &json("ROW", r#"{"type":"invoice.paid"}"#));
    assert_eq!(search(&conn, "invoice", 10, None), ["ROW"]);
    let mapped: i64 = conn.pragma_query_value(None, "mmap_size", |r| r.get(0)).unwrap();
    assert_eq!(mapped, 0);
}

/// Stores `request` with `sketch` in place of its own.
fn insert_with_sketch(conn: &Connection, request: &CapturedRequest, sketch: Option<Vec<u8>>) {
    let mut columns = requests::EncodedColumns::of(request).unwrap();
    columns.sketch = sketch;
    requests::insert_encoded(conn, request, &columns).unwrap();
}

/// The sketch stored with a row, if any.
fn stored_sketch(conn: &Connection, id: &str) -> Option<Vec<u8>> {
    conn.query_row("SELECT tail_sketch FROM requests WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_tail_is_ruled_out_by_each_row_s_sketch_and_rows_without_one_are_read_in_full() {
    let (_db, conn) = unindexed_db();
    insert(&conn, &json("SKETCHED", r#"{"animal":"pangolin"}"#));
    // Stored before sketches existed: no sketch, so always read.
    insert_with_sketch(&conn, &json("OLD", r#"{"animal":"pangolin"}"#), None);
    // A sketch with no bit set says the row holds no word: the row is never read, which shows
    // that the sketch alone decides what is looked at.
    insert_with_sketch(&conn, &json("EMPTY", r#"{"animal":"pangolin"}"#), Some(vec![0; 128]));

    assert_eq!(stored_sketch(&conn, "SKETCHED").map(|s| s.len()), Some(128));
    assert_eq!(stored_sketch(&conn, "OLD"), None);
    assert_eq!(search(&conn, "pangolin", 10, None), ["OLD", "SKETCHED"]);
    assert_eq!(search(&conn, "PANGOLIN", 10, None), ["OLD", "SKETCHED"]);
    let may_hold = |word: &str| -> bool {
        conn.query_row(
            &format!(
                "SELECT {}(?1, tail_sketch) FROM requests WHERE id = 'SKETCHED'",
                search_tail::SKETCH_FUNCTION
            ),
            [word],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert!(may_hold("pangolin\nanimal"));
    assert!(!may_hold("pangolin\nnosuchwordanywhere"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_captured_by_the_listener_is_stored_with_its_sketch() {
    let db = TestDb::new();
    let engine = common::start(&db.path()).await;
    let addr = engine.local_addr();
    let plain = common::blocking(move || {
        common::answered_id(&common::post(
            addr,
            "/hooks/plain",
            "Content-Type: application/json\r\n",
            br#"{"a":"pangolin"}"#,
        ))
    })
    .await;
    let encoded = common::blocking(move || {
        common::answered_id(&common::post(
            addr,
            "/hooks/gzip",
            "Content-Encoding: gzip\r\n",
            &gzip("pangolin"),
        ))
    })
    .await;
    engine.shutdown().await;
    let conn = Connection::open(db.path()).unwrap();
    assert_eq!(stored_sketch(&conn, &plain).map(|s| s.len()), Some(128));
    assert_eq!(
        stored_sketch(&conn, &encoded),
        None,
        "a compressed body is read in full"
    );
}
