//! Changing one field of a JSON body in place: the new value is spliced into the text at the old
//! value's byte span, so every other byte (spacing, key order, number spelling) stays as it was.
//!
//! serde_json's borrowed [`RawValue`] gives each value's exact text as a slice of the document,
//! so its span is where that slice starts; no JSON is re-serialized.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::value::RawValue;

/// The byte range of the value at `pointer` (RFC 6901, `""` for the whole document), or why
/// there is none.
pub fn span(document: &str, pointer: &str) -> Result<Range<usize>, Problem> {
    let root: &RawValue = serde_json::from_str(document).map_err(|e| Problem::NotJson(e.to_string()))?;
    let mut current = root;
    if !pointer.is_empty() {
        let Some(tokens) = pointer.strip_prefix('/') else {
            return Err(Problem::Missing(format!(
                "\"{pointer}\" is not a JSON pointer: it must start with /"
            )));
        };
        let mut walked = String::new();
        for raw_token in tokens.split('/') {
            let token = raw_token.replace("~1", "/").replace("~0", "~");
            let text = current.get();
            let here = if walked.is_empty() {
                "the body".to_owned()
            } else {
                walked.clone()
            };
            current = match text.as_bytes().first() {
                Some(b'{') => {
                    let members: HashMap<String, &RawValue> =
                        serde_json::from_str(text).map_err(|e| Problem::NotJson(e.to_string()))?;
                    *members
                        .get(&token)
                        .ok_or_else(|| Problem::Missing(format!("{here} has no field \"{token}\"")))?
                }
                Some(b'[') => {
                    let items: Vec<&RawValue> =
                        serde_json::from_str(text).map_err(|e| Problem::NotJson(e.to_string()))?;
                    let index = array_index(&token).ok_or_else(|| {
                        Problem::Missing(format!("{here} is an array, and \"{token}\" is not an index"))
                    })?;
                    *items.get(index).ok_or_else(|| {
                        Problem::Missing(format!("{here} has {} item(s), no index {index}", items.len()))
                    })?
                }
                _ => {
                    return Err(Problem::Missing(format!(
                        "{here} is {}, not an object or array",
                        preview(text)
                    )))
                }
            };
            walked.push('/');
            walked.push_str(raw_token);
        }
    }
    let start = current.get().as_ptr() as usize - document.as_ptr() as usize;
    Ok(start..start + current.get().len())
}

/// `document` with the value at `pointer` replaced by `value` (JSON text, used as written).
pub fn splice(document: &str, pointer: &str, value: &str) -> Result<String, Problem> {
    let range = span(document, pointer)?;
    let mut out = String::with_capacity(document.len() + value.len());
    out.push_str(&document[..range.start]);
    out.push_str(value);
    out.push_str(&document[range.end..]);
    Ok(out)
}

/// Why a pointer names no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The document itself does not parse.
    NotJson(String),
    /// The pointer leads nowhere; the text says where it stopped.
    Missing(String),
}

/// RFC 6901 array indexes: `0`, or digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && token.chars().all(|c| c.is_ascii_digit()));
    canonical.then(|| token.parse().ok()).flatten()
}

fn preview(text: &str) -> String {
    crate::signature::scheme::preview(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{ \"data\" : {\"object\": {\"amount\":  2000, \"a/b\": [1, {\"c\": \"x\"}], \"n\": 1.50}}}\n";

    #[test]
    fn a_splice_changes_exactly_the_named_value() {
        let edited = splice(DOC, "/data/object/amount", "4200").unwrap();
        assert_eq!(edited, DOC.replace("2000", "4200"));
        let edited = splice(DOC, "/data/object/a~1b/1/c", "{\"z\": [true]}").unwrap();
        assert_eq!(edited, DOC.replace("\"x\"", "{\"z\": [true]}"));
        assert_eq!(splice(DOC, "", "null").unwrap(), "null\n");
    }

    #[test]
    fn a_pointer_that_leads_nowhere_says_where_it_stopped() {
        let missing = |pointer: &str| match span(DOC, pointer) {
            Err(Problem::Missing(why)) => why,
            other => panic!("{pointer}: {other:?}"),
        };
        assert!(missing("/data/objet").contains("/data has no field \"objet\""));
        assert!(missing("/data/object/a~1b/2").contains("no index 2"));
        assert!(missing("/data/object/a~1b/01").contains("not an index"));
        assert!(missing("/data/object/amount/x").contains("2000, not an object"));
        assert!(missing("data").contains("must start with /"));
        assert!(matches!(span("{\"a\":", "/a"), Err(Problem::NotJson(_))));
    }

    #[test]
    fn a_duplicated_key_names_its_last_value_as_json_readers_do() {
        let doc = r#"{"a": 1, "a": 2}"#;
        assert_eq!(splice(doc, "/a", "3").unwrap(), r#"{"a": 1, "a": 3}"#);
    }
}
