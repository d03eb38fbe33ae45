//! SQL for the `deliveries` table: forwards and replays, each linked to its captured request.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{header_json, StoreError};
use crate::model::{DeliveryAttempt, DeliveryFailure, DeliveryKind, DeliveryResponse, FailureKind, OutgoingRequest};

const COLUMNS: &str = "id, request_id, kind, target, started_at_ns, duration_us, sent_method, sent_url, \
     sent_headers, sent_body, edited, resigned, response_status, response_headers, response_body, \
     response_body_size, response_truncated, error_kind, error_message";

/// Stores one attempt; its request must exist.
pub fn insert(conn: &Connection, attempt: &DeliveryAttempt) -> Result<(), StoreError> {
    let response = attempt.response.as_ref();
    let response_headers = response.map(|r| header_json::to_json(&r.headers)).transpose()?;
    conn.prepare_cached(
        "INSERT INTO deliveries (id, request_id, kind, target, started_at_ns, duration_us, sent_method, sent_url, \
         sent_headers, sent_body, edited, resigned, response_status, response_headers, response_body, \
         response_body_size, response_truncated, error_kind, error_message) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        attempt.id,
        attempt.request_id,
        attempt.kind.as_str(),
        attempt.target,
        attempt.started_at_ns,
        attempt.duration_us as i64,
        attempt.sent.method,
        attempt.sent.url,
        header_json::to_json(&attempt.sent.headers)?,
        attempt.sent.body,
        attempt.edited,
        attempt.resigned,
        response.map(|r| r.status),
        response_headers,
        response.map(|r| r.body.as_slice()),
        response.map(|r| r.body_size as i64),
        response.map(|r| r.truncated),
        attempt.error.as_ref().map(|e| e.kind.as_str()),
        attempt.error.as_ref().map(|e| e.message.as_str()),
    ])
    .map_err(|error| match error {
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Invalid(format!(
                "cannot record a delivery of {}: no such captured request",
                attempt.request_id
            ))
        }
        other => other.into(),
    })?;
    Ok(())
}

/// Every attempt for one request, oldest first.
pub fn list_for_request(conn: &Connection, request_id: &str) -> Result<Vec<DeliveryAttempt>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM deliveries WHERE request_id = ?1 ORDER BY seq"
    ))?;
    let rows = statement.query_map([request_id], read_attempt)?;
    let mut attempts = Vec::new();
    for row in rows {
        attempts.push(row??);
    }
    Ok(attempts)
}

/// One attempt by id.
pub fn get(conn: &Connection, id: &str) -> Result<Option<DeliveryAttempt>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM deliveries WHERE id = ?1"))?
        .query_row([id], read_attempt)
        .optional()?
        .transpose()
}

/// Number of stored attempts.
pub fn count(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM deliveries", [], |row| row.get::<_, i64>(0))? as u64)
}

fn read_attempt(row: &Row<'_>) -> rusqlite::Result<Result<DeliveryAttempt, StoreError>> {
    let kind: String = row.get(2)?;
    let sent_headers: String = row.get(8)?;
    let status: Option<u16> = row.get(12)?;
    let response_headers: Option<String> = row.get(13)?;
    let error_kind: Option<String> = row.get(17)?;
    let build = || -> Result<DeliveryAttempt, StoreError> {
        let response = match status {
            Some(status) => Some(DeliveryResponse {
                status,
                headers: header_json::from_json(response_headers.as_deref().unwrap_or("[]"))?,
                body: row.get::<_, Option<Vec<u8>>>(14)?.unwrap_or_default(),
                body_size: row.get::<_, Option<i64>>(15)?.unwrap_or_default() as u64,
                truncated: row.get::<_, Option<bool>>(16)?.unwrap_or_default(),
            }),
            None => None,
        };
        let error = match error_kind {
            Some(kind) => Some(DeliveryFailure {
                kind: FailureKind::parse(&kind).unwrap_or(FailureKind::Protocol),
                message: row.get::<_, Option<String>>(18)?.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(DeliveryAttempt {
            id: row.get(0)?,
            request_id: row.get(1)?,
            kind: DeliveryKind::parse(&kind)
                .ok_or_else(|| StoreError::Decode(format!("unknown delivery kind {kind}")))?,
            target: row.get(3)?,
            started_at_ns: row.get(4)?,
            duration_us: row.get::<_, i64>(5)? as u64,
            sent: OutgoingRequest {
                method: row.get(6)?,
                url: row.get(7)?,
                headers: header_json::from_json(&sent_headers)?,
                body: row.get(9)?,
            },
            edited: row.get(10)?,
            resigned: row.get(11)?,
            response,
            error,
        })
    };
    Ok(build())
}
