//! "Copy as code": a snippet in a language of choice that sends a captured request again.
//!
//! A snippet keeps the method and the target as captured, the headers in their order with
//! duplicates and original casing (as far as the language's HTTP client allows: `fetch` folds
//! duplicates into one comma-separated field and may lowercase names; Go's `net/http` writes
//! names in sorted order), and the body bytes exactly: a UTF-8 body without NUL bytes inline as
//! text, any other body as base64 decoded when the snippet runs. The headers that the client
//! must compute for the new URL and body ([`CLIENT_SET_HEADERS`]) are left to the client.

use std::fmt::Write as _;
use std::str::FromStr;

use base64::Engine as _;

use super::curl::{curl_args, inline_text, quote, BinaryBody};
use crate::model::{CapturedRequest, HeaderField};

/// Headers a snippet does not copy: the client sets them for the URL, body and connection it uses.
pub const CLIENT_SET_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

/// The language (or tool) of a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// A curl command line for a POSIX shell.
    Curl,
    /// An HTTPie (`http`) command line for a POSIX shell.
    Httpie,
    /// JavaScript using `fetch` (Node 18+ or a browser).
    Fetch,
    /// Python 3 using the standard library's `http.client`.
    Python,
    /// A Go program using `net/http`.
    Go,
}

impl Language {
    /// Every language, in the order the CLI lists them.
    pub const ALL: [Language; 5] = [Self::Curl, Self::Httpie, Self::Fetch, Self::Python, Self::Go];

    /// The name used on the command line and in the app's menu.
    pub fn name(self) -> &'static str {
        match self {
            Self::Curl => "curl",
            Self::Httpie => "httpie",
            Self::Fetch => "fetch",
            Self::Python => "python",
            Self::Go => "go",
        }
    }
}

/// A language name that is not one of [`Language::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown snippet language '{0}' (expected curl, httpie, fetch, python or go)")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|language| language.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownLanguage(text.to_string()))
    }
}

/// A snippet in `language` that sends `request` to `base_url` followed by the captured target.
pub fn snippet(request: &CapturedRequest, language: Language, base_url: &str) -> String {
    let headers: Vec<HeaderField> = request
        .headers
        .iter()
        .filter(|h| !CLIENT_SET_HEADERS.iter().any(|n| h.name.eq_ignore_ascii_case(n)))
        .cloned()
        .collect();
    let base = base_url.trim_end_matches('/');
    let target = origin_form(&request.target);
    match language {
        Language::Curl => curl(request, &headers, &format!("{base}{target}")),
        Language::Httpie => httpie(request, &headers, &format!("{base}{target}")),
        Language::Fetch => fetch(request, &headers, &format!("{base}{target}")),
        Language::Python => python(request, &headers, base, target),
        Language::Go => go(request, &headers, &format!("{base}{target}")),
    }
}

/// The path and query of a target (an absolute-form target loses its scheme and authority).
fn origin_form(target: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = target.strip_prefix(scheme) {
            return rest.find('/').map_or("/", |at| &rest[at..]);
        }
    }
    target
}

/// A double-quoted string literal valid in Python, JavaScript and Go (JSON's escapes).
fn literal(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn base64(body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(body)
}

/// A shell pipeline prefix that writes the (binary) body to stdout.
fn shell_body_pipe(body: &[u8]) -> String {
    format!("printf '%s' {} | base64 -d | ", quote(&base64(body)))
}

fn curl(request: &CapturedRequest, headers: &[HeaderField], url: &str) -> String {
    let args = curl_args(request, headers, url, BinaryBody::Stdin).join(" ");
    if !request.body.is_empty() && inline_text(&request.body).is_none() {
        format!("{}{args}\n", shell_body_pipe(&request.body))
    } else {
        format!("{args}\n")
    }
}

fn httpie(request: &CapturedRequest, headers: &[HeaderField], url: &str) -> String {
    let mut args: Vec<String> = vec!["http".into(), "--path-as-is".into()];
    let pipe = if request.body.is_empty() {
        args.push("--ignore-stdin".into());
        String::new()
    } else if let Some(text) = inline_text(&request.body) {
        args.push(format!("--raw={}", quote(text)));
        String::new()
    } else {
        shell_body_pipe(&request.body)
    };
    args.push(quote(&request.method));
    args.push(quote(url));
    for header in headers {
        // `Name;` sends an empty header; `Name:` alone would remove it.
        let item = if header.value.is_empty() {
            format!("{};", header.name)
        } else {
            format!("{}:{}", header.name, header.value)
        };
        args.push(quote(&item));
    }
    let has = |name: &str| headers.iter().any(|h| h.name.eq_ignore_ascii_case(name));
    for name in ["User-Agent", "Accept", "Accept-Encoding", "Content-Type"] {
        if !has(name) {
            args.push(quote(&format!("{name}:")));
        }
    }
    format!("{pipe}{}\n", args.join(" "))
}

fn fetch(request: &CapturedRequest, headers: &[HeaderField], url: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// fetch joins duplicate headers into one with \", \" and may lowercase names."
    );
    let _ = writeln!(out, "const headers = new Headers();");
    for header in headers {
        let _ = writeln!(
            out,
            "headers.append({}, {});",
            literal(&header.name),
            literal(&header.value)
        );
    }
    let body = if request.body.is_empty() {
        "undefined".to_string()
    } else if let Some(text) = inline_text(&request.body) {
        literal(text)
    } else {
        format!(
            "Uint8Array.from(atob({}), (c) => c.charCodeAt(0))",
            literal(&base64(&request.body))
        )
    };
    let _ = writeln!(out, "const response = await fetch({}, {{", literal(url));
    let _ = writeln!(out, "  method: {},", literal(&request.method));
    let _ = writeln!(out, "  headers,");
    let _ = writeln!(out, "  body: {body},");
    let _ = writeln!(out, "}});");
    let _ = writeln!(out, "console.log(response.status, response.statusText);");
    out
}

fn python(request: &CapturedRequest, headers: &[HeaderField], base: &str, target: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "import base64");
    let _ = writeln!(out, "import http.client");
    let _ = writeln!(out, "import urllib.parse");
    let _ = writeln!(out);
    let _ = writeln!(out, "base = urllib.parse.urlsplit({})", literal(base));
    let _ = writeln!(out, "target = base.path.rstrip(\"/\") + {}", literal(target));
    let body = if request.body.is_empty() {
        "b\"\"".to_string()
    } else if let Some(text) = inline_text(&request.body) {
        format!("{}.encode()", literal(text))
    } else {
        format!("base64.b64decode({})", literal(&base64(&request.body)))
    };
    let _ = writeln!(out, "body = {body}");
    let _ = writeln!(out, "headers = [");
    for header in headers {
        let _ = writeln!(out, "    ({}, {}),", literal(&header.name), literal(&header.value));
    }
    let _ = writeln!(out, "]");
    let _ = writeln!(
        out,
        "connection_type = http.client.HTTPSConnection if base.scheme == \"https\" else http.client.HTTPConnection"
    );
    let _ = writeln!(out, "connection = connection_type(base.netloc)");
    let _ = writeln!(
        out,
        "connection.putrequest({}, target, skip_host=True, skip_accept_encoding=True)",
        literal(&request.method)
    );
    let _ = writeln!(out, "connection.putheader(\"Host\", base.netloc)");
    let _ = writeln!(out, "for name, value in headers:");
    let _ = writeln!(out, "    connection.putheader(name, value.encode())");
    // http.client adds no Content-Length in this mode: send one when the request had one.
    if !request.body.is_empty() || request.header("content-length").is_some() {
        let _ = writeln!(out, "connection.putheader(\"Content-Length\", str(len(body)))");
    }
    let _ = writeln!(out, "connection.endheaders(body)");
    let _ = writeln!(out, "response = connection.getresponse()");
    let _ = writeln!(out, "print(response.status, response.reason)");
    out
}

fn go(request: &CapturedRequest, headers: &[HeaderField], url: &str) -> String {
    let binary = !request.body.is_empty() && inline_text(&request.body).is_none();
    let mut out = String::new();
    let _ = writeln!(out, "package main");
    let _ = writeln!(out);
    let _ = writeln!(out, "import (");
    let _ = writeln!(out, "\t\"bytes\"");
    if binary {
        let _ = writeln!(out, "\t\"encoding/base64\"");
    }
    let _ = writeln!(out, "\t\"fmt\"");
    let _ = writeln!(out, "\t\"net/http\"");
    let _ = writeln!(out, ")");
    let _ = writeln!(out);
    let _ = writeln!(out, "func main() {{");
    if binary {
        let _ = writeln!(
            out,
            "\tbody, err := base64.StdEncoding.DecodeString({})",
            literal(&base64(&request.body))
        );
        let _ = writeln!(out, "\tif err != nil {{\n\t\tpanic(err)\n\t}}");
    } else {
        let text = inline_text(&request.body).unwrap_or("");
        let _ = writeln!(out, "\tbody := []byte({})", literal(text));
    }
    let _ = writeln!(
        out,
        "\treq, err := http.NewRequest({}, {}, bytes.NewReader(body))",
        literal(&request.method),
        literal(url)
    );
    let _ = writeln!(out, "\tif err != nil {{\n\t\tpanic(err)\n\t}}");
    let _ = writeln!(
        out,
        "\t// Assigned directly so the names keep their casing (Go sorts them)."
    );
    let mut names: Vec<&str> = Vec::new();
    for header in headers {
        if !names.contains(&header.name.as_str()) {
            names.push(&header.name);
        }
    }
    for name in names {
        let values: Vec<String> = headers
            .iter()
            .filter(|h| h.name == name)
            .map(|h| literal(&h.value))
            .collect();
        let _ = writeln!(
            out,
            "\treq.Header[{}] = []string{{{}}}",
            literal(name),
            values.join(", ")
        );
    }
    for name in ["User-Agent", "Accept-Encoding"] {
        if !headers.iter().any(|h| h.name.eq_ignore_ascii_case(name)) {
            let _ = writeln!(out, "\treq.Header[{}] = nil", literal(name));
        }
    }
    let _ = writeln!(out, "\tresp, err := http.DefaultClient.Do(req)");
    let _ = writeln!(out, "\tif err != nil {{\n\t\tpanic(err)\n\t}}");
    let _ = writeln!(out, "\tdefer resp.Body.Close()");
    let _ = writeln!(out, "\tfmt.Println(resp.Status)");
    let _ = writeln!(out, "}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &[u8]) -> CapturedRequest {
        let mut request = CapturedRequest::posted("01TEST", "/hook?a=1&b=%20", body.to_vec());
        request.headers = vec![
            HeaderField::new("Host", "127.0.0.1:9000"),
            HeaderField::new("X-Dup", "one"),
            HeaderField::new("x-MiXed", "it's"),
            HeaderField::new("X-Dup", "two"),
            HeaderField::new("Content-Length", body.len().to_string()),
        ];
        request.method = "PUT".into();
        request
    }

    #[test]
    fn languages_parse_by_name_in_any_case_and_unknown_ones_are_refused() {
        for language in Language::ALL {
            assert_eq!(language.name().to_uppercase().parse::<Language>(), Ok(language));
        }
        assert_eq!("ruby".parse::<Language>(), Err(UnknownLanguage("ruby".into())));
    }

    #[test]
    fn absolute_targets_keep_only_path_and_query() {
        assert_eq!(origin_form("http://example.com/a?b"), "/a?b");
        assert_eq!(origin_form("https://example.com"), "/");
        assert_eq!(origin_form("/x?y"), "/x?y");
    }

    #[test]
    fn curl_pipes_a_binary_body_as_base64_and_keeps_headers_in_order() {
        let body = [0u8, 159, 146, 150, b'\n'];
        let text = snippet(&request(&body), Language::Curl, "http://h:1/");
        assert!(
            text.starts_with(&format!("printf '%s' '{}' | base64 -d | curl ", base64(&body))),
            "{text}"
        );
        assert!(text.contains("'http://h:1/hook?a=1&b=%20'"), "{text}");
        assert!(text.contains("--data-binary @-"), "{text}");
        let one = text.find("'X-Dup: one'").unwrap();
        let mixed = text.find(r"'x-MiXed: it'\''s'").unwrap();
        let two = text.find("'X-Dup: two'").unwrap();
        assert!(one < mixed && mixed < two, "{text}");
        assert!(!text.contains("Host:") && !text.contains("Content-Length"), "{text}");
        assert!(text.contains("-X 'PUT'"), "{text}");
    }

    #[test]
    fn a_text_body_goes_inline_in_every_language() {
        let req = request(b"{\"quote\": \"it's\"}\n");
        assert!(snippet(&req, Language::Curl, "http://h").contains(r#"--data-raw '{"quote": "it'\''s"}"#));
        assert!(snippet(&req, Language::Python, "http://h").contains(r#"body = "{\"quote\": \"it's\"}\n".encode()"#));
        assert!(snippet(&req, Language::Fetch, "http://h").contains(r#"body: "{\"quote\": \"it's\"}\n","#));
        assert!(snippet(&req, Language::Go, "http://h").contains(r#"body := []byte("{\"quote\": \"it's\"}\n")"#));
        assert!(snippet(&req, Language::Httpie, "http://h").contains(r#"--raw='{"quote": "it'\''s"}"#));
    }

    #[test]
    fn a_binary_body_is_decoded_from_base64_at_run_time_in_every_language() {
        let body = [0xffu8, 0, 1, 2];
        let encoded = base64(&body);
        let req = request(&body);
        assert!(snippet(&req, Language::Python, "http://h").contains(&format!("base64.b64decode(\"{encoded}\")")));
        assert!(snippet(&req, Language::Fetch, "http://h").contains(&format!("atob(\"{encoded}\")")));
        assert!(snippet(&req, Language::Go, "http://h").contains(&format!("DecodeString(\"{encoded}\")")));
        assert!(snippet(&req, Language::Httpie, "http://h")
            .starts_with(&format!("printf '%s' '{encoded}' | base64 -d | http ")));
    }

    #[test]
    fn python_and_fetch_list_every_header_in_order_with_duplicates() {
        let req = request(b"x");
        let python = snippet(&req, Language::Python, "http://h:1");
        let at = |needle: &str| python.find(needle).unwrap_or_else(|| panic!("{needle} in {python}"));
        assert!(at("(\"X-Dup\", \"one\")") < at("(\"x-MiXed\", \"it's\")"));
        assert!(at("(\"x-MiXed\", \"it's\")") < at("(\"X-Dup\", \"two\")"));
        assert!(python.contains("target = base.path.rstrip(\"/\") + \"/hook?a=1&b=%20\""));
        let fetch = snippet(&req, Language::Fetch, "http://h:1");
        assert_eq!(fetch.matches("headers.append(\"X-Dup\"").count(), 2, "{fetch}");
        assert!(fetch.contains("fetch(\"http://h:1/hook?a=1&b=%20\""), "{fetch}");
        assert!(!fetch.contains("\"Host\""), "{fetch}");
    }

    #[test]
    fn go_groups_duplicate_values_under_one_name() {
        let go = snippet(&request(b""), Language::Go, "http://h");
        assert!(
            go.contains("req.Header[\"X-Dup\"] = []string{\"one\", \"two\"}"),
            "{go}"
        );
        assert!(
            go.contains("http.NewRequest(\"PUT\", \"http://h/hook?a=1&b=%20\""),
            "{go}"
        );
    }
}
