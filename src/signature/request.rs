//! The parts of a request a signature covers: method, public URL, headers, body.

use crate::model::{CapturedRequest, HeaderField};

/// A request as a signature scheme sees it.
#[derive(Debug, Clone)]
pub struct SignableRequest<'a> {
    pub method: &'a str,
    /// The full URL the provider signed (scheme, host, path, query).
    pub url: String,
    pub headers: &'a [HeaderField],
    pub body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// Views a captured request; `public_url` is the endpoint's public URL, if it stores one.
    ///
    /// A public URL with a path is taken as the full signed URL; one without a path (an origin such
    /// as a tunnel's `https://abc.ngrok.app`) is joined with the request's target. Without one, the
    /// URL is rebuilt from `X-Forwarded-Proto`/`X-Forwarded-Host`/`Host`, as a proxy would have seen it.
    pub fn from_captured(request: &'a CapturedRequest, public_url: Option<&str>) -> Self {
        Self::new(
            &request.method,
            &request.target,
            &request.headers,
            &request.body,
            public_url,
        )
    }

    /// Builds the view from raw parts (see [`SignableRequest::from_captured`] for `public_url`).
    pub fn new(
        method: &'a str,
        target: &str,
        headers: &'a [HeaderField],
        body: &'a [u8],
        public_url: Option<&str>,
    ) -> Self {
        let url = match public_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(public) => join_public_url(public, target),
            None => {
                let scheme = header(headers, "x-forwarded-proto").unwrap_or("http");
                let host = header(headers, "x-forwarded-host")
                    .or_else(|| header(headers, "host"))
                    .unwrap_or("localhost");
                format!("{scheme}://{host}{}", absolute_target(target))
            }
        };
        SignableRequest {
            method,
            url,
            headers,
            body,
        }
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        header(self.headers, name)
    }

    /// True when the body is an HTML form (`application/x-www-form-urlencoded`).
    pub fn is_form(&self) -> bool {
        self.header("content-type")
            .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"))
    }
}

fn header<'h>(headers: &'h [HeaderField], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.trim())
}

fn absolute_target(target: &str) -> String {
    if target.starts_with('/') {
        target.to_owned()
    } else if let Ok(url) = url::Url::parse(target) {
        // An absolute-form target (sent to a proxy): keep its path and query.
        url[url::Position::BeforePath..].to_owned()
    } else {
        format!("/{target}")
    }
}

fn join_public_url(public: &str, target: &str) -> String {
    match url::Url::parse(public) {
        Ok(url) if url.path() == "/" && url.query().is_none() => {
            format!("{}{}", public.trim_end_matches('/'), absolute_target(target))
        }
        _ => public.to_owned(),
    }
}

/// Replaces (or adds) headers by name, case-insensitively, keeping the position of the first match.
pub fn apply_headers(headers: &mut Vec<HeaderField>, replacements: &[HeaderField]) {
    for replacement in replacements {
        match headers
            .iter()
            .position(|h| h.name.eq_ignore_ascii_case(&replacement.name))
        {
            Some(index) => {
                headers[index].value = replacement.value.clone();
                let name = replacement.name.clone();
                let mut seen = 0;
                headers.retain(|h| {
                    if h.name.eq_ignore_ascii_case(&name) {
                        seen += 1;
                        seen == 1
                    } else {
                        true
                    }
                });
            }
            None => headers.push(replacement.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> Vec<HeaderField> {
        vec![HeaderField::new("Host", "localhost:8787")]
    }

    #[test]
    fn origin_public_url_is_joined_with_the_target() {
        let h = headers();
        let r = SignableRequest::new("POST", "/hook?a=1", &h, b"", Some("https://abc.ngrok.app"));
        assert_eq!(r.url, "https://abc.ngrok.app/hook?a=1");
        let r = SignableRequest::new("POST", "/hook?a=1", &h, b"", Some("https://abc.ngrok.app/"));
        assert_eq!(r.url, "https://abc.ngrok.app/hook?a=1");
    }

    #[test]
    fn public_url_with_a_path_is_the_full_signed_url() {
        let h = headers();
        let r = SignableRequest::new("POST", "/x", &h, b"", Some("https://example.com/myapp.php?foo=1"));
        assert_eq!(r.url, "https://example.com/myapp.php?foo=1");
    }

    #[test]
    fn url_is_rebuilt_from_forwarding_headers_without_a_public_url() {
        let h = vec![
            HeaderField::new("Host", "localhost:8787"),
            HeaderField::new("X-Forwarded-Proto", "https"),
            HeaderField::new("X-Forwarded-Host", "abc.ngrok.app"),
        ];
        let r = SignableRequest::new("POST", "/hook", &h, b"", None);
        assert_eq!(r.url, "https://abc.ngrok.app/hook");
    }

    #[test]
    fn apply_headers_replaces_case_insensitively_and_drops_duplicates() {
        let mut h = vec![
            HeaderField::new("stripe-signature", "old"),
            HeaderField::new("A", "1"),
            HeaderField::new("Stripe-Signature", "older"),
        ];
        apply_headers(
            &mut h,
            &[HeaderField::new("Stripe-Signature", "new"), HeaderField::new("B", "2")],
        );
        assert_eq!(
            h,
            vec![
                HeaderField::new("stripe-signature", "new"),
                HeaderField::new("A", "1"),
                HeaderField::new("B", "2")
            ]
        );
    }
}
