//! Webhook signature verification, provider detection, failure diagnosis and signing.
//!
//! Providers are data ([`table`]): a [`scheme::Scheme`] says where the signature is, how it is
//! written, what content it covers and with which algorithm; a provider that still sends older
//! versions lists them too. [`check`] runs a scheme against a request and, when it fails,
//! [`diagnose`] tries the known ways it goes wrong; [`versions`] chooses among a provider's versions.

mod check;
pub mod crypto;
pub mod diagnose;
#[doc(hidden)]
pub mod fuzzing;
pub mod generic;
mod hygraph;
mod plivo;
pub mod providers;
pub mod request;
pub mod scheme;
mod signing;
mod sns;
pub mod table;
mod versions;

pub use providers::{detect, provider_ids, provider_names, Resolved};
pub use request::{apply_headers, SignableRequest};
pub use signing::{sign, sign_outgoing};

use crate::model::{CapturedRequest, Endpoint, SignatureVerdict, VerdictStatus};

/// Everything that can go wrong before a signature is checked or made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("unknown provider \"{0}\"; known: {known}, or generic;header=... (see docs/signatures.md)", known = provider_ids().join(", "))]
    UnknownProvider(String),
    #[error("invalid generic provider: {0}")]
    BadGenericConfig(String),
    #[error("invalid provider option: {0}")]
    BadProviderOption(String),
    #[error("{provider} requests cannot be signed here: {why}")]
    NotSignable { provider: String, why: String },
    #[error("unusable key: {0}")]
    BadKey(String),
    #[error("cannot build the signed content: {0}")]
    Content(String),
}

impl serde::Serialize for SignatureError {
    /// As its message, so that it reaches the UI in words.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// Checks a request against a provider (`None` or `"auto"` detects it from the headers) and
/// secrets (newest first). `tolerance` overrides the provider's timestamp window, in seconds; a
/// provider id can carry its own as `stripe;tolerance=600` (how an endpoint stores one).
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
    let (base, configured_tolerance) = match named.map(providers::split_tolerance) {
        Some(Ok((base, tolerance))) => (Some(base), tolerance),
        Some(Err(error)) => return unknown(provider, error.to_string()),
        None => (None, None),
    };
    let tolerance = tolerance.or(configured_tolerance);
    let (resolved, detected) = match named {
        Some(id) => match Resolved::from_id(id) {
            Ok(resolved) => (resolved, false),
            Err(error) => return unknown(base, error.to_string()),
        },
        None => match detect(request) {
            Some(provider) => (Resolved::Builtin(provider), true),
            None => return unknown(None, "no known provider's signature headers are present".into()),
        },
    };
    let candidates = resolved.candidates();
    let checked = versions::check(
        resolved.id(),
        &candidates,
        resolved.twilio_rules(),
        secrets,
        request,
        now_unix,
        tolerance,
    );
    let (mut outcome, scheme) = (checked.outcome, &candidates[checked.version].scheme);
    if outcome.status == VerdictStatus::Unsigned {
        outcome.diagnosis = other_provider(&resolved, request).or(outcome.diagnosis);
    }
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
    let provider = endpoint.and_then(|e| e.provider.as_deref());
    let detecting = provider.is_none_or(|p| p == "auto");
    if detecting && !providers::detection_headers_present(&request.headers) {
        // Nothing to detect, so nothing to say: skip building the view (most requests).
        return None;
    }
    let public_url = endpoint.and_then(|e| e.public_url.as_deref());
    let view = SignableRequest::from_captured(request, public_url);
    let secrets = endpoint.map(|e| e.secrets.as_slice()).unwrap_or_default();
    let verdict = verify(provider, secrets, &view, now_unix, None);
    (verdict.status != VerdictStatus::UnknownProvider || !detecting).then_some(verdict)
}

/// The verdict of a request judged at the time it was received, so that a request that was
/// fresh when it arrived does not fail its timestamp check when it is checked again later
/// (imports, and re-checks after an endpoint's provider or secrets change).
pub fn verdict_as_received(endpoint: Option<&Endpoint>, request: &CapturedRequest) -> Option<SignatureVerdict> {
    verify_captured(endpoint, request, request.received_at_ns.div_euclid(1_000_000_000))
}

/// The exact bytes `provider` signs for `request` (timestamp included), for showing in the UI.
/// Contains the body; never a secret.
pub fn signed_content(provider: &str, request: &SignableRequest<'_>) -> Result<Vec<u8>, SignatureError> {
    let resolved = Resolved::from_id(provider)?;
    let candidates = resolved.candidates();
    // The version the request carries, else the main one.
    let scheme = candidates
        .iter()
        .map(|c| &c.scheme)
        .find(|s| s.read(request).is_ok())
        .unwrap_or(&candidates[0].scheme);
    let timestamp = scheme.read(request).ok().and_then(|presented| presented.timestamp);
    scheme::render(
        scheme.content,
        request,
        request.body,
        &request.url,
        timestamp.as_deref(),
    )
    .map_err(SignatureError::Content)
}

/// An unsigned request that carries another provider's signature: the endpoint names the wrong one.
fn other_provider(named: &Resolved, request: &SignableRequest<'_>) -> Option<diagnose::Diagnosis> {
    let found = detect(request).filter(|found| found.id != named.id() && found.scheme != named.scheme())?;
    let header = match found.scheme.location {
        scheme::SigLocation::Header(name) => name,
        scheme::SigLocation::JsonBody(pointer) => pointer,
    };
    Some(diagnose::Diagnosis::new(
        "provider_mismatch",
        format!(
            "no {} signature, but the request carries {header}, which {} sends: is the endpoint's provider right?",
            named.id(),
            found.name
        ),
    ))
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

#[cfg(test)]
mod tests {
    use super::{providers, table::PROVIDERS, verify_captured};
    use crate::model::{CapturedRequest, HeaderField};

    #[test]
    fn a_catch_all_request_gets_a_verdict_only_when_a_provider_is_detected() {
        let mut signed = CapturedRequest::posted("r1", "/hook", b"{}".to_vec());
        signed.headers = vec![HeaderField::new("stripe-signature", "t=1700000000,v1=00ff")];
        let verdict = verify_captured(None, &signed, 1_700_000_000).expect("stripe is detected");
        assert_eq!((verdict.provider.as_deref(), verdict.detected), (Some("stripe"), true));

        let mut unsigned = signed.clone();
        unsigned.headers = vec![HeaderField::new("Content-Type", "application/json")];
        assert!(verify_captured(None, &unsigned, 1_700_000_000).is_none());
    }

    #[test]
    fn detection_headers_are_found_in_any_case_and_ordinary_headers_are_not() {
        let ordinary = || {
            vec![
                HeaderField::new("Host", "h"),
                HeaderField::new("Content-Type", "application/json"),
            ]
        };
        for provider in PROVIDERS {
            for detect in provider.detection_lists().filter(|detect| !detect.is_empty()) {
                let mut headers = ordinary();
                headers.extend(detect.iter().map(|n| HeaderField::new(n.to_uppercase(), "x")));
                assert!(providers::detection_headers_present(&headers), "{}", provider.id);
            }
        }
        assert!(!providers::detection_headers_present(&ordinary()));
    }
}
