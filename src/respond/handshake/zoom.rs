//! Zoom `endpoint.url_validation`: answer `{"plainToken": P, "encryptedToken": hex(HMAC-SHA256(secret, P))}`
//! with the app's secret token.

use memchr::memmem::Finder;

use super::{hmac_sha256, missing_secret, reply, BodyFields, Context, Marker};
use crate::model::RecordedResponse;

static URL_VALIDATION: Marker = Marker::new(|| Finder::new("endpoint.url_validation"));

pub(super) fn answer(context: &Context<'_>) -> Option<RecordedResponse> {
    if context.request.method != "POST" {
        return None;
    }
    let body = context.body_fields(&URL_VALIDATION)?;
    if BodyFields::text(&body.event)? != "endpoint.url_validation" {
        return None;
    }
    let plain_token = body.payload.as_ref()?.get("plainToken")?.as_str()?;
    let Some(secret) = context.secret else {
        return Some(missing_secret("Zoom", "app's secret token", context));
    };
    let encrypted = hex::encode(hmac_sha256(secret.as_bytes(), plain_token.as_bytes()));
    let answer = serde_json::json!({ "plainToken": plain_token, "encryptedToken": encrypted });
    Some(reply(
        200,
        Some("application/json"),
        answer.to_string(),
        "Hookscope answered Zoom's endpoint.url_validation handshake (encryptedToken signed with the secret token)"
            .to_owned(),
    ))
}
