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
/// The writer counts the listener as quiet, and indexes for search, after this long without a
/// command.
const QUIET_BEFORE_INDEXING: Duration = Duration::from_millis(20);
/// Rows indexed by the first step after the listener goes quiet: a capture that arrives meanwhile
/// waits for that step only. While it stays quiet, each step doubles, up to
/// [`search::INDEX_BATCH`], so that a backlog left by a burst is caught up in few transactions.
const FIRST_INDEX_STEP: usize = 32;
/// A steady stream leaves no quiet moment, but a writer that keeps up with it idles between
/// commits of a row or so each. Over the last [`LOAD_WINDOW`], when it spent less than
/// [`SPARE_BUSY_SHARE`] of the time working and its commits held fewer than
/// [`SPARE_ROWS_PER_COMMIT`] rows on average, it indexes [`SPARE_INDEX_STEP`] rows whenever no
/// command is queued. Measured (docs/benchmarks.md): a paced 500-1,000 requests a second keep
/// it busy 0.3-0.4 of the time with 1.1-1.4 rows a commit; one client sending back to back, 0.65
/// with one row; overload, 0.95 with about twenty, and there captures come first and search
/// reads the unindexed rows directly (`super::search_tail`).
const SPARE_BUSY_SHARE: f64 = 0.5;
const SPARE_ROWS_PER_COMMIT: f64 = 2.0;
const LOAD_WINDOW: Duration = Duration::from_millis(200);
/// Rows of an indexing step in spare time (well under a millisecond of work for 2 KiB bodies): a
/// capture that arrives during one waits for that step only.
const SPARE_INDEX_STEP: usize = 16;
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
        let waiting_since = Instant::now();
        let first = match index.next_step() {
            Step::Wait => match receiver.recv() {
                Ok(command) => command,
                Err(_) => break,
            },
            Step::IndexUnlessQueued => match receiver.try_recv() {
                Ok(command) => command,
                Err(mpsc::TryRecvError::Empty) => {
                    let more = index_some(&mut conn, index.step_rows());
                    index.indexed(more);
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
                    index.waited(waiting_since, Instant::now());
                    index.went_quiet();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
        };
        index.waited(waiting_since, Instant::now());
        index.busy();
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Insert { request, reply } => batch.push((request, reply)),
                Command::Run(job) => {
                    // Keep order: rows queued before the job are committed before it runs.
                    let committed = commit_batch(&mut conn, &path, &mut batch, counters);
                    index.committed(committed);
                    job(&mut conn);
                    index.ran_job();
                }
            }
            if batch.len() < MAX_BATCH {
                next = receiver.try_recv().ok();
            }
        }
        let committed = commit_batch(&mut conn, &path, &mut batch, counters);
        index.committed(committed);
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
    /// Quiet: index a step of rows unless a command is already queued.
    IndexUnlessQueued,
    /// Quiet and indexed, but requests were deleted since the index was last tidied: merge a
    /// step of the index's tombstones unless a command is already queued.
    TidyUnlessQueued,
}

/// When the writer spends its time on the full-text index rather than on captures.
///
/// Rows are indexed once the listener has been quiet for [`QUIET_BEFORE_INDEXING`], in steps
/// that start at [`FIRST_INDEX_STEP`] rows and double while it stays quiet, and in spare time
/// while captures keep coming but leave the writer idle most of the time ([`WriterLoad::spare`]), a
/// small step whenever no command is queued. Under overload the index waits: a search reads the
/// rows it has not reached directly (`super::search_tail`). After jobs that may have deleted
/// requests, and once the index is up to date and the listener quiet, the index is tidied in
/// small steps ([`search::tidy_index_step`]) until a step finds nothing to merge.
#[derive(Debug)]
struct IndexSchedule {
    behind: bool,
    quiet: bool,
    untidy: bool,
    /// Rows the next indexing step takes while the listener is quiet.
    quiet_step_rows: usize,
    load: WriterLoad,
}

impl IndexSchedule {
    fn new(now: Instant) -> Self {
        IndexSchedule {
            // Rows may be waiting for the index (from a previous run, or another process).
            behind: true,
            quiet: true,
            // Opening does not tidy: it would write to the file for every command that opens
            // it. What an earlier run left is tidied after this run's first job.
            untidy: false,
            quiet_step_rows: FIRST_INDEX_STEP,
            load: WriterLoad::new(now),
        }
    }

    fn next_step(&self) -> Step {
        if !self.behind && !self.untidy {
            Step::Wait
        } else if self.quiet && self.behind {
            Step::IndexUnlessQueued
        } else if self.quiet {
            Step::TidyUnlessQueued
        } else if self.behind && self.load.spare() {
            Step::IndexUnlessQueued
        } else {
            Step::WaitAtMost(QUIET_BEFORE_INDEXING)
        }
    }

    /// Rows of the next indexing step.
    fn step_rows(&self) -> usize {
        if self.quiet {
            self.quiet_step_rows
        } else {
            SPARE_INDEX_STEP
        }
    }

    /// The writer waited for a command from `since` to `now`.
    fn waited(&mut self, since: Instant, now: Instant) {
        self.load.idle(since, now);
    }

    /// A job may have stored rows of its own (an import, a re-check), or deleted some
    /// (retention, a clear), leaving tombstones in the index. It is not a commit of captures, so
    /// the writer's load does not count it.
    fn ran_job(&mut self) {
        self.behind = true;
        self.untidy = true;
    }

    fn tidied(&mut self, more: bool) {
        self.untidy = more;
    }

    fn busy(&mut self) {
        self.quiet = false;
        self.quiet_step_rows = FIRST_INDEX_STEP;
    }

    fn went_quiet(&mut self) {
        self.quiet = true;
    }

    fn committed(&mut self, rows: usize) {
        self.behind |= rows > 0;
        self.load.committed(rows);
    }

    fn indexed(&mut self, more_waiting: bool) {
        self.behind = more_waiting;
        if self.quiet {
            self.quiet_step_rows = (self.quiet_step_rows * 2).min(search::INDEX_BATCH);
        }
    }
}

/// How hard the writer worked over the last whole [`LOAD_WINDOW`]: the share of the time it
/// spent working rather than waiting for a command, and the rows its commits held on average.
#[derive(Debug)]
struct WriterLoad {
    window_start: Instant,
    idle_in_window: Duration,
    rows_in_window: usize,
    commits_in_window: usize,
    /// Rows of the latest commit.
    latest_commit_rows: usize,
    last_busy_share: f64,
    last_rows_per_commit: f64,
}

impl WriterLoad {
    fn new(now: Instant) -> Self {
        WriterLoad {
            window_start: now,
            idle_in_window: Duration::ZERO,
            rows_in_window: 0,
            commits_in_window: 0,
            latest_commit_rows: 0,
            // Nothing measured yet: an idle writer.
            last_busy_share: 0.0,
            last_rows_per_commit: 0.0,
        }
    }

    fn committed(&mut self, rows: usize) {
        if rows > 0 {
            self.rows_in_window += rows;
            self.commits_in_window += 1;
            self.latest_commit_rows = rows;
        }
    }

    /// Counts a wait from `since` to `now`; closes the window once it is [`LOAD_WINDOW`] long.
    fn idle(&mut self, since: Instant, now: Instant) {
        self.idle_in_window += now.saturating_duration_since(since);
        let length = now.saturating_duration_since(self.window_start);
        if length >= LOAD_WINDOW {
            let idle = self.idle_in_window.min(length);
            self.last_busy_share = 1.0 - idle.as_secs_f64() / length.as_secs_f64();
            self.last_rows_per_commit = self.rows_in_window as f64 / self.commits_in_window.max(1) as f64;
            self.window_start = now;
            self.idle_in_window = Duration::ZERO;
            self.rows_in_window = 0;
            self.commits_in_window = 0;
        }
    }

    /// The writer keeps up with what arrives, with time to spare: it waited most of the last
    /// window, its commits held about one row each, so captures were not queueing behind each
    /// other (under overload they hold tens, however long the writer waits between them), and
    /// the latest one held a single row, so they are not queueing now either: a burst after a
    /// quiet window is seen at its first commits.
    fn spare(&self) -> bool {
        self.last_busy_share < SPARE_BUSY_SHARE
            && self.last_rows_per_commit < SPARE_ROWS_PER_COMMIT
            && self.latest_commit_rows <= 1
    }
}

/// Indexes up to `rows` committed rows for search; returns true when more are waiting.
fn index_some(conn: &mut Connection, rows: usize) -> bool {
    match search::index_pending(conn, rows) {
        Ok(done) => done == rows,
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

    /// Feeds `schedule` a stream of commands for `length`: each cycle of `cycle`, the writer
    /// first waits `wait` for a command, then commits a row. Returns when the stream ends.
    fn stream(
        schedule: &mut IndexSchedule,
        start: Instant,
        length: Duration,
        cycle: Duration,
        wait: Duration,
    ) -> Instant {
        let mut now = start;
        while now < start + length {
            schedule.waited(now, now + wait);
            schedule.busy();
            schedule.committed(1);
            now += cycle;
        }
        now
    }

    #[test]
    fn indexing_waits_for_a_quiet_listener_in_steps_that_grow_while_it_stays_quiet() {
        let start = Instant::now();
        let mut schedule = IndexSchedule::new(start);
        // Rows from an earlier run may wait: index them before anything else arrives, in steps
        // that double up to a full batch.
        assert_eq!(schedule.next_step(), Step::IndexUnlessQueued);
        let mut steps = Vec::new();
        for _ in 0..5 {
            steps.push(schedule.step_rows());
            schedule.indexed(true);
            assert_eq!(schedule.next_step(), Step::IndexUnlessQueued);
        }
        assert_eq!(steps, [FIRST_INDEX_STEP, 64, 128, 256, 256]);
        assert_eq!(search::INDEX_BATCH, 256);
        schedule.indexed(false);
        assert_eq!(schedule.next_step(), Step::Wait);

        // Overload: the writer waits 50 µs in each millisecond. However long it lasts, nothing
        // is indexed between commits.
        let later = stream(
            &mut schedule,
            start,
            Duration::from_secs(10),
            Duration::from_millis(1),
            Duration::from_micros(50),
        );
        assert_eq!(schedule.next_step(), Step::WaitAtMost(QUIET_BEFORE_INDEXING));

        // The listener goes quiet: the first step is small again, so that a capture arriving
        // during it waits little.
        schedule.waited(later, later + QUIET_BEFORE_INDEXING);
        schedule.went_quiet();
        assert_eq!(schedule.next_step(), Step::IndexUnlessQueued);
        assert_eq!(schedule.step_rows(), FIRST_INDEX_STEP);
        schedule.indexed(true);
        assert_eq!(schedule.step_rows(), 2 * FIRST_INDEX_STEP);
        // A capture arrives: the next quiet moment starts small again.
        schedule.busy();
        schedule.committed(1);
        schedule.went_quiet();
        assert_eq!(schedule.step_rows(), FIRST_INDEX_STEP);
        schedule.indexed(false);
        assert_eq!(schedule.next_step(), Step::Wait);
    }

    #[test]
    fn a_steady_stream_that_leaves_the_writer_idle_most_of_the_time_is_indexed_in_spare_time() {
        let start = Instant::now();
        let mut schedule = IndexSchedule::new(start);
        schedule.indexed(false);

        // 500 requests a second, the writer waiting 1.4 ms of each 2: never quiet for
        // QUIET_BEFORE_INDEXING, but idle 70% of the time.
        let cycle = Duration::from_millis(2);
        let end = stream(
            &mut schedule,
            start,
            LOAD_WINDOW * 2,
            cycle,
            Duration::from_micros(1_400),
        );
        assert!(cycle < QUIET_BEFORE_INDEXING);
        assert_eq!(schedule.next_step(), Step::IndexUnlessQueued);
        assert_eq!(schedule.step_rows(), SPARE_INDEX_STEP);
        // Steps go on while no command is queued and rows wait; they stay small.
        schedule.indexed(true);
        assert_eq!(schedule.next_step(), Step::IndexUnlessQueued);
        assert_eq!(schedule.step_rows(), SPARE_INDEX_STEP);
        schedule.indexed(false);
        assert_eq!(schedule.next_step(), Step::Wait);

        // A burst after that stream: its first commit holds twenty rows, and the index waits at
        // once, before the window that measures the burst has closed.
        schedule.busy();
        schedule.committed(20);
        assert_eq!(schedule.next_step(), Step::WaitAtMost(QUIET_BEFORE_INDEXING));
        schedule.committed(1);
        assert_eq!(schedule.next_step(), Step::IndexUnlessQueued);

        // One client sending back to back: the writer works 65% of the time, and the index
        // waits for a quiet moment, as it does under overload.
        stream(&mut schedule, end, LOAD_WINDOW * 2, cycle, Duration::from_micros(700));
        assert_eq!(schedule.next_step(), Step::WaitAtMost(QUIET_BEFORE_INDEXING));
    }

    #[test]
    fn the_index_is_tidied_after_jobs_once_it_is_up_to_date_and_the_listener_quiet() {
        let start = Instant::now();
        let mut schedule = IndexSchedule::new(start);
        schedule.indexed(false);
        // Busy before the job: no spare time.
        stream(
            &mut schedule,
            start,
            LOAD_WINDOW * 2,
            Duration::from_millis(1),
            Duration::from_micros(50),
        );

        // The index catches up in a quiet moment.
        schedule.went_quiet();
        schedule.indexed(false);
        assert_eq!(schedule.next_step(), Step::Wait);

        // A job (a retention batch, or an import that stores rows) ran while captures arrive:
        // the index may have rows to take and tombstones to merge, but waits for quiet first.
        schedule.busy();
        schedule.ran_job();
        assert_eq!(schedule.next_step(), Step::WaitAtMost(QUIET_BEFORE_INDEXING));
        schedule.went_quiet();
        // Indexing comes before tidying.
        assert_eq!(schedule.next_step(), Step::IndexUnlessQueued);
        schedule.indexed(false);
        assert_eq!(schedule.next_step(), Step::TidyUnlessQueued);
        schedule.tidied(true);
        assert_eq!(schedule.next_step(), Step::TidyUnlessQueued);
        schedule.tidied(false);
        assert_eq!(schedule.next_step(), Step::Wait);
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
