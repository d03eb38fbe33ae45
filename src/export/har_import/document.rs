//! Reading a HAR file as the tools write it, not as the specification wishes: any field may be
//! missing or `null`, numbers may come as strings, vendor fields (`_resourceType`, `_initiator`,
//! `_charlesStatus`, ...) are ignored, and Python's surrogate-escaped bytes (`"\udcff"`, which
//! mitmproxy writes for a body that is not valid UTF-8) are kept rather than refused.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::super::har::HookscopeFields;
use super::super::ImportError;

/// The first private-use code point that stands for a surrogate-escaped byte: byte `b`
/// (0x80..=0xFF) of a `\udcXX` escape is read as `ESCAPED_BYTE_BASE + b`.
pub(super) const ESCAPED_BYTE_BASE: u32 = 0x10_FE00;

/// The entries of a HAR document (or of a bare JSON array of HAR entries or requests, as
/// converters of Postman collections write them) and the name of the tool that wrote it.
pub(super) struct Document {
    pub creator: String,
    pub entries: Vec<Value>,
}

/// Parses the file and finds its entries; a file that is not JSON or holds no `log.entries` is
/// an error that says which.
pub(super) fn read(bytes: &[u8]) -> Result<Document, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let repaired = keep_escaped_bytes(bytes);
    let value: Value =
        serde_json::from_slice(&repaired).map_err(|e| ImportError::Har(format!("it is not valid JSON ({e})")))?;
    match value {
        Value::Object(mut root) => {
            let Some(Value::Object(mut log)) = root.remove("log") else {
                return Err(ImportError::Har("it has no `log` object".into()));
            };
            let creator = log
                .get("creator")
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            match log.remove("entries") {
                Some(Value::Array(entries)) => Ok(Document { creator, entries }),
                _ => Err(ImportError::Har("its `log` has no `entries` array".into())),
            }
        }
        Value::Array(items) => Ok(Document {
            creator: String::new(),
            entries: items
                .into_iter()
                .map(|item| match item.get("request") {
                    None if item.get("method").is_some() => serde_json::json!({ "request": item }),
                    _ => item,
                })
                .collect(),
        }),
        _ => Err(ImportError::Har("it has no `log` object".into())),
    }
}

/// Rewrites each lone low-surrogate escape `\udc80`..`\udcff` (Python's `surrogateescape` of
/// an undecodable byte) as a private-use character that the body reader turns back into the
/// byte; every other byte is copied. Valid surrogate pairs are left alone.
fn keep_escaped_bytes(json: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let has_low_surrogate_escape = memchr::memchr_iter(b'\\', json).any(|at| {
        matches!(json.get(at + 1..at + 4), Some([b'u', d, c]) if d.eq_ignore_ascii_case(&b'd') && c.eq_ignore_ascii_case(&b'c'))
    });
    if !has_low_surrogate_escape {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = Vec::with_capacity(json.len());
    let mut i = 0;
    let mut after_high_surrogate = false;
    while i < json.len() {
        if json[i] != b'\\' || i + 1 >= json.len() {
            out.push(json[i]);
            after_high_surrogate = false;
            i += 1;
            continue;
        }
        let code = (json[i + 1] == b'u')
            .then(|| json.get(i + 2..i + 6))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u32::from_str_radix(hex, 16).ok());
        match code {
            Some(code @ 0xDC80..=0xDCFF) if !after_high_surrogate => {
                let stand_in = char::from_u32(ESCAPED_BYTE_BASE + (code - 0xDC00)).unwrap_or('\u{FFFD}');
                let mut buffer = [0; 4];
                out.extend_from_slice(stand_in.encode_utf8(&mut buffer).as_bytes());
                after_high_surrogate = false;
                i += 6;
            }
            Some(code) => {
                out.extend_from_slice(&json[i..i + 6]);
                after_high_surrogate = (0xD800..=0xDBFF).contains(&code);
                i += 6;
            }
            None => {
                // `\\`, `\"`, `\n`, ...: copy the escape whole so its second byte is not rescanned.
                out.extend_from_slice(&json[i..i + 2]);
                after_high_surrogate = false;
                i += 2;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One entry, leniently.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Entry {
    #[serde(deserialize_with = "nullable")]
    pub started_date_time: String,
    pub request: Option<Request>,
    pub response: Option<Response>,
    #[serde(rename = "_hookscope")]
    pub hookscope: Option<HookscopeFields>,
    #[serde(rename = "_deliveries")]
    pub deliveries: Option<Value>,
}

/// A HAR request, leniently, with the vendor fields that carry a body (HTTP Toolkit's
/// `_content` and `_requestBodyStatus`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Request {
    #[serde(deserialize_with = "nullable")]
    pub method: String,
    #[serde(deserialize_with = "nullable")]
    pub url: String,
    #[serde(deserialize_with = "nullable")]
    pub http_version: String,
    #[serde(deserialize_with = "nullable")]
    pub headers: Vec<NameValue>,
    #[serde(deserialize_with = "nullable")]
    pub query_string: Vec<NameValue>,
    pub post_data: Option<PostData>,
    pub body_size: Value,
    #[serde(rename = "_content")]
    pub vendor_content: Option<Content>,
    #[serde(rename = "_requestBodyStatus")]
    pub vendor_body_status: Option<String>,
}

/// A header, query or form field. `value` may be missing, `null` or a number; a form field may
/// name a file (`fileName`, `contentType`) whose contents the file does not hold.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct NameValue {
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    pub value: Value,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

impl NameValue {
    /// The value as text (`null` and missing are empty).
    pub fn value(&self) -> String {
        text_of(&self.value)
    }
}

/// `postData`: `text`, or `params` only (form fields), with base64 marked `encoding` (HAR 1.3
/// draft, Hookscope's `_encoding`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct PostData {
    #[serde(deserialize_with = "nullable")]
    pub mime_type: String,
    pub text: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub params: Vec<NameValue>,
    #[serde(alias = "_encoding")]
    pub encoding: Option<String>,
    pub comment: Option<String>,
}

/// A HAR response, leniently.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Response {
    pub status: Value,
    #[serde(deserialize_with = "nullable")]
    pub headers: Vec<NameValue>,
    pub content: Option<Content>,
}

/// A response's `content` (or HTTP Toolkit's request `_content`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Content {
    pub size: Value,
    pub text: Option<String>,
    #[serde(alias = "_encoding")]
    pub encoding: Option<String>,
}

/// A JSON value as text: strings as they are, numbers and booleans written out, `null` empty.
pub(super) fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A size field as a count: integers, integral floats and numeric strings; anything else none.
pub(super) fn count_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::{keep_escaped_bytes, read, ESCAPED_BYTE_BASE};

    #[test]
    fn lone_low_surrogates_become_stand_ins_and_pairs_and_escaped_backslashes_stay() {
        let json = br#"["caf\udce9", "\ud83c\udf89", "\\udcff"]"#;
        let repaired = keep_escaped_bytes(json);
        let parsed: Vec<String> = serde_json::from_slice(&repaired).unwrap();
        assert_eq!(
            parsed[0],
            format!("caf{}", char::from_u32(ESCAPED_BYTE_BASE + 0xE9).unwrap())
        );
        assert_eq!(parsed[1], "🎉");
        assert_eq!(parsed[2], "\\udcff");
    }

    #[test]
    fn files_without_log_entries_say_what_is_missing() {
        let error = |bytes: &[u8]| read(bytes).err().unwrap().to_string();
        assert!(
            error(b"{ not json").contains("not valid JSON"),
            "{}",
            error(b"{ not json")
        );
        assert!(error(br#"{"entries": []}"#).contains("no `log` object"));
        assert!(error(br#"{"log": {"version": "1.2"}}"#).contains("no `entries` array"));
        assert!(error(b"42").contains("no `log` object"));
    }
}
