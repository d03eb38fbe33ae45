//! Where a forwarded request goes: the target URL joined with the captured path suffix and query.
//!
//! The rule, as `stripe listen --forward-to` users expect it:
//! - the *path suffix* is the captured path with the endpoint's path prefix removed
//!   (with no endpoint, or the catch-all `/`, the whole captured path);
//! - when the suffix is empty or `/`, the target's path is used unchanged; otherwise the suffix is
//!   appended to the target's path (one `/` between them);
//! - the captured raw query is appended to the target's query with `&` (target's first);
//! - the target's fragment is dropped; nothing is re-encoded.
//!
//! Examples: endpoint `/stripe`, captured `/stripe/events?x=1`, target `http://localhost:3000/webhooks`
//! → `http://localhost:3000/webhooks/events?x=1`; captured `/stripe` → `http://localhost:3000/webhooks`;
//! no endpoint, captured `/gh/push`, target `http://localhost:3000` → `http://localhost:3000/gh/push`.

/// A parsed absolute `http`/`https` URL, kept as the raw text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl {
    pub https: bool,
    /// Host as written (brackets kept for IPv6), for connecting and for `Host`.
    pub host: String,
    pub port: u16,
    /// `host` or `host:port` as the `Host` header carries it (port omitted when it is the default).
    pub authority: String,
    /// Path and raw query, starting with `/`.
    pub request_target: String,
}

impl TargetUrl {
    /// Parses an absolute URL without re-encoding its path or query.
    pub fn parse(url: &str) -> Result<TargetUrl, String> {
        let trimmed = url.trim();
        let (https, rest) = if let Some(rest) = strip_prefix_ci(trimmed, "http://") {
            (false, rest)
        } else if let Some(rest) = strip_prefix_ci(trimmed, "https://") {
            (true, rest)
        } else {
            return Err(format!("'{url}' is not an http:// or https:// URL"));
        };
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(split);
        if authority.is_empty() || authority.contains('@') && authority.starts_with('@') {
            return Err(format!("'{url}' has no host"));
        }
        let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        let parsed = url::Url::parse(&format!("{}://{authority}/", if https { "https" } else { "http" }))
            .map_err(|e| format!("'{url}' is not a valid URL: {e}"))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| format!("'{url}' has no host"))?
            .to_owned();
        let port = parsed.port_or_known_default().unwrap_or(if https { 443 } else { 80 });
        let authority = match parsed.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.clone(),
        };
        let request_target = match target {
            "" => "/".to_owned(),
            t if t.starts_with('?') => format!("/{t}"),
            t => t.to_owned(),
        };
        Ok(TargetUrl {
            https,
            host,
            port,
            authority,
            request_target,
        })
    }

    /// `scheme://authority`.
    pub fn origin(&self) -> String {
        format!("{}://{}", if self.https { "https" } else { "http" }, self.authority)
    }

    /// The full URL text.
    pub fn to_url(&self) -> String {
        format!("{}{}", self.origin(), self.request_target)
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    (text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix)).then(|| &text[prefix.len()..])
}

/// Joins `target` with the captured request target (`path?query`) by the rule above.
pub fn forward_url(target: &str, endpoint_prefix: Option<&str>, captured_target: &str) -> Result<String, String> {
    let base = TargetUrl::parse(target)?;
    let (captured_path, captured_query) = match captured_target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (captured_target, None),
    };
    let suffix = path_suffix(captured_path, endpoint_prefix.unwrap_or("/"));
    let (base_path, base_query) = match base.request_target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (base.request_target.as_str(), None),
    };
    let mut path = if suffix.is_empty() || suffix == "/" {
        base_path.to_owned()
    } else {
        format!("{}/{}", base_path.trim_end_matches('/'), suffix.trim_start_matches('/'))
    };
    let query: Vec<&str> = [base_query, captured_query]
        .into_iter()
        .flatten()
        .filter(|q| !q.is_empty())
        .collect();
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query.join("&"));
    }
    Ok(format!("{}{}", base.origin(), path))
}

/// The captured path with the endpoint's prefix removed (segment-aware); the whole path otherwise.
fn path_suffix<'a>(path: &'a str, prefix: &str) -> &'a str {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return path;
    }
    match path.strip_prefix(prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::{forward_url, TargetUrl};

    #[test]
    fn suffix_and_query_are_appended_to_the_target() {
        let join = |t, p, c| forward_url(t, p, c).unwrap();
        assert_eq!(
            join(
                "http://localhost:3000/webhooks",
                Some("/stripe"),
                "/stripe/events?x=1&y=%20"
            ),
            "http://localhost:3000/webhooks/events?x=1&y=%20"
        );
        assert_eq!(
            join("http://localhost:3000/webhooks", Some("/stripe"), "/stripe"),
            "http://localhost:3000/webhooks"
        );
        assert_eq!(
            join("http://localhost:3000", None, "/gh/push"),
            "http://localhost:3000/gh/push"
        );
        assert_eq!(join("http://localhost:3000/", None, "/"), "http://localhost:3000/");
        assert_eq!(
            join("http://h/in?key=1#frag", None, "/a?b=2"),
            "http://h/in/a?key=1&b=2"
        );
        assert_eq!(
            join("HTTPS://Example.com:443/x/", Some("/"), "/y"),
            "https://example.com/x/y"
        );
    }

    #[test]
    fn urls_are_parsed_without_reencoding() {
        let url = TargetUrl::parse("http://127.0.0.1:9/a%2Fb?q=%zz&r=[1]").unwrap();
        assert_eq!(url.authority, "127.0.0.1:9");
        assert_eq!(url.request_target, "/a%2Fb?q=%zz&r=[1]");
        assert!(TargetUrl::parse("ftp://x/").is_err());
        assert!(TargetUrl::parse("http:///nohost").is_err());
        assert_eq!(TargetUrl::parse("http://[::1]:8080").unwrap().host, "[::1]");
    }
}
