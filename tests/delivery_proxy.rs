//! Deliveries through an HTTP proxy: a real CONNECT proxy on 127.0.0.1 in front of a recording
//! target. Target names that are not loopback (`*.hookscope.test`) make Hookscope use the proxy;
//! the proxy sends every tunnel to the recorder, so nothing leaves the machine.

mod common;
mod recorder;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use common::{answered_id, post, start, TestDb};
use hookscope::delivery::{ClientOptions, Deliverer, DeliveryClient, ProxyConfig, ReplayOptions};
use hookscope::model::FailureKind;
use hookscope::Engine;
use recorder::Recorder;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A CONNECT-only proxy that tunnels every request to `upstream` and keeps each CONNECT head.
struct TunnelProxy {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
}

impl TunnelProxy {
    /// `required_authorization`: the `Proxy-Authorization` value it insists on (else 407).
    async fn start(upstream: SocketAddr, required_authorization: Option<&'static str>) -> TunnelProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let kept = heads.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(tunnel(client, upstream, required_authorization, kept.clone()));
            }
        });
        TunnelProxy { addr, heads }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

async fn tunnel(
    mut client: TcpStream,
    upstream: SocketAddr,
    required_authorization: Option<&str>,
    heads: Arc<Mutex<Vec<String>>>,
) {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        match client.read_u8().await {
            Ok(byte) => head.push(byte),
            Err(_) => return,
        }
    }
    let head = String::from_utf8(head).unwrap();
    heads.lock().unwrap().push(head.clone());
    let authorized = required_authorization.is_none_or(|expected| {
        head.lines()
            .any(|line| line.strip_prefix("Proxy-Authorization: ") == Some(expected))
    });
    if !head.starts_with("CONNECT ") || !authorized {
        let _ = client
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    }
    let mut server = TcpStream::connect(upstream).await.unwrap();
    client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .unwrap();
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}

fn proxies(proxy_url: &str) -> ProxyConfig {
    ProxyConfig::from_lookup(|name| (name == "HTTPS_PROXY" || name == "HTTP_PROXY").then(|| proxy_url.to_owned()))
        .unwrap()
}

fn deliverer(engine: &Engine, proxy: ProxyConfig, insecure_tls: bool) -> Deliverer {
    let options = ClientOptions {
        proxy: Some(proxy),
        insecure_tls,
        ..ClientOptions::default()
    };
    Deliverer::new(engine.store().clone(), engine.events(), DeliveryClient::new(options))
}

async fn capture(engine: &Engine, body: &'static [u8]) -> String {
    let addr = engine.local_addr();
    let response = tokio::task::spawn_blocking(move || {
        post(
            addr,
            "/hooks/in?raw=a%2Fb",
            "X-Mixed-Case: One\r\nx-dup: 1\r\nX-Dup: 2\r\n",
            body,
        )
    })
    .await
    .unwrap();
    assert_eq!(response.status, 200, "{}", response.head);
    answered_id(&response)
}

#[tokio::test(flavor = "multi_thread")]
async fn http_and_https_targets_are_reached_through_a_connect_tunnel_with_the_exact_request() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let id = capture(&engine, b"{\"exact\": \"\\u20ac\"}").await;

    let mut plain = Recorder::answering(201).await;
    let proxy = TunnelProxy::start(plain.addr, Some("Basic cWE6czNjcjN0")).await;
    let with_credentials = proxy.url().replace("http://", "http://qa:s3cr3t@");
    let target = format!("http://hooks.hookscope.test:{}/handler", plain.addr.port());
    let attempt = deliverer(&engine, proxies(&with_credentials), false)
        .replay(&id, &ReplayOptions::to(target))
        .await
        .unwrap();
    assert_eq!(attempt.error, None);
    assert_eq!(attempt.response.unwrap().status, 201);
    let authority = format!("hooks.hookscope.test:{}", plain.addr.port());
    assert_eq!(
        proxy.heads(),
        [format!(
            "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nProxy-Authorization: Basic cWE6czNjcjN0\r\n\r\n"
        )]
    );
    let received = plain.next().await;
    // Origin-form request line, the target's Host, headers and body as captured.
    assert_eq!(received.method, "POST");
    assert_eq!(received.target, "/handler/hooks/in?raw=a%2Fb");
    assert_eq!(received.header("host"), Some(authority.as_str()));
    let names: Vec<&str> = received.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.windows(3).any(|w| w == ["X-Mixed-Case", "x-dup", "X-Dup"]),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.eq_ignore_ascii_case("proxy-authorization")),
        "{names:?}"
    );
    assert_eq!(received.body, b"{\"exact\": \"\\u20ac\"}");

    // https: TLS runs inside the tunnel, end to end with the target.
    let mut secure = Recorder::start_tls(|_| recorder::Reply::status(202)).await;
    let tls_proxy = TunnelProxy::start(secure.addr, None).await;
    let target = format!("https://secure.hookscope.test:{}/tls", secure.addr.port());
    let attempt = deliverer(&engine, proxies(&tls_proxy.url()), true)
        .replay(&id, &ReplayOptions::to(target))
        .await
        .unwrap();
    assert_eq!(attempt.error, None);
    assert_eq!(attempt.response.unwrap().status, 202);
    assert!(tls_proxy.heads()[0].starts_with(&format!("CONNECT secure.hookscope.test:{} ", secure.addr.port())));
    assert_eq!(secure.next().await.body, b"{\"exact\": \"\\u20ac\"}");
}

#[tokio::test(flavor = "multi_thread")]
async fn loopback_targets_skip_the_proxy_and_proxy_failures_are_said_in_words() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let id = capture(&engine, b"payload").await;
    let mut target = Recorder::answering(200).await;

    // A target on 127.0.0.1 is reached directly even though a proxy is set.
    let proxy = TunnelProxy::start(target.addr, None).await;
    let attempt = deliverer(&engine, proxies(&proxy.url()), false)
        .replay(&id, &ReplayOptions::to(target.url("/direct")))
        .await
        .unwrap();
    assert_eq!(attempt.error, None);
    assert_eq!(target.next().await.target, "/direct/hooks/in?raw=a%2Fb");
    assert!(proxy.heads().is_empty(), "{:?}", proxy.heads());

    // The proxy wants credentials that were not given.
    let strict = TunnelProxy::start(target.addr, Some("Basic x")).await;
    let attempt = deliverer(&engine, proxies(&strict.url()), false)
        .replay(&id, &ReplayOptions::to("http://hooks.hookscope.test/in".to_owned()))
        .await
        .unwrap();
    let error = attempt.error.expect("a 407 is an error");
    assert_eq!(error.kind, FailureKind::Connect);
    assert!(error.message.contains("wants credentials (407)"), "{}", error.message);

    // Nothing listens where the proxy should be.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let attempt = deliverer(&engine, proxies(&format!("http://127.0.0.1:{closed_port}")), false)
        .replay(&id, &ReplayOptions::to("http://hooks.hookscope.test/in".to_owned()))
        .await
        .unwrap();
    let error = attempt.error.expect("a refused proxy is an error");
    assert_eq!(error.kind, FailureKind::ConnectionRefused);
    assert!(
        error.message.contains(&format!("the proxy 127.0.0.1:{closed_port}")),
        "{}",
        error.message
    );
    assert!(target.drain().is_empty());
}
