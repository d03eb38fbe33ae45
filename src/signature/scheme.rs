//! A signature scheme as data: where the signature is, how it is written, what it covers.

use super::crypto::{Algorithm, KeyEncoding, SignatureEncoding};
use super::request::SignableRequest;

/// One provider's signature scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme<'a> {
    pub algorithm: Algorithm,
    pub key: KeyEncoding,
    pub location: SigLocation<'a>,
    pub format: SigFormat<'a>,
    pub encoding: SignatureEncoding,
    /// What is signed, e.g. `v0:{timestamp}:{body}`; see [`render`] for the placeholders.
    pub content: &'a str,
    pub timestamp: TimestampSource<'a>,
    pub timestamp_format: TimestampFormat,
    /// Documented replay window in seconds; `None` when the provider documents none.
    pub tolerance: Option<i64>,
    /// True when the provider's own SDK verifies without the timestamp (Linear's
    /// `webhookTimestamp`): a missing one is then a warning and the replay window goes unchecked.
    pub timestamp_optional: bool,
    /// How signing writes the header when the format alone does not say (Hygraph's
    /// `sign={signature}, env={env}, t={timestamp}`); `None` follows [`SigFormat`].
    pub signed_value: Option<&'a str>,
}

/// Where the signature travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigLocation<'a> {
    Header(&'a str),
    /// A JSON pointer into the body (Mailgun, Adyen, Microsoft Graph's clientState).
    JsonBody(&'a str),
}

/// How the signature value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigFormat<'a> {
    /// One signature, after an optional prefix such as `sha256=`.
    Single { prefix: &'a str },
    /// A list of `key<kv>value` items separated by `item`: Stripe's `t=1,v1=ab,v1=cd`,
    /// Standard Webhooks' `v1,sig1 v1,sig2`, Paddle's `ts=1;h1=ab`.
    Pairs {
        item: char,
        kv: char,
        timestamp_key: Option<&'a str>,
        signature_key: &'a str,
    },
    /// Several bare signatures separated by `separator` (Plivo V3's `sig1,sig2`).
    List { separator: char },
}

/// Where the timestamp comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampSource<'a> {
    None,
    Header(&'a str),
    /// The `timestamp_key` item of a [`SigFormat::Pairs`] signature value.
    SignatureValue,
    JsonBody(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    UnixSeconds,
    UnixMillis,
    Rfc3339,
    /// Only part of the signed content; never checked against the clock.
    Opaque,
}

/// The signature value(s) and timestamp a request presents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented {
    /// The raw value as found (header value or body field), for display.
    pub raw: String,
    /// Each signature candidate, still encoded.
    pub signatures: Vec<String>,
    pub timestamp: Option<String>,
    /// An optional part that is absent (see [`Scheme::timestamp_optional`]), in words.
    pub missing_optional: Option<String>,
}

/// Why a request's signature could not even be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    /// The signature is absent: nothing signed this request.
    Missing(String),
    /// Present but not in the expected shape.
    Malformed(String),
}

impl Scheme<'_> {
    /// Where a user should look for the signature, in words.
    pub fn location_text(&self) -> String {
        match self.location {
            SigLocation::Header(name) => format!("header {name}"),
            SigLocation::JsonBody(pointer) => format!("body field {pointer}"),
        }
    }

    /// Finds the signature value(s) and the timestamp in a request.
    pub fn read(&self, request: &SignableRequest<'_>) -> Result<Presented, ReadProblem> {
        let raw = match self.location {
            SigLocation::Header(name) => request.header(name).map(str::to_owned),
            SigLocation::JsonBody(pointer) => json_field(request.body, pointer),
        };
        let raw = raw
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ReadProblem::Missing(format!("expected a signature in {}", self.location_text())))?;
        let (signatures, pair_timestamp) = match self.format {
            SigFormat::Single { prefix } => {
                let value = raw.trim();
                let stripped = strip_prefix_ignore_case(value, prefix).ok_or_else(|| {
                    ReadProblem::Malformed(format!(
                        "{} should start with \"{prefix}\" but is \"{}\"",
                        self.location_text(),
                        preview(value)
                    ))
                })?;
                (vec![stripped.trim().to_owned()], None)
            }
            SigFormat::List { separator } => {
                let signatures: Vec<String> = raw
                    .split(separator)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                if signatures.is_empty() {
                    return Err(ReadProblem::Malformed(format!(
                        "{} holds no signature",
                        self.location_text()
                    )));
                }
                (signatures, None)
            }
            SigFormat::Pairs {
                item,
                kv,
                timestamp_key,
                signature_key,
            } => {
                let mut signatures = Vec::new();
                let mut timestamp = None;
                for part in raw.split(item).map(str::trim).filter(|p| !p.is_empty()) {
                    let Some((key, value)) = part.split_once(kv) else {
                        continue;
                    };
                    if Some(key.trim()) == timestamp_key {
                        timestamp = Some(value.trim().to_owned());
                    } else if key.trim() == signature_key {
                        signatures.push(value.trim().to_owned());
                    }
                }
                if signatures.is_empty() {
                    return Err(ReadProblem::Malformed(format!(
                        "{} has no \"{signature_key}{kv}\" signature in \"{}\"",
                        self.location_text(),
                        preview(&raw)
                    )));
                }
                (signatures, timestamp)
            }
        };
        let timestamp = match self.timestamp {
            TimestampSource::None => Ok(None),
            TimestampSource::Header(name) => request
                .header(name)
                .map(|v| Some(v.to_owned()))
                .ok_or_else(|| format!("header {name}")),
            TimestampSource::SignatureValue => pair_timestamp
                .map(Some)
                .ok_or_else(|| format!("a timestamp item in {}", self.location_text())),
            TimestampSource::JsonBody(pointer) => json_field(request.body, pointer)
                .map(Some)
                .ok_or_else(|| format!("body field {pointer}")),
        };
        let (timestamp, missing_optional) = match timestamp {
            Ok(timestamp) => (timestamp, None),
            Err(place) if self.timestamp_optional => (None, Some(place)),
            Err(place) => return Err(ReadProblem::Malformed(missing_timestamp(&place, self))),
        };
        Ok(Presented {
            raw,
            signatures,
            timestamp,
            missing_optional,
        })
    }

    /// Seconds since the epoch of a presented timestamp, `Err` with words when unreadable.
    pub fn timestamp_seconds(&self, timestamp: &str) -> Result<i64, String> {
        let text = timestamp.trim();
        let parsed = match self.timestamp_format {
            TimestampFormat::UnixSeconds => text.parse::<i64>().ok(),
            TimestampFormat::UnixMillis => text.parse::<i64>().ok().map(|ms| ms.div_euclid(1000)),
            TimestampFormat::Opaque => return Err("this provider's timestamp is not checked against the clock".into()),
            TimestampFormat::Rfc3339 => {
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                    .ok()
                    .map(|t| t.unix_timestamp())
            }
        };
        parsed.ok_or_else(|| {
            format!(
                "the timestamp \"{}\" is not {}",
                preview(text),
                self.timestamp_format.describe()
            )
        })
    }

    /// Formats `now_unix` the way this scheme writes timestamps.
    pub fn format_timestamp(&self, now_unix: i64) -> String {
        match self.timestamp_format {
            TimestampFormat::UnixSeconds => now_unix.to_string(),
            TimestampFormat::UnixMillis => now_unix.saturating_mul(1000).to_string(),
            TimestampFormat::Rfc3339 | TimestampFormat::Opaque => time::OffsetDateTime::from_unix_timestamp(now_unix)
                .ok()
                .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
                .unwrap_or_default(),
        }
    }
}

impl TimestampFormat {
    fn describe(self) -> &'static str {
        match self {
            TimestampFormat::UnixSeconds => "Unix seconds",
            TimestampFormat::UnixMillis => "Unix milliseconds",
            TimestampFormat::Rfc3339 | TimestampFormat::Opaque => "an RFC 3339 date",
        }
    }
}

/// Renders the signed content of a template.
///
/// Placeholders: `{body}`, `{timestamp}`, `{url}`, `{url_no_query}`, `{method}`, `{header:Name}`, `{json:/pointer}`
/// (a body field as text), and `{form_params_sorted}` (Twilio/Mandrill: each form field's name
/// and value, sorted by name, concatenated), `{sns_canonical}` (Amazon SNS's field list),
/// `{hygraph_payload}` (Hygraph's JSON envelope), `{url_plivo_v3}` (Plivo V3's rebuilt URL). Anything
/// else is literal text.
pub fn render(
    template: &str,
    request: &SignableRequest<'_>,
    body: &[u8],
    url: &str,
    timestamp: Option<&str>,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len() + template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.extend_from_slice(&rest.as_bytes()[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.extend_from_slice(&rest.as_bytes()[open..]);
            return Ok(out);
        };
        let name = &after[..close];
        match name {
            "body" => out.extend_from_slice(body),
            "timestamp" => out.extend_from_slice(timestamp.unwrap_or_default().as_bytes()),
            "url" => out.extend_from_slice(url.as_bytes()),
            "url_no_query" => out.extend_from_slice(url.split_once('?').map_or(url, |(u, _)| u).as_bytes()),
            "url_plivo_v3" => out.extend_from_slice(super::plivo::v3_url(request, body, url).as_bytes()),
            "method" => out.extend_from_slice(request.method.as_bytes()),
            "form_params_sorted" => out.extend_from_slice(sorted_form_params(request, body).as_bytes()),
            "hygraph_payload" => out.extend_from_slice(super::hygraph::payload(request, body, timestamp).as_bytes()),
            "sns_canonical" => out.extend_from_slice(super::sns::canonical(body).unwrap_or_default().as_bytes()),
            _ => {
                if let Some(header) = name.strip_prefix("header:") {
                    let value = request
                        .header(header)
                        .ok_or_else(|| format!("the signed content needs header {header}, which is missing"))?;
                    out.extend_from_slice(value.as_bytes());
                } else if let Some(pointer) = name.strip_prefix("json:") {
                    out.extend_from_slice(json_field(body, pointer).unwrap_or_default().as_bytes());
                } else {
                    out.extend_from_slice(&rest.as_bytes()[open..open + close + 2]);
                }
            }
        }
        rest = &after[close + 1..];
    }
    out.extend_from_slice(rest.as_bytes());
    Ok(out)
}

/// Form fields sorted by name then value, exact duplicates once (as Twilio's SDKs do), each as
/// name followed by value.
fn sorted_form_params(request: &SignableRequest<'_>, body: &[u8]) -> String {
    if !request.is_form() {
        return String::new();
    }
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    pairs.sort();
    pairs.dedup();
    pairs.into_iter().map(|(k, v)| k + &v).collect()
}

/// A JSON body field by pointer (`/a/0/b`), as text: strings unquoted, other values as JSON.
pub fn json_field(body: &[u8], pointer: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match value.pointer(pointer)? {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Why a required timestamp is missing, worded as before for each place it can be.
fn missing_timestamp(place: &str, scheme: &Scheme<'_>) -> String {
    match scheme.timestamp {
        TimestampSource::SignatureValue => format!("{} carries no timestamp item", scheme.location_text()),
        _ => format!("expected a timestamp in {place}"),
    }
}

fn strip_prefix_ignore_case<'v>(value: &'v str, prefix: &str) -> Option<&'v str> {
    if value.len() >= prefix.len()
        && value.is_char_boundary(prefix.len())
        && value[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&value[prefix.len()..])
    } else {
        None
    }
}

/// The start of a value, for messages (signatures are not secrets, but can be long).
pub fn preview(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HeaderField;
    use crate::signature::crypto::{Algorithm, KeyEncoding, SignatureEncoding};

    fn scheme(format: SigFormat<'static>, timestamp: TimestampSource<'static>) -> Scheme<'static> {
        Scheme {
            algorithm: Algorithm::HmacSha256,
            key: KeyEncoding::Raw,
            location: SigLocation::Header("X-Sig"),
            format,
            encoding: SignatureEncoding::Hex,
            content: "{body}",
            timestamp,
            timestamp_format: TimestampFormat::UnixSeconds,
            tolerance: None,
            timestamp_optional: false,
            signed_value: None,
        }
    }

    fn request(headers: &[HeaderField]) -> SignableRequest<'_> {
        SignableRequest::new("POST", "/p?q=1", headers, br#"{"a":{"b":[1,"two"]}}"#, None)
    }

    const STRIPE_LIKE: SigFormat<'static> = SigFormat::Pairs {
        item: ',',
        kv: '=',
        timestamp_key: Some("t"),
        signature_key: "v1",
    };

    #[test]
    fn pairs_collect_every_signature_and_the_timestamp_ignoring_spaces_and_unknown_items() {
        let headers = [HeaderField::new("x-sig", " t=12 , v0=zz, v1=aa ,v1=bb,junk")];
        let presented = scheme(STRIPE_LIKE, TimestampSource::SignatureValue)
            .read(&request(&headers))
            .unwrap();
        assert_eq!(presented.signatures, ["aa", "bb"]);
        assert_eq!(presented.timestamp.as_deref(), Some("12"));
    }

    #[test]
    fn pairs_without_the_timestamp_item_are_malformed() {
        let headers = [HeaderField::new("X-Sig", "v1=aa")];
        let problem = scheme(STRIPE_LIKE, TimestampSource::SignatureValue)
            .read(&request(&headers))
            .unwrap_err();
        assert!(matches!(problem, ReadProblem::Malformed(why) if why.contains("no timestamp")));
    }

    #[test]
    fn a_prefix_matches_case_insensitively_and_a_wrong_one_is_malformed() {
        let single = scheme(SigFormat::Single { prefix: "sha256=" }, TimestampSource::None);
        let headers = [HeaderField::new("X-Sig", "SHA256=abcd")];
        assert_eq!(single.read(&request(&headers)).unwrap().signatures, ["abcd"]);
        let headers = [HeaderField::new("X-Sig", "sha1=abcd")];
        assert!(matches!(
            single.read(&request(&headers)),
            Err(ReadProblem::Malformed(_))
        ));
        assert!(matches!(single.read(&request(&[])), Err(ReadProblem::Missing(_))));
    }

    #[test]
    fn render_fills_every_placeholder_and_keeps_unknown_ones_literal() {
        let headers = [HeaderField::new("X-Id", "msg_1"), HeaderField::new("Host", "h")];
        let req = request(&headers);
        let template = "{method} {url_no_query} {header:x-id} {json:/a/b/1} {json:/a/b} {nope} {timestamp}.{body}";
        let rendered = render(template, &req, req.body, &req.url, Some("99")).unwrap();
        assert_eq!(
            String::from_utf8(rendered).unwrap(),
            r#"POST http://h/p msg_1 two [1,"two"] {nope} 99.{"a":{"b":[1,"two"]}}"#
        );
        assert!(render("{header:X-Missing}", &req, req.body, &req.url, None).is_err());
    }

    #[test]
    fn timestamps_are_read_in_each_format() {
        let mut s = scheme(SigFormat::Single { prefix: "" }, TimestampSource::Header("X-Ts"));
        assert_eq!(s.timestamp_seconds("1700000000"), Ok(1_700_000_000));
        s.timestamp_format = TimestampFormat::UnixMillis;
        assert_eq!(s.timestamp_seconds("1700000000999"), Ok(1_700_000_000));
        s.timestamp_format = TimestampFormat::Rfc3339;
        assert_eq!(s.timestamp_seconds("2023-11-14T22:13:20.123456789Z"), Ok(1_700_000_000));
        assert!(s.timestamp_seconds("yesterday").unwrap_err().contains("RFC 3339"));
        assert_eq!(s.format_timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
