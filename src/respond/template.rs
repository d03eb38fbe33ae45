//! Response templating: `{{request.id}}`, `{{header.X}}`, `{{query.x}}`, `{{json.path}}`.
//!
//! A placeholder whose value is absent (no such header, no JSON body, ...) becomes empty text.
//! A placeholder Hookscope does not know (`{{nope}}`) is left as written, so a typo shows in
//! the answer instead of vanishing.

use crate::model::CapturedRequest;

/// Renders `template` with values taken from `request`.
pub fn render(template: &str, request: &CapturedRequest) -> String {
    let mut out = String::with_capacity(template.len());
    let mut json: Option<Option<serde_json::Value>> = None;
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let expression = after[..end].trim();
        match value_of(expression, request, &mut json) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The value of one placeholder; `None` when the placeholder is not one Hookscope knows.
fn value_of(
    expression: &str,
    request: &CapturedRequest,
    json: &mut Option<Option<serde_json::Value>>,
) -> Option<String> {
    let (namespace, key) = expression.split_once('.')?;
    let value = match namespace {
        "request" => match key {
            "id" => request.id.clone(),
            "method" => request.method.clone(),
            "path" => request.path().to_owned(),
            "target" => request.target.clone(),
            "query" => request.raw_query().unwrap_or_default().to_owned(),
            "body" => String::from_utf8_lossy(&request.body).into_owned(),
            "endpoint" => request.endpoint_name.clone().unwrap_or_default(),
            _ => return None,
        },
        "header" => request.header(key).unwrap_or_default().to_owned(),
        "query" => query_param(request, key).unwrap_or_default(),
        "json" => {
            let body = json.get_or_insert_with(|| serde_json::from_slice(&request.body).ok());
            body.as_ref()
                .and_then(|body| json_path(body, key))
                .map(json_text)
                .unwrap_or_default()
        }
        _ => return None,
    };
    Some(value)
}

/// The first value of a query parameter, percent- and `+`-decoded.
pub fn query_param(request: &CapturedRequest, name: &str) -> Option<String> {
    let query = request.raw_query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Follows a dotted path (`a.b.0.c`) into a JSON value; numbers index arrays.
pub fn json_path<'v>(value: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    path.split('.').try_fold(value, |current, segment| match current {
        serde_json::Value::Object(map) => map.get(segment),
        serde_json::Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Strings are inserted bare; everything else as compact JSON.
fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::model::{CapturedRequest, HeaderField};

    fn request(target: &str, headers: &[(&str, &str)], body: &str) -> CapturedRequest {
        CapturedRequest {
            endpoint_name: Some("shop".into()),
            headers: headers.iter().map(|(n, v)| HeaderField::new(*n, *v)).collect(),
            ..CapturedRequest::posted("01HZTEST", target, body.as_bytes().to_vec())
        }
    }

    #[test]
    fn fills_request_header_query_and_json_values() {
        let req = request(
            "/hooks/a?name=J%C3%BCrgen+K&n=1",
            &[("X-Event-Type", "order.paid")],
            r#"{"data":{"items":[{"sku":"A-1"},{"sku":"B-2"}],"total":12.5,"ok":true}}"#,
        );
        let out = render(
            "{{request.id}} {{ header.x-event-type }} {{query.name}} {{json.data.items.1.sku}} {{json.data.total}} {{json.data.ok}} {{request.path}}",
            &req,
        );
        assert_eq!(out, "01HZTEST order.paid Jürgen K B-2 12.5 true /hooks/a");
    }

    #[test]
    fn objects_are_inserted_as_json_and_missing_values_as_nothing() {
        let req = request("/x", &[], r#"{"a":{"b":[1,2]}}"#);
        assert_eq!(render("<{{json.a}}>", &req), r#"<{"b":[1,2]}>"#);
        assert_eq!(render("<{{json.a.c}}><{{header.nope}}><{{query.q}}>", &req), "<><><>");
    }

    #[test]
    fn unknown_placeholders_and_unclosed_braces_are_left_as_written() {
        let req = request("/x", &[], "not json");
        assert_eq!(
            render("{{nope}} {{request.nope}} {{json.a}}", &req),
            "{{nope}} {{request.nope}} "
        );
        assert_eq!(render("tail {{request.id", &req), "tail {{request.id");
        assert_eq!(render("{\"id\":\"{{request.id}}\"}", &req), "{\"id\":\"01HZTEST\"}");
    }
}
