//! `application/x-www-form-urlencoded` bodies: fields in order, duplicates kept.

use percent_encoding::percent_decode;

use super::FormField;

/// Parses `a=1&b=x+y&a=2` into fields, `+` as space and `%XX` decoded (invalid UTF-8 replaced);
/// returns at most `max_fields` fields and whether there were more.
pub(crate) fn parse_form(text: &str, max_fields: usize) -> (Vec<FormField>, bool) {
    let mut pairs = text.split('&').filter(|pair| !pair.is_empty());
    let fields: Vec<FormField> = pairs
        .by_ref()
        .take(max_fields)
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            FormField {
                name: decode_component(name),
                value: decode_component(value),
            }
        })
        .collect();
    let more = pairs.next().is_some();
    (fields, more)
}

/// True when text has the shape of a form body: `key=value` pairs joined by `&`, nothing that a
/// form encoder would have escaped (spaces, line breaks, quotes, braces).
pub(crate) fn looks_like_form(text: &str) -> bool {
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    !text.is_empty()
        && text.contains('=')
        && !text
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control() || matches!(b, b'"' | b'{' | b'}' | b'<' | b'>'))
        && text
            .split('&')
            .all(|pair| pair.split_once('=').is_some_and(|(name, _)| !name.is_empty()))
}

fn decode_component(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_decode(spaced.as_bytes()).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_order_and_duplicates() {
        let (fields, more) = parse_form("b=2&a=hello+world&b=%E2%9C%93&flag", 10);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|f| (f.name.as_str(), f.value.as_str())).collect();
        assert_eq!(pairs, [("b", "2"), ("a", "hello world"), ("b", "✓"), ("flag", "")]);
        assert!(!more);
    }

    #[test]
    fn field_count_is_capped() {
        let (fields, more) = parse_form("a=1&b=2&c=3", 2);
        assert_eq!(fields.len(), 2);
        assert!(more);
    }

    #[test]
    fn shape_test_rejects_prose_and_json() {
        assert!(looks_like_form("token=abc&amount=10.50"));
        assert!(!looks_like_form("the answer is x=1"));
        assert!(!looks_like_form("{\"a\":\"b=c\"}"));
        assert!(!looks_like_form("a=1&&b=2"));
    }
}
