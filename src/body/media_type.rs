//! A forgiving parser for `Content-Type` values: essence plus parameters.

/// A parsed media type: `essence` lower-cased (`text/plain`), parameters in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediaType {
    pub essence: String,
    pub params: Vec<(String, String)>,
}

impl MediaType {
    /// Parses `type/subtype; key=value; key="quoted value"`; never fails, junk gives junk essence.
    pub fn parse(value: &str) -> Self {
        let mut pieces = split_outside_quotes(value, ';').into_iter();
        let essence = pieces.next().unwrap_or_default().trim().to_ascii_lowercase();
        let params = pieces
            .filter_map(|piece| {
                let (key, raw) = piece.split_once('=')?;
                let raw = raw.trim();
                let unquoted = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                    Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
                    None => raw.to_owned(),
                };
                Some((key.trim().to_ascii_lowercase(), unquoted))
            })
            .collect();
        Self { essence, params }
    }

    /// A parameter's value by (case-insensitive) name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// `multipart` of `multipart/form-data`.
    pub fn top_level(&self) -> &str {
        self.essence
            .split_once('/')
            .map_or(self.essence.as_str(), |(top, _)| top)
    }

    /// `form-data` of `multipart/form-data`.
    pub fn subtype(&self) -> &str {
        self.essence.split_once('/').map_or("", |(_, sub)| sub)
    }

    /// True for `application/json`, `application/ld+json`, `text/json`, ...
    pub fn is_json(&self) -> bool {
        self.subtype() == "json" || self.subtype().ends_with("+json")
    }
}

fn split_outside_quotes(value: &str, separator: char) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut escaped = false;
    for ch in value.chars() {
        if escaped {
            escaped = false;
        } else if in_quotes && ch == '\\' {
            escaped = true;
        } else if ch == '"' {
            in_quotes = !in_quotes;
        } else if ch == separator && !in_quotes {
            pieces.push(std::mem::take(&mut current));
            continue;
        }
        current.push(ch);
    }
    pieces.push(current);
    pieces
}

#[cfg(test)]
mod tests {
    use super::MediaType;

    #[test]
    fn parses_essence_and_quoted_parameters() {
        let media = MediaType::parse("Multipart/Form-Data; boundary=\"a;b\"; charset=UTF-8");
        assert_eq!(media.essence, "multipart/form-data");
        assert_eq!(media.param("boundary"), Some("a;b"));
        assert_eq!(media.param("charset"), Some("UTF-8"));
        assert_eq!(media.top_level(), "multipart");
        assert_eq!(media.subtype(), "form-data");
    }

    #[test]
    fn recognises_structured_suffixes() {
        assert!(MediaType::parse("application/vnd.api+json").is_json());
        assert!(!MediaType::parse("text/plain").is_json());
        assert_eq!(MediaType::parse("").essence, "");
    }
}
