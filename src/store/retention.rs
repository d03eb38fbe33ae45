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
    // The first request kept in the order they were stored (the table's key, no scan).
    let oldest_kept: Option<i64> = tx
        .query_row("SELECT received_at_ns FROM requests ORDER BY seq LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?;
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

/// Up to `limit` of the oldest requests that break the policy, by `seq`: the first ones stored
/// that are older than the age limit if there are any, else those over the row limit, else the
/// oldest whose bodies add up to the bytes over the byte limit (the last two as `excess` says,
/// see [`excess`]). Only reads, so it can run on a reader connection while the writer stores
/// captures.
pub fn victims(
    conn: &Connection,
    policy: &RetentionPolicy,
    excess: &Excess,
    now_ns: i64,
    limit: usize,
) -> Result<Vec<Victim>, StoreError> {
    // The oldest requests in the order they were stored, with their arrival times.
    let oldest = |take: u64| -> Result<Vec<(Victim, i64)>, StoreError> {
        let mut statement = conn.prepare_cached(
            "SELECT seq, length(body) + length(response_body), received_at_ns FROM requests ORDER BY seq LIMIT ?1",
        )?;
        let read = |r: &rusqlite::Row<'_>| {
            let victim = Victim {
                seq: r.get(0)?,
                bytes: r.get::<_, i64>(1)? as u64,
            };
            Ok((victim, r.get(2)?))
        };
        let rows = statement
            .query_map([take as i64], read)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    };
    if let Some(max_age) = policy.max_age {
        // Requests are stored as they arrive, so the ones past the age limit come first: they
        // are taken up to the first one young enough (an import's older requests wait for the
        // ones stored before them).
        let cutoff = now_ns.saturating_sub(max_age.as_nanos() as i64);
        let rows: Vec<Victim> = oldest(limit as u64)?
            .into_iter()
            .take_while(|(_, received_at_ns)| *received_at_ns < cutoff)
            .map(|(victim, _)| victim)
            .collect();
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    if excess.rows > 0 {
        return Ok(oldest(excess.rows.min(limit as u64))?
            .into_iter()
            .map(|(victim, _)| victim)
            .collect());
    }
    if excess.bytes > 0 {
        // Walk from the oldest until enough bytes are freed.
        let mut to_free = excess.bytes;
        let mut chosen = Vec::new();
        for (victim, _) in oldest(limit as u64)? {
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
