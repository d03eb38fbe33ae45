//! `curl` command lines that send a captured request again, as it arrived.
//!
//! Every captured header is passed with `-H` in its order (curl then writes them in that order
//! and adds none of its own that the request did not have: missing `User-Agent`, `Accept` and,
//! with a body, `Content-Type` and `Expect` are removed with `-H 'Name:'`). `--path-as-is` and
//! `--globoff` keep the URL as it is. A text body goes inline with `--data-raw`; any other body
//! (binary, invalid UTF-8, NUL bytes) is written to a file and sent with `--data-binary @FILE`.
//! Arguments are single-quoted for POSIX shells.

use std::path::{Path, PathBuf};

use super::har::absolute_url;
use super::redact::redact_headers;
use crate::model::{CapturedRequest, HeaderField};

/// A command line, and the body file it refers to (to be written by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlCommand {
    pub command: String,
    pub body_file: Option<(PathBuf, Vec<u8>)>,
}

/// The curl command for `request`; a non-text body goes to `body_path` (not written here).
pub fn curl_command(request: &CapturedRequest, redact: bool, body_path: &Path) -> CurlCommand {
    let headers = if redact {
        redact_headers(&request.headers)
    } else {
        request.headers.clone()
    };
    let args = curl_args(request, &headers, &absolute_url(request), BinaryBody::File(body_path));
    let body_file = (!request.body.is_empty() && inline_text(&request.body).is_none())
        .then(|| (body_path.to_path_buf(), request.body.clone()));
    CurlCommand {
        command: args.join(" "),
        body_file,
    }
}

/// Where a curl command line reads a body that cannot go inline as text.
pub(crate) enum BinaryBody<'a> {
    /// `--data-binary @FILE`, the file written by the caller.
    File(&'a Path),
    /// `--data-binary @-`, the bytes piped in by the caller.
    Stdin,
}

/// The body as text for an inline argument, when it is UTF-8 without NUL bytes.
pub(crate) fn inline_text(body: &[u8]) -> Option<&str> {
    std::str::from_utf8(body).ok().filter(|text| !text.contains('\0'))
}

/// The quoted arguments of a curl command sending `request`'s method, `headers` (in order,
/// duplicates kept) and body to `url`, with curl's own default headers removed.
pub(crate) fn curl_args(
    request: &CapturedRequest,
    headers: &[HeaderField],
    url: &str,
    binary: BinaryBody<'_>,
) -> Vec<String> {
    let has = |name: &str| headers.iter().any(|h| h.name.eq_ignore_ascii_case(name));
    let mut args: Vec<String> = vec!["curl".into()];
    let http10 = request.http_version.eq_ignore_ascii_case("HTTP/1.0");
    args.push(if http10 { "--http1.0" } else { "--http1.1" }.into());
    args.push("--path-as-is".into());
    args.push("--globoff".into());
    let has_body = !request.body.is_empty();
    let method_implied = if has_body { "POST" } else { "GET" };
    if request.method == "HEAD" && !has_body {
        args.push("--head".into());
    } else if request.method != method_implied {
        args.push("-X".into());
        args.push(quote(&request.method));
    }
    args.push(quote(url));
    for header in headers {
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            continue;
        }
        let line = if header.value.is_empty() {
            format!("{};", header.name)
        } else {
            format!("{}: {}", header.name, header.value)
        };
        args.push("-H".into());
        args.push(quote(&line));
    }
    let mut removed = vec!["User-Agent", "Accept"];
    if has_body {
        removed.extend(["Content-Type", "Expect"]);
    }
    for name in removed {
        if !has(name) {
            args.push("-H".into());
            args.push(quote(&format!("{name}:")));
        }
    }
    if has_body {
        match inline_text(&request.body) {
            Some(text) => {
                args.push("--data-raw".into());
                args.push(quote(text));
            }
            None => {
                args.push("--data-binary".into());
                args.push(match binary {
                    BinaryBody::File(path) => format!("@{}", quote(&path.to_string_lossy())),
                    BinaryBody::Stdin => "@-".into(),
                });
            }
        }
    }
    args
}

/// Single-quotes `text` for a POSIX shell (a `'` becomes `'\''`).
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn single_quotes_are_closed_escaped_and_reopened() {
        assert_eq!(quote("it's $HOME `x` \"y\""), r#"'it'\''s $HOME `x` "y"'"#);
    }
}
