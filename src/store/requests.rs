//! SQL for the `requests` table (captured requests) and its full-text index.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{header_json, search, search_tail, tail_sketch, StoreError};
use crate::model::{CaptureSource, CapturedRequest, RecordedResponse, RequestSummary, SignatureVerdict};

/// Filters and page position for listing requests, newest first.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub limit: usize,
    /// Keyset pagination: only rows older than this `seq`.
    pub before_seq: Option<i64>,
    /// Full-text search over target, headers and text bodies.
    pub search: Option<String>,
    pub method: Option<String>,
    pub endpoint: Option<String>,
    pub status: Option<u16>,
    /// Substring that must appear in a header line (`Name: value`), case-insensitive.
    pub header: Option<String>,
    /// `--event TYPE` and `--where '/pointer=value'`: event columns and body fields.
    pub fields: crate::event_meta::filter::EventFilter,
}

pub(super) const SUMMARY_COLUMNS: &str =
    "r.seq, r.id, r.endpoint_name, r.received_at_ns, r.source, r.remote_addr, r.method, \
     r.target, r.content_type, r.body_size, r.truncated, r.response_status, r.signature_status, \
     json_extract(r.signature, '$.provider'), r.rule, r.event_type, r.delivery_id, r.attempt";

/// What storing a request decided: its `seq`, and its attempt number among the requests with
/// the same provider and delivery id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    pub seq: i64,
    pub attempt: Option<u32>,
}

/// The columns of a request's row that take work to compute: its header lists and verdict as
/// JSON text and its tail sketch ([`tail_sketch`]). The capture path computes them on the
/// listener's task, so that the single writer only binds them.
#[derive(Debug, Clone)]
pub struct EncodedColumns {
    headers: String,
    response_headers: String,
    signature: Option<String>,
    signature_status: Option<&'static str>,
    /// `None` stores the row without a sketch: a tail search then reads it in full.
    pub sketch: Option<Vec<u8>>,
}

impl EncodedColumns {
    pub fn of(request: &CapturedRequest) -> Result<EncodedColumns, StoreError> {
        Ok(EncodedColumns {
            headers: header_json::to_json(&request.headers)?,
            response_headers: header_json::to_json(&request.response.headers)?,
            signature: request
                .signature
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| StoreError::Decode(e.to_string()))?,
            signature_status: request.signature.as_ref().map(|v| v.status.as_str()),
            sketch: tail_sketch::of(request),
        })
    }
}

/// Inserts a captured request, encoding its columns here; returns its `seq` and attempt number.
pub fn insert(conn: &Connection, request: &CapturedRequest) -> Result<Inserted, StoreError> {
    insert_encoded(conn, request, &EncodedColumns::of(request)?)
}

/// Inserts a captured request with its columns encoded beforehand ([`EncodedColumns::of`]);
/// returns its `seq` and attempt number. Full-text indexing follows later
/// ([`search::index_pending`]), off the capture path.
pub fn insert_encoded(
    conn: &Connection,
    request: &CapturedRequest,
    columns: &EncodedColumns,
) -> Result<Inserted, StoreError> {
    let provider = crate::event_meta::provider_of(request);
    // The writer inserts in arrival order, so the attempts counted before this one came first.
    let attempt = match (provider, request.delivery_id.as_deref()) {
        (Some(provider), Some(delivery_id)) => Some(next_attempt(conn, provider, delivery_id)?),
        _ => None,
    };
    let mut insert = conn.prepare_cached(
        "INSERT INTO requests (id, endpoint_id, endpoint_name, received_at_ns, source, remote_addr, method, target, \
         http_version, headers, content_type, body, body_size, truncated, response_status, response_headers, \
         response_body, response_note, signature, signature_status, rule, provider, event_type, delivery_id, attempt, \
         tail_sketch) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, \
         ?23, ?24, ?25, ?26)",
    )?;
    insert.execute(params![
        request.id,
        request.endpoint_id,
        request.endpoint_name,
        request.received_at_ns,
        request.source.as_str(),
        request.remote_addr,
        request.method,
        request.target,
        request.http_version,
        columns.headers,
        request.header("content-type"),
        request.body,
        request.body_size as i64,
        request.truncated,
        request.response.status,
        columns.response_headers,
        request.response.body,
        request.response.note,
        columns.signature,
        columns.signature_status,
        request.rule,
        provider,
        request.event_type,
        request.delivery_id,
        attempt,
        columns.sketch,
    ])?;
    Ok(Inserted {
        seq: conn.last_insert_rowid(),
        attempt,
    })
}

/// One captured request by id.
pub fn get(conn: &Connection, id: &str) -> Result<Option<CapturedRequest>, StoreError> {
    conn.prepare_cached(
        "SELECT id, endpoint_id, endpoint_name, received_at_ns, source, remote_addr, method, target, http_version, \
         headers, body, body_size, truncated, response_status, response_headers, response_body, response_note, signature, \
         rule, event_type, delivery_id, attempt FROM requests WHERE id = ?1",
    )?
    .query_row([id], read_request)
    .optional()?
    .transpose()
}

/// The `seq` of a request, if it exists.
pub fn seq_of(conn: &Connection, id: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row("SELECT seq FROM requests WHERE id = ?1", [id], |row| row.get(0))
        .optional()?)
}

/// Rows of the not-yet-indexed tail searched by the first step, newest first; each further step
/// doubles, up to [`TAIL_STEP_MAX`]. A page of a common word fills in the first small step; a
/// rare word is looked for in steps large enough that their overhead stays small.
const TAIL_STEP_FIRST: i64 = 256;
const TAIL_STEP_MAX: i64 = 16_384;

/// A condition over the row alias `r`, with its arguments.
type Condition = (String, Vec<rusqlite::types::Value>);

/// Requests newest first, filtered, one page at a time (keyset pagination on `seq`).
///
/// A search never waits for the full-text index: the rows it holds are searched through it, and
/// the newer rows it has not reached yet (the tail, long after an overload) directly
/// ([`search_tail`]), newest first, so a row is found from the moment it is committed.
pub fn list(conn: &Connection, query: &ListQuery) -> Result<Vec<RequestSummary>, StoreError> {
    // The search text may carry filters too (`event:invoice.paid /data/object/customer=cus_42`).
    let (text, in_search) = match query.search.as_deref() {
        Some(search) => {
            crate::event_meta::filter::split_search(search).map_err(|e| StoreError::Invalid(format!("search: {e}")))?
        }
        None => (String::new(), Default::default()),
    };
    let conditions = list_conditions(query, &in_search);
    let limit = query.limit.max(1);
    let Some(fts) = search::fts_query(&text) else {
        let mut conditions = conditions;
        if let Some(before) = query.before_seq {
            conditions.push(("r.seq < ?".into(), vec![before.into()]));
        }
        return select_summaries(conn, "requests r", "r.seq", &conditions, limit);
    };
    let indexed = search_tail::indexed_seq(conn)?;
    let top = match query.before_seq {
        Some(before) => before - 1,
        None => super::wait::max_seq(conn)?,
    };
    let mut found = Vec::new();
    let prefilter = search_tail::Prefilter::for_text(&text);
    let _mapped = (top > indexed)
        .then(|| search_tail::MappedReads::new(conn))
        .transpose()?;
    let mut high = top;
    let mut step = TAIL_STEP_FIRST;
    while high > indexed && found.len() < limit {
        let low = (high - step).max(indexed);
        step = (step * 2).min(TAIL_STEP_MAX);
        if search_tail::fill(conn, low, high, &prefilter, &conditions)? > 0 {
            let matched = vec![(format!("{} MATCH ?", search_tail::TAIL_TABLE), vec![fts.clone().into()])];
            let from = format!("temp.{} f JOIN requests r ON r.seq = f.rowid", search_tail::TAIL_TABLE);
            found.extend(select_summaries(conn, &from, "f.rowid", &matched, limit - found.len())?);
        }
        high = low;
    }
    if found.len() < limit {
        // With a search, order and page by the index's own rowid (= seq): FTS5 then walks its
        // matches newest first and stops at the limit, instead of collecting and sorting them all.
        let mut conditions = conditions;
        conditions.push(("requests_fts MATCH ?".into(), vec![fts.into()]));
        conditions.push(("f.rowid <= ?".into(), vec![top.min(indexed).into()]));
        let from = "requests_fts f JOIN requests r ON r.seq = f.rowid";
        found.extend(select_summaries(
            conn,
            from,
            "f.rowid",
            &conditions,
            limit - found.len(),
        )?);
    }
    Ok(found)
}

/// The conditions of a list query but its search text and page position.
fn list_conditions(query: &ListQuery, in_search: &crate::event_meta::filter::EventFilter) -> Vec<Condition> {
    let mut conditions: Vec<Condition> = Vec::new();
    if let Some(method) = &query.method {
        conditions.push(("r.method = ?".into(), vec![method.to_ascii_uppercase().into()]));
    }
    if let Some(endpoint) = &query.endpoint {
        conditions.push(("r.endpoint_name = ?".into(), vec![endpoint.clone().into()]));
    }
    if let Some(status) = query.status {
        conditions.push(("r.response_status = ?".into(), vec![i64::from(status).into()]));
    }
    if let Some(header) = &query.header {
        conditions.push(("EXISTS (SELECT 1 FROM json_each(r.headers) h WHERE instr(lower(json_extract(h.value, '$[0]') || ': ' || json_extract(h.value, '$[1]')), lower(?)) > 0)".into(), vec![header.clone().into()]));
    }
    for condition in query
        .fields
        .sql_conditions("r")
        .into_iter()
        .chain(in_search.sql_conditions("r"))
    {
        conditions.push((condition.sql, condition.args));
    }
    conditions
}

/// `SELECT` summaries `FROM from WHERE conditions ORDER BY key DESC LIMIT limit`.
fn select_summaries(
    conn: &Connection,
    from: &str,
    key: &str,
    conditions: &[Condition],
    limit: usize,
) -> Result<Vec<RequestSummary>, StoreError> {
    let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM {from}");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    for (i, (condition, condition_args)) in conditions.iter().enumerate() {
        sql.push_str(if i == 0 { " WHERE (" } else { " AND (" });
        sql.push_str(condition);
        sql.push(')');
        args.extend(condition_args.iter().cloned());
    }
    sql.push_str(&format!(" ORDER BY {key} DESC LIMIT ?"));
    args.push((limit as i64).into());
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(rusqlite::params_from_iter(args), read_summary)?;
    let mut summaries = Vec::new();
    for row in rows {
        summaries.push(row??);
    }
    Ok(summaries)
}

/// Number of stored requests.
pub fn count(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM requests", [], |row| row.get::<_, i64>(0))? as u64)
}

/// Deletes requests by id (and their index entries); returns how many were removed.
pub fn delete(conn: &Connection, ids: &[String]) -> Result<u64, StoreError> {
    let mut removed = 0;
    let mut find = conn.prepare_cached("SELECT seq FROM requests WHERE id = ?1")?;
    for id in ids {
        if let Some(seq) = find.query_row([id], |row| row.get::<_, i64>(0)).optional()? {
            delete_seq(conn, seq)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Deletes one row by `seq` with its full-text entry.
pub fn delete_seq(conn: &Connection, seq: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM requests_fts WHERE rowid = ?1")?
        .execute([seq])?;
    conn.prepare_cached("DELETE FROM requests WHERE seq = ?1")?
        .execute([seq])?;
    Ok(())
}

/// Deletes every captured request, and the tunnel outages that are over (their markers sat
/// between requests that are gone), in one transaction; returns how many requests.
pub fn delete_all(conn: &Connection) -> Result<u64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM requests_fts", [])?;
    let removed = tx.execute("DELETE FROM requests", [])? as u64;
    super::tunnel_outages::delete_ended(&tx)?;
    tx.commit()?;
    Ok(removed)
}

/// Ids of the requests captured for an endpoint, oldest first (for re-verifying them).
pub fn ids_of_endpoint(conn: &Connection, endpoint_id: i64) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT id FROM requests WHERE endpoint_id = ?1 ORDER BY seq")?;
    let ids = statement
        .query_map([endpoint_id], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// Replaces the stored signature verdict of a request (after an endpoint's secrets changed).
pub fn update_signature(conn: &Connection, id: &str, verdict: Option<&SignatureVerdict>) -> Result<(), StoreError> {
    let json = verdict
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Decode(e.to_string()))?;
    conn.execute(
        "UPDATE requests SET signature = ?2, signature_status = ?3 WHERE id = ?1",
        params![id, json, verdict.map(|v| v.status.as_str())],
    )?;
    Ok(())
}

fn parse_source(text: &str) -> Result<CaptureSource, StoreError> {
    CaptureSource::parse(text).ok_or_else(|| StoreError::Decode(format!("unknown source {text}")))
}

fn read_request(row: &Row<'_>) -> rusqlite::Result<Result<CapturedRequest, StoreError>> {
    let source: String = row.get(4)?;
    let headers: String = row.get(9)?;
    let response_headers: String = row.get(14)?;
    let signature: Option<String> = row.get(17)?;
    let build = || -> Result<CapturedRequest, StoreError> {
        Ok(CapturedRequest {
            id: row.get(0)?,
            endpoint_id: row.get(1)?,
            endpoint_name: row.get(2)?,
            received_at_ns: row.get(3)?,
            source: parse_source(&source)?,
            remote_addr: row.get(5)?,
            method: row.get(6)?,
            target: row.get(7)?,
            http_version: row.get(8)?,
            headers: header_json::from_json(&headers)?,
            body: row.get(10)?,
            body_size: row.get::<_, i64>(11)? as u64,
            truncated: row.get(12)?,
            response: RecordedResponse {
                status: row.get(13)?,
                headers: header_json::from_json(&response_headers)?,
                body: row.get(15)?,
                note: row.get(16)?,
            },
            signature: signature
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|e| StoreError::Decode(e.to_string()))?,
            rule: row.get(18)?,
            event_type: row.get(19)?,
            delivery_id: row.get(20)?,
            attempt: row.get(21)?,
        })
    };
    Ok(build())
}

pub(super) fn read_summary(row: &Row<'_>) -> rusqlite::Result<Result<RequestSummary, StoreError>> {
    let source: String = row.get(4)?;
    let signature_status: Option<String> = row.get(12)?;
    let build = || -> Result<RequestSummary, StoreError> {
        Ok(RequestSummary {
            seq: row.get(0)?,
            id: row.get(1)?,
            endpoint_name: row.get(2)?,
            received_at_ns: row.get(3)?,
            source: parse_source(&source)?,
            remote_addr: row.get(5)?,
            method: row.get(6)?,
            target: row.get(7)?,
            content_type: row.get(8)?,
            body_size: row.get::<_, i64>(9)? as u64,
            truncated: row.get(10)?,
            response_status: row.get(11)?,
            signature_status: signature_status
                .map(|s| serde_json::from_value(serde_json::Value::String(s)))
                .transpose()
                .map_err(|e| StoreError::Decode(e.to_string()))?,
            signature_provider: row.get(13)?,
            rule: row.get(14)?,
            event_type: row.get(15)?,
            delivery_id: row.get(16)?,
            attempt: row.get(17)?,
        })
    };
    Ok(build())
}

// ---------------------------------------------------------------------------------------------
// Event type, delivery id and attempt (migration 7), and listing by field filters.
// ---------------------------------------------------------------------------------------------

/// The event columns of a stored request.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredEvent {
    /// The provider id the event was read for (configured on the endpoint or detected).
    pub provider: Option<String>,
    pub event_type: Option<String>,
    pub delivery_id: Option<String>,
    /// 1, 2, ... among the requests with the same provider and delivery id, by arrival; `None`
    /// without a delivery id.
    pub attempt: Option<u32>,
}

/// The attempt number the next request of this provider and delivery id gets: 1 + how many are
/// stored. Call it on the writer, in the transaction that inserts the row (the writer's order
/// is the arrival order), then insert with it; or use [`record_event`] after the insert.
pub fn next_attempt(conn: &Connection, provider: &str, delivery_id: &str) -> Result<u32, StoreError> {
    let earlier: i64 = conn
        .prepare_cached("SELECT count(*) FROM requests WHERE provider = ?1 AND delivery_id = ?2")?
        .query_row(params![provider, delivery_id], |row| row.get(0))?;
    Ok(earlier as u32 + 1)
}

/// Writes the event read for row `seq` (`provider` as in [`crate::event_meta::provider_of`]),
/// with its attempt number counted among the rows stored before it. Returns what was stored.
pub fn record_event(
    conn: &Connection,
    seq: i64,
    provider: Option<&str>,
    meta: &crate::event_meta::EventMeta,
) -> Result<StoredEvent, StoreError> {
    let attempt = match (provider, meta.delivery_id.as_deref()) {
        (Some(provider), Some(delivery_id)) => {
            let earlier: i64 = conn
                .prepare_cached("SELECT count(*) FROM requests WHERE provider = ?1 AND delivery_id = ?2 AND seq < ?3")?
                .query_row(params![provider, delivery_id, seq], |row| row.get(0))?;
            Some(earlier as u32 + 1)
        }
        _ => None,
    };
    let event = StoredEvent {
        provider: provider.map(str::to_owned),
        event_type: meta.event_type.clone(),
        delivery_id: meta.delivery_id.clone(),
        attempt,
    };
    conn.prepare_cached(
        "UPDATE requests SET provider = ?2, event_type = ?3, delivery_id = ?4, attempt = ?5 WHERE seq = ?1",
    )?
    .execute(params![
        seq,
        event.provider,
        event.event_type,
        event.delivery_id,
        event.attempt
    ])?;
    Ok(event)
}

/// The event columns of one request by id (`None`: no such request).
pub fn event_of(conn: &Connection, id: &str) -> Result<Option<StoredEvent>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT provider, event_type, delivery_id, attempt FROM requests WHERE id = ?1")?
        .query_row([id], read_event_at(0))
        .optional()?)
}

/// Ids of every attempt of one delivery, oldest first (for folding them into one row).
pub fn attempts_of(conn: &Connection, provider: &str, delivery_id: &str) -> Result<Vec<String>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT id FROM requests WHERE provider = ?1 AND delivery_id = ?2 ORDER BY seq")?;
    let ids = statement
        .query_map(params![provider, delivery_id], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// The bodies of the newest `limit` requests matching a filter (and endpoint), newest first:
/// the samples a schema is inferred from.
pub fn bodies_matching(
    conn: &Connection,
    filter: &crate::event_meta::filter::EventFilter,
    endpoint: Option<&str>,
    limit: usize,
) -> Result<Vec<Vec<u8>>, StoreError> {
    let (conditions, mut args) = filter_sql(filter, endpoint, None);
    let sql = format!("SELECT r.body FROM requests r{conditions} ORDER BY r.seq DESC LIMIT ?");
    args.push((limit.max(1) as i64).into());
    let mut statement = conn.prepare(&sql)?;
    let bodies = statement
        .query_map(rusqlite::params_from_iter(args), |row| row.get(0))?
        .collect::<Result<Vec<Vec<u8>>, _>>()?;
    Ok(bodies)
}

/// Rows read per [`backfill_events`] call.
pub const BACKFILL_BATCH: usize = 256;

/// Reads the event of up to `limit` requests stored before migration 7, oldest first, with the
/// provider of their signature verdict; returns how many (0: none left). Run it on the writer.
pub fn backfill_events(conn: &mut Connection, limit: usize) -> Result<usize, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let (done, until): (i64, i64) = tx.query_row(
        "SELECT done_seq, until_seq FROM event_backfill_progress WHERE id = 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let mut last = done;
    let mut count = 0;
    {
        let mut pending = tx.prepare(
            "SELECT seq, json_extract(signature, '$.provider'), headers, body FROM requests \
             WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3",
        )?;
        let mut rows = pending.query(params![done, until, limit as i64])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let provider: Option<String> = row.get(1)?;
            if let Some(provider) = provider {
                let headers = header_json::from_json(&row.get::<_, String>(2)?)?;
                let body = row.get_ref(3)?.as_blob().map_err(rusqlite::Error::from)?;
                let meta = crate::event_meta::extract(&provider, &headers, body);
                record_event(&tx, seq, Some(&provider), &meta)?;
            }
            last = seq;
            count += 1;
        }
    }
    let last = if count < limit { until } else { last };
    if last != done {
        tx.execute("UPDATE event_backfill_progress SET done_seq = ?1 WHERE id = 1", [last])?;
    }
    tx.commit()?;
    Ok(count)
}

/// ` WHERE ...` (or nothing) for a filter, an endpoint and a page position, with its arguments.
fn filter_sql(
    filter: &crate::event_meta::filter::EventFilter,
    endpoint: Option<&str>,
    before_seq: Option<i64>,
) -> (String, Vec<rusqlite::types::Value>) {
    let mut conditions = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(before) = before_seq {
        conditions.push("r.seq < ?".to_owned());
        args.push(before.into());
    }
    if let Some(endpoint) = endpoint {
        conditions.push("r.endpoint_name = ?".to_owned());
        args.push(endpoint.to_owned().into());
    }
    for condition in filter.sql_conditions("r") {
        conditions.push(format!("({})", condition.sql));
        args.extend(condition.args);
    }
    if conditions.is_empty() {
        (String::new(), args)
    } else {
        (format!(" WHERE {}", conditions.join(" AND ")), args)
    }
}

/// Reads `provider, event_type, delivery_id, attempt` starting at column `first`.
fn read_event_at(first: usize) -> impl Fn(&Row<'_>) -> rusqlite::Result<StoredEvent> {
    move |row| {
        Ok(StoredEvent {
            provider: row.get(first)?,
            event_type: row.get(first + 1)?,
            delivery_id: row.get(first + 2)?,
            attempt: row.get(first + 3)?,
        })
    }
}
