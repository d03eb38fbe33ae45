//! The request line and header lines of a HAR request: the target from `url` (with the
//! `queryString` parameters the URL does not hold, as Insomnia writes them), the header list
//! without HTTP/2 pseudo-headers (Host rebuilt from `:authority`), and the HTTP version however
//! the tool spells it.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::document::NameValue;
use super::Note;
use crate::export::ImportNoteKind;
use crate::model::HeaderField;

/// What a query component must escape; `&`, `=`, `#` and `+` too, as they would change its meaning.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'&')
    .add(b'=')
    .add(b'+')
    .add(b'%');

/// Splits an absolute URL into its authority and the raw `path?query` (fragment dropped); a
/// bare `/path` has no authority.
pub(crate) fn split_url(url: &str) -> Result<(String, String), String> {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let Some((scheme, rest)) = url.split_once("://") else {
        return match url.starts_with('/') {
            true => Ok((String::new(), url.to_owned())),
            false => Err(format!("its URL '{}' is not an http(s) URL", shorten(url))),
        };
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!("its URL '{}' is not an http(s) URL", shorten(url)));
    }
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, target) = rest.split_at(split);
    let target = match target {
        "" => "/".to_owned(),
        t if t.starts_with('?') => format!("/{t}"),
        t => t.to_owned(),
    };
    Ok((
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host)
            .to_owned(),
        target,
    ))
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A query parameter's name and value.
type Pair = (String, String);

/// The target with the `queryString` parameters that its query does not already hold (compared
/// as written and percent-decoded) appended, in order, with a note when any were.
pub(super) fn with_query_string(target: String, query_string: &[NameValue], notes: &mut Vec<Note>) -> String {
    if query_string.is_empty() {
        return target;
    }
    let query = target.split_once('?').map_or("", |(_, query)| query);
    let mut in_url: Vec<Option<(Pair, Pair)>> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Some(((name.to_owned(), value.to_owned()), (decode(name), decode(value))))
        })
        .collect();
    let mut missing = Vec::new();
    for param in query_string {
        let wanted = (param.name.clone(), param.value());
        let found = in_url.iter_mut().find(|slot| {
            slot.as_ref()
                .is_some_and(|(raw, decoded)| *raw == wanted || *decoded == wanted)
        });
        match found {
            Some(slot) => *slot = None,
            None => missing.push(wanted),
        }
    }
    if missing.is_empty() {
        return target;
    }
    let added: Vec<String> = missing
        .iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                utf8_percent_encode(name, QUERY_VALUE),
                utf8_percent_encode(value, QUERY_VALUE)
            )
        })
        .collect();
    notes.push((
        ImportNoteKind::Rebuilt,
        format!(
            "{} query parameter(s) listed in queryString but not in the URL were added to it ({})",
            added.len(),
            missing
                .iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
    let separator = match (target.contains('?'), target.ends_with(['?', '&'])) {
        (false, _) => "?",
        (true, true) => "",
        (true, false) => "&",
    };
    format!("{target}{separator}{}", added.join("&"))
}

/// The header lines in file order, duplicates kept, without HTTP/2 pseudo-headers; Host comes
/// from `:authority` (else the URL) when the file lists none.
pub(super) fn header_lines(headers: &[NameValue], url_authority: &str) -> Vec<HeaderField> {
    let authority = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(":authority"))
        .map(NameValue::value)
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| url_authority.to_owned());
    let mut lines: Vec<HeaderField> = headers
        .iter()
        .filter(|h| !h.name.starts_with(':') && !h.name.is_empty())
        .map(|h| HeaderField::new(h.name.clone(), h.value()))
        .collect();
    if !lines.iter().any(|h| h.name.eq_ignore_ascii_case("host")) && !authority.is_empty() {
        lines.insert(0, HeaderField::new("Host", authority));
    }
    lines
}

/// `HTTP/1.1`, `HTTP/2.0`, `HTTP/3.0` from what tools write (`h2`, `http/2.0`, `HTTP/2`, empty).
pub(super) fn http_version(har: &str) -> String {
    match har.trim().to_ascii_uppercase().as_str() {
        "" | "UNKNOWN" => "HTTP/1.1".into(),
        "H2" | "H2C" | "HTTP/2" | "HTTP/2.0" => "HTTP/2.0".into(),
        "H3" | "HTTP/3" | "HTTP/3.0" => "HTTP/3.0".into(),
        "HTTP/1" | "HTTP/1.0" => "HTTP/1.0".into(),
        "HTTP/1.1" | "HTTP/1.1+" => "HTTP/1.1".into(),
        upper => upper.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{header_lines, http_version, with_query_string};
    use crate::export::har_import::document::NameValue;

    fn nv(name: &str, value: &str) -> NameValue {
        NameValue {
            name: name.into(),
            value: value.into(),
            ..NameValue::default()
        }
    }

    #[test]
    fn query_parameters_only_in_query_string_are_added_and_the_ones_in_the_url_are_not_repeated() {
        let mut notes = Vec::new();
        let same = with_query_string("/s?q=a%20b&x=1".into(), &[nv("q", "a b"), nv("x", "1")], &mut notes);
        assert_eq!(same, "/s?q=a%20b&x=1");
        let raw = with_query_string("/s?q=a%20b".into(), &[nv("q", "a%20b")], &mut notes);
        assert_eq!(raw, "/s?q=a%20b");
        assert!(notes.is_empty());
        let added = with_query_string("/s".into(), &[nv("page", "2"), nv("q", "a&b c")], &mut notes);
        assert_eq!(added, "/s?page=2&q=a%26b%20c");
        let more = with_query_string("/s?x=1".into(), &[nv("x", "1"), nv("x", "2")], &mut notes);
        assert_eq!(more, "/s?x=1&x=2");
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn pseudo_headers_go_and_host_comes_from_authority_with_order_and_duplicates_kept() {
        let lines = header_lines(
            &[
                nv(":method", "POST"),
                nv(":authority", "api.test:8443"),
                nv("x-a", "1"),
                nv("X-A", "2"),
            ],
            "other.test",
        );
        let names: Vec<_> = lines.iter().map(|h| (h.name.as_str(), h.value.as_str())).collect();
        assert_eq!(names, [("Host", "api.test:8443"), ("x-a", "1"), ("X-A", "2")]);
    }

    #[test]
    fn http_versions_are_read_however_they_are_spelled() {
        for (har, ours) in [
            ("h2", "HTTP/2.0"),
            ("HTTP/2.0", "HTTP/2.0"),
            ("http/2.0", "HTTP/2.0"),
            ("", "HTTP/1.1"),
            ("http/1.1", "HTTP/1.1"),
            ("h3", "HTTP/3.0"),
        ] {
            assert_eq!(http_version(har), ours, "{har}");
        }
    }
}
