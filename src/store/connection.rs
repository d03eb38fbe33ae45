//! Opening database files: owner-only permissions, pragmas, corruption detection, migrations.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{schema, StoreError};

/// `$HOOKSCOPE_DB`, else `hookscope.db` in the OS's local data directory: `~/.local/share/hookscope`
/// on Linux (`$XDG_DATA_HOME`), `~/Library/Application Support/hookscope` on macOS and
/// `%LOCALAPPDATA%\hookscope` on Windows (local, not roaming: a database of captures should not
/// travel with a roaming profile).
pub fn default_db_path() -> PathBuf {
    if let Some(path) = std::env::var_os("HOOKSCOPE_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    dirs::data_local_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("hookscope")
        .join("hookscope.db")
}

/// Opens the database for writing, creating it with owner-only permissions, and migrates it.
pub fn open_database(path: &Path) -> Result<Connection, StoreError> {
    create_private_file(path)?;
    let mut conn = open_connection(path)?;
    schema::migrate(&mut conn).map_err(|e| classify(path, e))?;
    // Rows stored by a process that stopped before indexing them are found by search all the
    // same (the not-yet-indexed tail is searched directly); a store's writer indexes them.
    Ok(conn)
}

/// Opens a connection to an existing database with Hookscope's pragmas, checking it is sane.
pub fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    configure(&mut conn).map_err(|e| classify(path, e.into()))?;
    Ok(conn)
}

/// The page size of new databases: 8 KiB. A capture with a 2 KiB body is a row of about 2.7 KiB;
/// with SQLite's default 4 KiB pages no two such rows share a page, so each capture wrote a page
/// of its own to the log (4.2 KiB per row), against 2.8 KiB per row at 8 KiB. The writer's
/// system time per capture fell by a quarter with it (docs/benchmarks.md, seventh round).
pub const PAGE_SIZE: u32 = 8192;

fn configure(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    conn.busy_handler(Some(wait_for_lock))?;
    // Only a new, empty file takes the page size; an existing database keeps its own.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    // Reading the journal mode is the first real read of the file: a damaged or foreign file fails here.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "database is not in WAL mode");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    super::search_tail::register_functions(conn)?;
    Ok(())
}

/// How long a connection waits for another one's lock before it gives up with "database is busy".
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
const LOCK_POLL: std::time::Duration = std::time::Duration::from_millis(1);

/// Waits for a lock held by another connection (the serving process's writer, a CLI command)
/// in 1 ms steps. SQLite's own busy timeout backs off to 100 ms sleeps, so a connection that
/// competes with a busy writer mostly sleeps while the lock is free.
fn wait_for_lock(attempt: i32) -> bool {
    if LOCK_POLL * attempt.max(0) as u32 >= LOCK_WAIT {
        return false;
    }
    std::thread::sleep(LOCK_POLL);
    true
}

/// Turns "file is not a database" and disk-full errors into their own variants.
fn classify(path: &Path, error: StoreError) -> StoreError {
    if let StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, detail))
    | StoreError::Migration {
        source: rusqlite::Error::SqliteFailure(e, detail),
        ..
    } = &error
    {
        match e.code {
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt => {
                return StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: detail.clone().unwrap_or_else(|| e.to_string()),
                }
            }
            rusqlite::ErrorCode::DiskFull => {
                return StoreError::DiskFull {
                    path: path.to_path_buf(),
                }
            }
            _ => {}
        }
    }
    error
}

/// Creates the file (and its folder) readable by the owner only, before SQLite opens it;
/// SQLite gives the WAL and shared-memory files the same permissions. On Unix that is mode
/// 0700/0600; elsewhere (Windows) the file inherits its folder's access list, which under the
/// user's profile (the default path) grants the user, SYSTEM and administrators only.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let open_error = |e: std::io::Error| StoreError::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(parent).map_err(open_error)?;
        }
    }
    if !path.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(open_error(e)),
        }
    }
    Ok(())
}
