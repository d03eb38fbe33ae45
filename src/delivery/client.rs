//! Sending one outgoing request over HTTP/1.1 (plain or TLS) and reading the answer.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

use super::outgoing::{normalize, raw_head};
use super::proxy::ProxyConfig;
use super::target::TargetUrl;
use super::wire::{HeadRewrite, ReadRecord};
use crate::model::{DeliveryFailure, DeliveryResponse, FailureKind, HeaderField, OutgoingRequest};

/// How deliveries are sent.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The whole exchange (connect, send, read the answer) must finish within this time.
    pub timeout: Duration,
    /// Redirects followed; 0 (the default) records a 3xx as the answer.
    pub max_redirects: u32,
    /// Answer bodies over this size are kept up to it and marked truncated.
    pub response_body_limit: u64,
    /// Accept any TLS certificate (self-signed development servers), like `curl --insecure`.
    pub insecure_tls: bool,
    /// Proxies to reach targets through ([`ProxyConfig::from_env`] at the edges); `None`: direct.
    pub proxy: Option<ProxyConfig>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_redirects: 0,
            response_body_limit: 25 * 1024 * 1024,
            insecure_tls: false,
            proxy: None,
        }
    }
}

/// Sends deliveries; cheap to clone and share.
#[derive(Clone)]
pub struct DeliveryClient {
    options: ClientOptions,
    tls: tokio_rustls::TlsConnector,
}

impl DeliveryClient {
    pub fn new(options: ClientOptions) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions");
        let mut config = if options.insecure_tls {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(super::insecure::AcceptAnyCertificate(provider)))
                .with_no_client_auth()
        } else {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            builder.with_root_certificates(roots).with_no_client_auth()
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            options,
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
        }
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sends `outgoing` (normalized first) and returns the answer; follows redirects when allowed,
    /// leaving in `outgoing` the last request sent.
    pub async fn send(&self, outgoing: &mut OutgoingRequest) -> Result<DeliveryResponse, DeliveryFailure> {
        let mut redirects = 0;
        loop {
            let target = normalize(outgoing)?;
            let response = match tokio::time::timeout(self.options.timeout, self.exchange(&target, outgoing)).await {
                Ok(result) => result?,
                Err(_) => {
                    return Err(failure(
                        FailureKind::Timeout,
                        format!(
                            "no complete answer from {} within {}",
                            target.authority,
                            seconds(self.options.timeout)
                        ),
                    ))
                }
            };
            let location = response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("location"))
                .map(|h| h.value.clone());
            match location {
                Some(location)
                    if redirects < self.options.max_redirects
                        && matches!(response.status, 301 | 302 | 303 | 307 | 308) =>
                {
                    redirects += 1;
                    follow_redirect(outgoing, response.status, &location)?;
                }
                _ => return Ok(response),
            }
        }
    }

    async fn exchange(
        &self,
        target: &TargetUrl,
        outgoing: &OutgoingRequest,
    ) -> Result<DeliveryResponse, DeliveryFailure> {
        let proxy = self
            .options
            .proxy
            .as_ref()
            .and_then(|proxies| proxies.for_target(&target.host, target.https));
        let tcp = match proxy {
            Some(proxy) => {
                let authority = proxy.authority();
                let to_proxy = connect(Peer {
                    host: &proxy.host,
                    port: proxy.port,
                    authority: &authority,
                    role: "the proxy ",
                })
                .await?;
                proxy
                    .tunnel(to_proxy, &format!("{}:{}", target.host, target.port))
                    .await?
            }
            None => {
                connect(Peer {
                    host: &target.host,
                    port: target.port,
                    authority: &target.authority,
                    role: "",
                })
                .await?
            }
        };
        let record = ReadRecord::default();
        let head = raw_head(outgoing, target);
        if target.https {
            let name = rustls::pki_types::ServerName::try_from(bare_host(&target.host).to_owned()).map_err(|e| {
                failure(
                    FailureKind::InvalidUrl,
                    format!("'{}' is not a TLS server name: {e}", target.host),
                )
            })?;
            let tls = self.tls.connect(name, tcp).await.map_err(|e| {
                failure(
                    FailureKind::Tls,
                    format!("TLS handshake with {} failed: {e}", target.authority),
                )
            })?;
            self.http(HeadRewrite::new(tls, head, record.clone()), outgoing, target, &record)
                .await
        } else {
            self.http(HeadRewrite::new(tcp, head, record.clone()), outgoing, target, &record)
                .await
        }
    }

    async fn http<S>(
        &self,
        io: S,
        outgoing: &OutgoingRequest,
        target: &TargetUrl,
        record: &ReadRecord,
    ) -> Result<DeliveryResponse, DeliveryFailure>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let broken = |e: hyper::Error| failure(FailureKind::Protocol, describe_hyper(&e, target));
        let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
            .handshake::<_, Full<Bytes>>(TokioIo::new(io))
            .await
            .map_err(broken)?;
        let driver = tokio::spawn(connection);
        // hyper writes an equivalent head (same method and framing); `HeadRewrite` swaps in the exact one.
        let mut request = http::Request::builder()
            .method(http::Method::from_bytes(outgoing.method.as_bytes()).map_err(|_| {
                failure(
                    FailureKind::InvalidRequest,
                    format!("'{}' is not an HTTP method", outgoing.method),
                )
            })?)
            .uri("/");
        if outgoing.header("content-length").is_some() {
            request = request.header(http::header::CONTENT_LENGTH, outgoing.body.len());
        }
        let request = request
            .body(Full::new(Bytes::from(outgoing.body.clone())))
            .map_err(|e| failure(FailureKind::InvalidRequest, e.to_string()))?;
        let response = sender.send_request(request).await.map_err(broken)?;
        let status = response.status().as_u16();
        let fallback_headers: Vec<HeaderField> = response
            .headers()
            .iter()
            .map(|(name, value)| HeaderField::from_bytes(name.as_str(), value.as_bytes()))
            .collect();
        let mut body = response.into_body();
        let limit = self.options.response_body_limit;
        let (mut bytes, mut size, mut truncated) = (Vec::new(), 0u64, false);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(broken)?;
            let Ok(data) = frame.into_data() else { continue };
            size += data.len() as u64;
            let room = limit.saturating_sub(bytes.len() as u64) as usize;
            bytes.extend_from_slice(&data[..data.len().min(room)]);
            if size > limit {
                truncated = true;
                break;
            }
        }
        drop(sender);
        driver.abort();
        let recorded = record.lock().expect("read record poisoned").clone();
        Ok(DeliveryResponse {
            status,
            headers: response_head_headers(&recorded, status).unwrap_or(fallback_headers),
            body: bytes,
            body_size: size,
            truncated,
        })
    }
}

/// The final response head's headers as they arrived (casing, order, duplicates), skipping 1xx heads.
fn response_head_headers(mut bytes: &[u8], status: u16) -> Option<Vec<HeaderField>> {
    loop {
        let mut storage = [httparse::EMPTY_HEADER; 256];
        let mut response = httparse::Response::new(&mut storage);
        let httparse::Status::Complete(length) = response.parse(bytes).ok()? else {
            return None;
        };
        let code = response.code?;
        if code >= 200 || code == 101 {
            return (code == status).then(|| {
                response
                    .headers
                    .iter()
                    .map(|h| HeaderField::from_bytes(h.name, h.value))
                    .collect()
            });
        }
        bytes = &bytes[length..];
    }
}

fn follow_redirect(outgoing: &mut OutgoingRequest, status: u16, location: &str) -> Result<(), DeliveryFailure> {
    let base = url::Url::parse(&outgoing.url).map_err(|e| {
        failure(
            FailureKind::InvalidUrl,
            format!("cannot follow a redirect from {}: {e}", outgoing.url),
        )
    })?;
    let next = base.join(location).map_err(|e| {
        failure(
            FailureKind::InvalidUrl,
            format!("the redirect to '{location}' is not a valid URL: {e}"),
        )
    })?;
    outgoing.url = next.to_string();
    let becomes_get = status == 303 || (matches!(status, 301 | 302) && outgoing.method == "POST");
    if becomes_get && outgoing.method != "HEAD" {
        outgoing.method = "GET".into();
        outgoing.body.clear();
        outgoing
            .headers
            .retain(|h| !h.name.eq_ignore_ascii_case("content-length") && !h.name.eq_ignore_ascii_case("content-type"));
    }
    Ok(())
}

/// Where a connection goes, as messages name it.
struct Peer<'a> {
    host: &'a str,
    port: u16,
    /// `host:port` as written.
    authority: &'a str,
    /// "" for the target, "the proxy " for a proxy.
    role: &'static str,
}

impl Peer<'_> {
    /// `authority (address)` for names, just the address for IP hosts.
    fn describe(&self, addr: SocketAddr) -> String {
        if bare_host(self.host).parse::<IpAddr>().is_ok() {
            format!("{}{addr}", self.role)
        } else {
            format!("{}{} ({addr})", self.role, self.authority)
        }
    }
}

async fn connect(peer: Peer<'_>) -> Result<TcpStream, DeliveryFailure> {
    let (host, port) = (bare_host(peer.host), peer.port);
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| {
                failure(
                    FailureKind::Dns,
                    format!("could not resolve the host name '{host}': {e}"),
                )
            })?
            .collect(),
    };
    let mut last_error = None;
    for addr in &addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(error) => last_error = Some((*addr, error)),
        }
    }
    Err(match last_error {
        Some((addr, error)) if error.kind() == std::io::ErrorKind::ConnectionRefused => failure(
            FailureKind::ConnectionRefused,
            format!(
                "connection refused by {}: nothing is listening there — is the server running?",
                peer.describe(addr)
            ),
        ),
        Some((addr, error)) => failure(
            FailureKind::Connect,
            format!("could not connect to {}: {error}", peer.describe(addr)),
        ),
        None => failure(FailureKind::Dns, format!("the host name '{host}' has no addresses")),
    })
}

fn bare_host(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

fn describe_hyper(error: &hyper::Error, target: &TargetUrl) -> String {
    if error.is_incomplete_message() {
        format!(
            "{} closed the connection before a complete answer arrived",
            target.authority
        )
    } else if error.is_parse() {
        format!("{} did not answer with HTTP/1.x ({error})", target.authority)
    } else {
        let mut message = format!("the exchange with {} failed: {error}", target.authority);
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        message
    }
}

fn seconds(duration: Duration) -> String {
    format!("{}s", duration.as_secs_f64())
}

fn failure(kind: FailureKind, message: String) -> DeliveryFailure {
    DeliveryFailure { kind, message }
}
