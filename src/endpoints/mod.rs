//! Adding, changing and removing endpoints, for the CLI's `endpoint add|set|remove` and the
//! app's endpoint editor alike: validation with the field at fault, storing, re-checking stored
//! signatures when the provider, secrets or public URL change, and refreshing the listener.

mod validate;

use rusqlite::Connection;
use serde::Serialize;

pub use validate::{normalized_prefix, validate, EndpointField, Invalid, MAX_DELAY_MS};

use crate::model::{changes_verdicts, Endpoint, EndpointChanges, EndpointView, NewEndpoint, ResponseRule};
use crate::store::{endpoints, Store, StoreError};
use crate::Engine;

/// Why an endpoint could not be added, changed or removed.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("no endpoint named '{0}'")]
    NotFound(String),
    #[error("that endpoint no longer exists (it was removed, perhaps from the command line)")]
    Gone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EndpointError {
    /// The setting at fault, when the error is about one.
    pub fn field(&self) -> Option<EndpointField> {
        match self {
            EndpointError::Invalid(invalid) => Some(invalid.field),
            _ => None,
        }
    }
}

/// A stored change: the endpoint as it is now, and how many stored requests were re-checked.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EndpointSaved {
    pub endpoint: EndpointView,
    /// Stored requests whose signature verdict was computed again (0 when nothing that signs changed).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rechecked: usize,
}

/// A new endpoint from `changes`: name and path prefix are required; handshakes default to on.
fn new_from(changes: EndpointChanges) -> Result<Endpoint, Invalid> {
    let missing = |field, message: &str| Invalid {
        field,
        message: message.to_owned(),
    };
    if changes.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(missing(EndpointField::Name, "give the endpoint a name"));
    }
    if changes.path_prefix.as_deref().is_none_or(|p| p.trim().is_empty()) {
        return Err(missing(
            EndpointField::PathPrefix,
            "give the endpoint a path prefix, like /stripe",
        ));
    }
    let mut endpoint = Endpoint {
        id: 0,
        name: String::new(),
        path_prefix: String::new(),
        provider: None,
        secrets: Vec::new(),
        verify_token: None,
        public_url: None,
        response: ResponseRule::default(),
        handshake_enabled: true,
        forward_targets: Vec::new(),
        auto_forward: None,
        secret_count: 0,
    };
    changes.apply_to(&mut endpoint);
    Ok(endpoint)
}

fn others(conn: &Connection, id: i64) -> Result<Vec<Endpoint>, StoreError> {
    Ok(endpoints::list(conn)?.into_iter().filter(|e| e.id != id).collect())
}

/// Validates and stores a new endpoint (one transaction on `conn`).
pub fn add_on(conn: &mut Connection, changes: EndpointChanges) -> Result<Endpoint, EndpointError> {
    let endpoint = new_from(changes)?;
    validate(&endpoint, &others(conn, 0)?)?;
    let new = NewEndpoint {
        name: endpoint.name,
        path_prefix: endpoint.path_prefix,
        provider: endpoint.provider,
        secrets: endpoint.secrets,
        verify_token: endpoint.verify_token,
        public_url: endpoint.public_url,
        response: endpoint.response,
        handshake_enabled: endpoint.handshake_enabled,
        forward_targets: endpoint.forward_targets,
        auto_forward: endpoint.auto_forward,
    };
    let created = endpoints::insert(conn, &new)?;
    tracing::info!(endpoint = %created.name, "endpoint added");
    Ok(created)
}

/// Applies `changes` to the endpoint `id` and stores it; returns it before and after.
fn update_on(conn: &mut Connection, id: i64, changes: EndpointChanges) -> Result<(Endpoint, Endpoint), EndpointError> {
    let before = endpoints::get_by_id(conn, id)?.ok_or(EndpointError::Gone)?;
    let mut after = before.clone();
    changes.apply_to(&mut after);
    validate(&after, &others(conn, id)?)?;
    let after = endpoints::update(conn, &after)?;
    tracing::info!(endpoint = %after.name, "endpoint changed");
    Ok((before, after))
}

/// The id of the endpoint named `name`.
pub fn id_of(conn: &Connection, name: &str) -> Result<i64, EndpointError> {
    endpoints::get_by_name(conn, name)?
        .map(|e| e.id)
        .ok_or_else(|| EndpointError::NotFound(name.to_owned()))
}

/// Changes an endpoint on a plain connection (the CLI, which runs no store writer), re-checking
/// its stored requests when that could change their verdicts; returns it and how many were.
pub fn change_on(conn: &mut Connection, id: i64, changes: EndpointChanges) -> Result<(Endpoint, usize), EndpointError> {
    let (before, after) = update_on(conn, id, changes)?;
    let rechecked = if changes_verdicts(&before, &after) {
        crate::signature::reverify_endpoint_on(conn, &after)?
    } else {
        0
    };
    Ok((after, rechecked))
}

/// Removes the endpoint named `name`; its captured requests stay.
pub fn remove_on(conn: &Connection, name: &str) -> Result<(), EndpointError> {
    if !endpoints::remove(conn, name)? {
        return Err(EndpointError::NotFound(name.to_owned()));
    }
    tracing::info!(endpoint = %name, "endpoint removed");
    Ok(())
}

impl Engine {
    /// Every endpoint, ordered by name.
    pub async fn list_endpoints(&self) -> Result<Vec<Endpoint>, StoreError> {
        self.store().read(endpoints::list).await
    }

    /// Adds an endpoint; the listener uses it for the next request.
    pub async fn add_endpoint(&self, changes: EndpointChanges) -> Result<Endpoint, EndpointError> {
        let created = write(self.store(), move |conn| add_on(conn, changes)).await?;
        self.reload_endpoints().await?;
        Ok(created)
    }

    /// Changes an endpoint; the listener uses the new settings for the next request, and when
    /// the provider, secrets or public URL changed, its stored requests are checked again.
    pub async fn change_endpoint(&self, id: i64, changes: EndpointChanges) -> Result<EndpointSaved, EndpointError> {
        let (before, after) = write(self.store(), move |conn| update_on(conn, id, changes)).await?;
        // Reloaded first: a request captured from here on is checked with the new settings, and
        // every one stored before is in the re-check below.
        self.reload_endpoints().await?;
        let rechecked = if changes_verdicts(&before, &after) {
            crate::signature::reverify_endpoint(self.store(), &after).await?
        } else {
            0
        };
        Ok(EndpointSaved {
            endpoint: EndpointView::from(&after),
            rechecked,
        })
    }

    /// Removes an endpoint by id; its captured requests stay.
    pub async fn remove_endpoint(&self, id: i64) -> Result<(), EndpointError> {
        write(self.store(), move |conn| {
            let endpoint = endpoints::get_by_id(conn, id)?.ok_or(EndpointError::Gone)?;
            remove_on(conn, &endpoint.name)
        })
        .await?;
        self.reload_endpoints().await?;
        Ok(())
    }
}

/// Runs `f` on the store's writer, keeping its own error type.
async fn write<T: Send + 'static>(
    store: &Store,
    f: impl FnOnce(&mut Connection) -> Result<T, EndpointError> + Send + 'static,
) -> Result<T, EndpointError> {
    store.write(move |conn| Ok(f(conn))).await?
}
