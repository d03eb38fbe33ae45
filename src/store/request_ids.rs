//! The map from a request's id to its `seq` (`request_ids`), filled behind the listener.
//!
//! A unique index on `requests.id` would be written with every capture commit; instead the writer
//! maps rows in batches of hundreds when it has a moment ([`map_pending`]), and a lookup reads the
//! few rows not mapped yet directly (`requests::seq_of_id!`).

use rusqlite::Connection;

use super::StoreError;

/// Rows mapped per transaction, at most: a step takes about a millisecond, which a capture that
/// arrives meanwhile waits for.
pub const MAP_BATCH: usize = 1024;

/// Maps up to `limit` rows stored since the last mapped one; returns how many. Runs in an
/// immediate transaction, so two connections never map the same rows.
pub fn map_pending(conn: &mut Connection, limit: usize) -> Result<usize, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mapped_seq: i64 = tx
        .prepare_cached("SELECT mapped_seq FROM request_ids_progress WHERE id = 1")?
        .query_row([], |row| row.get(0))?;
    let (count, last): (usize, Option<i64>) = tx
        .prepare_cached(
            "SELECT count(*), max(seq) FROM (SELECT seq FROM requests WHERE seq > ?1 ORDER BY seq LIMIT ?2)",
        )?
        .query_row(rusqlite::params![mapped_seq, limit as i64], |row| {
            Ok((row.get::<_, i64>(0)? as usize, row.get(1)?))
        })?;
    let Some(last) = last else {
        return Ok(0);
    };
    // Ids are fresh ULIDs; should two rows ever share one, the first stored keeps it.
    tx.prepare_cached(
        "INSERT OR IGNORE INTO request_ids (id, seq) SELECT id, seq FROM requests WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    )?
    .execute([mapped_seq, last])?;
    tx.prepare_cached("UPDATE request_ids_progress SET mapped_seq = ?1 WHERE id = 1")?
        .execute([last])?;
    tx.commit()?;
    Ok(count)
}

/// Rows stored but not mapped yet.
pub fn unmapped(conn: &Connection) -> Result<u64, StoreError> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM requests WHERE seq > (SELECT mapped_seq FROM request_ids_progress WHERE id = 1)",
        [],
        |row| row.get(0),
    )?;
    Ok(count as u64)
}
