//! Plivo's V3 signature: the signed URL is rebuilt from the request's method, its query and its
//! form parameters, each sorted, as Plivo's SDKs build it (`signature_v3.py` in plivo-python).

use std::collections::BTreeMap;

use super::request::SignableRequest;

/// The URL Plivo's V3 signature covers, before `.{nonce}` is appended.
///
/// GET: scheme, host and path, then `?` and the query sorted by name (`a=1&b=2`, values decoded)
/// when there is a query. POST with form fields: the same base, always followed by `?` and the
/// sorted query, then `.` when there was a query, then every form field as name + value, sorted by
/// name and then by value.
pub fn v3_url(request: &SignableRequest<'_>, body: &[u8], url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    let base = &parsed[..url::Position::AfterPath];
    let query = sorted_query(&parsed);
    let params = if request.method.eq_ignore_ascii_case("GET") {
        BTreeMap::new()
    } else {
        form_params(request, body)
    };
    let mut out = base.to_owned();
    if params.is_empty() {
        if !query.is_empty() {
            out.push('?');
            out.push_str(&query);
        }
        return out;
    }
    out.push('?');
    out.push_str(&query);
    if !query.is_empty() {
        out.push('.');
    }
    for (name, values) in params {
        for value in values {
            out.push_str(&name);
            out.push_str(&value);
        }
    }
    out
}

/// `name=value` pairs of the query, decoded, sorted by name then value, joined by `&`.
fn sorted_query(url: &url::Url) -> String {
    let mut grouped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in url.query_pairs() {
        grouped.entry(name.into_owned()).or_default().push(value.into_owned());
    }
    grouped
        .into_iter()
        .flat_map(|(name, mut values)| {
            values.sort();
            values.into_iter().map(move |value| format!("{name}={value}"))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The form fields of a form body, grouped by name, each group's values sorted.
fn form_params(request: &SignableRequest<'_>, body: &[u8]) -> BTreeMap<String, Vec<String>> {
    let mut grouped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if !request.is_form() {
        return grouped;
    }
    for (name, value) in url::form_urlencoded::parse(body) {
        grouped.entry(name.into_owned()).or_default().push(value.into_owned());
    }
    for values in grouped.values_mut() {
        values.sort();
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HeaderField;

    fn request<'a>(method: &'a str, headers: &'a [HeaderField], body: &'a [u8]) -> SignableRequest<'a> {
        SignableRequest::new(method, "/", headers, body, Some("https://example.com/"))
    }

    #[test]
    fn get_sorts_the_query_and_post_appends_the_sorted_form_fields() {
        let none: [HeaderField; 0] = [];
        let get = request("GET", &none, b"");
        assert_eq!(
            v3_url(&get, b"", "https://ex.com/answer?b=2&a=x%20y&a=1"),
            "https://ex.com/answer?a=1&a=x y&b=2"
        );
        assert_eq!(v3_url(&get, b"", "https://ex.com/answer"), "https://ex.com/answer");

        let form = [HeaderField::new("Content-Type", "application/x-www-form-urlencoded")];
        let body = b"To=2&From=1&From=0";
        let post = request("POST", &form, body);
        assert_eq!(
            v3_url(&post, body, "https://ex.com/answer?q=1"),
            "https://ex.com/answer?q=1.From0From1To2"
        );
        assert_eq!(
            v3_url(&post, body, "https://ex.com/answer"),
            "https://ex.com/answer?From0From1To2"
        );
        assert_eq!(
            v3_url(&post, b"", "https://ex.com/answer?q=1"),
            "https://ex.com/answer?q=1"
        );
    }
}
