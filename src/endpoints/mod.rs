//! The rules an endpoint's settings follow, for the CLI's `endpoint add|set` and the app's
//! endpoint editor alike: what a new endpoint starts with, and validation with the field at
//! fault. The use cases that store them are in `crate::workbench`.

mod validate;

use serde::Serialize;

pub use validate::{validate, EndpointField, Invalid, MAX_DELAY_MS};

use crate::model::{Endpoint, EndpointChanges, EndpointView, ResponseRule};
use crate::store::StoreError;

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
pub(crate) fn new_from(changes: EndpointChanges) -> Result<Endpoint, Invalid> {
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
        notify: false,
        secret_count: 0,
    };
    changes.apply_to(&mut endpoint);
    Ok(endpoint)
}
