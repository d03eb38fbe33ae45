//! Versioned migrations: numbered SQL files embedded at compile time, applied in order,
//! each in its own transaction, tracked with `PRAGMA user_version`.

use rusqlite::Connection;

use super::StoreError;

/// Every migration, in order; the index + 1 is the schema version it produces.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_signature_status.sql"),
    include_str!("migrations/0003_deliveries.sql"),
    include_str!("migrations/0004_search_index_progress.sql"),
    include_str!("migrations/0005_tunnel_outages.sql"),
    include_str!("migrations/0006_fewer_request_indexes.sql"),
    include_str!("migrations/0007_event_type.sql"),
    include_str!("migrations/0008_response_rules.sql"),
    include_str!("migrations/0009_endpoint_notify.sql"),
    include_str!("migrations/0010_search_index_deletes.sql"),
    include_str!("migrations/0011_tail_sketch.sql"),
    include_str!("migrations/0012_no_received_at_index.sql"),
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Brings the database up to [`latest_version`]; refuses a database from a newer Hookscope.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, latest_version())
}

/// Applies migrations up to `target` (tests use this to build an old schema).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let current: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > latest_version() {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest_version(),
        });
    }
    for version in current + 1..=target {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[(version - 1) as usize])
            .map_err(|source| StoreError::Migration { version, source })?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(version, "applied schema migration");
    }
    Ok(())
}
