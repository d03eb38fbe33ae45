//! Webhook signature verification, provider detection, failure diagnosis and signing.
//!
//! Providers are data ([`table`]): a [`scheme::Scheme`] says where the signature is, how it is
//! written, what content it covers and with which algorithm. [`check`] runs a scheme against a
//! request and, when it fails, [`diagnose`] tries the known ways it goes wrong.

mod check;
pub mod crypto;
pub mod diagnose;
#[doc(hidden)]
pub mod fuzzing;
pub mod generic;
mod hygraph;
pub mod providers;
pub mod request;
mod reverify;
pub mod scheme;
mod signing;
mod sns;
pub mod table;

pub use providers::{detect, provider_ids, provider_names, Resolved};
pub use request::{apply_headers, SignableRequest};
pub use reverify::{reverify_endpoint, verdict_for_stored};
pub use signing::{sign, sign_outgoing};

use crate::model::{CapturedRequest, Endpoint, SignatureVerdict, VerdictStatus};

/// Everything that can go wrong before a signature is checked or made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("unknown provider \"{0}\"; use one of the built-in ids (hookscope verify --help lists them) or generic;header=...")]
    UnknownProvider(String),
    #[error("invalid generic provider: {0}")]
    BadGenericConfig(String),
    #[error("{provider} requests cannot be signed here: {why}")]
    NotSignable { provider: String, why: String },
    #[error("unusable key: {0}")]
    BadKey(String),
    #[error("cannot build the signed content: {0}")]
    Content(String),
}

/// Checks a request against a provider (`None` or `"auto"` detects it from the headers) and
/// secrets (newest first). `tolerance` overrides the provider's timestamp window, in seconds.
pub fn verify(
    provider: Option<&str>,
    secrets: &[String],
    request: &SignableRequest<'_>,
    now_unix: i64,
    tolerance: Option<i64>,
) -> SignatureVerdict {
    let named = provider
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case("auto"));
    let (resolved, detected) = match named {
        Some(id) => match Resolved::from_id(id) {
            Ok(resolved) => (resolved, false),
            Err(error) => return unknown(Some(id), error.to_string()),
        },
        None => match detect(request) {
            Some(provider) => (Resolved::Builtin(provider), true),
            None => return unknown(None, "no known provider's signature headers are present".into()),
        },
    };
    let scheme = resolved.scheme();
    let outcome = check::check(&scheme, resolved.twilio_rules(), secrets, request, now_unix, tolerance);
    tracing::debug!(provider = resolved.id(), status = ?outcome.status, "signature checked");
    SignatureVerdict {
        provider: Some(resolved.id().to_owned()),
        detected,
        status: outcome.status,
        matched_secret: outcome.matched_secret,
        reason: outcome.diagnosis.as_ref().map(|d| d.message.clone()),
        diagnosis: outcome.diagnosis.map(|d| d.code.to_owned()),
        signed_content: Some(scheme.content.to_owned()),
        expected_signature: outcome.expected,
        received_signature: outcome.received,
    }
}

/// Checks a captured request against its endpoint's provider and secrets.
///
/// Returns `None` when there is nothing to say (no provider configured or detected).
pub fn verify_captured(
    endpoint: Option<&Endpoint>,
    request: &CapturedRequest,
    now_unix: i64,
) -> Option<SignatureVerdict> {
    let public_url = endpoint.and_then(|e| e.public_url.as_deref());
    let view = SignableRequest::from_captured(request, public_url);
    let provider = endpoint.and_then(|e| e.provider.as_deref());
    let secrets = endpoint.map(|e| e.secrets.as_slice()).unwrap_or_default();
    let verdict = verify(provider, secrets, &view, now_unix, None);
    (verdict.status != VerdictStatus::UnknownProvider || provider.is_some_and(|p| p != "auto")).then_some(verdict)
}

fn unknown(provider: Option<&str>, reason: String) -> SignatureVerdict {
    SignatureVerdict {
        provider: provider.map(str::to_owned),
        detected: false,
        status: VerdictStatus::UnknownProvider,
        matched_secret: None,
        reason: Some(reason),
        diagnosis: None,
        signed_content: None,
        expected_signature: None,
        received_signature: None,
    }
}
