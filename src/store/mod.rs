//! SQLite storage: schema and migrations, the writer thread (group commit), queries per table,
//! retention and full-text search.
//!
//! One writer thread owns the only write connection and commits whatever is queued in one
//! transaction, so that a request is answered only after its row is durable and full
//! durability (`synchronous=FULL`) costs little. Readers open their own connections (WAL).

mod connection;
pub mod deliveries;
pub mod endpoints;
mod header_json;
pub mod requests;
pub mod response_rules;
pub mod retention;
pub mod schema;
pub mod search;
pub mod search_tail;
pub mod tail_sketch;
pub mod tunnel_outages;
pub mod wait;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use connection::{default_db_path, open_connection, open_database, PAGE_SIZE};
pub use retention::RetentionPolicy;
pub use writer::WriterStats;

use crate::model::{CapturedRequest, RequestSummary};

/// Everything that can go wrong in the store, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "{path} is not a Hookscope database or is damaged ({detail}); move it aside and Hookscope will start a new one"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("could not open the database at {path}: {detail}")]
    Open { path: PathBuf, detail: String },
    #[error("the disk is full: the database at {path} cannot grow; free some space or lower the retention limits")]
    DiskFull { path: PathBuf },
    #[error("the database was written by a newer Hookscope (schema {found}, this build knows up to {supported})")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("schema migration {version} failed: {source}")]
    Migration { version: u32, source: rusqlite::Error },
    #[error("stored data could not be read back: {0}")]
    Decode(String),
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    /// True when the failure is the disk being full (SQLITE_FULL).
    pub fn is_disk_full(&self) -> bool {
        matches!(self, StoreError::DiskFull { .. })
            || matches!(self, StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DiskFull)
    }
}

/// The running store: a writer thread for changes and a small pool of read connections.
#[derive(Clone)]
pub struct Store {
    path: Arc<PathBuf>,
    writer: writer::WriterHandle,
    readers: Arc<Mutex<Vec<rusqlite::Connection>>>,
}

impl Store {
    /// Opens (creating and migrating as needed) the database and starts its writer thread.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = open_database(path)?;
        let writer = writer::spawn(conn, path.to_path_buf())?;
        Ok(Store {
            path: Arc::new(path.to_path_buf()),
            writer,
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores a captured request; resolves once its row is committed. Returns its `seq` and
    /// attempt number.
    pub async fn insert_request(&self, request: CapturedRequest) -> Result<requests::Inserted, StoreError> {
        self.writer.insert(request).await
    }

    /// Runs `f` on the writer connection, ordered after everything queued before it.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.writer.run(f).await
    }

    /// Enforces `policy` now; returns how many requests it removed. What breaks the policy is
    /// found on a reader connection, once per pass ([`retention::excess`]: the byte limit scans
    /// every row), and deleted on the writer in batches of [`retention::PRUNE_BATCH`], so
    /// captures are committed between batches. What captures add during the pass is left to the
    /// next one.
    ///
    /// While captures arrive, a large pass is spread over time: after each batch it rests
    /// [`retention::PRUNE_REST_FACTOR`] times as long as the batch took, so deleting takes a
    /// bounded share of the writer and captures keep their latency; the store stays over its
    /// limit for longer instead. With no capture between two batches it does not rest.
    pub async fn prune(&self, policy: RetentionPolicy, now_ns: i64) -> Result<u64, StoreError> {
        /// Requests found per scan; more are found by the next one.
        const FOUND_PER_SCAN: usize = 50 * retention::PRUNE_BATCH;
        let mut removed = 0;
        let mut excess = self.read(move |conn| retention::excess(conn, &policy)).await?;
        let mut captured_before = self.writer_stats().rows;
        loop {
            let victims = self
                .read(move |conn| retention::victims(conn, &policy, &excess, now_ns, FOUND_PER_SCAN))
                .await?;
            if victims.is_empty() {
                return Ok(removed);
            }
            for batch in victims.chunks(retention::PRUNE_BATCH) {
                let seqs: Vec<i64> = batch.iter().map(|v| v.seq).collect();
                let (deleted, took) = self
                    .write(move |conn| {
                        let started = std::time::Instant::now();
                        let deleted = retention::delete_victims(conn, &seqs)?;
                        Ok((deleted, started.elapsed()))
                    })
                    .await?;
                removed += deleted;
                excess.rows = excess.rows.saturating_sub(batch.len() as u64);
                excess.bytes = excess.bytes.saturating_sub(batch.iter().map(|v| v.bytes).sum());
                // Rows committed since the last batch, other than the ones deleted: captures.
                let captured = self.writer_stats().rows;
                if captured != captured_before {
                    tokio::time::sleep(took * retention::PRUNE_REST_FACTOR).await;
                }
                captured_before = self.writer_stats().rows;
            }
        }
    }

    /// Waits until every stored request is in the full-text index (indexing otherwise follows
    /// the commit by a few milliseconds, off the capture path); returns how many were indexed.
    pub async fn sync_search_index(&self) -> Result<usize, StoreError> {
        self.writer.run(search::index_all_pending).await
    }

    /// Lists requests (newest first, filtered, one keyset page). A search answers at once: rows
    /// the full-text index has not reached yet are searched directly ([`search_tail`]).
    pub async fn list_requests(&self, query: requests::ListQuery) -> Result<Vec<RequestSummary>, StoreError> {
        self.read(move |conn| requests::list(conn, &query)).await
    }

    /// Runs `f` on a read connection in the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.read_blocking(f))
            .await
            .map_err(|_| StoreError::WriterGone)?
    }

    /// Runs `f` on a read connection on the current thread.
    pub fn read_blocking<T>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.readers.lock().expect("reader pool poisoned").pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_connection(&self.path)?,
        };
        let result = f(&conn);
        let mut pool = self.readers.lock().expect("reader pool poisoned");
        if pool.len() < 4 {
            pool.push(conn);
        }
        result
    }

    /// Counters of the writer (rows, commits), for benchmarks and diagnostics.
    pub fn writer_stats(&self) -> WriterStats {
        self.writer.stats()
    }
}
