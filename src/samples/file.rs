//! One sample as a file: a few `# key: value` lines, then the request as raw HTTP (request line,
//! headers, blank line, body), so that the body is kept byte for byte and a placeholder can stand
//! where JSON wants a number (`"created": {{now}}`).
//!
//! ```text
//! # description: A PaymentIntent succeeded: the customer paid.
//! POST /
//! Content-Type: application/json; charset=utf-8
//!
//! {"id": "{{id:evt_}}", "created": {{now}}}
//! ```
//!
//! The provider is the folder's name and the event the file's name without `.http`, unless a
//! `# event:` line says otherwise (for names a file cannot carry, such as Shopify's
//! `orders/create`). One final newline after the body is not part of it.

use serde::Serialize;

use crate::model::HeaderField;

/// The extension of sample files.
pub const EXTENSION: &str = "http";

/// Where a sample comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SampleSource {
    /// Shipped in the binary.
    Builtin,
    /// A file in the user samples folder (it replaces a built-in sample of the same name).
    User,
}

/// One sample event, placeholders not yet filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Built-in provider id, as in [`crate::signature::provider_ids`].
    pub provider: String,
    /// The provider's event (or handshake) name, e.g. `payment_intent.succeeded`.
    pub event: String,
    pub description: String,
    pub source: SampleSource,
    /// A handshake the provider sends before any event (Slack's `url_verification`, ...).
    pub handshake: bool,
    /// False for the few requests the provider sends unsigned (Meta's `hub.challenge` GET, ...).
    pub signed: bool,
    pub method: String,
    /// Path suffix and query, appended to the target URL (`/` for none).
    pub path: String,
    /// Headers in the order they are sent (signature headers are added when signing).
    pub headers: Vec<HeaderField>,
    /// The body template.
    pub body: Vec<u8>,
}

impl Sample {
    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map(|h| h.value.as_str())
    }
}

/// Reads a sample file; `location` names it in errors (a path, or `catalogue/<provider>/<file>`).
pub fn parse(
    provider: &str,
    file_stem: &str,
    source: SampleSource,
    bytes: &[u8],
    location: &str,
) -> Result<Sample, crate::samples::SampleError> {
    let bad = |why: String| crate::samples::SampleError::BadFile {
        location: location.to_owned(),
        why,
    };
    let (head, body) = split_head(bytes);
    let head = std::str::from_utf8(head).map_err(|_| bad("the lines before the body are not UTF-8".into()))?;
    let mut lines = head.lines().map(|l| l.trim_end_matches('\r'));
    let mut event = file_stem.to_owned();
    let mut description = String::new();
    let (mut handshake, mut signed) = (false, true);
    let request_line = loop {
        let Some(line) = lines.next() else {
            return Err(bad("no request line (such as `POST /`)".into()));
        };
        let Some(comment) = line.strip_prefix('#') else {
            if line.trim().is_empty() {
                continue;
            }
            break line;
        };
        let Some((key, value)) = comment.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "description" => description = value.to_owned(),
            "event" => event = value.to_owned(),
            "handshake" => {
                handshake = yes_no(value).ok_or_else(|| bad(format!("handshake: \"{value}\" is not yes or no")))?
            }
            "signed" => signed = yes_no(value).ok_or_else(|| bad(format!("signed: \"{value}\" is not yes or no")))?,
            _ => {}
        }
    };
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(path), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad(format!(
            "\"{request_line}\" is not a request line such as `POST /`"
        )));
    };
    if !path.starts_with('/') {
        return Err(bad(format!("the path \"{path}\" does not start with /")));
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad(format!("\"{line}\" is not a header line `Name: value`")));
        };
        if name.trim().is_empty() || name.contains(char::is_whitespace) {
            return Err(bad(format!("\"{line}\" is not a header line `Name: value`")));
        }
        headers.push(HeaderField::new(name, value.trim()));
    }
    check_event_name(&event).map_err(bad)?;
    Ok(Sample {
        provider: provider.to_owned(),
        event,
        description,
        source,
        handshake,
        signed,
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        headers,
        body: body.to_vec(),
    })
}

/// The file text of a sample (what [`parse`] reads back).
pub fn write(sample: &Sample) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&format!("# description: {}\n", sample.description.replace('\n', " ")));
    if file_stem(&sample.event) != sample.event {
        out.push_str(&format!("# event: {}\n", sample.event));
    }
    if sample.handshake {
        out.push_str("# handshake: yes\n");
    }
    if !sample.signed {
        out.push_str("# signed: no\n");
    }
    out.push_str(&format!("{} {}\n", sample.method, sample.path));
    for header in &sample.headers {
        out.push_str(&format!("{}: {}\n", header.name, header.value));
    }
    out.push('\n');
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&sample.body);
    bytes.push(b'\n');
    bytes
}

/// The file name (without extension) an event is stored under: the event itself when every
/// character is safe in a file name; else `/` and `:` become `.` (`orders/create` is stored as
/// `orders.create`) and other characters `_`, and a leading dot `_` (no hidden files).
pub fn file_stem(event: &str) -> String {
    let stem: String = event
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || "._-".contains(c) => c,
            '/' | ':' => '.',
            _ => '_',
        })
        .collect();
    match stem.strip_prefix('.') {
        Some(rest) => format!("_{rest}"),
        None => stem,
    }
}

/// An event name is one word of printable characters, not starting with a dot.
pub fn check_event_name(event: &str) -> Result<(), String> {
    if event.is_empty() {
        return Err("the event name is empty".into());
    }
    if event.starts_with('.') || event.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the event name \"{event}\" must not start with a dot or contain spaces or control characters"
        ));
    }
    Ok(())
}

fn yes_no(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

/// Splits at the first empty line; the body loses one final newline (`\n` or `\r\n`).
fn split_head(bytes: &[u8]) -> (&[u8], &[u8]) {
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        if line.is_empty() || line == b"\r" {
            let body = bytes.get(end + 1..).unwrap_or_default();
            let body = body.strip_suffix(b"\n").unwrap_or(body);
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            return (&bytes[..start], body);
        }
        start = end + 1;
    }
    (bytes, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(body: &[u8]) -> Sample {
        Sample {
            provider: "shopify".into(),
            event: "orders/create".into(),
            description: "An order was placed.".into(),
            source: SampleSource::User,
            handshake: false,
            signed: true,
            method: "POST".into(),
            path: "/".into(),
            headers: vec![HeaderField::new("Content-Type", "application/json")],
            body: body.to_vec(),
        }
    }

    #[test]
    fn a_sample_reads_back_as_written_with_its_body_byte_for_byte() {
        for body in [&b"{\n  \"a\": 1\n}\n\n"[..], b"", b"\xff\x00binary", b"x=1&y=2"] {
            let written = write(&sample(body));
            let stem = file_stem("orders/create");
            assert_eq!(stem, "orders.create");
            assert_eq!(file_stem("$review.opened"), "_review.opened");
            assert_eq!(file_stem("jira:issue_created"), "jira.issue_created");
            let read = parse("shopify", &stem, SampleSource::User, &written, "test").unwrap();
            assert_eq!(read, sample(body));
        }
    }

    #[test]
    fn metadata_lines_and_a_missing_body_are_understood() {
        let text = b"# description: Meta's check\n# handshake: yes\n# signed: no\nGET /?hub.mode=subscribe\n";
        let read = parse("whatsapp", "hub.challenge", SampleSource::Builtin, text, "t").unwrap();
        assert!(read.handshake && !read.signed);
        assert_eq!(
            (read.method.as_str(), read.path.as_str()),
            ("GET", "/?hub.mode=subscribe")
        );
        assert_eq!((read.event.as_str(), read.body.len()), ("hub.challenge", 0));
    }

    #[test]
    fn a_file_without_a_request_line_or_with_a_bad_header_is_refused_with_its_name() {
        let error = parse("x", "y", SampleSource::User, b"# description: d\n", "dir/y.http").unwrap_err();
        assert!(error.to_string().contains("dir/y.http"), "{error}");
        let error = parse("x", "y", SampleSource::User, b"POST /\nnot a header\n\n{}", "f").unwrap_err();
        assert!(error.to_string().contains("not a header"), "{error}");
        assert!(parse("x", "y", SampleSource::User, b"POST hook\n", "f").is_err());
    }
}
