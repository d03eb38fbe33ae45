//! Webhook signature verification, provider detection, failure diagnosis and signing.

use crate::model::{CapturedRequest, Endpoint, SignatureVerdict};

/// Checks a captured request against its endpoint's provider and secrets.
///
/// Returns `None` when there is nothing to say (no provider configured or detected).
pub fn verify_captured(
    _endpoint: Option<&Endpoint>,
    _request: &CapturedRequest,
    _now_unix: i64,
) -> Option<SignatureVerdict> {
    None
}
