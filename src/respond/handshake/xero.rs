//! Xero's "intent to receive": every webhook must be answered 200 with an empty body when its
//! `x-xero-signature` is base64(HMAC-SHA256(webhook key, body)), and 401 otherwise.

use base64::Engine as _;
use subtle::ConstantTimeEq;

use super::{hmac_sha256, missing_secret, reply, Context};
use crate::model::RecordedResponse;

pub(super) fn answer(context: &Context<'_>) -> Option<RecordedResponse> {
    let request = context.request;
    if request.method != "POST" {
        return None;
    }
    let signature = request.header("x-xero-signature")?;
    let Some(key) = context.secret else {
        return Some(missing_secret("Xero", "webhook key", context));
    };
    let expected = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(key.as_bytes(), &request.body));
    let intent = serde_json::from_slice::<serde_json::Value>(&request.body)
        .ok()
        .and_then(|body| body.get("events")?.as_array().map(Vec::is_empty))
        .unwrap_or(false);
    let what = if intent { "intent-to-receive check" } else { "webhook" };
    if bool::from(expected.as_bytes().ct_eq(signature.trim().as_bytes())) {
        Some(reply(
            200,
            None,
            Vec::new(),
            format!("Hookscope answered Xero's {what}: signature valid, 200 with an empty body"),
        ))
    } else {
        Some(reply(
            401,
            None,
            Vec::new(),
            format!("Hookscope answered Xero's {what}: signature does not match the webhook key, 401"),
        ))
    }
}
