//! The writer thread: owns the write connection and commits queued rows in groups.
//!
//! It never waits to fill a batch: it takes one command, drains whatever else is already
//! queued (up to `MAX_BATCH`), and commits them in one transaction. Under load, slower commits
//! gather more rows each, so `synchronous=FULL` costs little. SQLite's automatic checkpoint
//! runs on this thread whenever the log holds [`WAL_BOUND_BYTES`], small enough to be short
//! each time.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::requests::{EncodedColumns, Inserted};
use super::{requests, search, StoreError};
use crate::log_gate::LogGate;
use crate::model::CapturedRequest;

const MAX_BATCH: usize = 512;
/// Under sustained load the search index still moves forward by one batch this often. Indexing
/// a row costs about as much writer time as storing it, so under overload captures come first
/// and the index catches up once the listener is quiet (or when a search asks for it).
const INDEX_AT_LEAST_EVERY: Duration = Duration::from_secs(1);
/// The listener counts as quiet, and the writer indexes, after this long without a command.
const QUIET_BEFORE_INDEXING: Duration = Duration::from_millis(20);
/// The writer checkpoints whenever the WAL holds this much (SQLite counts it in pages of the
/// database's own size). Small and frequent checkpoints each copy and sync little; at 32 MiB
/// they came rarely but stalled the commit that crossed the bound by 10-20 ms, which set the
/// capture p99 (docs/benchmarks.md).
const WAL_BOUND_BYTES: i64 = 2 * 1024 * 1024;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A captured request on its way to the writer, with its row's JSON text and tail sketch
/// ([`EncodedColumns`]) computed before it gets there, on the caller's thread: the writer is the
/// one thread every capture waits for, so it only binds and commits.
struct NewRequest {
    request: CapturedRequest,
    columns: EncodedColumns,
}

impl NewRequest {
    fn new(request: CapturedRequest) -> Result<NewRequest, StoreError> {
        let columns = EncodedColumns::of(&request)?;
        Ok(NewRequest { request, columns })
    }
}

/// The writer's answer to an insert. The request comes back with it, so that the caller frees
/// it on its own thread (with its own allocator cache) instead of the writer.
type InsertReply = (Result<Inserted, StoreError>, Box<NewRequest>);

enum Command {
    Insert {
        request: Box<NewRequest>,
        reply: oneshot::Sender<InsertReply>,
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
    let page_size: i64 = conn.pragma_query_value(None, "page_size", |row| row.get(0))?;
    conn.pragma_update(None, "wal_autocheckpoint", WAL_BOUND_BYTES / page_size.max(512))?;
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
    pub(super) async fn insert(&self, request: CapturedRequest) -> Result<Inserted, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Command::Insert {
                request: Box::new(NewRequest::new(request)?),
                reply,
            })
            .map_err(|_| StoreError::WriterGone)?;
        let (inserted, _request) = answer.await.map_err(|_| StoreError::WriterGone)?;
        inserted
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
    let mut batch: Pending = Vec::new();
    // Rows may be waiting for the full-text index (from a previous run, or another process).
    let mut index = IndexSchedule::new(Instant::now());
    loop {
        let first = match index.next_step(Instant::now()) {
            Step::Index => {
                let more = index_some(&mut conn);
                index.indexed(more, Instant::now());
                continue;
            }
            Step::Wait => match receiver.recv() {
                Ok(command) => command,
                Err(_) => break,
            },
            Step::IndexUnlessQueued => match receiver.try_recv() {
                Ok(command) => command,
                Err(mpsc::TryRecvError::Empty) => {
                    let more = index_some(&mut conn);
                    index.indexed(more, Instant::now());
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
            },
            Step::TidyUnlessQueued => match receiver.try_recv() {
                Ok(command) => command,
                Err(mpsc::TryRecvError::Empty) => {
                    index.tidied(tidy_some(&mut conn));
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
            },
            Step::WaitAtMost(quiet) => match receiver.recv_timeout(quiet) {
                Ok(command) => command,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    index.went_quiet();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
        };
        index.busy();
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Insert { request, reply } => batch.push((request, reply)),
                Command::Run(job) => {
                    // Keep order: rows queued before the job are committed before it runs.
                    let committed = commit_batch(&mut conn, &path, &mut batch, counters);
                    job(&mut conn);
                    // A job may have stored rows of its own (an import, a re-check), or deleted
                    // some (retention, a clear), leaving tombstones in the index.
                    index.committed(committed.max(1), Instant::now());
                    index.ran_job();
                }
            }
            if batch.len() < MAX_BATCH {
                next = receiver.try_recv().ok();
            }
        }
        let committed = commit_batch(&mut conn, &path, &mut batch, counters);
        index.committed(committed, Instant::now());
    }
    tracing::debug!("database writer stopped");
}

/// What the writer does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Nothing to index: block until a command arrives.
    Wait,
    /// Wait for a command, but no longer than this; silence means the listener is quiet.
    WaitAtMost(Duration),
    /// Quiet: index a batch unless a command is already queued.
    IndexUnlessQueued,
    /// The index has not moved for [`INDEX_AT_LEAST_EVERY`]: index a batch even under load.
    Index,
    /// Quiet and indexed, but requests were deleted since the index was last tidied: merge a
    /// step of its tombstones away unless a command is already queued.
    TidyUnlessQueued,
}

/// When the writer spends its time on the full-text index rather than on captures.
///
/// Rows are indexed once the listener has been quiet for [`QUIET_BEFORE_INDEXING`]. Under
/// sustained load the index still moves forward by one batch every [`INDEX_AT_LEAST_EVERY`];
/// a search brings it fully up to date first. After jobs that may have deleted requests, and
/// once the index is up to date and the listener quiet, the index is tidied in small steps
/// ([`search::tidy_index_step`]) until a step finds nothing to merge.
#[derive(Debug)]
struct IndexSchedule {
    behind: bool,
    quiet: bool,
    untidy: bool,
    /// When the index last moved forward, or fell behind after being up to date.
    since: Instant,
}

impl IndexSchedule {
    fn new(now: Instant) -> Self {
        IndexSchedule {
            behind: true,
            quiet: true,
            // Opening does not tidy: it would write to the file for every command that opens
            // it. What an earlier run left is tidied after this run's first job.
            untidy: false,
            since: now,
        }
    }

    fn next_step(&self, now: Instant) -> Step {
        if self.behind && now.duration_since(self.since) >= INDEX_AT_LEAST_EVERY {
            Step::Index
        } else if !self.behind && !self.untidy {
            Step::Wait
        } else if !self.quiet {
            Step::WaitAtMost(QUIET_BEFORE_INDEXING)
        } else if self.behind {
            Step::IndexUnlessQueued
        } else {
            Step::TidyUnlessQueued
        }
    }

    fn ran_job(&mut self) {
        self.untidy = true;
    }

    fn tidied(&mut self, more: bool) {
        self.untidy = more;
    }

    fn busy(&mut self) {
        self.quiet = false;
    }

    fn went_quiet(&mut self) {
        self.quiet = true;
    }

    fn committed(&mut self, rows: usize, now: Instant) {
        if rows == 0 {
            return;
        }
        if !self.behind {
            self.behind = true;
            self.since = now;
        }
    }

    fn indexed(&mut self, more_waiting: bool, now: Instant) {
        self.behind = more_waiting;
        self.since = now;
    }
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

/// Merges one step of deleted requests' tombstones out of the index; returns true when another
/// step may find more.
fn tidy_some(conn: &mut Connection) -> bool {
    match search::tidy_index_step(conn) {
        Ok(merged) => merged,
        Err(error) => {
            // Only space is at stake; try again after the next job.
            tracing::warn!(%error, "could not tidy the search index");
            false
        }
    }
}

type Pending = Vec<(Box<NewRequest>, oneshot::Sender<InsertReply>)>;

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
            for ((request, reply), result) in batch.drain(..).zip(results) {
                let _ = reply.send((result.map_err(|e| disk_full_or(path, e)), request));
            }
            stored
        }
        Err(error) => {
            static COMMIT_FAILURES: LogGate = LogGate::new(Duration::from_secs(5));
            if let Some(left_out) = COMMIT_FAILURES.admit() {
                tracing::error!(%error, rows, left_out, "could not commit captured requests");
            }
            for (request, reply) in batch.drain(..) {
                let _ = reply.send((Err(disk_full_or(path, copy_error(&error))), request));
            }
            0
        }
    }
}

type RowResults = Vec<Result<Inserted, StoreError>>;

/// All rows in one transaction; the first failing row rolls the whole group back.
fn insert_group(conn: &mut Connection, batch: &Pending) -> Result<RowResults, StoreError> {
    let tx = conn.transaction()?;
    let mut results = Vec::with_capacity(batch.len());
    for (request, _) in batch {
        results.push(Ok(requests::insert_encoded(&tx, &request.request, &request.columns)?));
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
        match requests::insert_encoded(&tx, &request.request, &request.columns) {
            Ok(inserted) => {
                tx.prepare_cached("RELEASE row")?.execute([])?;
                results.push(Ok(inserted));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(ids: &[&str]) -> (Pending, Vec<oneshot::Receiver<InsertReply>>) {
        ids.iter()
            .map(|id| {
                let (reply, answer) = oneshot::channel();
                (
                    (
                        Box::new(
                            NewRequest::new(CapturedRequest::posted(id, "/group", id.as_bytes().to_vec())).unwrap(),
                        ),
                        reply,
                    ),
                    answer,
                )
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
    fn indexing_waits_for_a_quiet_listener_but_not_forever() {
        let start = Instant::now();
        let mut schedule = IndexSchedule::new(start);
        // Rows from an earlier run may wait: index them before anything else arrives.
        assert_eq!(schedule.next_step(start), Step::IndexUnlessQueued);
        schedule.indexed(false, start);
        assert_eq!(schedule.next_step(start), Step::Wait);

        // Under load: commits keep coming, the writer only listens for more.
        schedule.busy();
        let later = start + Duration::from_millis(5);
        schedule.committed(40, later);
        assert_eq!(schedule.next_step(later), Step::WaitAtMost(QUIET_BEFORE_INDEXING));
        schedule.committed(0, later + Duration::from_millis(1));
        assert_eq!(schedule.next_step(later), Step::WaitAtMost(QUIET_BEFORE_INDEXING));

        // Still busy a second after falling behind: one batch is indexed anyway.
        let a_second_on = later + INDEX_AT_LEAST_EVERY;
        assert_eq!(schedule.next_step(a_second_on), Step::Index);
        schedule.indexed(true, a_second_on);
        assert_eq!(schedule.next_step(a_second_on), Step::WaitAtMost(QUIET_BEFORE_INDEXING));

        // The listener goes quiet: index batch after batch until the index is up to date.
        schedule.went_quiet();
        assert_eq!(schedule.next_step(a_second_on), Step::IndexUnlessQueued);
        schedule.indexed(false, a_second_on);
        assert_eq!(schedule.next_step(a_second_on), Step::Wait);
    }

    #[test]
    fn the_index_is_tidied_after_jobs_once_it_is_up_to_date_and_the_listener_quiet() {
        let start = Instant::now();
        let mut schedule = IndexSchedule::new(start);
        schedule.indexed(false, start);

        // A job (a retention batch) ran while captures arrive: wait for quiet first.
        schedule.busy();
        schedule.committed(1, start);
        schedule.ran_job();
        assert_eq!(schedule.next_step(start), Step::WaitAtMost(QUIET_BEFORE_INDEXING));
        schedule.went_quiet();
        // Indexing comes before tidying.
        assert_eq!(schedule.next_step(start), Step::IndexUnlessQueued);
        schedule.indexed(false, start);
        assert_eq!(schedule.next_step(start), Step::TidyUnlessQueued);
        schedule.tidied(true);
        assert_eq!(schedule.next_step(start), Step::TidyUnlessQueued);
        schedule.tidied(false);
        assert_eq!(schedule.next_step(start), Step::Wait);
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
            assert!(answer.try_recv().unwrap().0.is_ok());
        }

        // "b" is already stored: its id is unique, so that row fails; "c" and "d" around it commit.
        let (mut second, answers) = queue(&["c", "b", "d"]);
        assert_eq!(commit_batch(&mut conn, &path, &mut second, &counters), 2);
        let results: Vec<bool> = answers
            .into_iter()
            .map(|mut a| a.try_recv().unwrap().0.is_ok())
            .collect();
        assert_eq!(results, [true, false, true]);
        assert_eq!(stored_ids(&conn), ["a", "b", "c", "d"]);
    }
}
