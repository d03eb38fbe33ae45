//! Deliveries through an HTTP proxy, configured the way curl reads it: `https_proxy` /
//! `HTTPS_PROXY` for https targets, `http_proxy` / `HTTP_PROXY` for http targets, `all_proxy` /
//! `ALL_PROXY` for both, and `no_proxy` / `NO_PROXY` for hosts that are reached directly.
//!
//! Every proxied target, http or https, is reached through a `CONNECT` tunnel: the request that
//! arrives at the target is then exactly the one Hookscope sends (a proxy that forwards an
//! absolute-form request line rewrites its head). Loopback targets never use the proxy, so
//! forwarding to `localhost:3000` works behind a corporate proxy without any `no_proxy` entry.

use std::net::IpAddr;

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::model::{DeliveryFailure, FailureKind};

/// The proxies deliveries use; `None` in [`super::ClientOptions`] means direct connections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProxyConfig {
    pub http: Option<ProxyServer>,
    pub https: Option<ProxyServer>,
    /// Host names (and their subdomains) and IP addresses reached directly; `*` means all.
    pub no_proxy: Vec<String>,
}

/// One HTTP proxy server.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyServer {
    pub host: String,
    pub port: u16,
    /// `Proxy-Authorization` value (`Basic ...`) when the proxy URL has credentials.
    authorization: Option<String>,
}

impl std::fmt::Debug for ProxyServer {
    // Never prints the credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("authorization", &self.authorization.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// The port curl assumes when a proxy URL names none.
const DEFAULT_PROXY_PORT: u16 = 1080;
/// A proxy's answer to `CONNECT` larger than this is not an HTTP proxy.
const MAX_CONNECT_ANSWER: usize = 16 * 1024;

impl ProxyConfig {
    /// The proxies named in the environment, if any; a value that cannot be used is reported
    /// in the log and ignored.
    pub fn from_env() -> Option<ProxyConfig> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Self::from_env`] with the variables read through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<ProxyConfig> {
        let read = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| lookup(name).filter(|value| !value.trim().is_empty()))
        };
        let server = |names: &[&str]| {
            let value = read(names)?;
            match ProxyServer::parse(&value) {
                Ok(server) => Some(server),
                Err(why) => {
                    tracing::warn!(variable = names[0], %why, "ignoring a proxy setting");
                    None
                }
            }
        };
        let all = server(&["all_proxy", "ALL_PROXY"]);
        let config = ProxyConfig {
            http: server(&["http_proxy", "HTTP_PROXY"]).or_else(|| all.clone()),
            https: server(&["https_proxy", "HTTPS_PROXY"]).or(all),
            no_proxy: read(&["no_proxy", "NO_PROXY"])
                .map(|list| {
                    list.split(',')
                        .map(|entry| entry.trim().trim_start_matches('.').to_ascii_lowercase())
                        .filter(|entry| !entry.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        };
        (config.http.is_some() || config.https.is_some()).then_some(config)
    }

    /// The proxy for a target, or `None` when it is reached directly.
    pub fn for_target(&self, host: &str, https: bool) -> Option<&ProxyServer> {
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        if is_loopback(&host) || self.bypasses(&host) {
            return None;
        }
        if https {
            self.https.as_ref()
        } else {
            self.http.as_ref()
        }
    }

    fn bypasses(&self, host: &str) -> bool {
        self.no_proxy.iter().any(|entry| {
            entry == "*"
                || host == entry
                || host
                    .strip_suffix(entry.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl ProxyServer {
    /// Parses `http://[user:password@]host[:port]` (a value without a scheme is taken as http,
    /// as curl does).
    pub fn parse(value: &str) -> Result<ProxyServer, String> {
        let value = value.trim();
        let with_scheme = if value.contains("://") {
            value.to_owned()
        } else {
            format!("http://{value}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|e| format!("'{}' is not a proxy URL: {e}", redact(value)))?;
        if url.scheme() != "http" {
            return Err(format!(
                "only http:// proxies are supported, not {}:// ('{}')",
                url.scheme(),
                redact(value)
            ));
        }
        let host = url
            .host_str()
            .ok_or_else(|| format!("'{}' names no proxy host", redact(value)))?
            .to_owned();
        let authorization = (!url.username().is_empty()).then(|| {
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            let credentials = format!(
                "{}:{}",
                decode(url.username()),
                decode(url.password().unwrap_or_default())
            );
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            )
        });
        Ok(ProxyServer {
            host,
            port: url.port().unwrap_or(DEFAULT_PROXY_PORT),
            authorization,
        })
    }

    /// `host:port`, as messages name the proxy.
    pub fn authority(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// Opens a tunnel to `target_authority` (`host:port`) through this proxy, on a connection
    /// already open to it.
    pub(super) async fn tunnel(
        &self,
        mut proxy: TcpStream,
        target_authority: &str,
    ) -> Result<TcpStream, DeliveryFailure> {
        let mut request = format!("CONNECT {target_authority} HTTP/1.1\r\nHost: {target_authority}\r\n");
        if let Some(authorization) = &self.authorization {
            request.push_str(&format!("Proxy-Authorization: {authorization}\r\n"));
        }
        request.push_str("\r\n");
        let broken = |e: std::io::Error| {
            failure(
                FailureKind::Connect,
                format!("the proxy {} broke the connection: {e}", self.authority()),
            )
        };
        proxy.write_all(request.as_bytes()).await.map_err(broken)?;
        // Read the answer's head byte by byte: whatever follows it belongs to the target.
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            if head.len() > MAX_CONNECT_ANSWER {
                return Err(failure(
                    FailureKind::Protocol,
                    format!(
                        "the proxy {} did not answer CONNECT like an HTTP proxy",
                        self.authority()
                    ),
                ));
            }
            let byte = proxy.read_u8().await.map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => failure(
                    FailureKind::Connect,
                    format!(
                        "the proxy {} closed the connection instead of opening a tunnel to {target_authority}",
                        self.authority()
                    ),
                ),
                _ => broken(e),
            })?;
            head.push(byte);
        }
        let status_line = String::from_utf8_lossy(head.split(|&b| b == b'\r').next().unwrap_or_default()).into_owned();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok());
        match status {
            Some(200..=299) => Ok(proxy),
            Some(407) => Err(failure(
                FailureKind::Connect,
                format!(
                    "the proxy {} wants credentials (407): put them in the proxy URL, http://user:password@host:port",
                    self.authority()
                ),
            )),
            _ => Err(failure(
                FailureKind::Connect,
                format!(
                    "the proxy {} refused a tunnel to {target_authority}: {}",
                    self.authority(),
                    status_line.trim()
                ),
            )),
        }
    }
}

/// A proxy value as it may be shown: without its password.
fn redact(value: &str) -> String {
    match (value.find("://"), value.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}<credentials>{}", &value[..scheme_end + 3], &value[at..])
        }
        (None, Some(at)) => format!("<credentials>{}", &value[at..]),
        _ => value.to_owned(),
    }
}

fn failure(kind: FailureKind, message: String) -> DeliveryFailure {
    DeliveryFailure { kind, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Option<ProxyConfig> {
        ProxyConfig::from_lookup(|name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn variables_are_read_like_curl_reads_them() {
        assert_eq!(config(&[]), None);
        assert_eq!(config(&[("NO_PROXY", "example.com")]), None);

        let proxies = config(&[("HTTPS_PROXY", "http://proxy.corp:3128"), ("http_proxy", "cache.corp")]).unwrap();
        assert_eq!(proxies.https.as_ref().unwrap().authority(), "proxy.corp:3128");
        // No scheme means http; no port means 1080.
        assert_eq!(proxies.http.as_ref().unwrap().authority(), "cache.corp:1080");

        let all = config(&[("ALL_PROXY", "http://all.corp:8080")]).unwrap();
        assert_eq!(all.http, all.https);
        // The lowercase name wins, as in curl.
        let lower = config(&[("https_proxy", "http://lower:1"), ("HTTPS_PROXY", "http://upper:2")]).unwrap();
        assert_eq!(lower.https.unwrap().host, "lower");
    }

    #[test]
    fn loopback_and_no_proxy_hosts_are_reached_directly() {
        let proxies = config(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("HTTP_PROXY", "http://proxy:3128"),
            ("NO_PROXY", " .internal.example, 10.1.2.3 ,Staging.Example.COM"),
        ])
        .unwrap();
        for direct in [
            "localhost",
            "api.localhost",
            "127.0.0.1",
            "[::1]",
            "internal.example",
            "a.internal.example",
            "10.1.2.3",
            "staging.example.com",
        ] {
            assert_eq!(proxies.for_target(direct, true), None, "{direct}");
        }
        for proxied in ["example.com", "notinternal.example", "10.1.2.4", "hooks.example.org"] {
            assert!(proxies.for_target(proxied, false).is_some(), "{proxied}");
        }
        let everything_direct = config(&[("HTTPS_PROXY", "http://proxy:3128"), ("no_proxy", "*")]).unwrap();
        assert_eq!(everything_direct.for_target("example.com", true), None);
    }

    #[test]
    fn credentials_become_basic_auth_and_are_never_shown() {
        let server = ProxyServer::parse("http://qa%40corp:s3cr%3At@proxy:3128").unwrap();
        assert_eq!(
            server.authorization.as_deref(),
            Some(
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode("qa@corp:s3cr:t")
                )
                .as_str()
            )
        );
        let shown = format!("{server:?}");
        assert!(!shown.contains("s3cr") && !shown.contains("Basic"), "{shown}");

        let refused = ProxyServer::parse("socks5://user:hunter2@proxy:1080").unwrap_err();
        assert!(refused.contains("only http://"), "{refused}");
        assert!(!refused.contains("hunter2"), "{refused}");
    }
}
