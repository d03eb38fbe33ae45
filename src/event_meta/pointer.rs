//! JSON pointers (RFC 6901) as users type them in field filters (`/data/object/customer`), and
//! their translation into SQLite JSON paths for filtering stored bodies in SQL.

use std::fmt;

/// A parsed JSON pointer: its reference tokens, unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPointer {
    text: String,
    tokens: Vec<String>,
}

/// Why a pointer was refused, with the pointer in the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointerError {
    #[error("invalid JSON pointer \"{0}\": it must start with \"/\" (like /data/object/id)")]
    NoLeadingSlash(String),
    #[error("invalid JSON pointer \"{0}\": \"~\" must be followed by 0 (for ~) or 1 (for /)")]
    BadEscape(String),
    #[error("invalid JSON pointer \"{0}\": a key cannot hold a control character")]
    ControlCharacter(String),
}

/// Numeric tokens that may be array indexes; beyond this many in one pointer, later ones are
/// read as array indexes only (each one doubles the SQL paths tried).
const MAX_AMBIGUOUS_TOKENS: usize = 4;

impl JsonPointer {
    /// Parses a pointer: `""` is the whole document, otherwise `/token/token...` with `~1` for
    /// `/` and `~0` for `~` inside a token.
    pub fn parse(text: &str) -> Result<JsonPointer, PointerError> {
        if text.is_empty() {
            return Ok(JsonPointer {
                text: String::new(),
                tokens: Vec::new(),
            });
        }
        let Some(rest) = text.strip_prefix('/') else {
            return Err(PointerError::NoLeadingSlash(text.to_owned()));
        };
        let tokens = rest
            .split('/')
            .map(|raw| unescape(raw).ok_or_else(|| PointerError::BadEscape(text.to_owned())))
            .collect::<Result<Vec<_>, _>>()?;
        if tokens.iter().any(|t| t.chars().any(char::is_control)) {
            return Err(PointerError::ControlCharacter(text.to_owned()));
        }
        Ok(JsonPointer {
            text: text.to_owned(),
            tokens,
        })
    }

    /// Builds a pointer from unescaped tokens.
    pub fn from_tokens<I: IntoIterator<Item = S>, S: Into<String>>(tokens: I) -> JsonPointer {
        let tokens: Vec<String> = tokens.into_iter().map(Into::into).collect();
        let text = tokens.iter().map(|t| format!("/{}", escape_token(t))).collect();
        JsonPointer { text, tokens }
    }

    /// The reference tokens, unescaped.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The pointer as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The SQLite JSON paths (`$."data"."items"[0]`) this pointer may mean. A pointer does not
    /// say whether `0` is an array index or an object key, and a SQLite path must, so a numeric
    /// token gives both readings (at most one of them exists in a given document).
    pub fn sqlite_paths(&self) -> Vec<String> {
        let mut paths = vec![String::from("$")];
        let mut ambiguous = 0;
        for token in &self.tokens {
            let key = format!(".\"{}\"", sqlite_key(token));
            match array_index(token) {
                Some(index) if ambiguous < MAX_AMBIGUOUS_TOKENS => {
                    ambiguous += 1;
                    paths = paths
                        .into_iter()
                        .flat_map(|path| [format!("{path}[{index}]"), format!("{path}{key}")])
                        .collect();
                }
                Some(index) => paths.iter_mut().for_each(|path| path.push_str(&format!("[{index}]"))),
                None => paths.iter_mut().for_each(|path| path.push_str(&key)),
            }
        }
        paths
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for JsonPointer {
    type Err = PointerError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        JsonPointer::parse(text)
    }
}

/// Escapes one reference token for writing it in a pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `~1` → `/`, `~0` → `~`, in that order (RFC 6901 §4); `None` for any other `~`.
fn unescape(raw: &str) -> Option<String> {
    if !raw.contains('~') {
        return Some(raw.to_owned());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '~' => match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            },
            other => out.push(other),
        }
    }
    Some(out)
}

/// A token that can be an array index: `0` or digits without a leading zero (RFC 6901 §4).
fn array_index(token: &str) -> Option<u32> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.is_empty());
    if canonical && token.len() <= 9 && token.bytes().all(|b| b.is_ascii_digit()) {
        token.parse().ok()
    } else {
        None
    }
}

/// A key inside a double-quoted SQLite path label. SQLite ends the label at the first `"` and
/// decodes JSON escapes in it, so `"` and `\` are written as JSON escapes.
fn sqlite_key(token: &str) -> String {
    token.replace('\\', "\\\\").replace('"', "\\u0022")
}

#[cfg(test)]
mod tests {
    use super::{escape_token, JsonPointer, PointerError};

    #[test]
    fn tokens_are_unescaped_in_rfc_order() {
        let pointer = JsonPointer::parse("/a~1b/m~0n/~01").unwrap();
        assert_eq!(pointer.tokens(), ["a/b", "m~n", "~1"]);
        assert_eq!(JsonPointer::parse("").unwrap().tokens().len(), 0);
        assert_eq!(JsonPointer::parse("/").unwrap().tokens(), [""]);
        assert_eq!(JsonPointer::from_tokens(["a/b", "m~n"]).as_str(), "/a~1b/m~0n");
        assert_eq!(escape_token("~/"), "~0~1");
    }

    #[test]
    fn invalid_pointers_name_themselves_in_the_error() {
        let missing = JsonPointer::parse("data/id").unwrap_err();
        assert_eq!(missing, PointerError::NoLeadingSlash("data/id".into()));
        assert!(missing.to_string().contains("\"data/id\""), "{missing}");
        let escape = JsonPointer::parse("/a~2").unwrap_err();
        assert_eq!(escape, PointerError::BadEscape("/a~2".into()));
        assert!(escape.to_string().contains("\"/a~2\""));
        assert!(JsonPointer::parse("/a~").is_err());
        assert!(JsonPointer::parse("/a\nb").is_err());
    }

    #[test]
    fn numeric_tokens_read_as_index_or_key() {
        let paths = JsonPointer::parse("/items/0/id").unwrap().sqlite_paths();
        assert_eq!(paths, ["$.\"items\"[0].\"id\"", "$.\"items\".\"0\".\"id\""]);
        assert_eq!(JsonPointer::parse("/01").unwrap().sqlite_paths(), ["$.\"01\""]);
        assert_eq!(JsonPointer::parse("").unwrap().sqlite_paths(), ["$"]);
        let many = JsonPointer::parse("/1/2/3/4/5/6").unwrap().sqlite_paths();
        assert_eq!(many.len(), 16);
        assert!(many.iter().all(|p| p.ends_with("[5][6]")));
    }

    /// The paths run against SQLite's own JSON functions, keys that need quoting included.
    #[test]
    fn sqlite_finds_what_the_pointer_names() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let doc =
            r#"{"a\"b":1,"x.y":2,"p\\q":3,"0":4,"arr":[5,{"k":6}],"é":7,"a/b":8,"m~n":9,"":10,"[0]":11,"sp ace":12}"#;
        let cases = [
            ("/a\"b", Some(1)),
            ("/x.y", Some(2)),
            ("/p\\q", Some(3)),
            ("/0", Some(4)),
            ("/arr/0", Some(5)),
            ("/arr/1/k", Some(6)),
            ("/é", Some(7)),
            ("/a~1b", Some(8)),
            ("/m~0n", Some(9)),
            ("/", Some(10)),
            ("/[0]", Some(11)),
            ("/sp ace", Some(12)),
            ("/arr/2", None),
            ("/x", None),
        ];
        for (pointer, expected) in cases {
            let found: Option<i64> = JsonPointer::parse(pointer)
                .unwrap()
                .sqlite_paths()
                .iter()
                .find_map(|path| {
                    conn.query_row("SELECT json_extract(?1, ?2)", rusqlite::params![doc, path], |row| {
                        row.get::<_, Option<i64>>(0)
                    })
                    .unwrap()
                });
            assert_eq!(found, expected, "{pointer}");
        }
    }
}
