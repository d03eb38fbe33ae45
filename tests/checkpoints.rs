//! The write-ahead log under sustained captures, on a real SQLite file: checkpoints keep up, so
//! the log restarts instead of growing without end.

mod common;

use std::path::Path;

use common::TestDb;
use hookscope::model::{CapturedRequest, HeaderField};
use hookscope::store::Store;

/// A capture with a 2 KiB body, about 2.7 KiB once stored (three to an 8 KiB page).
fn capture(i: usize) -> CapturedRequest {
    let body = format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(2048));
    CapturedRequest {
        headers: vec![HeaderField::new("Content-Type", "application/json")],
        ..CapturedRequest::posted(&format!("C{i:06}"), "/wal", body.into_bytes())
    }
}

/// Stores `count` captures, 512 at a time so that the writer always has a queue; calls
/// `each_thousand` after every 1,000.
async fn capture_many(store: &Store, count: usize, mut each_thousand: impl FnMut()) {
    let mut pending = std::collections::VecDeque::new();
    for i in 0..count {
        pending.push_back(tokio::spawn({
            let store = store.clone();
            async move { store.insert_request(capture(i)).await }
        }));
        if pending.len() == 512 {
            pending.pop_front().unwrap().await.unwrap().unwrap();
        }
        if i % 1000 == 999 {
            each_thousand();
        }
    }
    for task in pending {
        task.await.unwrap().unwrap();
    }
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn wal_of(db: &Path) -> std::path::PathBuf {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    wal.into()
}

#[tokio::test(flavor = "multi_thread")]
async fn under_sustained_captures_the_log_restarts_instead_of_growing() {
    let db = TestDb::new();
    let path = db.path();
    let store = Store::open(&path).unwrap();
    let wal = wal_of(&path);
    let mut largest = 0;
    // About 80 MiB in all (120 MiB with 4 KiB pages). The writer checkpoints whenever the log
    // holds 2 MiB, so the log never needs more than that plus one commit of at most 512 rows.
    // Checkpoints on a thread beside the writer, without the writer's own, let it grow to about
    // 75 MiB of 88 (docs/benchmarks.md, sixth round).
    capture_many(&store, 30_000, || largest = largest.max(size(&wal))).await;
    largest = largest.max(size(&wal));

    assert!(largest > 0, "the captures went through no write-ahead log");
    assert!(
        largest <= 16 * 1024 * 1024,
        "the log grew to {largest} bytes while 80 MiB were captured: it never restarted"
    );
    // The bodies alone are 60 MiB: they went through the log into the database.
    assert!(
        size(&path) >= 60 * 1024 * 1024,
        "the database file holds {} bytes",
        size(&path)
    );
}
