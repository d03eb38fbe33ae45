//! Turning a captured request into a user sample of its provider: the signature, its timestamp
//! and message id, credentials and connection headers are removed, so that the file holds no
//! secret and is signed afresh whenever it is sent.

use std::path::{Path, PathBuf};

use super::file::{self, Sample, SampleSource};
use super::{pointer, SampleError};
use crate::model::{CapturedRequest, HeaderField};
use crate::signature::scheme::{SigLocation, TimestampFormat, TimestampSource};
use crate::signature::table;

/// Headers that describe the connection or the route to Hookscope, or carry credentials: never
/// part of a sample.
const DROPPED: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "expect",
    "proxy-connection",
    "authorization",
    "proxy-authorization",
    "cookie",
    "forwarded",
    "via",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-port",
    "x-real-ip",
];

/// Saves `request` as the user sample `event` of `provider` in `dir`
/// (`dir/<provider>/<event>.http`, replacing a file of that name), and returns its path.
///
/// `path_prefix` is the endpoint's path prefix, taken off the request's path so that the sample
/// keeps only the suffix (`/stripe/events` under `/stripe` is saved as `/events`).
pub fn save_captured(
    dir: &Path,
    provider: &str,
    event: &str,
    request: &CapturedRequest,
    path_prefix: Option<&str>,
) -> Result<PathBuf, SampleError> {
    let event = event.trim();
    let Some(provider) = table::find(provider.trim()) else {
        return Err(SampleError::UnknownProvider {
            provider: provider.to_owned(),
            closest: super::suggest::closest(provider, crate::signature::provider_ids()),
        });
    };
    file::check_event_name(event).map_err(|why| SampleError::BadName {
        name: event.to_owned(),
        why,
    })?;
    if request.truncated {
        return Err(SampleError::Truncated {
            id: request.id.clone(),
            kept: request.body.len(),
            size: request.body_size,
        });
    }
    let sample = Sample {
        provider: provider.id.to_owned(),
        event: event.to_owned(),
        description: format!(
            "Saved from captured request {} ({} {}).",
            request.id, request.method, request.target
        ),
        source: SampleSource::User,
        handshake: false,
        signed: true,
        method: request.method.clone(),
        path: path_suffix(&request.target, path_prefix),
        headers: kept_headers(provider, &request.headers),
        body: sample_body(provider, &request.body),
    };
    let folder = dir.join(provider.id);
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| SampleError::Io { path, source }
    };
    std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    let path = folder.join(format!("{}.{}", file::file_stem(event), file::EXTENSION));
    let partial = path.with_extension("http.partial");
    std::fs::write(&partial, file::write(&sample)).map_err(io(&partial))?;
    std::fs::rename(&partial, &path).map_err(io(&path))?;
    tracing::info!(provider = provider.id, event, "user sample saved");
    Ok(path)
}

/// The headers a sample keeps: all but those [`DROPPED`] and those the provider's signature
/// scheme writes (signature, timestamp, and message ids or nonces it covers, which signing
/// invents again).
fn kept_headers(provider: &table::Provider, headers: &[HeaderField]) -> Vec<HeaderField> {
    let scheme = &provider.scheme;
    let mut signing: Vec<&str> = Vec::new();
    if let SigLocation::Header(name) = scheme.location {
        signing.push(name);
    }
    if let TimestampSource::Header(name) = scheme.timestamp {
        signing.push(name);
    }
    let mut rest = scheme.content;
    while let Some(at) = rest.find("{header:") {
        let after = &rest[at + "{header:".len()..];
        let end = after.find('}').unwrap_or(after.len());
        signing.push(&after[..end]);
        rest = &after[end..];
    }
    headers
        .iter()
        .filter(|h| {
            let name = h.name.as_str();
            !DROPPED.iter().chain(&signing).any(|d| d.eq_ignore_ascii_case(name))
        })
        .cloned()
        .collect()
}

/// The body as a sample keeps it: for providers whose signature (or secret) travels in the
/// body, that field emptied; for those that sign a timestamp taken from the body (Linear,
/// Mailgun), that field replaced by the matching placeholder so that each send is fresh. Every
/// other byte is kept.
fn sample_body(provider: &table::Provider, body: &[u8]) -> Vec<u8> {
    let Ok(mut text) = std::str::from_utf8(body).map(str::to_owned) else {
        return body.to_vec();
    };
    let scheme = &provider.scheme;
    if let SigLocation::JsonBody(field) = scheme.location {
        text = pointer::splice(&text, field, "\"\"").unwrap_or(text);
    }
    if let TimestampSource::JsonBody(field) = scheme.timestamp {
        let placeholder = match scheme.timestamp_format {
            TimestampFormat::UnixMillis => "{{now_ms}}",
            TimestampFormat::UnixSeconds => "{{now}}",
            TimestampFormat::Rfc3339 | TimestampFormat::Opaque => "{{now_iso}}",
        };
        if let Ok(span) = pointer::span(&text, field) {
            let quoted = text[span.clone()].starts_with('"');
            let value = if quoted {
                format!("\"{placeholder}\"")
            } else {
                placeholder.to_owned()
            };
            text.replace_range(span, &value);
        }
    }
    text.into_bytes()
}

/// The request target without the endpoint's path prefix (always starting with `/`).
fn path_suffix(target: &str, prefix: Option<&str>) -> String {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let prefix = prefix.unwrap_or("/").trim_end_matches('/');
    let suffix = match path.strip_prefix(prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => path,
    };
    let suffix = if suffix.is_empty() { "/" } else { suffix };
    match query {
        Some(query) => format!("{suffix}?{query}"),
        None => suffix.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_prefix_is_taken_off_the_path_and_the_query_kept() {
        assert_eq!(path_suffix("/stripe/events?a=1", Some("/stripe")), "/events?a=1");
        assert_eq!(path_suffix("/stripe?a=1", Some("/stripe/")), "/?a=1");
        assert_eq!(path_suffix("/stripes", Some("/stripe")), "/stripes");
        assert_eq!(path_suffix("/hook", None), "/hook");
    }

    #[test]
    fn signature_timestamp_id_and_credential_headers_are_dropped() {
        let svix = table::find("svix").unwrap();
        let headers = vec![
            HeaderField::new("Host", "localhost"),
            HeaderField::new("svix-id", "msg_1"),
            HeaderField::new("svix-timestamp", "1"),
            HeaderField::new("svix-signature", "v1,abc"),
            HeaderField::new("Authorization", "Bearer x"),
            HeaderField::new("Content-Type", "application/json"),
        ];
        assert_eq!(
            kept_headers(svix, &headers),
            vec![HeaderField::new("Content-Type", "application/json")]
        );
    }

    #[test]
    fn a_signed_timestamp_in_the_body_becomes_a_placeholder() {
        let linear = table::find("linear").unwrap();
        assert_eq!(
            sample_body(linear, br#"{"action": "create", "webhookTimestamp": 1700000000123}"#),
            br#"{"action": "create", "webhookTimestamp": {{now_ms}}}"#.to_vec()
        );
        let mailgun = table::find("mailgun").unwrap();
        let body = br#"{"signature": {"timestamp": "1700000000", "token": "t", "signature": "ab"}}"#;
        assert_eq!(
            sample_body(mailgun, body),
            br#"{"signature": {"timestamp": "{{now}}", "token": "t", "signature": ""}}"#.to_vec()
        );
    }

    #[test]
    fn a_secret_in_the_body_is_emptied_and_nothing_else_changes() {
        let graph = table::find("microsoft_graph").unwrap();
        let body = br#"{"value": [ {"clientState": "s3cret", "x": 1} ]}"#;
        assert_eq!(
            sample_body(graph, body),
            br#"{"value": [ {"clientState": "", "x": 1} ]}"#.to_vec()
        );
    }
}
