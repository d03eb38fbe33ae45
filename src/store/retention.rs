//! Retention: keep at most N rows, N bytes of bodies, or rows younger than an age.
//!
//! Finding what breaks the policy ([`victims`]) only reads: the byte limit needs a scan of every
//! row, so it runs on a reader connection, never on the writer. Deleting ([`delete_victims`])
//! goes in small batches, each its own short transaction on the writer, so captures queued
//! meanwhile are committed between batches rather than after. [`super::Store::prune`] does both.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use super::{requests, tunnel_outages, StoreError};

/// Rows removed per transaction on the writer. Small, because captures wait while a batch runs:
/// during a large pruning pass, batches of 500 gave about twice the capture p99 of batches of 100
/// (`scripts/bench-retention.sh`, docs/benchmarks.md).
pub const PRUNE_BATCH: usize = 100;

/// While captures arrive, a pruning pass rests this many times as long as each batch took, so
/// deleting takes at most a quarter of the writer's time (`scripts/bench-retention.sh`).
pub const PRUNE_REST_FACTOR: u32 = 3;

/// Limits on what is kept; `None` means no limit of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetentionPolicy {
    pub max_rows: Option<u64>,
    pub max_bytes: Option<u64>,
    pub max_age: Option<Duration>,
}

impl RetentionPolicy {
    pub fn is_unlimited(&self) -> bool {
        self.max_rows.is_none() && self.max_bytes.is_none() && self.max_age.is_none()
    }
}

/// Deletes these requests, and the tunnel outages that ended before the oldest request still
/// kept (with no request left, before the newest one deleted), in one transaction; returns how
/// many requests it was given.
pub fn delete_victims(conn: &mut Connection, victims: &[i64]) -> Result<u64, StoreError> {
    if victims.is_empty() {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    let mut newest_deleted = i64::MIN;
    {
        let mut received = tx.prepare_cached("SELECT received_at_ns FROM requests WHERE seq = ?1")?;
        for seq in victims {
            if let Some(at) = received.query_row([*seq], |r| r.get::<_, i64>(0)).optional()? {
                newest_deleted = newest_deleted.max(at);
            }
            requests::delete_seq(&tx, *seq)?;
        }
    }
    let oldest_kept: Option<i64> = tx.query_row("SELECT min(received_at_ns) FROM requests", [], |r| r.get(0))?;
    tunnel_outages::delete_ended_before(&tx, oldest_kept.unwrap_or(newest_deleted))?;
    tx.commit()?;
    Ok(victims.len() as u64)
}

/// What broke the policy's count and byte limits when a pruning pass started: the pass removes
/// that much and no more, so it scans the table once (the byte total reads every row) instead of
/// once per batch, and it ends even while captures keep arriving; what they add is left to the
/// next pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Excess {
    /// Requests over the row limit.
    pub rows: u64,
    /// Bytes of bodies over the byte limit.
    pub bytes: u64,
}

/// The [`Excess`] of the policy now (0 for limits it does not set). Only reads.
pub fn excess(conn: &Connection, policy: &RetentionPolicy) -> Result<Excess, StoreError> {
    let mut excess = Excess::default();
    if let Some(max_rows) = policy.max_rows {
        excess.rows = requests::count(conn)?.saturating_sub(max_rows);
    }
    if let Some(max_bytes) = policy.max_bytes {
        let total: i64 = conn.query_row(
            "SELECT coalesce(sum(length(body) + length(response_body)), 0) FROM requests",
            [],
            |r| r.get(0),
        )?;
        excess.bytes = (total as u64).saturating_sub(max_bytes);
    }
    Ok(excess)
}

/// A request chosen for removal: its `seq` and the bytes of its bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Victim {
    pub seq: i64,
    pub bytes: u64,
}

/// Up to `limit` of the oldest requests that break the policy, by `seq`: those older than the
/// age limit if there are any, else those over the row limit, else the oldest whose bodies add
/// up to the bytes over the byte limit (the last two as `excess` says, see [`excess`]). Only
/// reads, so it can run on a reader connection while the writer stores captures.
pub fn victims(
    conn: &Connection,
    policy: &RetentionPolicy,
    excess: &Excess,
    now_ns: i64,
    limit: usize,
) -> Result<Vec<Victim>, StoreError> {
    let oldest = |take: u64, extra: &str, arg: i64| -> Result<Vec<Victim>, StoreError> {
        let sql =
            format!("SELECT seq, length(body) + length(response_body) FROM requests {extra} ORDER BY seq LIMIT {take}");
        let mut statement = conn.prepare(&sql)?;
        let read = |r: &rusqlite::Row<'_>| {
            Ok(Victim {
                seq: r.get(0)?,
                bytes: r.get::<_, i64>(1)? as u64,
            })
        };
        let rows = if extra.is_empty() {
            statement.query_map([], read)?.collect::<Result<Vec<_>, _>>()?
        } else {
            statement.query_map([arg], read)?.collect::<Result<Vec<_>, _>>()?
        };
        Ok(rows)
    };
    if let Some(max_age) = policy.max_age {
        let cutoff = now_ns.saturating_sub(max_age.as_nanos() as i64);
        let rows = oldest(limit as u64, "WHERE received_at_ns < ?1", cutoff)?;
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    if excess.rows > 0 {
        return oldest(excess.rows.min(limit as u64), "", 0);
    }
    if excess.bytes > 0 {
        // Walk from the oldest until enough bytes are freed.
        let mut to_free = excess.bytes;
        let mut chosen = Vec::new();
        for victim in oldest(limit as u64, "", 0)? {
            chosen.push(victim);
            to_free = to_free.saturating_sub(victim.bytes);
            if to_free == 0 {
                break;
            }
        }
        return Ok(chosen);
    }
    Ok(Vec::new())
}
