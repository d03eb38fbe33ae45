//! Slack Events API `url_verification`: answer 200 with the `challenge` value.

use super::{reply, BodyFields, Context};
use crate::model::RecordedResponse;

pub(super) fn answer(context: &Context<'_>) -> Option<RecordedResponse> {
    if context.request.method != "POST" {
        return None;
    }
    let body = context.body_fields("url_verification")?;
    if BodyFields::text(&body.kind)? != "url_verification" {
        return None;
    }
    let challenge = BodyFields::text(&body.challenge)?;
    Some(reply(
        200,
        Some("text/plain"),
        challenge,
        "Hookscope answered Slack's url_verification handshake (echoed the challenge)".to_owned(),
    ))
}
