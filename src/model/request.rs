use serde::{Deserialize, Serialize};

use super::Endpoint;

/// One header line as it arrived: original name casing, value as sent.
///
/// Values are kept as text; a value whose bytes are not UTF-8 (obs-text, very rare in practice)
/// is decoded as Latin-1, one char per byte, and is sent on as UTF-8 when forwarded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeaderField {
    pub name: String,
    pub value: String,
}

impl HeaderField {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }

    /// Builds a field from raw bytes: UTF-8 when valid, else Latin-1 (one char per byte).
    pub fn from_bytes(name: &str, value: &[u8]) -> Self {
        let value = match std::str::from_utf8(value) {
            Ok(text) => text.to_owned(),
            Err(_) => value.iter().map(|&b| b as char).collect(),
        };
        Self::new(name, value)
    }

    /// The value's bytes for sending on the wire again (UTF-8).
    pub fn value_bytes(&self) -> &[u8] {
        self.value.as_bytes()
    }
}

/// Where a captured request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum CaptureSource {
    /// Received by the local listener directly.
    Local,
    /// Received through the public tunnel.
    Tunnel,
    /// Loaded from a HAR or raw HTTP file.
    Imported,
    /// What Hookscope sent as a sample event (`hookscope trigger --to`).
    Sample,
}

impl CaptureSource {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureSource::Local => "local",
            CaptureSource::Tunnel => "tunnel",
            CaptureSource::Imported => "imported",
            CaptureSource::Sample => "sample",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "local" => Some(Self::Local),
            "tunnel" => Some(Self::Tunnel),
            "imported" => Some(Self::Imported),
            "sample" => Some(Self::Sample),
            _ => None,
        }
    }
}

/// What Hookscope answered to a captured request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordedResponse {
    pub status: u16,
    pub headers: Vec<HeaderField>,
    #[serde(with = "crate::model::request::base64_bytes")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub body: Vec<u8>,
    /// Why this answer was given when it was not the endpoint's plain rule
    /// (a handshake answered by Hookscope, a body over the limit, a passthrough).
    pub note: Option<String>,
}

/// A request exactly as it arrived, plus what was answered and the signature verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CapturedRequest {
    /// Sortable unique id (ULID).
    pub id: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub endpoint_id: Option<i64>,
    pub endpoint_name: Option<String>,
    /// Nanoseconds since the Unix epoch.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub received_at_ns: i64,
    pub source: CaptureSource,
    pub remote_addr: Option<String>,
    pub method: String,
    /// The request target exactly as sent: path and raw query, percent-encoding untouched.
    pub target: String,
    /// "HTTP/1.1", "HTTP/1.0", ...
    pub http_version: String,
    /// Headers in arrival order, original casing, duplicates kept.
    pub headers: Vec<HeaderField>,
    /// The body bytes exactly as received (never decoded or re-encoded).
    #[serde(with = "crate::model::request::base64_bytes")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub body: Vec<u8>,
    /// The body's full size as sent, which is larger than `body.len()` when truncated.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub body_size: u64,
    /// True when only the first bytes of the body were kept (body over the limit).
    pub truncated: bool,
    pub response: RecordedResponse,
    pub signature: Option<crate::model::SignatureVerdict>,
    /// The endpoint's response rule that answered (its label, e.g. `#1 first 2 → 503`); `None`
    /// when a handshake, a limit or the endpoint's default answered.
    #[serde(default)]
    pub rule: Option<String>,
    /// The provider's event type (`invoice.paid`, `pull_request.opened`), read at capture.
    #[serde(default)]
    pub event_type: Option<String>,
    /// The provider's id of the event or delivery, the same when it is delivered again.
    #[serde(default)]
    pub delivery_id: Option<String>,
    /// 1, 2, ... among the requests with the same provider and delivery id, by arrival.
    #[serde(default)]
    pub attempt: Option<u32>,
}

/// A request as it arrived, on the wire or from a file, before Hookscope matched it to an
/// endpoint, checked its signature and answered it.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub id: String,
    pub received_at_ns: i64,
    pub source: CaptureSource,
    pub remote_addr: Option<String>,
    pub method: String,
    pub target: String,
    pub http_version: String,
    pub headers: Vec<HeaderField>,
    pub body: Vec<u8>,
    /// The body's full size as sent (larger than `body.len()` when truncated).
    pub body_size: u64,
    pub truncated: bool,
}

impl RecordedResponse {
    /// No answer yet (status 0): what a request holds until its answer is chosen.
    pub fn pending() -> Self {
        RecordedResponse {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
            note: None,
        }
    }
}

impl CapturedRequest {
    /// The record of `arrival`, matched to the endpoint with the longest path prefix among
    /// `endpoints` (returned beside it), with no answer and no verdict yet. Capture, HAR import
    /// and raw import all start here.
    pub fn arrived(arrival: Arrival, endpoints: &[Endpoint]) -> (CapturedRequest, Option<&Endpoint>) {
        let path = arrival
            .target
            .split_once('?')
            .map_or(arrival.target.as_str(), |(path, _)| path);
        let endpoint = Endpoint::matching(endpoints, path);
        let captured = CapturedRequest {
            id: arrival.id,
            endpoint_id: endpoint.map(|e| e.id),
            endpoint_name: endpoint.map(|e| e.name.clone()),
            received_at_ns: arrival.received_at_ns,
            source: arrival.source,
            remote_addr: arrival.remote_addr,
            method: arrival.method,
            target: arrival.target,
            http_version: arrival.http_version,
            headers: arrival.headers,
            body: arrival.body,
            body_size: arrival.body_size,
            truncated: arrival.truncated,
            response: RecordedResponse::pending(),
            signature: None,
            rule: None,
            event_type: None,
            delivery_id: None,
            attempt: None,
        };
        (captured, endpoint)
    }

    /// A plain `POST` captured on the local listener and answered 200 with no headers, signature
    /// or endpoint. Tests and benchmarks start from it and set what differs (`..posted(...)`).
    pub fn posted(id: &str, target: &str, body: Vec<u8>) -> CapturedRequest {
        let arrival = Arrival {
            id: id.to_owned(),
            received_at_ns: 0,
            source: CaptureSource::Local,
            remote_addr: None,
            method: "POST".into(),
            target: target.to_owned(),
            http_version: "HTTP/1.1".into(),
            headers: Vec::new(),
            body_size: body.len() as u64,
            body,
            truncated: false,
        };
        let (mut request, _) = CapturedRequest::arrived(arrival, &[]);
        request.response.status = 200;
        request
    }

    /// The path part of the target (before `?`).
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The raw query (after `?`), if any.
    pub fn raw_query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The request as HTTP/1.1 text: request line, headers as received, blank line, body bytes.
    pub fn to_raw_http(&self) -> Vec<u8> {
        raw_http(
            &self.method,
            &self.target,
            &self.http_version,
            &self.headers,
            &self.body,
        )
    }
}

/// A request as HTTP/1.1 text: request line, header lines in the order given, blank line, body.
pub fn raw_http(method: &str, target: &str, version: &str, headers: &[HeaderField], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 512);
    out.extend_from_slice(format!("{method} {target} {version}\r\n").as_bytes());
    for header in headers {
        out.extend_from_slice(header.name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(header.value_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// Serializes bytes as standard base64 so JSON output stays exact for binary bodies.
pub mod base64_bytes {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}
