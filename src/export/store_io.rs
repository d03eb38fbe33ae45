//! Export from and import into the store, for the CLI and the desktop shell alike.

use tokio::sync::broadcast;

use super::{from_har, parse_raw_requests, to_har, Har, HarOptions, ImportError, ImportReport};
use crate::model::{EngineEvent, RequestSummary};
use crate::store::{self, Store, StoreError};

/// A HAR document of the requests with these ids (in the given order) and their deliveries.
pub fn export_har(conn: &rusqlite::Connection, ids: &[String], options: HarOptions) -> Result<Har, StoreError> {
    let mut selected = Vec::with_capacity(ids.len());
    for id in ids {
        let request = store::requests::get(conn, id)?
            .ok_or_else(|| StoreError::Invalid(format!("no captured request with id {id}")))?;
        let deliveries = store::deliveries::list_for_request(conn, id)?;
        selected.push((request, deliveries));
    }
    Ok(to_har(&selected, options))
}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportIntoStoreError {
    #[error(transparent)]
    File(#[from] ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports a HAR document (a file starting with `{` or `[`) or a raw HTTP request file into the store,
/// matching each request to the current endpoints and keeping the deliveries a Hookscope HAR
/// carries; announces each request on `events` as `RequestCaptured`. Returns the new ids in
/// file order and the notes on entries skipped or not imported byte for byte.
pub async fn import_bytes(
    store: &Store,
    bytes: &[u8],
    events: &broadcast::Sender<EngineEvent>,
) -> Result<ImportReport, ImportIntoStoreError> {
    let endpoints = store.read(store::endpoints::list).await?;
    // JSON (a HAR document, or a bare array of HAR entries or requests), BOM or not.
    let json_start = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    let is_har = matches!(json_start, Some(b'{' | b'['));
    let (entries, notes) = if is_har {
        let import = from_har(bytes, &endpoints)?;
        (import.requests, import.notes)
    } else {
        let requests = parse_raw_requests(bytes, &endpoints)?;
        (
            requests.into_iter().map(|request| (request, Vec::new())).collect(),
            Vec::new(),
        )
    };
    for note in &notes {
        tracing::info!(entry = note.entry, kind = ?note.kind, "import: {}", note.message);
    }
    let mut ids = Vec::with_capacity(entries.len());
    for (request, deliveries) in entries {
        ids.push(request.id.clone());
        let mut summary = RequestSummary::of(0, &request);
        let inserted = store.insert_request(request).await?;
        (summary.seq, summary.attempt) = (inserted.seq, inserted.attempt);
        if !deliveries.is_empty() {
            store
                .write(move |conn| {
                    deliveries
                        .iter()
                        .try_for_each(|delivery| store::deliveries::insert(conn, delivery))
                })
                .await?;
        }
        let _ = events.send(EngineEvent::RequestCaptured(summary));
    }
    Ok(ImportReport { ids, notes })
}
