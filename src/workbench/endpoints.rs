//! Endpoint use cases: list, add, change and remove endpoints, and re-check an endpoint's stored
//! requests when a change could alter their signature verdicts. Every change reloads the
//! endpoints the capture listener matches against, so the next request uses it.

use rusqlite::Connection;

use super::{Workbench, WorkbenchError};
use crate::endpoints::{new_from, validate, EndpointError, EndpointSaved};
use crate::model::{changes_verdicts, Endpoint, EndpointChanges, EndpointView, NewEndpoint, SignatureVerdict};
use crate::signature::verdict_as_received;
use crate::store::{endpoints, requests, StoreError};

/// How many requests a re-check reads and rewrites per round trip to the store.
const RECHECK_BATCH: usize = 200;

impl Workbench {
    /// Every endpoint, ordered by name.
    pub async fn list_endpoints(&self) -> Result<Vec<Endpoint>, WorkbenchError> {
        Ok(self.store.read(endpoints::list).await?)
    }

    /// Validates and stores a new endpoint; the listener uses it for the next request.
    pub async fn add_endpoint(&self, changes: EndpointChanges) -> Result<Endpoint, WorkbenchError> {
        let created = self
            .write_endpoints(move |conn| {
                let endpoint = new_from(changes)?;
                validate(&endpoint, &others(conn, endpoint.id)?)?;
                let created = endpoints::insert(conn, &NewEndpoint::from(&endpoint))?;
                tracing::info!(endpoint = %created.name, "endpoint added");
                Ok(created)
            })
            .await?;
        self.reload_endpoints().await?;
        Ok(created)
    }

    /// Changes the endpoint `id`; the listener uses the new settings for the next request, and
    /// when the provider, secrets or public URL changed, its stored requests are checked again.
    pub async fn change_endpoint(&self, id: i64, changes: EndpointChanges) -> Result<EndpointSaved, WorkbenchError> {
        let (before, after) = self
            .write_endpoints(move |conn| {
                let before = endpoints::get_by_id(conn, id)?.ok_or(EndpointError::Gone)?;
                let mut after = before.clone();
                changes.apply_to(&mut after);
                validate(&after, &others(conn, id)?)?;
                let after = endpoints::update(conn, &after)?;
                tracing::info!(endpoint = %after.name, "endpoint changed");
                Ok((before, after))
            })
            .await?;
        // Reloaded first: a request captured from here on is checked with the new settings, and
        // every one stored before is in the re-check below.
        self.reload_endpoints().await?;
        let rechecked = if changes_verdicts(&before, &after) {
            self.recheck_endpoint(&after).await?
        } else {
            0
        };
        Ok(EndpointSaved {
            endpoint: EndpointView::from(&after),
            rechecked,
        })
    }

    /// [`Workbench::change_endpoint`] for the endpoint named `name`.
    pub async fn change_endpoint_named(
        &self,
        name: &str,
        changes: EndpointChanges,
    ) -> Result<EndpointSaved, WorkbenchError> {
        let id = self.endpoint_named(name).await?.id;
        self.change_endpoint(id, changes).await
    }

    /// The endpoint named `name`, or `NotFound`.
    pub async fn endpoint_named(&self, name: &str) -> Result<Endpoint, WorkbenchError> {
        let wanted = name.to_owned();
        self.store
            .read(move |conn| endpoints::get_by_name(conn, &wanted))
            .await?
            .ok_or_else(|| EndpointError::NotFound(name.to_owned()).into())
    }

    /// Removes the endpoint `id`; its captured requests stay.
    pub async fn remove_endpoint(&self, id: i64) -> Result<(), WorkbenchError> {
        self.write_endpoints(move |conn| {
            let endpoint = endpoints::get_by_id(conn, id)?.ok_or(EndpointError::Gone)?;
            remove(conn, &endpoint.name)
        })
        .await?;
        self.reload_endpoints().await?;
        Ok(())
    }

    /// Removes the endpoint named `name`; its captured requests stay.
    pub async fn remove_endpoint_named(&self, name: &str) -> Result<(), WorkbenchError> {
        let name = name.to_owned();
        self.write_endpoints(move |conn| remove(conn, &name)).await?;
        self.reload_endpoints().await?;
        Ok(())
    }

    /// Computes again the verdict of every stored request of `endpoint` (judged at the time each
    /// was received) and stores them; returns how many.
    pub async fn recheck_endpoint(&self, endpoint: &Endpoint) -> Result<usize, WorkbenchError> {
        let endpoint_id = endpoint.id;
        let ids = self
            .store
            .read(move |conn| requests::ids_of_endpoint(conn, endpoint_id))
            .await?;
        for chunk in ids.chunks(RECHECK_BATCH) {
            let chunk = chunk.to_vec();
            let stored = self
                .store
                .read(move |conn| {
                    chunk
                        .iter()
                        .filter_map(|id| requests::get(conn, id).transpose())
                        .collect::<Result<Vec<_>, _>>()
                })
                .await?;
            let verdicts: Vec<(String, Option<SignatureVerdict>)> = stored
                .iter()
                .map(|request| (request.id.clone(), verdict_as_received(Some(endpoint), request)))
                .collect();
            self.store
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
        tracing::info!(endpoint = %endpoint.name, requests = ids.len(), "signatures re-verified");
        Ok(ids.len())
    }

    /// Runs `f` on the store's writer, keeping the endpoint error it gives.
    async fn write_endpoints<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, EndpointError> + Send + 'static,
    ) -> Result<T, WorkbenchError> {
        Ok(self.store.write(move |conn| Ok(f(conn))).await??)
    }
}

fn others(conn: &Connection, id: i64) -> Result<Vec<Endpoint>, StoreError> {
    Ok(endpoints::list(conn)?.into_iter().filter(|e| e.id != id).collect())
}

fn remove(conn: &Connection, name: &str) -> Result<(), EndpointError> {
    if !endpoints::remove(conn, name)? {
        return Err(EndpointError::NotFound(name.to_owned()));
    }
    tracing::info!(endpoint = %name, "endpoint removed");
    Ok(())
}
