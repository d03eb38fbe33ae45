//! Output shared by the commands: the stable JSON documents and the human formatting.

use std::fmt::Display;

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
pub fn clock(ns: i64) -> Clock {
    Clock(ns)
}

/// A time of day in UTC, `hh:mm:ss.mmm`, written without building a string first.
pub struct Clock(i64);

impl Display for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const NS_PER_MS: i64 = 1_000_000;
        const MS_PER_DAY: i64 = 86_400_000;
        let ms = self.0.div_euclid(NS_PER_MS).rem_euclid(MS_PER_DAY);
        let (hours, minutes, seconds) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60);
        write!(f, "{hours:02}:{minutes:02}:{seconds:02}.{:03}", ms % 1000)
    }
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
/// the method, the status by class, the signature verdict), written straight into the output:
/// `serve` prints one for every request it captures.
pub fn summary_line(summary: &RequestSummary) -> SummaryLine<'_> {
    SummaryLine(summary)
}

pub struct SummaryLine<'a>(&'a RequestSummary);

impl Display for SummaryLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let summary = self.0;
        let palette = crate::colour::stdout();
        write!(
            f,
            "{}  {} {}  {}  {}  {}",
            clock(summary.received_at_ns),
            palette.paint(crate::colour::METHOD, format_args!("{:<7}", summary.method)),
            summary.target,
            palette.paint(
                crate::colour::status_style(summary.response_status),
                summary.response_status
            ),
            size(summary.body_size),
            palette.paint(crate::colour::DIM, &summary.id),
        )?;
        if let Some(endpoint) = &summary.endpoint_name {
            write!(f, "  [{endpoint}]")?;
        }
        if let Some(status) = summary.signature_status {
            write!(
                f,
                "  {}",
                palette.paint(verdict_style(status), format_args!("sig:{}", status.as_str()))
            )?;
            if let Some(provider) = &summary.signature_provider {
                write!(f, "({provider})")?;
            }
        }
        Ok(())
    }
}

/// The colour of a signature verdict: green verified, red failed, yellow for the rest.
pub fn verdict_style(status: VerdictStatus) -> anstyle::Style {
    match status {
        VerdictStatus::Verified => crate::colour::GOOD,
        VerdictStatus::Failed => crate::colour::BAD,
        VerdictStatus::Unsigned | VerdictStatus::NoSecret | VerdictStatus::UnknownProvider => crate::colour::WARN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `time` crate's formatting of the same instant, as the clock was printed before.
    fn clock_by_time(ns: i64) -> String {
        let format = time::macros::format_description!("[hour]:[minute]:[second].[subsecond digits:3]");
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ns))
            .unwrap()
            .format(&format)
            .unwrap()
    }

    #[test]
    fn the_clock_is_the_time_of_day_in_utc_to_the_millisecond() {
        for ns in [
            0,
            999_999,
            1_000_000,
            1_780_000_000_123_456_789,
            1_780_012_799_999_999_999,
            86_399_999_999_999,
            -1,
            -86_400_000_000_001,
        ] {
            assert_eq!(clock(ns).to_string(), clock_by_time(ns), "{ns}");
        }
    }
}
