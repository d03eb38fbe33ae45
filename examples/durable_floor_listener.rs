//! The floor of the capture design, for `scripts/bench-capture.sh`: the bare listener plus the
//! least a server can do and still answer only after the request is committed to SQLite.
//!
//! One writer thread owns one connection (WAL) and commits whatever is queued as one transaction
//! into a single table (no indexes, no full-text search, no endpoints, no events); each request is
//! answered 200 when its transaction has committed. Hookscope's `serve` does all of this and more,
//! so its throughput cannot exceed this server's on the same machine in the same run.
//!
//! Usage: `durable_floor_listener DB_PATH [full|normal|off] [ADDR] [PAGE_SIZE]` (default `full`,
//! `127.0.0.1:0` and SQLite's own page size, 4 KiB); prints `floor listening on http://ADDR`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::mpsc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use tokio::sync::oneshot;

struct Row {
    head: String,
    body: Bytes,
    committed: oneshot::Sender<()>,
}

type Queue = mpsc::Sender<Row>;

async fn store_then_answer(
    State(queue): State<Queue>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let mut head = format!("{method} {uri}\n");
    for (name, value) in &headers {
        let _ = writeln!(head, "{name}: {}", String::from_utf8_lossy(value.as_bytes()));
    }
    let (committed, stored) = oneshot::channel();
    let queued = queue.send(Row { head, body, committed }).is_ok();
    if !queued || stored.await.is_err() {
        return (
            StatusCode::INSUFFICIENT_STORAGE,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"ok\":false}",
        );
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "{\"ok\":true}",
    )
}

/// Commits everything queued as one transaction, then answers those requests, until the
/// listener is gone. A failed commit drops the senders, so those requests get 507.
fn write_groups(mut conn: rusqlite::Connection, rows: mpsc::Receiver<Row>) -> rusqlite::Result<()> {
    let mut group = Vec::new();
    while let Ok(first) = rows.recv() {
        group.push(first);
        group.extend(rows.try_iter());
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached("INSERT INTO requests (head, body) VALUES (?1, ?2)")?;
            for row in &group {
                insert.execute((&row.head, row.body.as_ref()))?;
            }
        }
        tx.commit()?;
        for row in group.drain(..) {
            let _ = row.committed.send(());
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db_path = args
        .next()
        .ok_or("usage: durable_floor_listener DB_PATH [full|normal|off] [ADDR] [PAGE_SIZE]")?;
    let synchronous = args.next().unwrap_or_else(|| "full".to_owned());
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let page_size = args.next().map(|size| size.parse::<u32>()).transpose()?;

    let conn = rusqlite::Connection::open(&db_path)?;
    if let Some(page_size) = page_size {
        conn.pragma_update(None, "page_size", page_size)?;
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", &synchronous)?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS requests (seq INTEGER PRIMARY KEY, head TEXT NOT NULL, body BLOB NOT NULL)",
    )?;
    let (queue, rows) = mpsc::channel();
    let writer = std::thread::Builder::new()
        .name("floor-writer".into())
        .spawn(move || write_groups(conn, rows))?;

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "floor listening on http://{} (synchronous={synchronous})",
            listener.local_addr()?
        )?;
        stdout.flush()?;
        drop(stdout);
        axum::serve(listener, Router::new().fallback(store_then_answer).with_state(queue)).await
    })?;
    writer.join().map_err(|_| "the writer panicked")??;
    Ok(())
}
