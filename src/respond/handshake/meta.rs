//! Meta (Facebook, Messenger, Instagram, WhatsApp) webhook verification:
//! `GET ?hub.mode=subscribe&hub.challenge=C&hub.verify_token=T` is answered 200 with `C` only
//! when `T` is the endpoint's verify token, else 403.

use subtle::ConstantTimeEq;

use super::{reply, Context};
use crate::model::RecordedResponse;
use crate::respond::template::query_param;

pub(super) fn answer(context: &Context<'_>) -> Option<RecordedResponse> {
    let request = context.request;
    if request.method != "GET" || query_param(request, "hub.mode")?.as_str() != "subscribe" {
        return None;
    }
    let challenge = query_param(request, "hub.challenge")?;
    let sent = query_param(request, "hub.verify_token").unwrap_or_default();
    let refused = |why: &str| {
        let message = format!("Hookscope refused Meta's subscription handshake: {why}");
        reply(403, Some("text/plain; charset=utf-8"), format!("{message}\n"), message)
    };
    let Some(expected) = context.verify_token else {
        return Some(refused(
            "the endpoint has no verify token; set the one entered in Meta's dashboard with --verify-token",
        ));
    };
    if !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        return Some(refused("hub.verify_token does not match the endpoint's verify token"));
    }
    Some(reply(
        200,
        Some("text/plain"),
        challenge,
        "Hookscope answered Meta's subscription handshake (verify token matched; echoed hub.challenge)".to_owned(),
    ))
}
