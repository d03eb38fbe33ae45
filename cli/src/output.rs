//! Output shared by the commands: the stable JSON documents and the human formatting.

use serde::Serialize;

use hookscope::model::{CapturedRequest, HeaderField, RequestSummary, SignatureVerdict, VerdictStatus};

/// `list --json` row. Stable: fields are only ever added.
#[derive(Serialize)]
pub struct ListRow<'a> {
    pub id: &'a str,
    pub seq: i64,
    pub received_at: String,
    pub received_at_ns: i64,
    pub endpoint: Option<&'a str>,
    pub source: &'static str,
    pub remote_addr: Option<&'a str>,
    pub method: &'a str,
    pub target: &'a str,
    pub content_type: Option<&'a str>,
    pub body_size: u64,
    pub truncated: bool,
    pub response_status: u16,
    pub signature_status: Option<VerdictStatus>,
    pub signature_provider: Option<&'a str>,
    /// The response rule that answered (`#1 first 2 → 503`), or null.
    pub rule: Option<&'a str>,
    /// The provider's event type (`invoice.paid`), or null.
    pub event_type: Option<&'a str>,
    /// The provider's id of the event or delivery, or null.
    pub delivery_id: Option<&'a str>,
    /// 1, 2, ... among the deliveries with that id, by arrival; null without one.
    pub attempt: Option<u32>,
}

impl<'a> ListRow<'a> {
    pub fn of(summary: &'a RequestSummary) -> Self {
        Self {
            id: &summary.id,
            seq: summary.seq,
            received_at: rfc3339(summary.received_at_ns),
            received_at_ns: summary.received_at_ns,
            endpoint: summary.endpoint_name.as_deref(),
            source: summary.source.as_str(),
            remote_addr: summary.remote_addr.as_deref(),
            method: &summary.method,
            target: &summary.target,
            content_type: summary.content_type.as_deref(),
            body_size: summary.body_size,
            truncated: summary.truncated,
            response_status: summary.response_status,
            signature_status: summary.signature_status,
            signature_provider: summary.signature_provider.as_deref(),
            rule: summary.rule.as_deref(),
            event_type: summary.event_type.as_deref(),
            delivery_id: summary.delivery_id.as_deref(),
            attempt: summary.attempt,
        }
    }
}

/// `show --json` document. Stable: fields are only ever added.
#[derive(Serialize)]
pub struct ShowDocument<'a> {
    pub id: &'a str,
    pub received_at: String,
    pub received_at_ns: i64,
    pub endpoint: Option<&'a str>,
    pub source: &'static str,
    pub remote_addr: Option<&'a str>,
    pub method: &'a str,
    pub target: &'a str,
    pub http_version: &'a str,
    pub headers: &'a [HeaderField],
    /// The exact body bytes, base64 (standard alphabet, padded).
    pub body_base64: String,
    /// The body as text when it is valid UTF-8, else null.
    pub body_text: Option<&'a str>,
    pub body_size: u64,
    pub truncated: bool,
    pub response: ResponseDocument<'a>,
    pub signature: Option<&'a SignatureVerdict>,
    /// The response rule that answered (`#1 first 2 → 503`), or null.
    pub rule: Option<&'a str>,
    pub event_type: Option<&'a str>,
    pub delivery_id: Option<&'a str>,
    pub attempt: Option<u32>,
}

#[derive(Serialize)]
pub struct ResponseDocument<'a> {
    pub status: u16,
    pub headers: &'a [HeaderField],
    pub body_base64: String,
    pub note: Option<&'a str>,
}

impl<'a> ShowDocument<'a> {
    pub fn of(request: &'a CapturedRequest) -> Self {
        use base64::Engine as _;
        let b64 = &base64::engine::general_purpose::STANDARD;
        Self {
            id: &request.id,
            received_at: rfc3339(request.received_at_ns),
            received_at_ns: request.received_at_ns,
            endpoint: request.endpoint_name.as_deref(),
            source: request.source.as_str(),
            remote_addr: request.remote_addr.as_deref(),
            method: &request.method,
            target: &request.target,
            http_version: &request.http_version,
            headers: &request.headers,
            body_base64: b64.encode(&request.body),
            body_text: std::str::from_utf8(&request.body).ok(),
            body_size: request.body_size,
            truncated: request.truncated,
            response: ResponseDocument {
                status: request.response.status,
                headers: &request.response.headers,
                body_base64: b64.encode(&request.response.body),
                note: request.response.note.as_deref(),
            },
            signature: request.signature.as_ref(),
            rule: request.rule.as_deref(),
            event_type: request.event_type.as_deref(),
            delivery_id: request.delivery_id.as_deref(),
            attempt: request.attempt,
        }
    }
}

/// RFC 3339 in UTC with nanoseconds.
pub fn rfc3339(ns: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ns))
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| ns.to_string())
}

/// `HH:MM:SS.mmm` in UTC, for one-line output.
pub fn clock(ns: i64) -> String {
    let format = time::macros::format_description!("[hour]:[minute]:[second].[subsecond digits:3]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ns))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// `1.2 KiB`-style sizes.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// One line per request, as `serve` and `list` print them (coloured when stdout takes colour:
/// the method, the status by class, the signature verdict).
pub fn summary_line(summary: &RequestSummary) -> String {
    let palette = crate::colour::stdout();
    let signature = match (summary.signature_status, summary.signature_provider.as_deref()) {
        (Some(status), provider) => format!(
            "  {}{}",
            palette.paint(
                verdict_style(status),
                format_args!(
                    "sig:{}",
                    serde_json::to_value(status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                )
            ),
            provider.map(|p| format!("({p})")).unwrap_or_default()
        ),
        (None, _) => String::new(),
    };
    format!(
        "{}  {} {}  {}  {}  {}{}{}",
        clock(summary.received_at_ns),
        palette.paint(crate::colour::METHOD, format_args!("{:<7}", summary.method)),
        summary.target,
        palette.paint(
            crate::colour::status_style(summary.response_status),
            summary.response_status
        ),
        size(summary.body_size),
        palette.paint(crate::colour::DIM, &summary.id),
        summary
            .endpoint_name
            .as_deref()
            .map(|e| format!("  [{e}]"))
            .unwrap_or_default(),
        signature,
    )
}

/// The colour of a signature verdict: green verified, red failed, yellow for the rest.
pub fn verdict_style(status: VerdictStatus) -> anstyle::Style {
    match status {
        VerdictStatus::Verified => crate::colour::GOOD,
        VerdictStatus::Failed => crate::colour::BAD,
        VerdictStatus::Unsigned | VerdictStatus::NoSecret | VerdictStatus::UnknownProvider => crate::colour::WARN,
    }
}
