//! HAR 1.2 documents: the types (lenient on input, complete on output) and the export.
//!
//! Each captured request is one entry: `request` is what arrived, `response` what Hookscope
//! answered. Hookscope's own fields: `_hookscope` (id, source, receivedAtNs, bodySize, truncated,
//! endpoint, remoteAddr, signature verdict, response note) and `_deliveries` (every forward or
//! replay of the request, as `DeliveryAttempt` JSON with base64 bodies).

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::redact::redact_headers;
use crate::model::{CapturedRequest, DeliveryAttempt, HeaderField, SignatureVerdict};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Har {
    pub log: HarLog,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HarLog {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub creator: HarCreator,
    #[serde(default)]
    pub entries: Vec<HarEntry>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HarCreator {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarEntry {
    #[serde(default)]
    pub started_date_time: String,
    #[serde(default)]
    pub time: f64,
    pub request: HarRequest,
    #[serde(default)]
    pub response: Option<HarResponse>,
    #[serde(default)]
    pub cache: serde_json::Value,
    #[serde(default)]
    pub timings: serde_json::Value,
    #[serde(rename = "_hookscope", default, skip_serializing_if = "Option::is_none")]
    pub hookscope: Option<HookscopeFields>,
    #[serde(rename = "_deliveries", default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<DeliveryAttempt>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarRequest {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub http_version: String,
    #[serde(default)]
    pub cookies: Vec<HarNameValue>,
    #[serde(default)]
    pub headers: Vec<HarNameValue>,
    #[serde(default)]
    pub query_string: Vec<HarNameValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_data: Option<HarPostData>,
    #[serde(default = "minus_one")]
    pub headers_size: i64,
    #[serde(default = "minus_one")]
    pub body_size: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HarNameValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarPostData {
    #[serde(default)]
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<HarNameValue>,
    #[serde(default)]
    pub text: Option<String>,
    /// `base64` when `text` is the base64 of the body bytes (a Hookscope extension).
    #[serde(
        rename = "_encoding",
        alias = "encoding",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarResponse {
    #[serde(default)]
    pub status: i64,
    #[serde(default)]
    pub status_text: String,
    #[serde(default)]
    pub http_version: String,
    #[serde(default)]
    pub cookies: Vec<HarNameValue>,
    #[serde(default)]
    pub headers: Vec<HarNameValue>,
    #[serde(default)]
    pub content: HarContent,
    #[serde(rename = "redirectURL", default)]
    pub redirect_url: String,
    #[serde(default = "minus_one")]
    pub headers_size: i64,
    #[serde(default = "minus_one")]
    pub body_size: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarContent {
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(alias = "_encoding", default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// Hookscope's own per-entry fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HookscopeFields {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub received_at_ns: Option<i64>,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub remote_addr: Option<String>,
    #[serde(default)]
    pub body_size: Option<u64>,
    #[serde(default)]
    pub truncated: bool,
    #[serde(default)]
    pub signature: Option<SignatureVerdict>,
    #[serde(default)]
    pub response_note: Option<String>,
}

fn minus_one() -> i64 {
    -1
}

/// What goes into an export.
#[derive(Debug, Clone, Copy, Default)]
pub struct HarOptions {
    /// Replace Authorization, Cookie and signature header values with `[redacted]`, and leave
    /// the signature values out of the stored verdicts.
    pub redact: bool,
}

/// A HAR 1.2 document of the requests (oldest first is the caller's order) with their deliveries.
pub fn to_har(requests: &[(CapturedRequest, Vec<DeliveryAttempt>)], options: HarOptions) -> Har {
    Har {
        log: HarLog {
            version: "1.2".into(),
            creator: HarCreator {
                name: "Hookscope".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            entries: requests.iter().map(|(r, d)| entry(r, d, options)).collect(),
        },
    }
}

fn entry(request: &CapturedRequest, deliveries: &[DeliveryAttempt], options: HarOptions) -> HarEntry {
    let redact = |headers: &[HeaderField]| {
        if options.redact {
            redact_headers(headers)
        } else {
            headers.to_vec()
        }
    };
    let headers = redact(&request.headers);
    let response_headers = redact(&request.response.headers);
    let deliveries = deliveries
        .iter()
        .cloned()
        .map(|mut d| {
            d.sent.headers = redact(&d.sent.headers);
            if let Some(response) = d.response.as_mut() {
                response.headers = redact(&response.headers);
            }
            d
        })
        .collect();
    let content_type = |headers: &[HeaderField]| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map_or_else(String::new, |h| h.value.clone())
    };
    let (text, encoding) = body_text(&request.body);
    let (response_text, response_encoding) = body_text(&request.response.body);
    HarEntry {
        started_date_time: rfc3339(request.received_at_ns),
        time: 0.0,
        request: HarRequest {
            method: request.method.clone(),
            url: absolute_url(request),
            http_version: request.http_version.clone(),
            cookies: cookies(&headers),
            headers: name_values(&headers),
            query_string: query_pairs(request.raw_query()),
            post_data: (!request.body.is_empty()).then(|| HarPostData {
                mime_type: content_type(&request.headers),
                params: Vec::new(),
                text: Some(text),
                encoding,
            }),
            headers_size: -1,
            body_size: request.body.len() as i64,
        },
        response: Some(HarResponse {
            status: i64::from(request.response.status),
            status_text: http::StatusCode::from_u16(request.response.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("")
                .to_owned(),
            http_version: request.http_version.clone(),
            cookies: Vec::new(),
            headers: name_values(&response_headers),
            content: HarContent {
                size: request.response.body.len() as i64,
                mime_type: content_type(&request.response.headers),
                text: Some(response_text),
                encoding: response_encoding,
            },
            redirect_url: String::new(),
            headers_size: -1,
            body_size: request.response.body.len() as i64,
        }),
        cache: serde_json::json!({}),
        timings: serde_json::json!({ "send": 0, "wait": 0, "receive": 0 }),
        hookscope: Some(HookscopeFields {
            id: Some(request.id.clone()),
            source: Some(request.source.as_str().to_owned()),
            received_at_ns: Some(request.received_at_ns),
            endpoint: request.endpoint_name.clone(),
            remote_addr: request.remote_addr.clone(),
            body_size: Some(request.body_size),
            truncated: request.truncated,
            signature: request.signature.clone().map(|mut verdict| {
                if options.redact {
                    verdict.expected_signature = None;
                    verdict.received_signature = None;
                }
                verdict
            }),
            response_note: request.response.note.clone(),
        }),
        deliveries,
    }
}

/// The body as HAR text: itself when valid UTF-8, else base64 with the encoding named.
pub fn body_text(body: &[u8]) -> (String, Option<String>) {
    match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => (B64.encode(body), Some("base64".into())),
    }
}

/// `http://HOST/target` from the Host header (`localhost` without one); absolute targets as they are.
pub fn absolute_url(request: &CapturedRequest) -> String {
    if request.target.starts_with("http://") || request.target.starts_with("https://") {
        return request.target.clone();
    }
    let host = request.header("host").unwrap_or("localhost");
    format!("http://{host}{}", request.target)
}

fn name_values(headers: &[HeaderField]) -> Vec<HarNameValue> {
    headers
        .iter()
        .map(|h| HarNameValue {
            name: h.name.clone(),
            value: h.value.clone(),
        })
        .collect()
}

fn cookies(headers: &[HeaderField]) -> Vec<HarNameValue> {
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
        .flat_map(|h| h.value.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            Some(HarNameValue {
                name: name.trim().to_owned(),
                value: value.trim().to_owned(),
            })
        })
        .collect()
}

/// Query parameters as sent (not percent-decoded), in order.
fn query_pairs(query: Option<&str>) -> Vec<HarNameValue> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            HarNameValue {
                name: name.to_owned(),
                value: value.to_owned(),
            }
        })
        .collect()
}

fn rfc3339(ns: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ns))
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}
