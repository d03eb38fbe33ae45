//! What a response rule looks at in a request: method, path under the endpoint, headers, the
//! JSON body and the body's text. All conditions of a rule must hold (AND); none means "any".

use std::cell::OnceCell;

use globset::{GlobBuilder, GlobMatcher};
use serde::{Deserialize, Serialize};

use crate::event_meta::filter::FieldTest;
use crate::model::{CapturedRequest, HeaderField};

/// The conditions of a rule, as stored. Every field left empty matches any request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RuleConditions {
    /// The request method, upper case; compared without regard to case.
    pub method: Option<String>,
    /// A glob over the path under the endpoint's prefix (always starting with `/`, raw as sent,
    /// without the query): `*` stays within a segment, `**` crosses segments.
    pub path: Option<String>,
    /// Every one must match some header line of the request.
    pub headers: Vec<HeaderCondition>,
    /// Every one must hold on the body parsed as JSON (a body that is not JSON fails them).
    pub json: Vec<JsonCondition>,
    /// Text that must occur in the body bytes as received (case-sensitive, not decompressed).
    pub body_contains: Option<String>,
}

impl RuleConditions {
    /// How the conditions read in a list, in the CLI's own syntax:
    /// `--method POST --path '/orders/*' --json '/type="paid"'`, or `any request`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(method) = &self.method {
            parts.push(format!("--method {method}"));
        }
        if let Some(path) = &self.path {
            parts.push(format!("--path {}", quoted(path)));
        }
        for header in &self.headers {
            parts.push(format!(
                "--header {}",
                quoted(&format!("{}={}", header.name, header.glob))
            ));
        }
        for condition in &self.json {
            parts.push(format!("--json {}", quoted(&condition.as_text())));
        }
        if let Some(text) = &self.body_contains {
            parts.push(format!("--body-contains {}", quoted(text)));
        }
        if parts.is_empty() {
            "any request".to_owned()
        } else {
            parts.join(" ")
        }
    }
}

/// Single-quotes text for a shell when it holds anything but plain word characters.
fn quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | ':' | '='));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `Name=glob`: some header line with this name (any case) has a value matching the glob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeaderCondition {
    pub name: String,
    /// A glob over the whole value, case-sensitive; `*` matches any text, `/` included.
    pub glob: String,
}

/// A condition on the JSON body at an RFC 6901 pointer (`/data/object/id`, `/items/0`), written
/// and matched as `list --where` and the search box's filters are
/// ([`crate::event_meta::filter`]): `/p=value`, `/p!=value`, a bare `/p`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JsonCondition {
    /// The value at the pointer is a string equal to this text, or a number, `true`, `false`
    /// or `null` written so (`1` matches `1`, `1.0` and `"1"`). Rules stored before this rule
    /// was shared may hold a JSON number or boolean here: it is read as its JSON text.
    Equals {
        pointer: String,
        #[cfg_attr(feature = "ts", ts(type = "unknown"))]
        value: serde_json::Value,
    },
    /// Nothing is at the pointer, or something that does not equal this value (as for `Equals`).
    NotEquals {
        pointer: String,
        #[cfg_attr(feature = "ts", ts(type = "unknown"))]
        value: serde_json::Value,
    },
    /// Something (even `null`) is at the pointer.
    Exists { pointer: String },
}

impl JsonCondition {
    /// The pointer this condition looks at.
    pub fn pointer(&self) -> &str {
        match self {
            JsonCondition::Equals { pointer, .. }
            | JsonCondition::NotEquals { pointer, .. }
            | JsonCondition::Exists { pointer } => pointer,
        }
    }

    /// The condition as `--json` / `--where` take it: `/p=value`, `/p!=value` or `/p`.
    pub fn as_text(&self) -> String {
        match self {
            JsonCondition::Exists { pointer } => pointer.clone(),
            JsonCondition::Equals { pointer, value } => format!("{pointer}={}", value_text(value)),
            JsonCondition::NotEquals { pointer, value } => format!("{pointer}!={}", value_text(value)),
        }
    }

    /// Whether the condition holds on a parsed JSON document.
    pub fn holds_on(&self, document: &serde_json::Value) -> bool {
        let found = document.pointer(self.pointer());
        match self {
            JsonCondition::Exists { .. } => FieldTest::Exists.holds_on(found),
            JsonCondition::Equals { value, .. } => FieldTest::Equals(value_text(value)).holds_on(found),
            JsonCondition::NotEquals { value, .. } => FieldTest::NotEquals(value_text(value)).holds_on(found),
        }
    }
}

/// A stored value as the text a user typed: a string as is, anything else as its JSON.
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// What the conditions see of a request: its method, its path under the endpoint's prefix,
/// its headers and its body. The body is parsed as JSON at most once, when a rule asks.
#[derive(Debug)]
pub struct RequestView<'a> {
    method: &'a str,
    path: &'a str,
    headers: &'a [HeaderField],
    body: &'a [u8],
    json: OnceCell<Option<serde_json::Value>>,
}

impl<'a> RequestView<'a> {
    /// A view of the parts; `path` is the path under the endpoint's prefix (see [`path_under_prefix`]).
    pub fn new(method: &'a str, path: &'a str, headers: &'a [HeaderField], body: &'a [u8]) -> Self {
        Self {
            method,
            path,
            headers,
            body,
            json: OnceCell::new(),
        }
    }

    /// The view of a captured request that matched an endpoint with this path prefix.
    pub fn of(request: &'a CapturedRequest, endpoint_prefix: &str) -> Self {
        Self::new(
            &request.method,
            path_under_prefix(request.path(), endpoint_prefix),
            &request.headers,
            &request.body,
        )
    }

    fn json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| serde_json::from_slice(self.body).ok())
            .as_ref()
    }
}

/// The path under an endpoint's prefix, always starting with `/`: endpoint `/stripe` and path
/// `/stripe/events/1` give `/events/1`; the prefix itself gives `/`; prefix `/` keeps the path.
/// A path outside the prefix is returned whole.
pub fn path_under_prefix<'p>(path: &'p str, prefix: &str) -> &'p str {
    let trimmed = prefix.trim_end_matches('/');
    match path.strip_prefix(trimmed) {
        _ if trimmed.is_empty() => path,
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

/// Conditions made ready to test requests (globs compiled).
#[derive(Debug, Clone)]
pub(crate) struct ConditionMatcher {
    method: Option<String>,
    path: Option<GlobMatcher>,
    headers: Vec<(String, GlobMatcher)>,
    json: Vec<JsonCondition>,
    body_contains: Option<Vec<u8>>,
}

impl ConditionMatcher {
    /// Compiles the globs; the error is globset's, for a pattern that was never validated.
    pub(crate) fn new(conditions: &RuleConditions) -> Result<Self, globset::Error> {
        Ok(Self {
            method: conditions.method.clone(),
            path: conditions.path.as_deref().map(path_glob).transpose()?,
            headers: conditions
                .headers
                .iter()
                .map(|h| Ok((h.name.clone(), value_glob(&h.glob)?)))
                .collect::<Result<_, globset::Error>>()?,
            json: conditions.json.clone(),
            body_contains: conditions.body_contains.as_ref().map(|t| t.as_bytes().to_vec()),
        })
    }

    /// Whether every condition holds for the request.
    pub(crate) fn matches(&self, request: &RequestView<'_>) -> bool {
        if let Some(method) = &self.method {
            if !method.eq_ignore_ascii_case(request.method) {
                return false;
            }
        }
        if let Some(glob) = &self.path {
            if !glob.is_match(request.path) {
                return false;
            }
        }
        let headers_hold = self.headers.iter().all(|(name, glob)| {
            request
                .headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case(name) && glob.is_match(&h.value))
        });
        if !headers_hold {
            return false;
        }
        if let Some(needle) = &self.body_contains {
            if memchr::memmem::find(request.body, needle).is_none() {
                return false;
            }
        }
        if !self.json.is_empty() {
            let Some(document) = request.json() else {
                return false;
            };
            return self.json.iter().all(|condition| condition.holds_on(document));
        }
        true
    }
}

/// A path glob: `*` and `?` stay within a segment, `**` crosses segments.
pub(crate) fn path_glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()?
        .compile_matcher())
}

/// A glob over a header value: `*` matches any text.
pub(crate) fn value_glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    Ok(GlobBuilder::new(pattern)
        .literal_separator(false)
        .backslash_escape(true)
        .build()?
        .compile_matcher())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_under_a_prefix_starts_with_a_slash() {
        assert_eq!(path_under_prefix("/stripe/events/1", "/stripe"), "/events/1");
        assert_eq!(path_under_prefix("/stripe/events/1", "/stripe/"), "/events/1");
        assert_eq!(path_under_prefix("/stripe", "/stripe"), "/");
        assert_eq!(path_under_prefix("/stripe/", "/stripe"), "/");
        assert_eq!(path_under_prefix("/a/b", "/"), "/a/b");
        assert_eq!(path_under_prefix("/other", "/stripe"), "/other");
    }

    #[test]
    fn a_star_stays_in_its_segment_and_two_stars_cross_them() {
        let one = path_glob("/events/*").unwrap();
        assert!(one.is_match("/events/1"));
        assert!(!one.is_match("/events/1/retry"));
        let any = path_glob("/events/**").unwrap();
        assert!(any.is_match("/events/1/retry"));
        assert!(value_glob("application/*")
            .unwrap()
            .is_match("application/json; charset=utf-8"));
    }

    #[test]
    fn conditions_read_back_as_the_options_that_make_them() {
        assert_eq!(RuleConditions::default().describe(), "any request");
        let conditions = RuleConditions {
            method: Some("POST".into()),
            path: Some("/orders/*".into()),
            headers: vec![HeaderCondition {
                name: "X-Event".into(),
                glob: "order.*".into(),
            }],
            json: vec![
                JsonCondition::Equals {
                    pointer: "/type".into(),
                    value: serde_json::json!("it's paid"),
                },
                JsonCondition::Exists {
                    pointer: "/data".into(),
                },
            ],
            body_contains: Some("evt_1".into()),
        };
        assert_eq!(
            conditions.describe(),
            r#"--method POST --path '/orders/*' --header 'X-Event=order.*' --json '/type=it'\''s paid' --json /data --body-contains evt_1"#
        );
    }

    #[test]
    fn values_match_as_list_where_matches_them() {
        let document: serde_json::Value = serde_json::json!({"n": 1.0, "s": "1", "a": [1, {"b": 2}], "z": null});
        let equals = |pointer: &str, value: serde_json::Value| {
            JsonCondition::Equals {
                pointer: pointer.into(),
                value,
            }
            .holds_on(&document)
        };
        assert!(equals("/n", serde_json::json!(1)), "numbers by value");
        assert!(equals("/n", serde_json::json!("1")), "a number written as typed");
        assert!(equals("/s", serde_json::json!("1")));
        assert!(equals("/z", serde_json::json!("null")));
        assert!(
            !equals("/a", serde_json::json!("[1,{\"b\":2}]")),
            "arrays and objects equal nothing"
        );
        assert!(!equals("/missing", serde_json::Value::Null));
    }
}
