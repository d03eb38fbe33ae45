use serde::{Deserialize, Serialize};

use super::HeaderField;

/// Why a request was sent on: by hand, by an endpoint's auto-forward, or waited on as passthrough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// Sent by the user (replay, replay-with-edit, forward button, bulk replay).
    Replay,
    /// Sent in the background as soon as the request was captured.
    AutoForward,
    /// Sent while the original sender waited; the target's answer was returned to it.
    Passthrough,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Replay => "replay",
            DeliveryKind::AutoForward => "auto_forward",
            DeliveryKind::Passthrough => "passthrough",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "replay" => Some(Self::Replay),
            "auto_forward" => Some(Self::AutoForward),
            "passthrough" => Some(Self::Passthrough),
            _ => None,
        }
    }
}

/// A request as it is (or was) put on the wire by a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutgoingRequest {
    pub method: String,
    /// The full URL: scheme, authority, path and raw query, exactly as requested.
    pub url: String,
    /// Header lines in the order and casing they are written, duplicates kept.
    pub headers: Vec<HeaderField>,
    #[serde(with = "crate::model::request::base64_bytes")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub body: Vec<u8>,
}

impl OutgoingRequest {
    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// Replaces every header of this name with one line at the first one's position, keeping that
    /// line's name casing (or appends a new line).
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.headers.iter().position(|h| h.name.eq_ignore_ascii_case(name)) {
            Some(first) => {
                self.headers[first].value = value;
                let mut index = 0;
                self.headers.retain(|h| {
                    index += 1;
                    index - 1 == first || !h.name.eq_ignore_ascii_case(name)
                });
            }
            None => self.headers.push(HeaderField::new(name, value)),
        }
    }
}

/// What the target answered to a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeliveryResponse {
    pub status: u16,
    pub headers: Vec<HeaderField>,
    /// The body bytes as received (never decoded); only the first bytes when `truncated`.
    #[serde(with = "crate::model::request::base64_bytes")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub body: Vec<u8>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub body_size: u64,
    pub truncated: bool,
}

/// The class of a failed delivery, for filtering and icons; the message says the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    InvalidUrl,
    /// A header or method that cannot be written on the wire (a line break in a value, ...).
    InvalidRequest,
    Dns,
    ConnectionRefused,
    Connect,
    Tls,
    Timeout,
    /// The connection broke or the answer was not HTTP.
    Protocol,
    /// Re-signing was asked for and could not be done.
    Signing,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::InvalidUrl => "invalid_url",
            FailureKind::InvalidRequest => "invalid_request",
            FailureKind::Dns => "dns",
            FailureKind::ConnectionRefused => "connection_refused",
            FailureKind::Connect => "connect",
            FailureKind::Tls => "tls",
            FailureKind::Timeout => "timeout",
            FailureKind::Protocol => "protocol",
            FailureKind::Signing => "signing",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::InvalidUrl,
            Self::InvalidRequest,
            Self::Dns,
            Self::ConnectionRefused,
            Self::Connect,
            Self::Tls,
            Self::Timeout,
            Self::Protocol,
            Self::Signing,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// Why a delivery got no answer, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeliveryFailure {
    pub kind: FailureKind,
    pub message: String,
}

/// One forward or replay of a captured request: what was sent, and the answer or the error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeliveryAttempt {
    /// Sortable unique id (ULID).
    pub id: String,
    pub request_id: String,
    pub kind: DeliveryKind,
    /// The target as the user gave it (before the path suffix and query were appended).
    pub target: String,
    /// Nanoseconds since the Unix epoch.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub started_at_ns: i64,
    /// From the first byte sent to the last byte of the answer (or the failure), microseconds.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub duration_us: u64,
    pub sent: OutgoingRequest,
    /// True when method, URL, headers or body were edited before sending.
    pub edited: bool,
    /// True when the request was signed again with a fresh timestamp.
    pub resigned: bool,
    pub response: Option<DeliveryResponse>,
    pub error: Option<DeliveryFailure>,
}

impl DeliveryAttempt {
    /// The answer's status, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }
}
