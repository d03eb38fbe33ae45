//! Re-checking stored requests after an endpoint's provider or secrets change.

use super::verify_captured;
use crate::model::{CapturedRequest, Endpoint, SignatureVerdict};
use crate::store::{requests, Store, StoreError};

/// How many requests are read and rewritten per round trip to the store.
const BATCH: usize = 200;

/// The verdict a stored request gets now, judged at the time it was received (so that a request
/// that was fresh when it arrived does not fail its timestamp check later).
pub fn verdict_for_stored(endpoint: &Endpoint, request: &CapturedRequest) -> Option<SignatureVerdict> {
    verify_captured(
        Some(endpoint),
        request,
        request.received_at_ns.div_euclid(1_000_000_000),
    )
}

/// Re-verifies every stored request of `endpoint` and stores the new verdicts; returns how many.
pub async fn reverify_endpoint(store: &Store, endpoint: &Endpoint) -> Result<usize, StoreError> {
    let endpoint_id = endpoint.id;
    let ids = store
        .read(move |conn| requests::ids_of_endpoint(conn, endpoint_id))
        .await?;
    let mut done = 0;
    for chunk in ids.chunks(BATCH) {
        let chunk = chunk.to_vec();
        let stored = store
            .read(move |conn| {
                chunk
                    .iter()
                    .filter_map(|id| requests::get(conn, id).transpose())
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        let verdicts: Vec<(String, Option<SignatureVerdict>)> = stored
            .iter()
            .map(|request| (request.id.clone(), verdict_for_stored(endpoint, request)))
            .collect();
        done += verdicts.len();
        store
            .write(move |conn| {
                let tx = conn.transaction()?;
                for (id, verdict) in &verdicts {
                    requests::update_signature(&tx, id, verdict.as_ref())?;
                }
                tx.commit()?;
                Ok(())
            })
            .await?;
    }
    tracing::info!(endpoint = %endpoint.name, requests = done, "signatures re-verified");
    Ok(done)
}

/// The same on a plain connection (the CLI's `endpoint set`, which runs no store writer): each
/// batch of new verdicts is written in one transaction.
pub fn reverify_endpoint_on(conn: &mut rusqlite::Connection, endpoint: &Endpoint) -> Result<usize, StoreError> {
    let ids = requests::ids_of_endpoint(conn, endpoint.id)?;
    for chunk in ids.chunks(BATCH) {
        let tx = conn.transaction()?;
        for id in chunk {
            if let Some(request) = requests::get(&tx, id)? {
                requests::update_signature(&tx, id, verdict_for_stored(endpoint, &request).as_ref())?;
            }
        }
        tx.commit()?;
    }
    Ok(ids.len())
}
