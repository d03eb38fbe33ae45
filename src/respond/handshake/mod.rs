//! Provider handshakes answered by the listener itself, each as its provider documents it.
//!
//! With a provider set on the endpoint only that provider's handshake is answered. Without one,
//! handshakes whose shape cannot be mistaken for anything else are detected (Slack, Meta, Zoom,
//! Microsoft Graph, Twitter/X, Twitch, Worldline); Dropbox's bare `?challenge=` and Xero's
//! signature rule need the provider to be named.

mod echo;
mod meta;
mod slack;
mod twitter;
mod xero;
mod zoom;

use std::cell::OnceCell;
use std::sync::LazyLock;

use hmac::{Hmac, Mac};
use memchr::memmem::Finder;
use serde::Deserialize;
use sha2::Sha256;

use crate::model::{CapturedRequest, Endpoint, HeaderField, RecordedResponse};

/// Provider ids whose handshakes Hookscope answers.
pub const PROVIDERS: &[&str] = &[
    "slack",
    "facebook_graph_api",
    "facebook_messenger",
    "instagram",
    "whatsapp",
    "zoom",
    "microsoft_graph",
    "twitter",
    "dropbox",
    "twitch",
    "xero",
    "worldline",
];

/// What a handshake answer may use from the endpoint.
struct Context<'a> {
    request: &'a CapturedRequest,
    /// The newest signing secret (Zoom's secret token, Twitter's consumer secret, Xero's key).
    secret: Option<&'a str>,
    verify_token: Option<&'a str>,
    endpoint_name: Option<&'a str>,
    /// The body's handshake fields, parsed at most once and only when a handshake may be there.
    fields: OnceCell<Option<BodyFields>>,
}

/// The top-level body fields that Slack, Zoom and Twitch handshakes carry. Everything else in
/// the body is skipped by the parser, not built into a JSON tree.
#[derive(Debug, Default, Deserialize)]
struct BodyFields {
    #[serde(rename = "type")]
    kind: Option<serde_json::Value>,
    challenge: Option<serde_json::Value>,
    event: Option<serde_json::Value>,
    payload: Option<serde_json::Value>,
}

impl BodyFields {
    fn text(value: &Option<serde_json::Value>) -> Option<&str> {
        value.as_ref()?.as_str()
    }
}

/// A string every handshake of one kind carries in its body, with its searcher built once (a
/// searcher built for each request cost more than the search).
type Marker = LazyLock<Finder<'static>>;

impl Context<'_> {
    /// The handshake fields of a JSON body that contains `marker`; `None` without parsing
    /// anything when the marker is absent, which is the case for almost every captured request.
    fn body_fields(&self, marker: &Marker) -> Option<&BodyFields> {
        marker.find(&self.request.body)?;
        self.fields
            .get_or_init(|| serde_json::from_slice(&self.request.body).ok())
            .as_ref()
    }
}

/// The handshake answer for this request, or `None` when it is not a handshake.
pub fn answer(endpoint: Option<&Endpoint>, request: &CapturedRequest) -> Option<RecordedResponse> {
    let context = Context {
        request,
        secret: endpoint.and_then(|e| e.secrets.first()).map(String::as_str),
        verify_token: endpoint.and_then(|e| e.verify_token.as_deref()),
        endpoint_name: endpoint.map(|e| e.name.as_str()),
        fields: OnceCell::new(),
    };
    match endpoint.and_then(|e| e.provider.as_deref()) {
        Some(provider) => answer_for(provider, &context),
        None => detect(&context),
    }
}

fn answer_for(provider: &str, context: &Context<'_>) -> Option<RecordedResponse> {
    match provider {
        "slack" => slack::answer(context),
        "facebook_graph_api" | "facebook_messenger" | "instagram" | "whatsapp" => meta::answer(context),
        "zoom" => zoom::answer(context),
        "microsoft_graph" => echo::microsoft_graph(context),
        "twitter" | "x" => twitter::answer(context),
        "dropbox" => echo::dropbox(context),
        "twitch" => echo::twitch(context),
        "xero" => xero::answer(context),
        "worldline" => echo::worldline(context),
        _ => None,
    }
}

fn detect(context: &Context<'_>) -> Option<RecordedResponse> {
    slack::answer(context)
        .or_else(|| echo::twitch(context))
        .or_else(|| zoom::answer(context))
        .or_else(|| meta::answer(context))
        .or_else(|| echo::microsoft_graph(context))
        .or_else(|| twitter::answer(context))
        .or_else(|| echo::worldline(context))
}

/// A handshake answer with an optional content type and the note shown with the request.
fn reply(status: u16, content_type: Option<&str>, body: impl Into<Vec<u8>>, note: String) -> RecordedResponse {
    RecordedResponse {
        status,
        headers: content_type
            .map(|value| vec![HeaderField::new("Content-Type", value)])
            .unwrap_or_default(),
        body: body.into(),
        note: Some(note),
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The answer when a handshake needs a secret the endpoint does not have.
fn missing_secret(provider: &str, what: &str, context: &Context<'_>) -> RecordedResponse {
    let fix = match context.endpoint_name {
        Some(name) => format!("add it with `hookscope endpoint set {name} --secret ...` or in the endpoint editor"),
        None => "add an endpoint for this path with its secret (`hookscope endpoint add NAME --path ... --secret ...`)"
            .to_owned(),
    };
    let message = format!("Hookscope could not answer {provider}'s handshake: it needs the {what}; {fix}");
    reply(500, Some("text/plain; charset=utf-8"), format!("{message}\n"), message)
}
