//! SQL for the `tunnel_outages` table: when the public tunnel was down and how that ended.

use rusqlite::{params, Connection};

use super::StoreError;
use crate::model::{OutageEnd, TunnelOutage};

/// Records the start of an outage; returns its id.
pub fn begin(conn: &Connection, started_at_ns: i64, reason: &str) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO tunnel_outages (started_at_ns, reason) VALUES (?1, ?2)",
        params![started_at_ns, reason],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Ends every outage still open, at `ended_at_ns` (`None`: unknown); returns how many.
pub fn end_open(conn: &Connection, ended_at_ns: Option<i64>, end: OutageEnd) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "UPDATE tunnel_outages SET ended_at_ns = ?1, end_reason = ?2 WHERE end_reason IS NULL",
        params![ended_at_ns, end.as_str()],
    )?)
}

/// Deletes every outage that is over; one still going on is kept, since it concerns requests yet
/// to come. Used when every request is cleared. Returns how many were deleted.
pub fn delete_ended(conn: &Connection) -> Result<usize, StoreError> {
    Ok(conn.execute("DELETE FROM tunnel_outages WHERE end_reason IS NOT NULL", [])?)
}

/// Deletes the outages that ended before `before_ns` (the oldest request kept): their marker
/// would sit between requests that are gone. An outage whose end is not known (the app closed
/// first) counts as ending when it started, which is where the list shows it. One still going on
/// is kept. Returns how many were deleted.
pub fn delete_ended_before(conn: &Connection, before_ns: i64) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "DELETE FROM tunnel_outages \
         WHERE end_reason IS NOT NULL AND coalesce(ended_at_ns, started_at_ns) < ?1",
        [before_ns],
    )?)
}

/// The newest `limit` outages, newest first.
pub fn list(conn: &Connection, limit: usize) -> Result<Vec<TunnelOutage>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, started_at_ns, ended_at_ns, end_reason, reason FROM tunnel_outages \
         ORDER BY started_at_ns DESC, id DESC LIMIT ?1",
    )?;
    let rows = statement.query_map([limit as i64], |row| {
        let end: Option<String> = row.get(3)?;
        Ok(TunnelOutage {
            id: row.get(0)?,
            started_at_ns: row.get(1)?,
            ended_at_ns: row.get(2)?,
            end: end.as_deref().and_then(OutageEnd::parse),
            reason: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
