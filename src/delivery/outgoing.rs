//! Turning a captured request (plus edits) into the request that goes on the wire.
//!
//! Kept: method, headers in order with their casing and duplicates, body bytes. Dropped: the
//! hop-by-hop headers (they describe the connection to Hookscope, not the message) and any header
//! the `Connection` header names. Replaced in place: `Host` (the target's authority) and
//! `Content-Length` (the length of the body actually sent, added when a body has none).

use serde::{Deserialize, Serialize};

use super::header_edit::{self, HeaderChange};
use super::target::TargetUrl;
use crate::model::{CapturedRequest, DeliveryFailure, FailureKind, HeaderField, OutgoingRequest};

/// Connection-level headers that are never forwarded. `Expect` is here too: a replay sends its
/// body at once, so a `100-continue` handshake would only add a round trip.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "expect",
];

/// Changes to make before sending (replay with edit); `None` keeps the captured value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestEdit {
    pub method: Option<String>,
    /// A full URL, used as given (no path suffix or query is appended).
    pub url: Option<String>,
    /// The complete header list, in order (Host and Content-Length are still set for the target).
    pub headers: Option<Vec<HeaderField>>,
    #[serde(default, with = "optional_base64")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub body: Option<Vec<u8>>,
    /// Header changes applied after `headers` (or to the captured headers): the one header edit
    /// that fits every request of a bulk replay.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<Vec<HeaderChange>>"))]
    pub header_changes: Vec<HeaderChange>,
}

impl RequestEdit {
    pub fn is_empty(&self) -> bool {
        self.method.is_none()
            && self.url.is_none()
            && self.headers.is_none()
            && self.body.is_none()
            && self.header_changes.is_empty()
    }
}

/// The captured request addressed to `url`, with `edit` applied, ready for [`normalize`].
pub fn from_captured(
    request: &CapturedRequest,
    url: String,
    edit: &RequestEdit,
) -> Result<OutgoingRequest, DeliveryFailure> {
    if request.truncated && edit.body.is_none() {
        return Err(DeliveryFailure {
            kind: FailureKind::InvalidRequest,
            message: format!(
                "the captured body was truncated ({} of {} bytes kept); sending it would not be the same request \
                 (edit the body to send anyway)",
                request.body.len(),
                request.body_size
            ),
        });
    }
    let mut outgoing = OutgoingRequest {
        method: edit.method.clone().unwrap_or_else(|| request.method.clone()),
        url: edit.url.clone().unwrap_or(url),
        headers: edit.headers.clone().unwrap_or_else(|| request.headers.clone()),
        body: edit.body.clone().unwrap_or_else(|| request.body.clone()),
    };
    header_edit::apply(&mut outgoing.headers, &edit.header_changes);
    normalize(&mut outgoing)?;
    Ok(outgoing)
}

/// Drops hop-by-hop headers and sets `Host` and `Content-Length` for the URL and body.
pub fn normalize(outgoing: &mut OutgoingRequest) -> Result<TargetUrl, DeliveryFailure> {
    let target = TargetUrl::parse(&outgoing.url).map_err(|message| DeliveryFailure {
        kind: FailureKind::InvalidUrl,
        message,
    })?;
    outgoing.method = outgoing.method.trim().to_owned();
    if outgoing.method.is_empty() || !outgoing.method.bytes().all(is_token_byte) {
        return Err(invalid(format!("'{}' is not an HTTP method", outgoing.method)));
    }
    let named_by_connection: Vec<String> = outgoing
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("connection"))
        .flat_map(|h| h.value.split(',').map(|v| v.trim().to_ascii_lowercase()))
        .collect();
    outgoing.headers.retain(|h| {
        let name = h.name.to_ascii_lowercase();
        !HOP_BY_HOP.contains(&name.as_str()) && !named_by_connection.contains(&name)
    });
    match outgoing.header("host") {
        Some(_) => outgoing.set_header("Host", target.authority.clone()),
        None => outgoing
            .headers
            .insert(0, HeaderField::new("Host", target.authority.clone())),
    }
    let declares_length = outgoing.header("content-length").is_some();
    if declares_length || !outgoing.body.is_empty() || matches!(outgoing.method.as_str(), "POST" | "PUT" | "PATCH") {
        let length = outgoing.body.len().to_string();
        outgoing.set_header("Content-Length", length);
    }
    for header in &outgoing.headers {
        if header.name.is_empty() || !header.name.bytes().all(is_token_byte) {
            return Err(invalid(format!("'{}' is not a valid header name", header.name)));
        }
        if header.value.contains(['\r', '\n', '\0']) {
            return Err(invalid(format!(
                "the value of header '{}' contains a line break",
                header.name
            )));
        }
    }
    Ok(target)
}

/// The request head as written on the wire: request line, headers in order, blank line.
pub fn raw_head(outgoing: &OutgoingRequest, target: &TargetUrl) -> Vec<u8> {
    let mut head = format!("{} {} HTTP/1.1\r\n", outgoing.method, target.request_target).into_bytes();
    for header in &outgoing.headers {
        head.extend_from_slice(header.name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(header.value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn invalid(message: String) -> DeliveryFailure {
    DeliveryFailure {
        kind: FailureKind::InvalidRequest,
        message,
    }
}

mod optional_base64 {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, serializer: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => serializer.serialize_some(&base64::engine::general_purpose::STANDARD.encode(bytes)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| {
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(serde::de::Error::custom)
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_headers_go_and_host_and_length_are_set_in_place() {
        let mut outgoing = OutgoingRequest {
            method: "POST".into(),
            url: "http://target:3000/in".into(),
            headers: vec![
                HeaderField::new("host", "hookscope:8787"),
                HeaderField::new("Connection", "keep-alive, X-Private"),
                HeaderField::new("X-Private", "1"),
                HeaderField::new("X-Dup", "a"),
                HeaderField::new("Transfer-Encoding", "chunked"),
                HeaderField::new("X-Dup", "b"),
            ],
            body: b"hello".to_vec(),
        };
        let target = normalize(&mut outgoing).unwrap();
        let names: Vec<(&str, &str)> = outgoing
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("host", "target:3000"),
                ("X-Dup", "a"),
                ("X-Dup", "b"),
                ("Content-Length", "5")
            ]
        );
        assert_eq!(
            raw_head(&outgoing, &target),
            b"POST /in HTTP/1.1\r\nhost: target:3000\r\nX-Dup: a\r\nX-Dup: b\r\nContent-Length: 5\r\n\r\n"
        );
    }

    #[test]
    fn line_breaks_in_values_are_refused() {
        let mut outgoing = OutgoingRequest {
            method: "GET".into(),
            url: "http://t/".into(),
            headers: vec![HeaderField::new("X", "a\r\nInjected: 1")],
            body: Vec::new(),
        };
        assert_eq!(normalize(&mut outgoing).unwrap_err().kind, FailureKind::InvalidRequest);
    }
}
