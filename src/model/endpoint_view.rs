//! An endpoint as the window sees it: every setting except the secret values.

use serde::Serialize;

use super::{AutoForwardMode, Endpoint, ResponseRule};

/// An endpoint's settings with its secrets and verify token reduced to whether they are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EndpointView {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub name: String,
    pub path_prefix: String,
    /// `None` auto-detects.
    pub provider: Option<String>,
    /// How many signing secrets are configured; their values never leave the engine.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub secret_count: usize,
    pub verify_token_set: bool,
    pub public_url: Option<String>,
    pub response: ResponseRule,
    pub handshake_enabled: bool,
    pub forward_targets: Vec<String>,
    pub auto_forward: Option<AutoForwardMode>,
    /// Desktop notifications for this endpoint's requests.
    pub notify: bool,
}

impl From<&Endpoint> for EndpointView {
    fn from(e: &Endpoint) -> Self {
        Self {
            id: e.id,
            name: e.name.clone(),
            path_prefix: e.path_prefix.clone(),
            provider: e.provider.clone(),
            secret_count: e.secrets.len(),
            verify_token_set: e.verify_token.is_some(),
            public_url: e.public_url.clone(),
            response: e.response.clone(),
            handshake_enabled: e.handshake_enabled,
            forward_targets: e.forward_targets.clone(),
            auto_forward: e.auto_forward,
            notify: e.notify,
        }
    }
}
