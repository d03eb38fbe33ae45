//! Slack Events API `url_verification`: answer 200 with the `challenge` value.

use super::{json_body, reply, Context};
use crate::model::RecordedResponse;

pub(super) fn answer(context: &Context<'_>) -> Option<RecordedResponse> {
    if context.request.method != "POST" {
        return None;
    }
    let body = json_body(context.request)?;
    if body.get("type")?.as_str()? != "url_verification" {
        return None;
    }
    let challenge = body.get("challenge")?.as_str()?;
    Some(reply(
        200,
        Some("text/plain"),
        challenge,
        "Hookscope answered Slack's url_verification handshake (echoed the challenge)".to_owned(),
    ))
}
