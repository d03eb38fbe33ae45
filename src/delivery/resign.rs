//! Re-signing a replay with a fresh timestamp, so the receiver's tolerance window accepts it.
//!
//! The signing itself belongs to the signature module; deliveries take it as a [`Signer`], so
//! the engine, the CLI and tests can all pass the same function.

use std::sync::Arc;

use crate::model::{CapturedRequest, DeliveryFailure, Endpoint, FailureKind, OutgoingRequest};

/// What a signer needs besides the request.
#[derive(Clone)]
pub struct ResignContext {
    /// Provider id (the endpoint's, else the one detected when the request was captured).
    pub provider: String,
    /// The endpoint's newest secret.
    pub secret: String,
    /// Seconds since the Unix epoch to sign with.
    pub now_unix: i64,
}

impl std::fmt::Debug for ResignContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResignContext")
            .field("provider", &self.provider)
            .field("secret", &"[redacted]")
            .field("now_unix", &self.now_unix)
            .finish()
    }
}

/// Replaces the signature headers (and any timestamp they cover) of an outgoing request.
pub type Signer = Arc<dyn Fn(&ResignContext, &mut OutgoingRequest) -> Result<(), String> + Send + Sync>;

/// The signer of this build: `None` until the signature module provides one.
pub fn default_signer() -> Option<Signer> {
    None
}

/// Signs `outgoing` for the request's endpoint, or says why it cannot be done.
pub fn resign(
    signer: Option<&Signer>,
    endpoint: Option<&Endpoint>,
    request: &CapturedRequest,
    outgoing: &mut OutgoingRequest,
) -> Result<(), DeliveryFailure> {
    let fail = |message: String| DeliveryFailure {
        kind: FailureKind::Signing,
        message,
    };
    let signer = signer.ok_or_else(|| fail("re-signing is not available in this build".into()))?;
    let endpoint = endpoint.ok_or_else(|| {
        fail(format!(
            "request {} belongs to no endpoint; re-signing needs an endpoint with a provider and a secret",
            request.id
        ))
    })?;
    let provider = endpoint
        .provider
        .clone()
        .or_else(|| request.signature.as_ref().and_then(|v| v.provider.clone()))
        .ok_or_else(|| {
            fail(format!(
                "endpoint '{}' has no provider and none was detected; set one to re-sign",
                endpoint.name
            ))
        })?;
    let secret = endpoint
        .secrets
        .first()
        .cloned()
        .ok_or_else(|| fail(format!("endpoint '{}' has no signing secret", endpoint.name)))?;
    let context = ResignContext {
        provider,
        secret,
        now_unix: super::now_ns() / 1_000_000_000,
    };
    signer(&context, outgoing).map_err(|message| fail(format!("could not re-sign for {}: {message}", context.provider)))
}
