//! The store on real SQLite files: migrations, damaged files, search, retention, disk full.

mod common;

use common::{answered_id, post, TestDb};
use hookscope::model::{CapturedRequest, HeaderField};
use hookscope::store::{self, requests, requests::ListQuery, RetentionPolicy, Store, StoreError};

fn sample(id: &str, received_at_ns: i64, body: &[u8]) -> CapturedRequest {
    let mut request = CapturedRequest {
        received_at_ns,
        remote_addr: Some("127.0.0.1:5555".into()),
        headers: vec![HeaderField::new("Content-Type", "application/json")],
        ..CapturedRequest::posted(id, "/t", body.to_vec())
    };
    request.response.body = b"{}".to_vec();
    request
}

#[test]
fn a_first_schema_database_is_upgraded_and_keeps_its_rows() {
    let db = TestDb::new();
    {
        let mut conn = rusqlite::Connection::open(db.path()).unwrap();
        store::schema::migrate_to(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO requests (id, received_at_ns, source, method, target, http_version, headers, body, body_size, \
             truncated, response_status, response_headers, response_body, signature) \
             VALUES ('01OLD', 1, 'local', 'POST', '/old', 'HTTP/1.1', '[[\"X-A\",\"1\"]]', x'00ff', 2, 0, 200, '[]', x'', \
             '{\"provider\":\"github\",\"detected\":false,\"status\":\"verified\",\"matched_secret\":0,\"reason\":null}')",
            [],
        )
        .unwrap();
    }
    let conn = store::open_database(&db.path()).unwrap();
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, store::schema::latest_version());
    let old = requests::get(&conn, "01OLD").unwrap().unwrap();
    assert_eq!(old.body, [0x00, 0xff]);
    assert_eq!(old.headers, [HeaderField::new("X-A", "1")]);
    // Migration 2 back-filled the verdict column from the stored JSON.
    let listed = requests::list(
        &conn,
        &ListQuery {
            limit: 5,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        listed[0].signature_status,
        Some(hookscope::model::VerdictStatus::Verified)
    );
}

#[test]
fn a_damaged_file_gives_a_clear_error_and_is_left_alone() {
    let db = TestDb::new();
    let garbage: Vec<u8> = (0..65536u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(db.path(), &garbage).unwrap();
    let error = Store::open(&db.path()).err().expect("opening garbage fails");
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("not a Hookscope database or is damaged"), "{message}");
    assert!(message.contains("move it aside"), "{message}");
    assert_eq!(std::fs::read(db.path()).unwrap(), garbage, "the file is not modified");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let db = TestDb::new();
    {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let error = store::open_database(&db.path()).err().unwrap();
    assert!(
        matches!(error, StoreError::SchemaTooNew { found: 999, .. }),
        "{error:?}"
    );
}

#[cfg(unix)]
#[test]
fn the_database_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    let nested = db.dir.path().join("new-folder").join("hookscope.db");
    drop(store::open_database(&nested).unwrap());
    let file_mode = std::fs::metadata(&nested).unwrap().permissions().mode() & 0o777;
    let dir_mode = std::fs::metadata(nested.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(file_mode, 0o600);
    assert_eq!(dir_mode, 0o700);
}

/// Bytes of the database file per stored capture of a 2 KiB body, once the log is checkpointed,
/// and the database's page size.
async fn bytes_per_capture(store: &Store, count: usize) -> (i64, i64) {
    let body = br#"{"type":"invoice.paid","data":{"note":"#
        .iter()
        .chain(std::iter::repeat_n(&b'x', 2000))
        .chain(br#""}}"#)
        .copied()
        .collect::<Vec<u8>>();
    let before = store.write(|conn| Ok(file_pages(conn))).await.unwrap();
    for i in 0..count {
        store
            .insert_request(sample(&format!("01PAGE{i:06}"), i as i64, &body))
            .await
            .unwrap();
    }
    let after = store.write(|conn| Ok(file_pages(conn))).await.unwrap();
    assert_eq!(after.rows - before.rows, count as i64);
    (
        (after.pages - before.pages) * after.page_size / count as i64,
        after.page_size,
    )
}

/// The database's rows and pages after a full checkpoint.
struct FilePages {
    rows: i64,
    pages: i64,
    page_size: i64,
}

fn file_pages(conn: &rusqlite::Connection) -> FilePages {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    FilePages {
        rows: conn
            .query_row("SELECT count(*) FROM requests", [], |r| r.get(0))
            .unwrap(),
        pages: conn.pragma_query_value(None, "page_count", |r| r.get(0)).unwrap(),
        page_size: conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_database_packs_captures_of_a_2_kib_body_closer_than_a_page_each() {
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    let (per_capture, page_size) = bytes_per_capture(&store, 400).await;
    // With 4 KiB pages, no two such rows shared a page: 4 KiB and more per capture.
    assert!(per_capture < 3500, "{per_capture} bytes per capture");
    assert_eq!(page_size, i64::from(store::PAGE_SIZE));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_made_with_4_kib_pages_keeps_them_and_goes_on_storing() {
    let db = TestDb::new();
    {
        let mut conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.pragma_update(None, "page_size", 4096).unwrap();
        store::schema::migrate_to(&mut conn, store::schema::latest_version()).unwrap();
    }
    let store = Store::open(&db.path()).unwrap();
    let (per_capture, page_size) = bytes_per_capture(&store, 100).await;
    assert!(per_capture >= 4096, "{per_capture} bytes per capture");
    assert_eq!(page_size, 4096);
    let listed = store
        .list_requests(ListQuery {
            limit: 1000,
            search: Some("invoice".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 100);
}

#[tokio::test(flavor = "multi_thread")]
async fn full_text_search_finds_words_in_bodies_headers_and_gzip_among_ten_thousand_rows() {
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    let mut pending = Vec::new();
    for i in 0..10_000i64 {
        let body = format!("{{\"type\":\"invoice.paid\",\"n\":{i}}}");
        pending.push(tokio::spawn({
            let store = store.clone();
            async move {
                store
                    .insert_request(sample(&format!("R{i:05}"), i, body.as_bytes()))
                    .await
            }
        }));
    }
    for task in pending {
        task.await.unwrap().unwrap();
    }
    let mut needle = sample("NEEDLE", 20_000, br#"{"customer":"zanzibar_4711"}"#);
    needle.headers.push(HeaderField::new("X-Trace", "trace-quokka"));
    store.insert_request(needle).await.unwrap();
    let mut gz = sample("GZ", 20_001, &{
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b"{\"secret_word\":\"marmalade\"}").unwrap();
        e.finish().unwrap()
    });
    gz.headers.push(HeaderField::new("Content-Encoding", "gzip"));
    store.insert_request(gz).await.unwrap();
    store.sync_search_index().await.unwrap();

    let search = |text: &'static str| {
        let store = store.clone();
        async move {
            store
                .read(move |conn| {
                    requests::list(
                        conn,
                        &ListQuery {
                            limit: 50,
                            search: Some(text.into()),
                            ..Default::default()
                        },
                    )
                })
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("zanzibar_4711").await, ["NEEDLE"]);
    assert_eq!(search("quokka").await, ["NEEDLE"]);
    assert_eq!(search("marmalade").await, ["GZ"]);
    assert_eq!(search("\"unbalanced (quote").await, Vec::<String>::new());
    assert_eq!(search("invoice.paid").await.len(), 50);
    // Search results come newest first and page by keyset too.
    let page = |before: Option<i64>| {
        let store = store.clone();
        async move {
            store
                .list_requests(ListQuery {
                    limit: 50,
                    before_seq: before,
                    search: Some("invoice.paid".into()),
                    ..Default::default()
                })
                .await
                .unwrap()
        }
    };
    let first = page(None).await;
    let second = page(Some(first[49].seq)).await;
    let newest = store
        .list_requests(ListQuery {
            limit: 3,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!([newest[0].id.as_str(), newest[1].id.as_str()], ["GZ", "NEEDLE"]);
    assert_eq!(first[0].id, newest[2].id, "the newest match comes first");
    assert!(first.windows(2).all(|w| w[0].seq > w[1].seq));
    assert_eq!(
        second[0].seq,
        first[49].seq - 1,
        "the next page starts right after the last one"
    );
    // Keyset pagination continues where the page ended.
    let first_page = store
        .read(|conn| {
            requests::list(
                conn,
                &ListQuery {
                    limit: 3,
                    ..Default::default()
                },
            )
        })
        .await
        .unwrap();
    let before = first_page[2].seq;
    let next_page = store
        .read(move |conn| {
            requests::list(
                conn,
                &ListQuery {
                    limit: 3,
                    before_seq: Some(before),
                    ..Default::default()
                },
            )
        })
        .await
        .unwrap();
    assert!(next_page.iter().all(|r| r.seq < before));
    assert_eq!(next_page[0].seq, before - 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_prunes_the_oldest_rows_by_count_age_and_size() {
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    for i in 0..1200i64 {
        store
            .insert_request(sample(&format!("R{i:05}"), i * 1_000_000_000, &[b'x'; 100]))
            .await
            .unwrap();
    }
    let prune = |policy: RetentionPolicy, now_ns: i64| {
        let store = store.clone();
        async move { store.prune(policy, now_ns).await.unwrap() }
    };
    let count = || store.read(requests::count);
    // By count: 1200 -> 1000, oldest first (more than one batch).
    assert_eq!(
        prune(
            RetentionPolicy {
                max_rows: Some(1000),
                ..Default::default()
            },
            0
        )
        .await,
        200
    );
    assert_eq!(count().await.unwrap(), 1000);
    let oldest = store.read(|c| requests::get(c, "R00199")).await.unwrap();
    assert!(oldest.is_none());
    assert!(store.read(|c| requests::get(c, "R00200")).await.unwrap().is_some());
    // By age: rows received more than 100 s before "now" (t = 1199 s) go.
    let age = RetentionPolicy {
        max_age: Some(std::time::Duration::from_secs(100)),
        ..Default::default()
    };
    prune(age, 1199 * 1_000_000_000).await;
    assert_eq!(count().await.unwrap(), 101);
    // By size: each row holds 100 + 2 bytes of bodies.
    prune(
        RetentionPolicy {
            max_bytes: Some(102 * 10),
            ..Default::default()
        },
        0,
    )
    .await;
    assert_eq!(count().await.unwrap(), 10);
    assert!(
        store.read(|c| requests::get(c, "R01199")).await.unwrap().is_some(),
        "newest kept"
    );
    // The full-text index lost the pruned rows too.
    store.sync_search_index().await.unwrap();
    let hits = store
        .read(|c| {
            requests::list(
                c,
                &ListQuery {
                    limit: 5000,
                    search: Some("application".into()),
                    ..Default::default()
                },
            )
        })
        .await
        .unwrap();
    assert_eq!(hits.len(), 10);
}

/// Bytes of the full-text index's segments.
fn search_index_bytes(conn: &rusqlite::Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(length(block)), 0) FROM requests_fts_data",
        [],
        |r| r.get(0),
    )?)
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_by_age_takes_the_first_requests_stored_up_to_the_first_young_one() {
    const S: i64 = 1_000_000_000;
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    // Captured at 100..=104 s, then an import of requests from 1 s and 2 s, then a capture at 200 s.
    for (id, at) in [
        ("C100", 100),
        ("C101", 101),
        ("C102", 102),
        ("C103", 103),
        ("C104", 104),
    ] {
        store.insert_request(sample(id, at * S, b"{}")).await.unwrap();
    }
    for (id, at) in [("I001", 1), ("I002", 2), ("C200", 200)] {
        store.insert_request(sample(id, at * S, b"{}")).await.unwrap();
    }
    let ids = || async {
        let rows = store
            .read(|c| {
                requests::list(
                    c,
                    &ListQuery {
                        limit: 100,
                        ..Default::default()
                    },
                )
            })
            .await
            .unwrap();
        rows.into_iter().rev().map(|r| r.id).collect::<Vec<_>>()
    };
    let max_age = |secs| RetentionPolicy {
        max_age: Some(std::time::Duration::from_secs(secs)),
        ..Default::default()
    };
    // At 205 s with a 103 s limit, 100 and 101 s are too old: they go; 102 s stays, and so do
    // the imported requests stored after it, until it goes.
    assert_eq!(store.prune(max_age(103), 205 * S).await.unwrap(), 2);
    assert_eq!(ids().await, ["C102", "C103", "C104", "I001", "I002", "C200"]);
    // At 300 s with a 150 s limit, everything before the 200 s capture goes, the import included.
    assert_eq!(store.prune(max_age(150), 300 * S).await.unwrap(), 5);
    assert_eq!(ids().await, ["C200"]);
}

#[test]
fn a_schema_11_database_loses_the_arrival_time_index_and_keeps_its_requests() {
    let db = TestDb::new();
    {
        let mut conn = rusqlite::Connection::open(db.path()).unwrap();
        store::schema::migrate_to(&mut conn, 11).unwrap();
        requests::insert(&conn, &sample("OLD", 5, b"{}")).unwrap();
    }
    let index_named = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'requests_received_at'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(index_named(&rusqlite::Connection::open(db.path()).unwrap()), 1);
    let conn = store::open_database(&db.path()).unwrap();
    assert_eq!(index_named(&conn), 0);
    assert!(requests::get(&conn, "OLD").unwrap().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn pruned_rows_leave_the_search_index_and_the_writer_merges_their_space_away_once_quiet() {
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    for i in 0..3000i64 {
        let body = format!("{{\"word\":\"token{i}\",\"other\":\"alpha{} beta{}\"}}", i * 7, i * 13);
        store
            .insert_request(sample(&format!("T{i:05}"), i, body.as_bytes()))
            .await
            .unwrap();
    }
    store.sync_search_index().await.unwrap();
    let full = store.read(search_index_bytes).await.unwrap();
    let removed = store
        .prune(
            RetentionPolicy {
                max_rows: Some(600),
                ..Default::default()
            },
            0,
        )
        .await
        .unwrap();
    assert_eq!(removed, 2400);
    let search = |text: &str| {
        let text = text.to_owned();
        store.read(move |c| {
            requests::list(
                c,
                &ListQuery {
                    limit: 10,
                    search: Some(text),
                    ..Default::default()
                },
            )
        })
    };
    assert!(search("token5").await.unwrap().is_empty(), "a pruned row is not found");
    let kept = search("token2999").await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].id, "T02999");

    // Deleting only marked the entries; the quiet writer merges them away in small steps.
    let mut now = store.read(search_index_bytes).await.unwrap();
    for _ in 0..200 {
        if now < full / 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        now = store.read(search_index_bytes).await.unwrap();
    }
    assert!(
        now < full / 2,
        "index of 600 of 3000 rows still holds {now} of {full} bytes"
    );
    assert_eq!(search("token2999").await.unwrap().len(), 1);
    assert_eq!(search("beta13").await.unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pruning_pass_that_rests_between_batches_while_captures_arrive_still_finishes_and_loses_no_capture() {
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    for i in 0..1000i64 {
        store
            .insert_request(sample(&format!("OLD{i:05}"), i, &[b'x'; 100]))
            .await
            .unwrap();
    }
    // Captures keep arriving during the whole pass, so it rests after every batch.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let capturing = {
        let (store, done) = (store.clone(), done.clone());
        tokio::spawn(async move {
            let mut stored = Vec::new();
            let mut i = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let id = format!("NEW{i:05}");
                store.insert_request(sample(&id, 1_000_000 + i, b"{}")).await.unwrap();
                stored.push(id);
                i += 1;
                tokio::task::yield_now().await;
            }
            stored
        })
    };
    let before = store.writer_stats().rows;
    let removed = store
        .prune(
            RetentionPolicy {
                max_age: Some(std::time::Duration::from_nanos(1)),
                ..Default::default()
            },
            1_000_000,
        )
        .await
        .unwrap();
    let captured_during_pass = store.writer_stats().rows - before;
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let stored = capturing.await.unwrap();
    assert_eq!(removed, 1000, "every old row is gone");
    assert!(captured_during_pass > 0, "captures were committed while the pass ran");
    for id in &stored {
        let row = store.read({
            let id = id.clone();
            move |c| requests::get(c, &id)
        });
        assert!(row.await.unwrap().is_some(), "{id} was stored and kept");
    }
    assert_eq!(store.read(requests::count).await.unwrap(), stored.len() as u64);
}

#[test]
fn retention_finds_what_to_prune_on_a_reader_while_the_writer_holds_its_lock() {
    let db = TestDb::new();
    let mut writer = store::open_database(&db.path()).unwrap();
    for i in 0..30i64 {
        requests::insert(&writer, &sample(&format!("V{i:03}"), i, &[b'x'; 100])).unwrap();
    }
    // A capture transaction is open: anything that needed the write lock would now wait for
    // the busy timeout and fail.
    let capturing = writer
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let reader = rusqlite::Connection::open_with_flags(db.path(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    // Each row holds 102 bytes: a 100-byte body and the 2-byte answer `{}`.
    let policy = RetentionPolicy {
        max_bytes: Some(25 * 102),
        ..Default::default()
    };
    let excess = store::retention::excess(&reader, &policy).unwrap();
    assert_eq!(
        excess.bytes,
        5 * 102,
        "the byte total is read while the writer holds its lock"
    );
    let victims: Vec<i64> = store::retention::victims(&reader, &policy, &excess, 0, 1_000)
        .unwrap()
        .iter()
        .map(|v| v.seq)
        .collect();
    let expected: Vec<i64> = requests::list(
        &reader,
        &ListQuery {
            limit: 30,
            ..Default::default()
        },
    )
    .unwrap()
    .iter()
    .rev()
    .take(5)
    .map(|r| r.seq)
    .collect();
    assert_eq!(victims, expected, "the five oldest rows go, so that 25 rows remain");
    drop(capturing);
}
#[tokio::test(flavor = "multi_thread")]
async fn when_the_disk_is_full_nothing_is_answered_2xx_that_was_not_stored() {
    let db = TestDb::new();
    let engine = common::start(&db.path()).await;
    // Cap the database a little above its current size: SQLite then fails with SQLITE_FULL,
    // exactly as on a full disk.
    engine
        .store()
        .write(|conn| {
            let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
            conn.pragma_update(None, "max_page_count", pages + 40)?;
            Ok(())
        })
        .await
        .unwrap();
    let addr = engine.local_addr();
    let outcomes = tokio::task::spawn_blocking(move || {
        (0..60)
            .map(|i| {
                let response = post(addr, &format!("/fill/{i}"), "", &vec![b'z'; 8000]);
                let id = (response.status == 200).then(|| answered_id(&response));
                (
                    response.status,
                    id,
                    String::from_utf8_lossy(&response.body).into_owned(),
                )
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let answered: Vec<String> = outcomes.iter().filter_map(|(_, id, _)| id.clone()).collect();
    let refused: Vec<&(u16, Option<String>, String)> = outcomes.iter().filter(|(s, _, _)| *s != 200).collect();
    assert!(!answered.is_empty(), "some requests fit");
    assert!(!refused.is_empty(), "the cap was reached");
    for (status, _, body) in &refused {
        assert_eq!(*status, 507, "{body}");
        assert!(body.contains("disk is full"), "{body}");
    }
    for id in answered {
        let found = engine.store().read(move |c| requests::get(c, &id)).await.unwrap();
        assert!(found.is_some(), "an answered request is missing");
    }
    engine.shutdown().await;
}

#[test]
fn rows_stored_but_not_yet_indexed_are_found_before_and_after_the_next_open_and_indexed_once() {
    let db = TestDb::new();
    let pangolins = |conn: &rusqlite::Connection| {
        requests::list(
            conn,
            &ListQuery {
                limit: 5,
                search: Some("pangolin".into()),
                ..Default::default()
            },
        )
        .unwrap()
    };
    {
        // A process that committed rows and stopped before indexing them (kill -9).
        let conn = store::open_database(&db.path()).unwrap();
        requests::insert(&conn, &sample("LATE", 1, br#"{"word":"pangolin"}"#)).unwrap();
        let hits = pangolins(&conn);
        assert_eq!(store::search_tail::indexed_seq(&conn).unwrap(), 0, "not indexed yet");
        assert_eq!(hits.len(), 1, "found all the same, in the not-yet-indexed tail");
    }
    let conn = store::open_database(&db.path()).unwrap();
    let hits = pangolins(&conn);
    assert_eq!(hits.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["LATE"]);
    // The writer's catch-up indexes it once; indexing again does not duplicate entries.
    let mut conn = conn;
    assert_eq!(store::search::index_all_pending(&mut conn).unwrap(), 1);
    assert_eq!(store::search::index_all_pending(&mut conn).unwrap(), 0);
    let hits = pangolins(&conn);
    assert_eq!(hits.len(), 1, "found once, through the index");
}

#[test]
fn a_schema_4_database_gains_the_tunnel_outage_table_and_keeps_its_rows() {
    use hookscope::model::OutageEnd;
    use hookscope::store::tunnel_outages;
    let db = TestDb::new();
    {
        let mut conn = rusqlite::Connection::open(db.path()).unwrap();
        store::schema::migrate_to(&mut conn, 4).unwrap();
        common::insert_before_schema_7(&conn, &sample("01FOUR", 5, b"kept"));
    }
    let conn = store::open_database(&db.path()).unwrap();
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, store::schema::latest_version());
    assert_eq!(requests::get(&conn, "01FOUR").unwrap().unwrap().body, b"kept");
    assert!(tunnel_outages::list(&conn, 10).unwrap().is_empty());
    tunnel_outages::begin(&conn, 100, "connection to ngrok lost").unwrap();
    tunnel_outages::end_open(&conn, Some(250), OutageEnd::Reconnected).unwrap();
    tunnel_outages::begin(&conn, 400, "lost again").unwrap();
    let listed = tunnel_outages::list(&conn, 10).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        (listed[0].started_at_ns, listed[0].ended_at_ns, listed[0].end),
        (400, None, None)
    );
    assert_eq!(
        (listed[1].started_at_ns, listed[1].ended_at_ns, listed[1].end),
        (100, Some(250), Some(OutageEnd::Reconnected))
    );
}

#[test]
fn a_schema_5_database_keeps_finding_an_endpoints_requests_through_its_index_without_catch_all_rows() {
    let db = TestDb::new();
    {
        let mut conn = rusqlite::Connection::open(db.path()).unwrap();
        store::schema::migrate_to(&mut conn, 5).unwrap();
        for (id, endpoint_id) in [("01A", Some(7)), ("01B", None), ("01C", Some(8)), ("01D", Some(7))] {
            let mut request = sample(id, 1, b"{}");
            request.endpoint_id = endpoint_id;
            common::insert_before_schema_7(&conn, &request);
        }
    }
    let conn = store::open_database(&db.path()).unwrap();
    assert_eq!(requests::ids_of_endpoint(&conn, 7).unwrap(), ["01A", "01D"]);
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM requests WHERE endpoint_id = ?1 ORDER BY seq",
            [7],
            |row| row.get(3),
        )
        .unwrap();
    assert!(plan.contains("USING INDEX requests_endpoint"), "{plan}");
    // `partial` = 1: only rows with an endpoint are in it.
    let partial: bool = conn
        .query_row(
            "SELECT partial FROM pragma_index_list('requests') WHERE name = 'requests_endpoint'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(partial);
    let unused: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'requests_signature_status'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(unused, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_left_open_by_an_earlier_run_is_closed_as_app_closed_when_the_engine_starts() {
    use hookscope::model::OutageEnd;
    use hookscope::store::tunnel_outages;
    let db = TestDb::new();
    {
        let conn = store::open_database(&db.path()).unwrap();
        tunnel_outages::begin(&conn, 100, "connection to ngrok lost").unwrap();
        assert_eq!(tunnel_outages::list(&conn, 10).unwrap()[0].end, None);
    }
    let engine = common::start(&db.path()).await;
    let listed = engine
        .store()
        .read(|conn| tunnel_outages::list(conn, 10))
        .await
        .unwrap();
    assert_eq!(listed[0].end, Some(OutageEnd::AppClosed));
    assert_eq!(listed[0].ended_at_ns, None, "when it ended is not known");
    assert_eq!(listed[0].started_at_ns, 100);
    engine.shutdown().await;
}

/// Outages as (start, end, how it ended) in seconds, newest first.
async fn outages_left(store: &Store) -> Vec<(i64, Option<i64>, Option<hookscope::model::OutageEnd>)> {
    store
        .read(|conn| store::tunnel_outages::list(conn, 100))
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.started_at_ns / S, o.ended_at_ns.map(|e| e / S), o.end))
        .collect()
}

const S: i64 = 1_000_000_000;

/// Stores an outage from `start` to `end` (seconds); `None` with `AppClosed`: the end is unknown.
async fn seed_outage(store: &Store, start: i64, end: Option<i64>, how: hookscope::model::OutageEnd) {
    store
        .write(move |conn| {
            store::tunnel_outages::begin(conn, start * S, "connection to ngrok lost")?;
            store::tunnel_outages::end_open(conn, end.map(|e| e * S), how)
        })
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn clearing_every_request_deletes_the_outages_that_are_over() {
    use hookscope::model::OutageEnd;
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    for (i, at) in [10, 20].into_iter().enumerate() {
        store
            .insert_request(sample(&format!("C{i}"), at * S, b"x"))
            .await
            .unwrap();
    }
    seed_outage(&store, 12, Some(15), OutageEnd::Reconnected).await;
    seed_outage(&store, 16, None, OutageEnd::AppClosed).await;
    seed_outage(&store, 25, Some(26), OutageEnd::Stopped).await;
    // The tunnel is down right now: that outage concerns requests still to come.
    store
        .write(|conn| store::tunnel_outages::begin(conn, 30 * S, "connection to ngrok lost"))
        .await
        .unwrap();
    assert_eq!(outages_left(&store).await.len(), 4);

    assert_eq!(store.write(|conn| requests::delete_all(conn)).await.unwrap(), 2);
    assert_eq!(store.read(requests::count).await.unwrap(), 0);
    assert_eq!(outages_left(&store).await, vec![(30, None, None)]);

    // Reopened from the file: the deletion was committed.
    drop(store);
    let store = Store::open(&db.path()).unwrap();
    assert_eq!(outages_left(&store).await, vec![(30, None, None)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_deletes_the_outages_that_ended_before_the_oldest_request_kept() {
    use hookscope::model::OutageEnd::{self, AppClosed, Reconnected};
    let db = TestDb::new();
    let store = Store::open(&db.path()).unwrap();
    // Requests at 10, 20, ..., 100 s.
    for i in 0..10i64 {
        store
            .insert_request(sample(&format!("P{i}"), (i + 1) * 10 * S, b"x"))
            .await
            .unwrap();
    }
    seed_outage(&store, 1, Some(5), Reconnected).await; // before every request
    seed_outage(&store, 15, None, AppClosed).await; // between 10 and 20 s, end unknown
    seed_outage(&store, 32, Some(35), Reconnected).await; // between 30 and 40 s
    seed_outage(&store, 72, Some(75), Reconnected).await; // between 70 and 80 s
    seed_outage(&store, 105, Some(107), Reconnected).await; // after every request
    store
        .write(|conn| store::tunnel_outages::begin(conn, 110 * S, "lost again")) // still going on
        .await
        .unwrap();
    let prune = |policy: RetentionPolicy, now_ns: i64| {
        let store = store.clone();
        async move {
            store.prune(policy, now_ns).await.unwrap();
        }
    };
    let kept: Vec<(i64, Option<i64>, Option<OutageEnd>)> = vec![
        (110, None, None),
        (105, Some(107), Some(Reconnected)),
        (72, Some(75), Some(Reconnected)),
    ];

    // Keep the newest 5 requests (60..100 s): the outages that ended before 60 s go.
    prune(
        RetentionPolicy {
            max_rows: Some(5),
            ..Default::default()
        },
        0,
    )
    .await;
    assert_eq!(store.read(requests::count).await.unwrap(), 5);
    assert_eq!(outages_left(&store).await, kept);

    // Nothing to prune: the outages stay as they are.
    prune(
        RetentionPolicy {
            max_rows: Some(5),
            ..Default::default()
        },
        0,
    )
    .await;
    assert_eq!(outages_left(&store).await, kept);

    // Every request is older than a minute at 1000 s: all go, with the outages that ended before
    // the newest of them; the one after it and the one still going on stay.
    prune(
        RetentionPolicy {
            max_age: Some(std::time::Duration::from_secs(60)),
            ..Default::default()
        },
        1000 * S,
    )
    .await;
    assert_eq!(store.read(requests::count).await.unwrap(), 0);
    assert_eq!(outages_left(&store).await, kept[..2].to_vec());
}

#[test]
fn a_schema_8_database_gains_notify_off_for_its_endpoints_and_keeps_them() {
    use hookscope::model::EndpointChanges;
    use hookscope::store::endpoints;
    let db = TestDb::new();
    {
        let mut conn = rusqlite::Connection::open(db.path()).unwrap();
        store::schema::migrate_to(&mut conn, 8).unwrap();
        conn.execute(
            "INSERT INTO endpoints (name, path_prefix, provider, response_status, response_headers, \
             handshake_enabled, forward_targets, created_at_ns) \
             VALUES ('stripe', '/stripe', 'stripe', 202, '[]', 1, '[]', 1)",
            [],
        )
        .unwrap();
    }
    let mut conn = store::open_database(&db.path()).unwrap();
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, store::schema::latest_version());
    let mut old = endpoints::get_by_name(&conn, "stripe").unwrap().expect("kept");
    assert_eq!((old.response.status, old.provider.as_deref()), (202, Some("stripe")));
    assert!(!old.notify, "notifications stay off for endpoints made before them");
    EndpointChanges {
        notify: Some(true),
        ..EndpointChanges::default()
    }
    .apply_to(&mut old);
    endpoints::update(&mut conn, &old).unwrap();
    assert!(endpoints::get_by_name(&conn, "stripe").unwrap().unwrap().notify);
}
