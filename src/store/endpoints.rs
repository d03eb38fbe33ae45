//! SQL for the `endpoints` and `endpoint_secrets` tables.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{header_json, StoreError};
use crate::model::{normalized_prefix, AutoForwardMode, Endpoint, NewEndpoint, ResponseRule};

const COLUMNS: &str = "id, name, path_prefix, provider, verify_token, public_url, response_status, response_headers, \
     response_body, response_delay_ms, handshake_enabled, forward_targets, auto_forward, notify";

/// Creates an endpoint, already validated (`crate::endpoints::validate`); the name is unique
/// (the schema refuses a second one).
pub fn insert(conn: &mut Connection, endpoint: &NewEndpoint) -> Result<Endpoint, StoreError> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO endpoints (name, path_prefix, provider, verify_token, public_url, response_status, response_headers, \
         response_body, response_delay_ms, handshake_enabled, forward_targets, auto_forward, created_at_ns, notify) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            endpoint.name,
            normalized_prefix(&endpoint.path_prefix),
            endpoint.provider,
            endpoint.verify_token,
            endpoint.public_url,
            endpoint.response.status,
            header_json::to_json(&endpoint.response.headers)?,
            endpoint.response.body,
            endpoint.response.delay_ms as i64,
            endpoint.handshake_enabled,
            serde_json::to_string(&endpoint.forward_targets).map_err(|e| StoreError::Decode(e.to_string()))?,
            endpoint.auto_forward.map(auto_forward_text),
            now_ns(),
            endpoint.notify,
        ],
    )?;
    let id = tx.last_insert_rowid();
    replace_secrets(&tx, id, &endpoint.secrets)?;
    tx.commit()?;
    get_by_id(conn, id)?.ok_or_else(|| StoreError::Decode("endpoint vanished after insert".into()))
}

/// Replaces every field of an existing endpoint (matched by id), already validated.
pub fn update(conn: &mut Connection, endpoint: &Endpoint) -> Result<Endpoint, StoreError> {
    let new = NewEndpoint::from(endpoint);
    let tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE endpoints SET name = ?2, path_prefix = ?3, provider = ?4, verify_token = ?5, public_url = ?6, \
         response_status = ?7, response_headers = ?8, response_body = ?9, response_delay_ms = ?10, \
         handshake_enabled = ?11, forward_targets = ?12, auto_forward = ?13, notify = ?14 WHERE id = ?1",
        params![
            endpoint.id,
            new.name,
            normalized_prefix(&new.path_prefix),
            new.provider,
            new.verify_token,
            new.public_url,
            new.response.status,
            header_json::to_json(&new.response.headers)?,
            new.response.body,
            new.response.delay_ms as i64,
            new.handshake_enabled,
            serde_json::to_string(&new.forward_targets).map_err(|e| StoreError::Decode(e.to_string()))?,
            new.auto_forward.map(auto_forward_text),
            new.notify,
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::Invalid(format!("no endpoint with id {}", endpoint.id)));
    }
    replace_secrets(&tx, endpoint.id, &new.secrets)?;
    tx.commit()?;
    get_by_id(conn, endpoint.id)?.ok_or_else(|| StoreError::Decode("endpoint vanished after update".into()))
}

/// Every endpoint with its secrets, ordered by name.
pub fn list(conn: &Connection) -> Result<Vec<Endpoint>, StoreError> {
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM endpoints ORDER BY name"))?;
    let rows = statement.query_map([], read_endpoint)?;
    let mut endpoints = Vec::new();
    for row in rows {
        let mut endpoint = row??;
        endpoint.secrets = secrets_of(conn, endpoint.id)?;
        endpoint.secret_count = endpoint.secrets.len();
        endpoints.push(endpoint);
    }
    Ok(endpoints)
}

/// One endpoint by name.
pub fn get_by_name(conn: &Connection, name: &str) -> Result<Option<Endpoint>, StoreError> {
    let id: Option<i64> = conn
        .query_row("SELECT id FROM endpoints WHERE name = ?1", [name], |row| row.get(0))
        .optional()?;
    match id {
        Some(id) => get_by_id(conn, id),
        None => Ok(None),
    }
}

/// One endpoint by id.
pub fn get_by_id(conn: &Connection, id: i64) -> Result<Option<Endpoint>, StoreError> {
    let found = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM endpoints WHERE id = ?1"))?
        .query_row([id], read_endpoint)
        .optional()?;
    match found {
        Some(endpoint) => {
            let mut endpoint = endpoint?;
            endpoint.secrets = secrets_of(conn, id)?;
            endpoint.secret_count = endpoint.secrets.len();
            Ok(Some(endpoint))
        }
        None => Ok(None),
    }
}

/// Removes an endpoint by name; its captured requests stay. Returns false when none had that name.
pub fn remove(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(conn.execute("DELETE FROM endpoints WHERE name = ?1", [name])? > 0)
}

fn replace_secrets(conn: &Connection, endpoint_id: i64, secrets: &[String]) -> Result<(), StoreError> {
    conn.execute("DELETE FROM endpoint_secrets WHERE endpoint_id = ?1", [endpoint_id])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO endpoint_secrets (endpoint_id, position, secret) VALUES (?1, ?2, ?3)")?;
    for (position, secret) in secrets.iter().enumerate() {
        insert.execute(params![endpoint_id, position as i64, secret])?;
    }
    Ok(())
}

fn secrets_of(conn: &Connection, endpoint_id: i64) -> Result<Vec<String>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT secret FROM endpoint_secrets WHERE endpoint_id = ?1 ORDER BY position")?;
    let secrets = statement
        .query_map([endpoint_id], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(secrets)
}

fn auto_forward_text(mode: AutoForwardMode) -> &'static str {
    match mode {
        AutoForwardMode::Async => "async",
        AutoForwardMode::Passthrough => "passthrough",
    }
}

fn read_endpoint(row: &Row<'_>) -> rusqlite::Result<Result<Endpoint, StoreError>> {
    let response_headers: String = row.get(7)?;
    let forward_targets: String = row.get(11)?;
    let auto_forward: Option<String> = row.get(12)?;
    let build = || -> Result<Endpoint, StoreError> {
        Ok(Endpoint {
            id: row.get(0)?,
            name: row.get(1)?,
            path_prefix: row.get(2)?,
            provider: row.get(3)?,
            secrets: Vec::new(),
            verify_token: row.get(4)?,
            public_url: row.get(5)?,
            response: ResponseRule {
                status: row.get(6)?,
                headers: header_json::from_json(&response_headers)?,
                body: row.get(8)?,
                delay_ms: row.get::<_, i64>(9)? as u64,
            },
            handshake_enabled: row.get(10)?,
            forward_targets: serde_json::from_str(&forward_targets).map_err(|e| StoreError::Decode(e.to_string()))?,
            auto_forward: match auto_forward.as_deref() {
                Some("async") => Some(AutoForwardMode::Async),
                Some("passthrough") => Some(AutoForwardMode::Passthrough),
                _ => None,
            },
            notify: row.get(13)?,
            secret_count: 0,
        })
    };
    Ok(build())
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}
