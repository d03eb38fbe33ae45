//! Polling for new requests from a watermark, for `hookscope wait`: which requests with a `seq`
//! above the watermark match the filters, in `seq` order, without scanning the table.
//!
//! `seq` only grows and a row becomes visible with every row of a smaller `seq` (one writer at
//! a time), so "everything above the watermark" never misses a commit. Every query is a range
//! of the primary key (or of the full-text index's rowid, which is `seq`). A search matches the
//! text the way `list --search` does: rows already in the full-text index through it, and the
//! tail that is not indexed yet through a temporary index of that tail on this connection, so
//! a row is found the moment it is committed, before the writer indexes it.

use rusqlite::{params_from_iter, types::Value, Connection};

use super::requests::{read_summary, SUMMARY_COLUMNS};
use super::{search, search_tail, StoreError};
use crate::event_meta::filter::EventFilter;
use crate::model::RequestSummary;

/// At most this many not-yet-indexed rows are indexed per call; later ones wait for the next.
const TAIL_PER_CALL: i64 = 1000;

/// What a waited-for request must match; every filter left empty matches all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitFilter {
    /// The endpoint's name, as `list --endpoint`.
    pub endpoint: Option<String>,
    /// Full-text search, as `list --search` (words in target, headers and text bodies).
    pub search: Option<String>,
    /// Only requests whose signature verified.
    pub verified_only: bool,
    /// `--event TYPE` and `--where '/pointer=value'`: as `list`, in SQL.
    pub fields: EventFilter,
}

/// The requests found by one poll, and the watermark to poll from next.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitPage {
    /// Matching requests, oldest first.
    pub matches: Vec<RequestSummary>,
    /// Every request up to this `seq` has been looked at; pass it to the next call.
    pub watermark: i64,
}

/// The highest `seq` stored (0 when empty): the watermark of "only requests from now on".
pub fn max_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM requests")?
        .query_row([], |r| r.get(0))?)
}

/// The requests with `seq` above `watermark` that match `filter`, oldest first, at most
/// `limit`. A page that is full stops at its last match; otherwise the watermark moves to the
/// last request looked at, so non-matching requests are not looked at again.
pub fn matching_after(
    conn: &Connection,
    watermark: i64,
    filter: &WaitFilter,
    limit: usize,
) -> Result<WaitPage, StoreError> {
    let limit = limit.max(1);
    let fts = filter.search.as_deref().and_then(search::fts_query);
    // Read what is indexed before the newest seq: rows up to `indexed` are in the index then.
    let indexed = match fts {
        Some(_) => Some(search_tail::indexed_seq(conn)?),
        None => None,
    };
    let mut upto = max_seq(conn)?;
    if let Some(indexed) = indexed {
        upto = upto.min(indexed.max(watermark) + TAIL_PER_CALL);
    }
    if upto <= watermark {
        return Ok(WaitPage {
            matches: Vec::new(),
            watermark,
        });
    }
    let mut matches = match (&fts, indexed) {
        (None, _) | (_, None) => select(conn, Source::Table, None, watermark, upto, filter, limit)?,
        (Some(fts), Some(indexed)) => {
            let mut found = Vec::new();
            if indexed > watermark {
                found = select(
                    conn,
                    Source::Index,
                    Some(fts),
                    watermark,
                    indexed.min(upto),
                    filter,
                    limit,
                )?;
            }
            let tail_from = indexed.max(watermark);
            if found.len() < limit && tail_from < upto {
                let prefilter = search_tail::Prefilter::for_text(filter.search.as_deref().unwrap_or_default());
                search_tail::fill(conn, tail_from, upto, &prefilter, &[])?;
                found.extend(select(
                    conn,
                    Source::Tail,
                    Some(fts),
                    tail_from,
                    upto,
                    filter,
                    limit - found.len(),
                )?);
            }
            found
        }
    };
    matches.truncate(limit);
    let watermark = match matches.last() {
        Some(last) if matches.len() == limit => last.seq,
        _ => upto,
    };
    Ok(WaitPage { matches, watermark })
}

/// Where the rows are searched.
#[derive(Clone, Copy)]
enum Source {
    /// The table itself, by `seq` range (no search).
    Table,
    /// The full-text index of committed rows.
    Index,
    /// This connection's temporary index of the rows not indexed yet.
    Tail,
}

fn select(
    conn: &Connection,
    source: Source,
    fts: Option<&str>,
    after: i64,
    upto: i64,
    filter: &WaitFilter,
    limit: usize,
) -> Result<Vec<RequestSummary>, StoreError> {
    let (from, key, match_table) = match source {
        Source::Table => ("requests r", "r.seq", None),
        Source::Index => (
            "requests_fts f JOIN requests r ON r.seq = f.rowid",
            "f.rowid",
            Some("requests_fts"),
        ),
        Source::Tail => (
            "temp.tail_fts f JOIN requests r ON r.seq = f.rowid",
            "f.rowid",
            Some(search_tail::TAIL_TABLE),
        ),
    };
    let mut conditions = vec![format!("{key} > ?"), format!("{key} <= ?")];
    let mut args: Vec<Value> = vec![after.into(), upto.into()];
    if let (Some(table), Some(fts)) = (match_table, fts) {
        conditions.push(format!("{table} MATCH ?"));
        args.push(fts.to_owned().into());
    }
    if let Some(endpoint) = &filter.endpoint {
        conditions.push("r.endpoint_name = ?".into());
        args.push(endpoint.clone().into());
    }
    if filter.verified_only {
        conditions.push("r.signature_status = 'verified'".into());
    }
    for condition in filter.fields.sql_conditions("r") {
        conditions.push(format!("({})", condition.sql));
        args.extend(condition.args);
    }
    args.push((limit as i64).into());
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {from} WHERE {} ORDER BY {key} LIMIT ?",
        conditions.join(" AND ")
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(args))?;
    let mut summaries = Vec::new();
    while summaries.len() < limit {
        let Some(row) = rows.next()? else { break };
        let summary = read_summary(row)??;
        summaries.push(summary);
    }
    Ok(summaries)
}
