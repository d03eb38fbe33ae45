//! Field filters over stored requests: `event:invoice.paid`, `/data/object/customer=cus_42`,
//! `/a/b!=x` and a bare `/a/b` ("exists"). Parsed here once, and turned into SQL conditions on
//! the `requests` table that the store adds to its queries, so the CLI's `--event`/`--where`,
//! the app's search box and any other list mean the same thing.
//!
//! A condition matches a value when the field is a string equal to it, or a number, `true`,
//! `false` or `null` written that way (`/amount=1130` matches `1130` and `"1130"`). `!=` matches
//! JSON bodies where the field is missing or holds another value. Bodies that are not JSON
//! (form posts, binary, compressed) match no condition, `!=` included.
//!
//! Before reading bodies, SQL asks the full-text index (migration 1) for the rows holding the
//! words of a plain value of `=` (letters, digits, `_-.:@$` and spaces), or for exists of the
//! pointer's last key; rows stored after the last indexed one are read directly. Reading every
//! row costs about 0.7 s per 100,000 requests of 2 KiB; the index answers in milliseconds. So a
//! body that spells that value or key with JSON escapes (`"cus_\u0034\u0032"`), or holds it past
//! the first MiB that is indexed, does not match; no common encoder writes plain ASCII so.

use rusqlite::types::Value;

use super::pointer::{JsonPointer, PointerError};

/// What a condition checks at its pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldTest {
    /// `/a/b=value`
    Equals(String),
    /// `/a/b!=value`
    NotEquals(String),
    /// `/a/b`
    Exists,
}

/// One `--where` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCondition {
    pub pointer: JsonPointer,
    pub test: FieldTest,
}

/// How the event type must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTypeMatch {
    /// `invoice.paid`
    Exact(String),
    /// `invoice.*`: every type starting with `invoice.`
    Prefix(String),
}

/// Why a filter was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error(transparent)]
    Pointer(#[from] PointerError),
    #[error("an event filter needs a type, like event:invoice.paid or event:invoice.*")]
    EmptyEventType,
}

impl serde::Serialize for FilterError {
    /// As its message, so that it reaches the UI in words.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl FieldCondition {
    /// Parses `/pointer=value`, `/pointer!=value` or `/pointer`. The pointer ends at the first
    /// `=` (so a key holding `=` cannot be named); the value is everything after it, as is.
    pub fn parse(text: &str) -> Result<FieldCondition, FilterError> {
        let (pointer, test) = match text.split_once('=') {
            Some((left, value)) => match left.strip_suffix('!') {
                Some(pointer) => (pointer, FieldTest::NotEquals(value.to_owned())),
                None => (left, FieldTest::Equals(value.to_owned())),
            },
            None => (text, FieldTest::Exists),
        };
        Ok(FieldCondition {
            pointer: JsonPointer::parse(pointer)?,
            test,
        })
    }
}

impl FieldTest {
    /// The test on a parsed JSON document's value at the pointer (`None`: nothing there), by
    /// the same rule as the SQL (see the module): what rules check on a request being answered.
    pub fn holds_on(&self, found: Option<&serde_json::Value>) -> bool {
        match self {
            FieldTest::Exists => found.is_some(),
            FieldTest::Equals(value) => found.is_some_and(|found| value_matches(found, value)),
            FieldTest::NotEquals(value) => !found.is_some_and(|found| value_matches(found, value)),
        }
    }
}

/// A JSON value equals what a user typed: a string equal to the text, or a number, `true`,
/// `false` or `null` written that way (`1130` matches `1130`, `1130.0` and `"1130"`).
pub fn value_matches(found: &serde_json::Value, text: &str) -> bool {
    use serde_json::Value as Json;
    match found {
        Json::String(s) => s == text,
        Json::Number(n) => match serde_json::from_str::<serde_json::Number>(text) {
            Ok(typed) => match (n.as_i64(), typed.as_i64(), n.as_u64(), typed.as_u64()) {
                (Some(a), Some(b), _, _) => a == b,
                (_, _, Some(a), Some(b)) => a == b,
                _ => n.as_f64() == typed.as_f64(),
            },
            Err(_) => false,
        },
        Json::Bool(b) => text == if *b { "true" } else { "false" },
        Json::Null => text == "null",
        Json::Array(_) | Json::Object(_) => false,
    }
}

impl EventTypeMatch {
    /// `invoice.paid` is exact, `invoice.*` a prefix.
    pub fn parse(text: &str) -> Result<EventTypeMatch, FilterError> {
        let text = text.trim();
        match text.strip_suffix('*') {
            Some("") => Err(FilterError::EmptyEventType),
            Some(prefix) => Ok(EventTypeMatch::Prefix(prefix.to_owned())),
            None if text.is_empty() => Err(FilterError::EmptyEventType),
            None => Ok(EventTypeMatch::Exact(text.to_owned())),
        }
    }
}

/// Filters on the event columns and on body fields, all of which must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub event_type: Option<EventTypeMatch>,
    /// Requests of this provider only (the provider id their event was read for).
    pub provider: Option<String>,
    /// Requests with this delivery id (every attempt of one event).
    pub delivery_id: Option<String>,
    pub conditions: Vec<FieldCondition>,
}

/// One SQL condition with its `?` arguments in order.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlCondition {
    pub sql: String,
    pub args: Vec<Value>,
}

impl EventFilter {
    /// The filter of `list --event TYPE --where COND...` (either may be absent).
    pub fn from_args<S: AsRef<str>>(event_type: Option<&str>, conditions: &[S]) -> Result<EventFilter, FilterError> {
        Ok(EventFilter {
            event_type: event_type.map(EventTypeMatch::parse).transpose()?,
            conditions: conditions
                .iter()
                .map(|c| FieldCondition::parse(c.as_ref()))
                .collect::<Result<_, _>>()?,
            ..EventFilter::default()
        })
    }

    /// True when it filters nothing.
    pub fn is_empty(&self) -> bool {
        self.event_type.is_none() && self.provider.is_none() && self.delivery_id.is_none() && self.conditions.is_empty()
    }

    /// The conditions to AND into a query on `requests` aliased as `alias` (`r`). The event
    /// type, provider and delivery id use the indexes of migration 7; body conditions read each
    /// candidate row's JSON, after a byte search for the key when the key is plain text.
    pub fn sql_conditions(&self, alias: &str) -> Vec<SqlCondition> {
        let mut out = Vec::new();
        match &self.event_type {
            Some(EventTypeMatch::Exact(event_type)) => out.push(SqlCondition {
                sql: format!("{alias}.event_type = ?"),
                args: vec![event_type.clone().into()],
            }),
            // A range on the column, which its index serves (LIKE would not: it ignores case).
            Some(EventTypeMatch::Prefix(prefix)) => out.push(SqlCondition {
                sql: format!("{alias}.event_type >= ? AND {alias}.event_type < ?"),
                args: vec![prefix.clone().into(), format!("{prefix}\u{10FFFF}").into()],
            }),
            None => {}
        }
        if let Some(provider) = &self.provider {
            out.push(SqlCondition {
                sql: format!("{alias}.provider = ?"),
                args: vec![provider.clone().into()],
            });
        }
        if let Some(delivery_id) = &self.delivery_id {
            out.push(SqlCondition {
                sql: format!("{alias}.delivery_id = ?"),
                args: vec![delivery_id.clone().into()],
            });
        }
        out.extend(self.conditions.iter().map(|c| c.sql(alias)));
        out
    }
}

impl FieldCondition {
    /// This condition as SQL on `alias.body`.
    pub fn sql(&self, alias: &str) -> SqlCondition {
        let body = format!("CAST({alias}.body AS TEXT)");
        let paths = self.pointer.sqlite_paths();
        let mut args: Vec<Value> = Vec::new();
        let mut sql = String::new();
        // The full-text index rules out most rows before any body is read: a row can only
        // hold the plain value of `=` (or, for exists, the key) if its words are indexed for
        // it. Rows stored after the last indexed one are checked directly. `!=` matches rows
        // without the field, so it cannot use the index.
        let words = match &self.test {
            FieldTest::Equals(value) if fts_friendly(value) => crate::store::search::fts_query(value),
            FieldTest::Exists => self.plain_key().and_then(crate::store::search::fts_query),
            _ => None,
        };
        if let Some(words) = words {
            // One IN list (not an OR), so that SQLite looks the candidates up by rowid.
            sql.push_str(&format!(
                "{alias}.seq IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH ? UNION ALL \
                 SELECT seq FROM requests WHERE seq > (SELECT indexed_seq FROM search_index_progress WHERE id = 1)) AND "
            ));
            args.push(words.into());
        }
        // Invalid JSON would be an error in json_type; CASE keeps such rows out instead.
        sql.push_str(&format!("CASE WHEN json_valid({body}) THEN "));
        let any_path = |args: &mut Vec<Value>, one: &dyn Fn(&mut Vec<Value>, &str) -> String| {
            let parts: Vec<String> = paths.iter().map(|path| one(args, path)).collect();
            format!("({})", parts.join(" OR "))
        };
        let test = match &self.test {
            FieldTest::Exists => any_path(&mut args, &|args, path| {
                args.push(path.to_owned().into());
                format!("json_type({body}, ?) IS NOT NULL")
            }),
            FieldTest::Equals(value) => any_path(&mut args, &|args, path| equals(&body, path, value, args)),
            FieldTest::NotEquals(value) => format!(
                "NOT {}",
                any_path(&mut args, &|args, path| equals(&body, path, value, args))
            ),
        };
        sql.push_str(&test);
        sql.push_str(" ELSE 0 END");
        SqlCondition { sql, args }
    }

    /// The last object key of the pointer, when it is plain ASCII that a JSON encoder writes as
    /// is (so it appears in the body's bytes exactly, between quotes).
    fn plain_key(&self) -> Option<&str> {
        self.pointer
            .tokens()
            .iter()
            .rev()
            .find(|t| !t.bytes().all(|b| b.is_ascii_digit()))
            .map(String::as_str)
            .filter(|t| is_plain(t))
    }
}

/// The field at `path` holds `value` (see the module's rule).
fn equals(body: &str, path: &str, value: &str, args: &mut Vec<Value>) -> String {
    let mut tests = vec![format!(
        "(json_type({body}, ?) = 'text' AND json_extract({body}, ?) = ?)"
    )];
    args.extend([path.to_owned().into(), path.to_owned().into(), value.to_owned().into()]);
    if let Some(number) = number(value) {
        tests.push(format!(
            "(json_type({body}, ?) IN ('integer', 'real') AND json_extract({body}, ?) = ?)"
        ));
        args.extend([path.to_owned().into(), path.to_owned().into(), number]);
    }
    if matches!(value, "true" | "false" | "null") {
        tests.push(format!("json_type({body}, ?) = ?"));
        args.extend([path.to_owned().into(), value.to_owned().into()]);
    }
    // A missing field makes the comparisons NULL; coalesce keeps `NOT` meaning "not equal".
    format!("coalesce({}, 0)", tests.join(" OR "))
}

/// A value written as a JSON number, as SQLite compares it.
fn number(value: &str) -> Option<Value> {
    let parsed: serde_json::Number = serde_json::from_str(value).ok()?;
    match parsed.as_i64() {
        Some(integer) => Some(Value::Integer(integer)),
        None => parsed.as_f64().map(Value::Real),
    }
}

/// Text that any JSON encoder writes byte for byte (no escapes).
fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'@' | b'$' | b' '))
}

/// A value whose indexed words any matching body holds: plain text, or an integer written
/// plainly (a body may write other numbers differently: `1e3` for `1000`).
fn fts_friendly(value: &str) -> bool {
    is_plain(value) && number(value).is_none_or(|_| value.bytes().all(|b| b.is_ascii_digit()))
}

/// A search box's text split into free text and filters: `event:TYPE`, `provider:ID`,
/// `delivery:ID` and words starting with `/` are filters; the other words, in order, are the
/// free text for full-text search.
pub fn split_search(text: &str) -> Result<(String, EventFilter), FilterError> {
    let mut filter = EventFilter::default();
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        if let Some(event_type) = word.strip_prefix("event:") {
            filter.event_type = Some(EventTypeMatch::parse(event_type)?);
        } else if let Some(provider) = word.strip_prefix("provider:").filter(|p| !p.is_empty()) {
            filter.provider = Some(provider.to_owned());
        } else if let Some(id) = word.strip_prefix("delivery:").filter(|p| !p.is_empty()) {
            filter.delivery_id = Some(id.to_owned());
        } else if word.starts_with('/') {
            filter.conditions.push(FieldCondition::parse(word)?);
        } else {
            words.push(word);
        }
    }
    Ok((words.join(" "), filter))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(text: &str) -> FieldCondition {
        FieldCondition::parse(text).unwrap()
    }

    #[test]
    fn conditions_parse_equals_not_equals_and_exists() {
        assert_eq!(
            condition("/data/object/customer=cus_42").test,
            FieldTest::Equals("cus_42".into())
        );
        assert_eq!(condition("/a!=x=y").test, FieldTest::NotEquals("x=y".into()));
        assert_eq!(condition("/a=").test, FieldTest::Equals(String::new()));
        let exists = condition("/a~1b/0");
        assert_eq!(
            (exists.pointer.tokens(), exists.test),
            (&["a/b".to_owned(), "0".to_owned()][..], FieldTest::Exists)
        );
        let error = FieldCondition::parse("data/id=1").unwrap_err();
        assert!(error.to_string().contains("\"data/id\""), "{error}");
    }

    #[test]
    fn search_text_splits_into_words_and_filters() {
        let (words, filter) = split_search("refund event:invoice.* /data/object/customer=cus_42 urgent").unwrap();
        assert_eq!(words, "refund urgent");
        assert_eq!(filter.event_type, Some(EventTypeMatch::Prefix("invoice.".into())));
        assert_eq!(filter.conditions.len(), 1);
        assert_eq!(split_search("event:").unwrap_err(), FilterError::EmptyEventType);
        assert!(split_search("/a~9").is_err());
        assert!(split_search("plain words").unwrap().1.is_empty());
        let args = EventFilter::from_args(Some("invoice.paid"), &["/a=1", "/b"]).unwrap();
        assert_eq!(args.event_type, Some(EventTypeMatch::Exact("invoice.paid".into())));
        assert_eq!(args.conditions.len(), 2);
        assert!(EventFilter::from_args::<&str>(None, &["nope"]).is_err());
    }

    /// The generated SQL, run by SQLite over bodies of every kind.
    #[test]
    fn conditions_match_in_sqlite_as_documented() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        let bodies: [&[u8]; 8] = [
            br#"{"data":{"object":{"customer":"cus_42","amount":1130,"paid":true,"items":[{"id":"it_1"}]}}}"#,
            br#"{"data":{"object":{"customer":"cus_7","amount":"1130","paid":false,"note":null}}}"#,
            br#"{"data":{"object":{}}}"#,
            b"customer=cus_42&data=1",
            b"\x00\xff\x1f\x8b binary",
            br#"{"data":{"object":{"customer":"cus_42""#,
            br#"{"data":{"object":{"customer":"cus_\u0034\u0032"}}}"#,
            // Stored after the index caught up: found without it.
            br#"{"data":{"object":{"customer":"cus_42","note":"late"}}}"#,
        ];
        for (n, body) in bodies.iter().enumerate() {
            let request = crate::model::CapturedRequest::posted(&n.to_string(), "/", body.to_vec());
            crate::store::requests::insert(&conn, &request).unwrap();
            if n == 6 {
                crate::store::search::index_all_pending(&mut conn).unwrap();
            }
        }
        let matching = |text: &str| -> Vec<i64> {
            let c = condition(text).sql("r");
            let sql = format!("SELECT seq FROM requests r WHERE {} ORDER BY seq", c.sql);
            let mut statement = conn.prepare(&sql).unwrap();
            let rows = statement
                .query_map(rusqlite::params_from_iter(c.args), |row| row.get(0))
                .unwrap();
            rows.collect::<Result<_, _>>().unwrap()
        };
        // Body 7 spells cus_42 with escapes: the index misses it, the documented limit of `=`
        // on plain values (exists and `!=` read it as JSON).
        assert_eq!(matching("/data/object/customer=cus_42"), [1, 8]);
        assert_eq!(matching("/data/object/customer!=cus_42"), [2, 3]);
        assert_eq!(matching("/data/object/customer=CUS_42"), Vec::<i64>::new());
        assert_eq!(matching("/data/object/customer"), [1, 2, 7, 8]);
        assert_eq!(matching("/data/object/amount=1130"), [1, 2]);
        assert_eq!(matching("/data/object/amount=1130.0"), [1]);
        assert_eq!(matching("/data/object/paid=true"), [1]);
        assert_eq!(matching("/data/object/note=null"), [2]);
        assert_eq!(matching("/data/object/note"), [2, 8]);
        assert_eq!(matching("/data/object/note=late"), [8]);
        assert_eq!(matching("/data/object/items/0/id=it_1"), [1]);
        assert_eq!(matching("/data/object/items/1"), Vec::<i64>::new());
        assert_eq!(matching("/data"), [1, 2, 3, 7, 8]);
    }

    #[test]
    fn event_type_conditions_use_the_index_range() {
        let exact = EventFilter {
            event_type: Some(EventTypeMatch::parse("invoice.paid").unwrap()),
            ..Default::default()
        };
        assert_eq!(exact.sql_conditions("r")[0].sql, "r.event_type = ?");
        let prefix = EventFilter {
            event_type: Some(EventTypeMatch::parse("invoice.*").unwrap()),
            ..Default::default()
        };
        assert_eq!(prefix.sql_conditions("r")[0].args.len(), 2);
    }
}
