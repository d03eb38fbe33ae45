//! Signing: the inverse of verification, with a fresh timestamp, for re-signed replays and
//! `hookscope sign`.

use super::crypto::{self, Algorithm};
use super::providers::Resolved;
use super::request::SignableRequest;
use super::scheme::{json_field, render, SigFormat, SigLocation, TimestampSource};
use super::SignatureError;
use crate::model::{HeaderField, OutgoingRequest};

/// Headers that carry a message id or nonce the signature covers; signing invents one when missing.
const ID_HEADERS: &[&str] = &[
    "svix-id",
    "webhook-id",
    "Twitch-Eventsub-Message-Id",
    "X-Plivo-Signature-V2-Nonce",
    "X-Plivo-Signature-V3-Nonce",
];

/// The headers to set (replacing any of the same name) so that `request` carries a valid signature
/// of `provider` made with `secret` at `now_unix`.
///
/// For Ed25519 and ECDSA providers `secret` is the private key (Discord: 32-byte seed in hex;
/// SendGrid: PKCS#8 DER or a 32-byte scalar, in base64). Providers whose signature travels in the
/// body (Mailgun, Microsoft Graph) cannot be re-signed without changing the body; Adyen is signed
/// with its header version. A provider with several versions signs its main one unless the id
/// names another (`hubspot;version=v1`), and sets the header that names the version.
pub fn sign(
    provider: &str,
    secret: &str,
    request: &SignableRequest<'_>,
    now_unix: i64,
) -> Result<Vec<HeaderField>, SignatureError> {
    let resolved = Resolved::from_id(provider)?;
    let candidate = resolved.signing_candidate();
    let scheme = candidate.scheme;
    let not_signable = |why: &str| SignatureError::NotSignable {
        provider: resolved.id().to_owned(),
        why: why.to_owned(),
    };
    let SigLocation::Header(signature_header) = scheme.location else {
        return Err(not_signable("its signature travels inside the body"));
    };
    let key = scheme
        .key
        .decode(secret)
        .ok_or_else(|| SignatureError::BadKey(format!("the secret is not valid {}", scheme.key.name())))?;

    let mut added: Vec<HeaderField> = Vec::new();
    if let Some((name, value)) = candidate.selector {
        added.push(HeaderField::new(name, value));
    }
    for name in ID_HEADERS {
        if scheme.content.contains(&format!("{{header:{name}}}")) && request.header(name).is_none() {
            added.push(HeaderField::new(*name, new_message_id()));
        }
    }
    let timestamp = match scheme.timestamp {
        TimestampSource::None => None,
        TimestampSource::JsonBody(pointer) => json_field(request.body, pointer),
        TimestampSource::Header(_) | TimestampSource::SignatureValue => Some(scheme.format_timestamp(now_unix)),
    };
    if let (TimestampSource::Header(name), Some(ts)) = (scheme.timestamp, &timestamp) {
        added.push(HeaderField::new(name, ts.clone()));
    }

    let mut headers = request.headers.to_vec();
    super::request::apply_headers(&mut headers, &added);
    let view = SignableRequest {
        headers: &headers,
        ..request.clone()
    };
    let content = render(scheme.content, &view, request.body, &request.url, timestamp.as_deref())
        .map_err(SignatureError::Content)?;
    let signature = if scheme.algorithm == Algorithm::Token {
        scheme.encoding.encode(&key)
    } else {
        scheme
            .encoding
            .encode(&crypto::produce(scheme.algorithm, &key, &content)?)
    };
    let value = match (scheme.signed_value, scheme.format) {
        (Some(template), _) => template
            .replace("{signature}", &signature)
            .replace("{timestamp}", timestamp.as_deref().unwrap_or_default())
            .replace("{env}", &super::hygraph::environment(&view)),
        (None, SigFormat::Single { prefix }) => format!("{prefix}{signature}"),
        (None, SigFormat::List { .. }) => signature,
        (
            None,
            SigFormat::Pairs {
                item,
                kv,
                timestamp_key,
                signature_key,
            },
        ) => match (timestamp_key, &timestamp) {
            (Some(ts_key), Some(ts)) => format!("{ts_key}{kv}{ts}{item}{signature_key}{kv}{signature}"),
            _ => format!("{signature_key}{kv}{signature}"),
        },
    };
    added.push(HeaderField::new(signature_header, value));
    Ok(added)
}

/// Re-signs a delivery in place (the replay's `--resign`): its signature headers, and any timestamp
/// or id header they cover, are replaced. URL-signed schemes sign the delivery's own URL.
pub fn sign_outgoing(
    provider: &str,
    secret: &str,
    now_unix: i64,
    outgoing: &mut OutgoingRequest,
) -> Result<(), SignatureError> {
    let target = url::Url::parse(&outgoing.url)
        .map(|u| u[url::Position::BeforePath..].to_owned())
        .unwrap_or_else(|_| "/".to_owned());
    let view = SignableRequest::new(
        &outgoing.method,
        &target,
        &outgoing.headers,
        &outgoing.body,
        Some(&outgoing.url),
    );
    let headers = sign(provider, secret, &view, now_unix)?;
    super::request::apply_headers(&mut outgoing.headers, &headers);
    Ok(())
}

/// A message id in Svix's style: `msg_` and 27 random alphanumerics.
fn new_message_id() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    format!("msg_{}", Alphanumeric.sample_string(&mut rand::thread_rng(), 27))
}
