//! Why a signature fails: try the known ways it goes wrong and name the one that fits.

use serde::Serialize;

use super::check::Attempt;
use super::crypto::{decode_base64, Algorithm, KeyEncoding};

/// A named cause of a failed (or oddly passed) check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// Stable code: `malformed_header`, `timestamp_outside_tolerance`, `secret_encoding`,
    /// `body_modified`, `url_mismatch`, `algorithm_mismatch`, `older_secret`, `signature_mismatch`,
    /// `optional_part_missing`, `scheme_version`, `missing_signature`, `provider_mismatch`.
    pub code: &'static str,
    /// One sentence a user can act on; never contains a secret.
    pub message: String,
}

impl Diagnosis {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// The secret matches when decoded another way (raw vs base64, with or without `whsec_`).
pub fn secret_encoding(attempt: &Attempt<'_>, secrets: &[String]) -> Option<Diagnosis> {
    for (index, secret) in secrets.iter().enumerate() {
        let expected = attempt.scheme.key.decode(secret);
        for (label, key) in key_alternatives(secret) {
            if Some(&key) == expected.as_ref() {
                continue;
            }
            if attempt.matches(
                attempt.scheme.algorithm,
                &key,
                attempt.request.body,
                &attempt.request.url,
            ) {
                return Some(Diagnosis::new(
                    "secret_encoding",
                    format!(
                        "the signature matches secret #{} taken as {label}, but this provider uses {}: the sender \
                         (or the provider configuration) encodes the secret differently",
                        index + 1,
                        describe_key(attempt.scheme.key)
                    ),
                ));
            }
        }
    }
    None
}

/// The signature was made with another HMAC hash than the provider's.
pub fn algorithm(attempt: &Attempt<'_>, keys: &[(usize, Vec<u8>)]) -> Option<Diagnosis> {
    if !attempt.scheme.algorithm.is_hmac() {
        return None;
    }
    let others = [Algorithm::HmacSha1, Algorithm::HmacSha256, Algorithm::HmacSha512];
    for other in others.into_iter().filter(|a| *a != attempt.scheme.algorithm) {
        for (_, key) in keys {
            if attempt.matches(other, key, attempt.request.body, &attempt.request.url) {
                return Some(Diagnosis::new(
                    "algorithm_mismatch",
                    format!(
                        "the signature matches HMAC-{}, but this provider signs with HMAC-{}: the sender used the \
                         wrong algorithm or put it in the wrong header",
                        hash_name(other),
                        hash_name(attempt.scheme.algorithm)
                    ),
                ));
            }
        }
    }
    None
}

/// Bodies above this size are not re-serialized to look for a relay's changes: verification runs
/// on the capture path, and a large failing body must not hold it up.
pub const BODY_DIAGNOSIS_LIMIT: usize = 1024 * 1024;

/// The body that arrived is a re-serialized version of the one that was signed.
pub fn body(attempt: &Attempt<'_>, keys: &[(usize, Vec<u8>)]) -> Option<Diagnosis> {
    if attempt.request.body.len() > BODY_DIAGNOSIS_LIMIT {
        return None;
    }
    for (label, variant) in body_variants(attempt.request.body) {
        for (_, key) in keys {
            if attempt.matches(attempt.scheme.algorithm, key, &variant, &attempt.request.url) {
                return Some(Diagnosis::new(
                    "body_modified",
                    format!(
                        "the signature matches the body {label}: something between the provider and Hookscope \
                         (a relay such as smee, a proxy, or a framework) re-encoded the body after it was signed"
                    ),
                ));
            }
        }
    }
    None
}

/// For URL-signed schemes: the provider signed another URL than the one reconstructed here.
pub fn url(attempt: &Attempt<'_>, keys: &[(usize, Vec<u8>)]) -> Option<Diagnosis> {
    if !attempt.scheme.content.contains("{url") {
        return None;
    }
    for candidate in url_variants(&attempt.request.url, attempt.request.headers) {
        for (_, key) in keys {
            if attempt.matches(attempt.scheme.algorithm, key, attempt.request.body, &candidate) {
                return Some(Diagnosis::new(
                    "url_mismatch",
                    format!(
                        "the signature matches the URL {candidate}, not {}: a proxy or tunnel changed the scheme, \
                         host, port or query; set the endpoint's public URL (or pass --url) to the URL the provider \
                         calls",
                        attempt.request.url
                    ),
                ));
            }
        }
    }
    None
}

/// Other ways the same secret could have been pasted.
fn key_alternatives(secret: &str) -> Vec<(&'static str, Vec<u8>)> {
    let secret = secret.trim();
    let mut out = vec![("raw text", secret.as_bytes().to_vec())];
    if let Some(bare) = secret.strip_prefix("whsec_") {
        out.push(("raw text without its whsec_ prefix", bare.as_bytes().to_vec()));
        if let Some(bytes) = decode_base64(bare) {
            out.push(("base64 after its whsec_ prefix", bytes));
        }
    }
    if let Some(bytes) = decode_base64(secret) {
        out.push(("base64", bytes));
    }
    if let Ok(bytes) = hex::decode(secret) {
        out.push(("hex", bytes));
    }
    out
}

fn describe_key(encoding: KeyEncoding) -> &'static str {
    match encoding {
        KeyEncoding::Raw => "the secret's raw text",
        KeyEncoding::Base64 => "the base64-decoded secret",
        KeyEncoding::Hex => "the hex-decoded secret",
        KeyEncoding::Whsec => "the base64-decoded secret after the whsec_ prefix",
        KeyEncoding::Pem => "a PEM certificate or public key",
    }
}

fn hash_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::HmacSha1 => "SHA1",
        Algorithm::HmacSha512 => "SHA512",
        _ => "SHA256",
    }
}

/// The usual re-encodings of a JSON body, each with words for the message.
pub fn body_variants(body: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut out: Vec<(&'static str, Vec<u8>)> = Vec::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let compact = serde_json::to_vec(&value).unwrap_or_default();
        let python = to_vec_with(&value, PythonFormatter);
        out.push(("re-serialized as compact JSON", compact.clone()));
        out.push((
            "re-serialized as pretty JSON (2 spaces)",
            serde_json::to_vec_pretty(&value).unwrap_or_default(),
        ));
        out.push((
            "re-serialized as pretty JSON (4 spaces)",
            to_vec_with(&value, serde_json::ser::PrettyFormatter::with_indent(b"    ")),
        ));
        out.push(("re-serialized with \", \" and \": \" separators", python.clone()));
        out.push((
            "with non-ASCII characters escaped as \\u sequences",
            escape_non_ascii(&compact),
        ));
        out.push((
            "with non-ASCII characters escaped, \", \"/\": \" separators",
            escape_non_ascii(&python),
        ));
        out.push(("with slashes escaped as \\/", escape_slashes(&compact)));
    }
    if body.ends_with(b"\n") {
        out.push(("without its trailing newline", body.trim_ascii_end().to_vec()));
    } else {
        out.push(("with a trailing newline", [body, b"\n"].concat()));
    }
    let mut seen: Vec<Vec<u8>> = vec![body.to_vec()];
    out.retain(|(_, variant)| {
        if seen.contains(variant) {
            false
        } else {
            seen.push(variant.clone());
            true
        }
    });
    out
}

fn to_vec_with<F: serde_json::ser::Formatter>(value: &serde_json::Value, formatter: F) -> Vec<u8> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    let _ = value.serialize(&mut serializer);
    out
}

/// Python's `json.dumps` default separators: `", "` and `": "`.
struct PythonFormatter;

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
}

/// Non-ASCII only occurs inside JSON strings, so escaping every such char keeps the JSON valid.
fn escape_non_ascii(json: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(json);
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out.into_bytes()
}

/// `/` only occurs inside strings in compact JSON, so this is PHP's default `\/` escaping.
fn escape_slashes(json: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(json).replace('/', "\\/").into_bytes()
}

/// URLs a proxy or tunnel may have hidden: other scheme, host, default port, no query.
pub fn url_variants(url: &str, headers: &[crate::model::HeaderField]) -> Vec<String> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Vec::new();
    };
    let mut hosts: Vec<String> = vec![parsed.host_str().unwrap_or_default().to_owned()];
    for name in ["host", "x-forwarded-host", "x-original-host", "x-forwarded-server"] {
        for header in headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name)) {
            let host = header.value.split(',').next().unwrap_or_default().trim();
            let host = host
                .rsplit_once(':')
                .filter(|(_, p)| p.parse::<u16>().is_ok())
                .map_or(host, |(h, _)| h);
            if !host.is_empty() && !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
                hosts.push(host.to_owned());
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for host in &hosts {
        for scheme in ["https", "http"] {
            let default_port = if scheme == "https" { 443 } else { 80 };
            let ports = [parsed.port(), None, Some(default_port)];
            for port in ports {
                for with_query in [true, false] {
                    let mut text = format!("{scheme}://{host}");
                    if let Some(port) = port {
                        text.push_str(&format!(":{port}"));
                    }
                    text.push_str(parsed.path());
                    if let (true, Some(query)) = (with_query, parsed.query()) {
                        text.push('?');
                        text.push_str(query);
                    }
                    if text != url && !out.contains(&text) {
                        out.push(text);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_variants_cover_compact_pretty_python_and_escaped_forms() {
        let body = "{\"name\": \"café/x\", \"n\": [1, 2]}".as_bytes();
        let variants = body_variants(body);
        let find = |label: &str| {
            variants
                .iter()
                .find(|(l, _)| l.contains(label))
                .map(|(_, v)| String::from_utf8(v.clone()).unwrap())
        };
        assert_eq!(find("compact").unwrap(), "{\"name\":\"café/x\",\"n\":[1,2]}");
        assert_eq!(
            find("\\u sequences").unwrap(),
            "{\"name\":\"caf\\u00e9/x\",\"n\":[1,2]}"
        );
        assert_eq!(find("slashes").unwrap(), "{\"name\":\"café\\/x\",\"n\":[1,2]}");
        assert!(find("2 spaces").unwrap().contains("\n  \"name\": \"café/x\""));
        // The body itself is Python-style already, so that variant is dropped as a duplicate.
        assert!(!variants.iter().any(|(_, v)| v == body));
    }

    #[test]
    fn url_variants_include_scheme_port_host_and_query_changes() {
        let headers = vec![crate::model::HeaderField::new("X-Forwarded-Host", "abc.ngrok.app")];
        let variants = url_variants("http://localhost:8787/hook?a=1", &headers);
        for expected in [
            "https://localhost:8787/hook?a=1",
            "http://localhost/hook?a=1",
            "http://localhost:8787/hook",
            "https://abc.ngrok.app/hook?a=1",
            "https://abc.ngrok.app/hook",
        ] {
            assert!(
                variants.iter().any(|v| v == expected),
                "{expected} missing from {variants:?}"
            );
        }
    }
}
