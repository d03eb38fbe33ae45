//! Re-signing a replay with a fresh timestamp, so the receiver's tolerance window accepts it.
//!
//! The signing itself belongs to the signature module ([`crate::signature::sign`]); deliveries
//! take it as a [`Signer`] so that tests and callers with their own signing can pass another.

use std::sync::Arc;

use crate::model::{CapturedRequest, DeliveryFailure, Endpoint, FailureKind, OutgoingRequest};
use crate::signature::{apply_headers, sign, SignableRequest};

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

/// The signature module's signer: new signature headers (and timestamp or message-id headers
/// the scheme covers) replace the old ones in place; the body is never changed.
pub fn default_signer() -> Option<Signer> {
    Some(Arc::new(|context: &ResignContext, outgoing: &mut OutgoingRequest| {
        let view = SignableRequest {
            method: &outgoing.method,
            url: outgoing.url.clone(),
            headers: &outgoing.headers,
            body: &outgoing.body,
        };
        let headers = sign(&context.provider, &context.secret, &view, context.now_unix).map_err(|e| e.to_string())?;
        apply_headers(&mut outgoing.headers, &headers);
        Ok(())
    }))
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
