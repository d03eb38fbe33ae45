//! Twitter/X Account Activity CRC: `GET ?crc_token=T` is answered
//! `{"response_token": "sha256=" + base64(HMAC-SHA256(consumer secret, T))}`.

use base64::Engine as _;

use super::{hmac_sha256, missing_secret, reply, Context};
use crate::model::RecordedResponse;
use crate::respond::template::query_param;

pub(super) fn answer(context: &Context<'_>) -> Option<RecordedResponse> {
    if context.request.method != "GET" {
        return None;
    }
    let token = query_param(context.request, "crc_token")?;
    let Some(secret) = context.secret else {
        return Some(missing_secret("Twitter/X", "app's consumer secret", context));
    };
    let digest = hmac_sha256(secret.as_bytes(), token.as_bytes());
    let response_token = format!("sha256={}", base64::engine::general_purpose::STANDARD.encode(digest));
    Some(reply(
        200,
        Some("application/json"),
        serde_json::json!({ "response_token": response_token }).to_string(),
        "Hookscope answered Twitter/X's CRC check (response_token signed with the consumer secret)".to_owned(),
    ))
}
