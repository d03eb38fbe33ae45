//! Export from and import into the store, for the CLI and the desktop shell alike.

use tokio::sync::broadcast;

use super::{from_har, parse_raw_requests, to_har, Har, HarOptions, ImportError};
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

/// Imports a HAR document (a file starting with `{`) or a raw HTTP request file into the store,
/// matching each request to the current endpoints and keeping the deliveries a Hookscope HAR
/// carries; announces each request on `events` as `RequestCaptured`. Returns the new ids in
/// file order.
pub async fn import_bytes(
    store: &Store,
    bytes: &[u8],
    events: &broadcast::Sender<EngineEvent>,
) -> Result<Vec<String>, ImportIntoStoreError> {
    let endpoints = store.read(store::endpoints::list).await?;
    let is_har = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let entries = if is_har {
        from_har(bytes, &endpoints)?
    } else {
        parse_raw_requests(bytes, &endpoints)?
            .into_iter()
            .map(|request| (request, Vec::new()))
            .collect()
    };
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
    Ok(ids)
}
