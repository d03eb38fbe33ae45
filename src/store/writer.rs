//! The writer thread: owns the write connection and commits queued rows in groups.
//!
//! It never waits to fill a batch: it takes one command, drains whatever else is already
//! queued (up to `MAX_BATCH`), and commits them in one transaction. Under load, slower commits
//! gather more rows each, so `synchronous=FULL` costs little. Checkpoints run on their own
//! thread; the writer's automatic checkpoint stays on as the bound on the WAL's size.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::{open_connection, requests, search, StoreError};
use crate::model::CapturedRequest;

const MAX_BATCH: usize = 512;
/// Under sustained load the search index is brought up to date at least every this many rows.
const INDEX_LAG_BOUND: usize = 65_536;
/// The WAL may grow to this many pages (~32 MiB at 4 KiB) before the writer checkpoints itself.
const WAL_BOUND_PAGES: i64 = 8192;
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

enum Command {
    Insert {
        request: Box<CapturedRequest>,
        reply: oneshot::Sender<Result<i64, StoreError>>,
    },
    Run(Job),
}

/// Counters the writer keeps, for benchmarks and diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriterStats {
    pub rows: u64,
    pub commits: u64,
}

#[derive(Default)]
struct Counters {
    rows: AtomicU64,
    commits: AtomicU64,
}

#[derive(Clone)]
pub(super) struct WriterHandle {
    sender: mpsc::Sender<Command>,
    counters: Arc<Counters>,
}

pub(super) fn spawn(conn: Connection, path: PathBuf) -> Result<WriterHandle, StoreError> {
    conn.pragma_update(None, "wal_autocheckpoint", WAL_BOUND_PAGES)?;
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    let (sender, receiver) = mpsc::channel();
    let counters = Arc::new(Counters::default());
    let thread_counters = counters.clone();
    std::thread::Builder::new()
        .name("hookscope-db-writer".into())
        .spawn(move || run_writer(conn, path, receiver, &thread_counters))
        .map_err(|e| StoreError::Invalid(format!("could not start the database writer: {e}")))?;
    Ok(WriterHandle { sender, counters })
}

impl WriterHandle {
    pub(super) async fn insert(&self, request: CapturedRequest) -> Result<i64, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Command::Insert {
                request: Box::new(request),
                reply,
            })
            .map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    pub(super) async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = reply.send(f(conn));
        });
        self.sender
            .send(Command::Run(job))
            .map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }

    pub(super) fn stats(&self) -> WriterStats {
        WriterStats {
            rows: self.counters.rows.load(Ordering::Relaxed),
            commits: self.counters.commits.load(Ordering::Relaxed),
        }
    }
}

fn run_writer(mut conn: Connection, path: PathBuf, receiver: mpsc::Receiver<Command>, counters: &Counters) {
    let checkpointer = spawn_checkpointer(path.clone());
    let mut batch: Pending = Vec::new();
    // Rows may be waiting for the full-text index (from a previous run, or another process).
    let mut index_behind = true;
    let mut unindexed_rows = 0usize;
    loop {
        // Index only when nothing is queued (or the index lags too far): captures come first.
        let first = if index_behind && unindexed_rows < INDEX_LAG_BOUND {
            match receiver.try_recv() {
                Ok(command) => command,
                Err(mpsc::TryRecvError::Empty) => {
                    index_behind = index_some(&mut conn);
                    unindexed_rows = 0;
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
            }
        } else if index_behind {
            index_behind = index_some(&mut conn);
            unindexed_rows = 0;
            continue;
        } else {
            match receiver.recv() {
                Ok(command) => command,
                Err(_) => break,
            }
        };
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Insert { request, reply } => batch.push((request, reply)),
                Command::Run(job) => {
                    // Keep order: rows queued before the job are committed before it runs.
                    unindexed_rows += commit_batch(&mut conn, &path, &mut batch, counters);
                    job(&mut conn);
                    index_behind = true;
                }
            }
            if batch.len() < MAX_BATCH {
                next = receiver.try_recv().ok();
            }
        }
        let committed = commit_batch(&mut conn, &path, &mut batch, counters);
        unindexed_rows += committed;
        index_behind |= committed > 0;
    }
    drop(checkpointer);
    tracing::debug!("database writer stopped");
}

/// Indexes one batch of committed rows for search; returns true when more are waiting.
fn index_some(conn: &mut Connection) -> bool {
    match search::index_pending(conn, search::INDEX_BATCH) {
        Ok(done) => done == search::INDEX_BATCH,
        Err(error) => {
            // The rows are stored; only search lags. Try again after the next commit.
            tracing::warn!(%error, "could not index captured requests for search");
            false
        }
    }
}

type Pending = Vec<(Box<CapturedRequest>, oneshot::Sender<Result<i64, StoreError>>)>;

/// Commits the queued rows in one transaction and answers each; returns how many were stored.
///
/// The group is first inserted as it is; only when a row fails is the group inserted again with
/// a savepoint per row, so that one bad row fails alone and the rest of the group commits.
fn commit_batch(conn: &mut Connection, path: &std::path::Path, batch: &mut Pending, counters: &Counters) -> usize {
    if batch.is_empty() {
        return 0;
    }
    let rows = batch.len();
    let outcome = insert_group(conn, batch).or_else(|error| {
        if error.is_disk_full() {
            Err(error)
        } else {
            insert_rows_one_by_one(conn, batch)
        }
    });
    match outcome {
        Ok(results) => {
            counters.rows.fetch_add(rows as u64, Ordering::Relaxed);
            counters.commits.fetch_add(1, Ordering::Relaxed);
            let stored = results.iter().filter(|r| r.is_ok()).count();
            for ((_, reply), result) in batch.drain(..).zip(results) {
                let _ = reply.send(result.map_err(|e| disk_full_or(path, e)));
            }
            stored
        }
        Err(error) => {
            tracing::error!(%error, rows, "could not commit captured requests");
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(Err(disk_full_or(path, copy_error(&error))));
            }
            0
        }
    }
}

type RowResults = Vec<Result<i64, StoreError>>;

/// All rows in one transaction; the first failing row rolls the whole group back.
fn insert_group(conn: &mut Connection, batch: &Pending) -> Result<RowResults, StoreError> {
    let tx = conn.transaction()?;
    let mut results = Vec::with_capacity(batch.len());
    for (request, _) in batch {
        results.push(Ok(requests::insert(&tx, request)?));
    }
    tx.commit()?;
    Ok(results)
}

/// One transaction with a savepoint per row: a row that fails is rolled back alone.
fn insert_rows_one_by_one(conn: &mut Connection, batch: &Pending) -> Result<RowResults, StoreError> {
    let tx = conn.transaction()?;
    let mut results = Vec::with_capacity(batch.len());
    for (request, _) in batch {
        tx.prepare_cached("SAVEPOINT row")?.execute([])?;
        match requests::insert(&tx, request) {
            Ok(seq) => {
                tx.prepare_cached("RELEASE row")?.execute([])?;
                results.push(Ok(seq));
            }
            // Some errors (SQLITE_FULL among them) roll the whole transaction back.
            Err(error) if tx.is_autocommit() => return Err(error),
            Err(error) => {
                tx.execute_batch("ROLLBACK TO row; RELEASE row")?;
                results.push(Err(error));
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

fn disk_full_or(path: &std::path::Path, error: StoreError) -> StoreError {
    if error.is_disk_full() {
        StoreError::DiskFull {
            path: path.to_path_buf(),
        }
    } else {
        error
    }
}

/// Every waiting request gets the batch's error; `StoreError` is not `Clone`, so rebuild it.
fn copy_error(error: &StoreError) -> StoreError {
    match error {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, detail)) => {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(*e, detail.clone()))
        }
        StoreError::DiskFull { path } => StoreError::DiskFull { path: path.clone() },
        other => StoreError::Invalid(other.to_string()),
    }
}

/// Runs PASSIVE checkpoints off the writer thread so that commits rarely pay for one.
/// It stops when the returned guard is dropped (the writer stopped).
fn spawn_checkpointer(path: PathBuf) -> mpsc::Sender<()> {
    let (stop, stopped) = mpsc::channel::<()>();
    let _ = std::thread::Builder::new()
        .name("hookscope-db-checkpoint".into())
        .spawn(move || {
            let Ok(conn) = open_connection(&path) else { return };
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(CHECKPOINT_EVERY) {
                if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::debug!(%error, "passive checkpoint failed");
                }
            }
        });
    stop
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CaptureSource, RecordedResponse};

    fn request(id: &str) -> CapturedRequest {
        CapturedRequest {
            id: id.to_owned(),
            endpoint_id: None,
            endpoint_name: None,
            received_at_ns: 1,
            source: CaptureSource::Local,
            remote_addr: None,
            method: "POST".into(),
            target: "/group".into(),
            http_version: "HTTP/1.1".into(),
            headers: Vec::new(),
            body: id.as_bytes().to_vec(),
            body_size: id.len() as u64,
            truncated: false,
            response: RecordedResponse {
                status: 200,
                headers: Vec::new(),
                body: Vec::new(),
                note: None,
            },
            signature: None,
        }
    }

    fn queue(ids: &[&str]) -> (Pending, Vec<oneshot::Receiver<Result<i64, StoreError>>>) {
        ids.iter()
            .map(|id| {
                let (reply, answer) = oneshot::channel();
                ((Box::new(request(id)), reply), answer)
            })
            .unzip()
    }

    fn stored_ids(conn: &Connection) -> Vec<String> {
        let mut statement = conn.prepare("SELECT id FROM requests ORDER BY seq").unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn one_bad_row_fails_alone_and_the_rest_of_its_group_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("group.db");
        let mut conn = super::super::open_database(&path).unwrap();
        let counters = Counters::default();

        let (mut first, answers) = queue(&["a", "b"]);
        assert_eq!(commit_batch(&mut conn, &path, &mut first, &counters), 2);
        for mut answer in answers {
            assert!(answer.try_recv().unwrap().is_ok());
        }

        // "b" is already stored: its id is unique, so that row fails; "c" and "d" around it commit.
        let (mut second, answers) = queue(&["c", "b", "d"]);
        assert_eq!(commit_batch(&mut conn, &path, &mut second, &counters), 2);
        let results: Vec<bool> = answers.into_iter().map(|mut a| a.try_recv().unwrap().is_ok()).collect();
        assert_eq!(results, [true, false, true]);
        assert_eq!(stored_ids(&conn), ["a", "b", "c", "d"]);
    }
}
