//! Header edits that apply to any request: set a header (replacing every line of that name, in
//! the place of the first one) or remove it. Unlike a complete header list, these can be applied
//! to each request of a bulk replay.

use serde::{Deserialize, Serialize};

use crate::model::HeaderField;

/// Sets `name` to `value`, or removes every `name` line when `value` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeaderChange {
    pub name: String,
    pub value: Option<String>,
}

/// Why a `Name: value` line is not a header change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not 'Name: value' (set) or 'Name:' (remove)")]
pub struct HeaderChangeError(pub String);

impl HeaderChange {
    /// Parses `Name: value` (set) or `Name:` (remove), as `curl -H` takes them.
    pub fn parse(line: &str) -> Result<HeaderChange, HeaderChangeError> {
        let (name, value) = line.split_once(':').ok_or_else(|| HeaderChangeError(line.to_owned()))?;
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(HeaderChangeError(line.to_owned()));
        }
        Ok(HeaderChange {
            name: name.to_owned(),
            value: (!value.is_empty()).then(|| value.to_owned()),
        })
    }
}

/// Applies `changes` in order. A set header takes the place of the first line of that name
/// (case-insensitive), or goes last when there was none; the other lines keep their order.
pub fn apply(headers: &mut Vec<HeaderField>, changes: &[HeaderChange]) {
    for change in changes {
        let first = headers.iter().position(|h| h.name.eq_ignore_ascii_case(&change.name));
        headers.retain(|h| !h.name.eq_ignore_ascii_case(&change.name));
        if let Some(value) = &change.value {
            let at = first.unwrap_or(headers.len()).min(headers.len());
            headers.insert(at, HeaderField::new(change.name.clone(), value.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(headers: &[HeaderField]) -> Vec<String> {
        headers.iter().map(|h| format!("{}: {}", h.name, h.value)).collect()
    }

    #[test]
    fn set_replaces_every_line_of_the_name_in_place_and_remove_drops_them() {
        let mut headers = vec![
            HeaderField::new("Content-Type", "application/json"),
            HeaderField::new("X-Dup", "a"),
            HeaderField::new("X-Keep", "1"),
            HeaderField::new("x-dup", "b"),
            HeaderField::new("X-Gone", "1"),
        ];
        let changes = [
            HeaderChange::parse("X-DUP: new").unwrap(),
            HeaderChange::parse("x-gone:").unwrap(),
            HeaderChange::parse("X-Added:  spaced value ").unwrap(),
        ];
        apply(&mut headers, &changes);
        assert_eq!(
            names(&headers),
            [
                "Content-Type: application/json",
                "X-DUP: new",
                "X-Keep: 1",
                "X-Added: spaced value"
            ]
        );
    }

    #[test]
    fn lines_without_a_colon_or_a_name_are_refused() {
        assert!(HeaderChange::parse("NoColon").is_err());
        assert!(HeaderChange::parse(": value").is_err());
        assert!(HeaderChange::parse("Two Words: v").is_err());
        assert_eq!(
            HeaderChange::parse("X-A:").unwrap(),
            HeaderChange {
                name: "X-A".into(),
                value: None
            }
        );
    }
}
