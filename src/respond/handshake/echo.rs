//! Handshakes that echo a value back as text: Microsoft Graph, Dropbox, Twitch, Worldline.

use memchr::memmem::Finder;

use super::{reply, BodyFields, Context, Marker};
use crate::model::{HeaderField, RecordedResponse};
use crate::respond::template::query_param;

static CHALLENGE: Marker = Marker::new(|| Finder::new("challenge"));

/// Microsoft Graph subscription validation: `POST ?validationToken=T` is answered 200 with `T`
/// URL-decoded, as text/plain.
pub(super) fn microsoft_graph(context: &Context<'_>) -> Option<RecordedResponse> {
    if context.request.method != "POST" {
        return None;
    }
    let token = query_param(context.request, "validationToken")?;
    Some(reply(
        200,
        Some("text/plain"),
        token,
        "Hookscope answered Microsoft Graph's subscription validation (echoed validationToken)".to_owned(),
    ))
}

/// Dropbox webhook verification: `GET ?challenge=C` is answered 200 with `C` as text/plain and
/// `X-Content-Type-Options: nosniff`.
pub(super) fn dropbox(context: &Context<'_>) -> Option<RecordedResponse> {
    if context.request.method != "GET" {
        return None;
    }
    let challenge = query_param(context.request, "challenge")?;
    let mut answer = reply(
        200,
        Some("text/plain"),
        challenge,
        "Hookscope answered Dropbox's verification request (echoed the challenge)".to_owned(),
    );
    answer
        .headers
        .push(HeaderField::new("X-Content-Type-Options", "nosniff"));
    Some(answer)
}

/// Twitch EventSub `webhook_callback_verification`: answer 200 with the raw `challenge` as text/plain.
pub(super) fn twitch(context: &Context<'_>) -> Option<RecordedResponse> {
    let request = context.request;
    let kind = request.header("twitch-eventsub-message-type")?;
    if request.method != "POST" || kind != "webhook_callback_verification" {
        return None;
    }
    let body = context.body_fields(&CHALLENGE)?;
    let challenge = BodyFields::text(&body.challenge)?.to_owned();
    Some(reply(
        200,
        Some("text/plain"),
        challenge,
        "Hookscope answered Twitch EventSub's webhook_callback_verification (echoed the challenge)".to_owned(),
    ))
}

/// Worldline (Connect) endpoint verification: a GET carrying `X-GCS-Webhooks-Endpoint-Verification`
/// is answered 200 with that header's value as the body.
pub(super) fn worldline(context: &Context<'_>) -> Option<RecordedResponse> {
    let request = context.request;
    if request.method != "GET" {
        return None;
    }
    let value = request.header("x-gcs-webhooks-endpoint-verification")?;
    Some(reply(
        200,
        Some("text/plain"),
        value,
        "Hookscope answered Worldline's endpoint verification (echoed X-GCS-Webhooks-Endpoint-Verification)".to_owned(),
    ))
}
