//! Checks an endpoint's settings before they are stored, naming the field that is wrong in
//! words a person can act on.

use serde::Serialize;

use crate::delivery::target::TargetUrl;
use crate::model::{normalized_prefix, Endpoint};
use crate::signature::Resolved;

/// The longest response delay: senders give up long before (most wait 10-30 s).
pub const MAX_DELAY_MS: u64 = 300_000;

/// The setting a validation error is about, so the editor can show it next to that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EndpointField {
    Name,
    PathPrefix,
    Provider,
    Secrets,
    VerifyToken,
    PublicUrl,
    Status,
    Headers,
    Body,
    DelayMs,
    ForwardTargets,
    AutoForward,
}

/// A setting that cannot be stored, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub field: EndpointField,
    pub message: String,
}

fn invalid(field: EndpointField, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

/// Checks `endpoint` on its own and against the `others` already stored.
pub fn validate(endpoint: &Endpoint, others: &[Endpoint]) -> Result<(), Invalid> {
    use EndpointField as F;
    let name = endpoint.name.trim();
    if name.is_empty() {
        return Err(invalid(F::Name, "give the endpoint a name"));
    }
    if others.iter().any(|o| o.name == name) {
        return Err(invalid(F::Name, format!("an endpoint named '{name}' already exists")));
    }
    let prefix = &endpoint.path_prefix;
    if !prefix.starts_with('/') {
        return Err(invalid(
            F::PathPrefix,
            format!("the path prefix must start with '/', like /stripe (got '{prefix}')"),
        ));
    }
    if prefix.contains(['?', '#']) || prefix.chars().any(char::is_whitespace) {
        return Err(invalid(
            F::PathPrefix,
            "the path prefix is a path only: no spaces, '?' or '#'",
        ));
    }
    if let Some(other) = others
        .iter()
        .find(|o| normalized_prefix(&o.path_prefix) == normalized_prefix(prefix))
    {
        return Err(invalid(
            F::PathPrefix,
            format!(
                "endpoint '{}' already uses {}; each prefix can belong to one endpoint",
                other.name,
                normalized_prefix(prefix)
            ),
        ));
    }
    if let Some(provider) = &endpoint.provider {
        Resolved::from_id(provider).map_err(|e| invalid(F::Provider, e.to_string()))?;
    }
    if endpoint.secrets.iter().any(|s| s.trim().is_empty()) {
        return Err(invalid(F::Secrets, "a signing secret cannot be empty"));
    }
    if endpoint.verify_token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(invalid(
            F::VerifyToken,
            "the verify token cannot be empty; clear it instead",
        ));
    }
    if let Some(url) = &endpoint.public_url {
        TargetUrl::parse(url).map_err(|e| invalid(F::PublicUrl, format!("the public URL {e}")))?;
    }
    let status = endpoint.response.status;
    if !(100..=599).contains(&status) {
        return Err(invalid(
            F::Status,
            format!("response status {status} is not an HTTP status (100-599)"),
        ));
    }
    for header in &endpoint.response.headers {
        if http::HeaderName::from_bytes(header.name.trim().as_bytes()).is_err() {
            return Err(invalid(
                F::Headers,
                format!(
                    "'{}' is not a header name (letters, digits and - only, no spaces or ':')",
                    header.name
                ),
            ));
        }
        if http::HeaderValue::from_str(&header.value).is_err() {
            return Err(invalid(
                F::Headers,
                format!(
                    "the value of {} cannot contain line breaks or control characters",
                    header.name
                ),
            ));
        }
    }
    if endpoint.response.delay_ms > MAX_DELAY_MS {
        return Err(invalid(
            F::DelayMs,
            format!(
                "a delay of {} ms is longer than the {MAX_DELAY_MS} ms allowed; senders give up long before",
                endpoint.response.delay_ms
            ),
        ));
    }
    for target in &endpoint.forward_targets {
        TargetUrl::parse(target).map_err(|e| invalid(F::ForwardTargets, format!("forward target {e}")))?;
    }
    if endpoint.auto_forward.is_some() && endpoint.forward_targets.is_empty() {
        return Err(invalid(
            F::AutoForward,
            "auto-forward needs at least one forward target",
        ));
    }
    Ok(())
}
