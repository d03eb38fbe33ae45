//! Slack Events API `url_verification`: answer 200 with the `challenge` value.

use memchr::memmem::Finder;

use super::{reply, BodyFields, Context, Marker};
use crate::model::RecordedResponse;

static URL_VERIFICATION: Marker = Marker::new(|| Finder::new("url_verification"));

pub(super) fn answer(context: &Context<'_>) -> Option<RecordedResponse> {
    if context.request.method != "POST" {
        return None;
    }
    let body = context.body_fields(&URL_VERIFICATION)?;
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
