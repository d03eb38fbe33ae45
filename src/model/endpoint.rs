use serde::{Deserialize, Serialize};

use super::HeaderField;

/// How newly captured requests of an endpoint are forwarded automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum AutoForwardMode {
    /// Answer the sender from the response rule and forward in the background.
    Async,
    /// Wait for the target and return its answer to the sender.
    Passthrough,
}

/// The answer an endpoint gives when nothing else (a handshake, a passthrough) decides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResponseRule {
    pub status: u16,
    pub headers: Vec<HeaderField>,
    /// Body template; `None` answers the default small JSON body naming the captured id.
    pub body: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub delay_ms: u64,
}

impl Default for ResponseRule {
    fn default() -> Self {
        Self {
            status: 200,
            headers: Vec::new(),
            body: None,
            delay_ms: 0,
        }
    }
}

/// A named source of webhooks, matched by path prefix (longest match wins).
///
/// `Debug` never prints secrets or the verify token, and serialization skips them:
/// secrets leave the store only through [`Endpoint::secrets`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: i64,
    pub name: String,
    pub path_prefix: String,
    /// Provider id (ngrok's identifiers where they exist); `None` auto-detects.
    pub provider: Option<String>,
    /// Signing secrets, newest first; several for rotation.
    #[serde(skip_serializing, default)]
    pub secrets: Vec<String>,
    /// Meta's `hub.verify_token`.
    #[serde(skip_serializing, default)]
    pub verify_token: Option<String>,
    /// The public URL the provider signs (Twilio, Square), when it differs from what arrived.
    pub public_url: Option<String>,
    pub response: ResponseRule,
    /// Answer provider handshakes (Slack, Meta, Zoom, ...) automatically.
    pub handshake_enabled: bool,
    pub forward_targets: Vec<String>,
    pub auto_forward: Option<AutoForwardMode>,
    /// Show a desktop notification when requests arrive while the window is not in front.
    #[serde(default)]
    pub notify: bool,
    /// Number of secrets configured, for display without revealing them.
    pub secret_count: usize,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("path_prefix", &self.path_prefix)
            .field("provider", &self.provider)
            .field("secrets", &format_args!("[{} redacted]", self.secrets.len()))
            .field("verify_token", &self.verify_token.as_ref().map(|_| "[redacted]"))
            .field("public_url", &self.public_url)
            .field("response", &self.response)
            .field("handshake_enabled", &self.handshake_enabled)
            .field("forward_targets", &self.forward_targets)
            .field("auto_forward", &self.auto_forward)
            .field("notify", &self.notify)
            .finish()
    }
}

impl Endpoint {
    /// The endpoint of `endpoints` whose prefix is the longest match for `path`, if any.
    pub fn matching<'a>(endpoints: &'a [Endpoint], path: &str) -> Option<&'a Endpoint> {
        endpoints
            .iter()
            .filter(|e| e.matches_path(path))
            .max_by_key(|e| e.path_prefix.trim_end_matches('/').len())
    }

    /// True when `path` falls under this endpoint's prefix, on a segment boundary.
    pub fn matches_path(&self, path: &str) -> bool {
        path_has_prefix(path, &self.path_prefix)
    }
}

/// Segment-aware prefix test: `/stripe` matches `/stripe` and `/stripe/x`, not `/stripes`.
/// The prefix as the store keeps it: no trailing slash, `/` for the catch-all.
pub fn normalized_prefix(prefix: &str) -> &str {
    match prefix.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    }
}

pub fn path_has_prefix(path: &str, prefix: &str) -> bool {
    if prefix.is_empty() || prefix == "/" {
        return true;
    }
    let prefix = prefix.trim_end_matches('/');
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// What is needed to create an endpoint.
#[derive(Clone, Default)]
pub struct NewEndpoint {
    pub name: String,
    pub path_prefix: String,
    pub provider: Option<String>,
    pub secrets: Vec<String>,
    pub verify_token: Option<String>,
    pub public_url: Option<String>,
    pub response: ResponseRule,
    pub handshake_enabled: bool,
    pub forward_targets: Vec<String>,
    pub auto_forward: Option<AutoForwardMode>,
    pub notify: bool,
}

impl From<&Endpoint> for NewEndpoint {
    /// The settings of a stored endpoint, to store again (an update) or as a new one.
    fn from(endpoint: &Endpoint) -> Self {
        NewEndpoint {
            name: endpoint.name.clone(),
            path_prefix: endpoint.path_prefix.clone(),
            provider: endpoint.provider.clone(),
            secrets: endpoint.secrets.clone(),
            verify_token: endpoint.verify_token.clone(),
            public_url: endpoint.public_url.clone(),
            response: endpoint.response.clone(),
            handshake_enabled: endpoint.handshake_enabled,
            forward_targets: endpoint.forward_targets.clone(),
            auto_forward: endpoint.auto_forward,
            notify: endpoint.notify,
        }
    }
}

impl std::fmt::Debug for NewEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEndpoint")
            .field("name", &self.name)
            .field("path_prefix", &self.path_prefix)
            .field("provider", &self.provider)
            .field("secrets", &format_args!("[{} redacted]", self.secrets.len()))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::path_has_prefix;

    #[test]
    fn prefix_matches_on_segment_boundaries_only() {
        assert!(path_has_prefix("/stripe", "/stripe"));
        assert!(path_has_prefix("/stripe/events", "/stripe"));
        assert!(path_has_prefix("/stripe/events", "/stripe/"));
        assert!(!path_has_prefix("/stripes", "/stripe"));
        assert!(path_has_prefix("/anything", "/"));
    }
}
