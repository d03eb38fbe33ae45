//! Forward, replay, passthrough and re-sign over real HTTP on 127.0.0.1, against
//! a recording target server; every attempt read back from the store. Bulk replay: tests/bulk_replay.rs.

mod common;
mod recorder;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use common::{answered_id, blocking, deliverer, post, start, TestDb};
use hookscope::delivery::{ClientOptions, ForwardRule, ReplayOptions, RequestEdit, ResignContext, Signer};
use hookscope::model::{AutoForwardMode, DeliveryKind, EngineEvent, FailureKind, HeaderField, NewEndpoint};
use hookscope::store::{deliveries, endpoints};
use hookscope::Engine;
use recorder::{Recorder, Reply};

/// Captures a request through the engine's listener; returns its id.
async fn capture(engine: &Engine, target: &str, headers: &str, body: &[u8]) -> String {
    let (addr, target, headers, body) = (
        engine.local_addr(),
        target.to_owned(),
        headers.to_owned(),
        body.to_vec(),
    );
    let response = blocking(move || post(addr, &target, &headers, &body)).await;
    assert_eq!(response.status, 200, "{}", response.head);
    answered_id(&response)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn forwarding_keeps_body_bytes_header_order_casing_and_duplicates() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut target = Recorder::start(|_| Reply::Answer {
        status: 201,
        headers: vec![
            ("X-Answer-Case".into(), "A".into()),
            ("x-dup".into(), "1".into()),
            ("X-Dup".into(), "2".into()),
        ],
        body: vec![0xde, 0xad, 0xbe, 0xef],
    })
    .await;
    let deliverer = deliverer(&engine, ClientOptions::default());
    let mut events = engine.subscribe();
    let mut random = vec![0u8; 40_000];
    rand::Rng::fill(&mut rand::thread_rng(), random.as_mut_slice());
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("json", br#"{"id":"evt_1","amount": 1.50 ,"esc":"\u00e9"}"#.to_vec()),
        ("gzip", gzip(br#"{"compressed":true}"#)),
        ("binary", random),
        ("invalid utf-8", vec![b'o', b'k', 0xff, 0xfe, 0xc3, 0x28]),
    ];
    for (name, body) in bodies {
        let id = capture(
            &engine,
            "/hooks/in?b=2&a=%20x&b=1",
            "X-Custom-CASE: Keep\r\nX-Dup: first\r\nContent-Type: application/octet-stream\r\nx-dup: second\r\nContent-Encoding: identity\r\n",
            &body,
        )
        .await;
        let attempt = deliverer
            .replay(&id, &ReplayOptions::to(target.url("/base")))
            .await
            .unwrap();
        let received = target.next().await;
        assert_eq!(received.method, "POST", "{name}");
        assert_eq!(received.target, "/base/hooks/in?b=2&a=%20x&b=1", "{name}");
        assert_eq!(received.body, body, "{name}: body bytes unchanged");
        let sent_headers: Vec<(&str, &str)> = received.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let host = target.addr.to_string();
        let length = body.len().to_string();
        assert_eq!(
            sent_headers,
            [
                ("Host", host.as_str()),
                ("X-Custom-CASE", "Keep"),
                ("X-Dup", "first"),
                ("Content-Type", "application/octet-stream"),
                ("x-dup", "second"),
                ("Content-Encoding", "identity"),
                ("Content-Length", length.as_str()),
            ],
            "{name}: order, casing and duplicates kept; Connection dropped; Host is the target's"
        );
        let response = attempt.response.as_ref().expect("answered");
        assert_eq!(response.status, 201);
        assert_eq!(response.body, [0xde, 0xad, 0xbe, 0xef]);
        let answer_headers: Vec<&str> = response.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            answer_headers,
            ["X-Answer-Case", "x-dup", "X-Dup", "Content-Length", "Connection"]
        );
        assert_eq!(attempt.sent.body, body);
        assert_eq!(attempt.sent.url, target.url("/base/hooks/in?b=2&a=%20x&b=1"));

        let stored = engine
            .store()
            .read({
                let id = id.clone();
                move |conn| deliveries::list_for_request(conn, &id)
            })
            .await
            .unwrap();
        assert_eq!(
            stored,
            vec![attempt.clone()],
            "{name}: the attempt is stored as returned"
        );
        match events.recv().await.unwrap() {
            EngineEvent::RequestCaptured(_) => {}
            other => panic!("unexpected {other:?}"),
        }
        match events.recv().await.unwrap() {
            EngineEvent::DeliveryFinished {
                request_id,
                delivery_id,
                status,
                error,
            } => {
                assert_eq!(
                    (request_id, delivery_id, status, error),
                    (id, attempt.id, Some(201), None)
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_endpoint_prefix_is_replaced_by_the_target_path() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    engine
        .store()
        .write(|conn| {
            endpoints::insert(
                conn,
                &NewEndpoint {
                    name: "stripe".into(),
                    path_prefix: "/stripe".into(),
                    ..NewEndpoint::default()
                },
            )
        })
        .await
        .unwrap();
    engine.reload_endpoints().await.unwrap();
    let mut target = Recorder::answering(200).await;
    let deliverer = deliverer(&engine, ClientOptions::default());
    for (captured, expected) in [("/stripe/events?x=1", "/webhooks/events?x=1"), ("/stripe", "/webhooks")] {
        let id = capture(&engine, captured, "", b"{}").await;
        deliverer
            .replay(&id, &ReplayOptions::to(target.url("/webhooks")))
            .await
            .unwrap();
        assert_eq!(target.next().await.target, expected);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_connections_timeouts_tls_and_dns_failures_are_recorded_in_words() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let id = capture(&engine, "/x", "", b"payload").await;
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let silent = Recorder::start(|_| Reply::Hang).await;
    // Only the silent target gets the short timeout, so a busy machine cannot turn the others into timeouts.
    let impatient = deliverer(
        &engine,
        ClientOptions {
            timeout: Duration::from_millis(300),
            ..ClientOptions::default()
        },
    );
    let patient = deliverer(&engine, ClientOptions::default());
    let cases = [
        (
            &patient,
            format!("http://127.0.0.1:{closed_port}/in"),
            FailureKind::ConnectionRefused,
            "connection refused",
        ),
        (
            &impatient,
            silent.url("/in"),
            FailureKind::Timeout,
            "no complete answer",
        ),
        (
            &patient,
            format!("https://{}/in", engine.local_addr()),
            FailureKind::Tls,
            "TLS handshake",
        ),
        (
            &patient,
            "ftp://example.com/in".to_owned(),
            FailureKind::InvalidUrl,
            "not an http",
        ),
        // `.invalid` never resolves (RFC 6761): the resolver answers "no such name" at once.
        (
            &patient,
            "http://hookscope-test.invalid/in".to_owned(),
            FailureKind::Dns,
            "could not resolve the host name 'hookscope-test.invalid'",
        ),
    ];
    for (deliverer, url, kind, words) in cases {
        let attempt = deliverer.replay(&id, &ReplayOptions::to(url.clone())).await.unwrap();
        assert!(attempt.response.is_none(), "{url}");
        let error = attempt.error.expect("an error is recorded");
        assert_eq!(error.kind, kind, "{url}: {}", error.message);
        assert!(error.message.contains(words), "{url}: {}", error.message);
    }
    let stored = engine
        .store()
        .read(move |conn| deliveries::list_for_request(conn, &id))
        .await
        .unwrap();
    assert_eq!(stored.len(), 5);
    assert!(stored.iter().all(|a| a.error.is_some() && a.response.is_none()));
}

#[tokio::test(flavor = "multi_thread")]
async fn replay_with_edit_sends_and_records_the_edited_request() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let id = capture(&engine, "/orig?q=1", "X-Keep: 1\r\n", b"original").await;
    let mut target = Recorder::answering(202).await;
    let edit = RequestEdit {
        method: Some("PUT".into()),
        url: Some(target.url("/edited/path?z=9")),
        headers: Some(vec![
            HeaderField::new("X-Edited", "yes"),
            HeaderField::new("content-length", "999"),
        ]),
        body: Some(b"edited body".to_vec()),
        header_changes: Vec::new(),
    };
    let options = ReplayOptions {
        edit,
        ..ReplayOptions::to("http://unused.invalid/")
    };
    let attempt = deliverer(&engine, ClientOptions::default())
        .replay(&id, &options)
        .await
        .unwrap();
    let received = target.next().await;
    assert_eq!(
        (received.method.as_str(), received.target.as_str()),
        ("PUT", "/edited/path?z=9")
    );
    assert_eq!(received.body, b"edited body");
    assert_eq!(
        received.header("content-length"),
        Some("11"),
        "the length is the edited body's"
    );
    assert_eq!(received.header("x-keep"), None);
    assert!(attempt.edited);
    assert_eq!(attempt.sent.method, "PUT");
    assert_eq!(attempt.sent.body, b"edited body");
    assert_eq!(attempt.status(), Some(202));
}

fn endpoint_with_forward(mode: AutoForwardMode, targets: Vec<String>) -> NewEndpoint {
    NewEndpoint {
        name: "app".into(),
        path_prefix: "/app".into(),
        forward_targets: targets,
        auto_forward: Some(mode),
        ..NewEndpoint::default()
    }
}

async fn next_delivery(
    events: &mut tokio::sync::broadcast::Receiver<EngineEvent>,
) -> (String, Option<u16>, Option<String>) {
    loop {
        if let EngineEvent::DeliveryFinished {
            request_id,
            status,
            error,
            ..
        } = events.recv().await.unwrap()
        {
            return (request_id, status, error);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn passthrough_returns_the_target_answer_or_a_fallback_when_it_is_down() {
    let mut target = Recorder::start(|received| Reply::Answer {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "text/plain".into()),
            ("X-Handler".into(), "mine".into()),
        ],
        body: format!("challenge={}", String::from_utf8_lossy(&received.body)).into_bytes(),
    })
    .await;
    let db = TestDb::new();
    let mut config = common::config(&db.path());
    config.forward = Some(ForwardRule {
        target: target.url("/handler"),
        mode: AutoForwardMode::Passthrough,
    });
    let engine = Engine::start(config).await.unwrap();
    let mut events = engine.subscribe();
    let addr = engine.local_addr();
    let response = blocking(move || post(addr, "/slack/events", "", b"abc123")).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"challenge=abc123", "the sender gets the target's body");
    assert!(
        response.head.contains("X-Handler: mine") || response.head.contains("x-handler: mine"),
        "{}",
        response.head
    );
    let received = target.next().await;
    assert_eq!(received.target, "/handler/slack/events");
    let (request_id, status, _) = next_delivery(&mut events).await;
    assert_eq!(status, Some(200));
    let (request, attempts) = engine
        .store()
        .read(move |conn| {
            Ok((
                hookscope::store::requests::get(conn, &request_id)?.unwrap(),
                deliveries::list_for_request(conn, &request_id)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(request.response.status, 200);
    assert_eq!(
        request.response.body, b"challenge=abc123",
        "what the sender got is what is recorded"
    );
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].kind, DeliveryKind::Passthrough);
    engine.shutdown().await;

    let db = TestDb::new();
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = common::config(&db.path());
    config.forward = Some(ForwardRule {
        target: format!("http://127.0.0.1:{dead_port}/handler"),
        mode: AutoForwardMode::Passthrough,
    });
    let engine = Engine::start(config).await.unwrap();
    let mut events = engine.subscribe();
    let addr = engine.local_addr();
    let response = blocking(move || post(addr, "/slack/events", "", b"abc123")).await;
    assert_eq!(response.status, 502);
    let text = String::from_utf8_lossy(&response.body);
    assert!(text.contains("connection refused"), "{text}");
    let (_, status, error) = next_delivery(&mut events).await;
    assert_eq!(status, None);
    assert!(error.unwrap().contains("connection refused"));
}

#[tokio::test(flavor = "multi_thread")]
async fn async_auto_forward_answers_at_once_and_forwards_in_the_background() {
    let mut target = Recorder::answering(204).await;
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let endpoint = endpoint_with_forward(AutoForwardMode::Async, vec![target.url("/local")]);
    engine
        .store()
        .write(move |conn| endpoints::insert(conn, &endpoint))
        .await
        .unwrap();
    engine.reload_endpoints().await.unwrap();
    let mut events = engine.subscribe();
    let id = capture(&engine, "/app/push?n=1", "X-Event: push\r\n", b"{\"n\":1}").await;
    let received = target.next().await;
    assert_eq!(received.target, "/local/push?n=1");
    assert_eq!(received.header("X-Event"), Some("push"));
    let (request_id, status, _) = next_delivery(&mut events).await;
    assert_eq!((request_id.as_str(), status), (id.as_str(), Some(204)));
    let attempts = engine
        .store()
        .read(move |conn| deliveries::list_for_request(conn, &id))
        .await
        .unwrap();
    assert_eq!(attempts[0].kind, DeliveryKind::AutoForward);
}

/// Stripe's scheme, written here independently of the engine: `t=TS,v1=hex(hmac(secret, "TS.body"))`.
fn stripe_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[tokio::test(flavor = "multi_thread")]
async fn resign_puts_a_fresh_signature_on_the_replay() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let endpoint = NewEndpoint {
        name: "stripe".into(),
        path_prefix: "/stripe".into(),
        provider: Some("stripe".into()),
        secrets: vec!["whsec_test".into()],
        ..NewEndpoint::default()
    };
    engine
        .store()
        .write(move |conn| endpoints::insert(conn, &endpoint))
        .await
        .unwrap();
    engine.reload_endpoints().await.unwrap();
    let old = stripe_signature("whsec_test", 1_000_000, b"{\"id\":\"evt\"}");
    let id = capture(
        &engine,
        "/stripe",
        &format!("Stripe-Signature: {old}\r\n"),
        b"{\"id\":\"evt\"}",
    )
    .await;
    let signer: Signer = Arc::new(|context: &ResignContext, outgoing| {
        assert_eq!(context.provider, "stripe");
        let signature = stripe_signature(&context.secret, context.now_unix, &outgoing.body);
        outgoing.set_header("Stripe-Signature", signature);
        Ok(())
    });
    let mut target = Recorder::answering(200).await;
    let deliverer = deliverer(&engine, ClientOptions::default()).with_signer(Some(signer));
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let options = ReplayOptions {
        resign: true,
        ..ReplayOptions::to(target.url("/"))
    };
    let attempt = deliverer.replay(&id, &options).await.unwrap();
    let received = target.next().await;
    let header = received.header("stripe-signature").unwrap().to_owned();
    let timestamp: i64 = header
        .strip_prefix("t=")
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(timestamp >= before, "a fresh timestamp");
    assert_eq!(
        header,
        stripe_signature("whsec_test", timestamp, &received.body),
        "verifies independently"
    );
    assert!(attempt.resigned);
    assert_eq!(attempt.sent.header("Stripe-Signature"), Some(header.as_str()));

    let unsigned = capture(&engine, "/elsewhere", "", b"{}").await;
    let attempt = deliverer.replay(&unsigned, &options).await.unwrap();
    let error = attempt.error.unwrap();
    assert_eq!(error.kind, FailureKind::Signing);
    assert!(error.message.contains("belongs to no endpoint"), "{}", error.message);
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

#[tokio::test(flavor = "multi_thread")]
async fn resign_with_the_built_in_signer_passes_independent_checks() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let standard_key = b"standard-webhooks-key-bytes".to_vec();
    let standard_secret = format!("whsec_{}", b64.encode(&standard_key));
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let cases = [
        (
            "stripe",
            "whsec_stripe".to_owned(),
            "Stripe-Signature: t=1000,v1=00\r\n",
        ),
        (
            "github",
            "gh-secret".to_owned(),
            "X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=00\r\n",
        ),
        (
            "standard_webhooks",
            standard_secret.clone(),
            "webhook-id: msg_1\r\nwebhook-timestamp: 1000\r\nwebhook-signature: v1,AAAA\r\n",
        ),
    ];
    for (provider, secret, _) in &cases {
        let endpoint = NewEndpoint {
            name: provider.to_string(),
            path_prefix: format!("/{provider}"),
            provider: Some(provider.to_string()),
            secrets: vec![secret.clone()],
            ..NewEndpoint::default()
        };
        engine
            .store()
            .write(move |conn| endpoints::insert(conn, &endpoint))
            .await
            .unwrap();
    }
    engine.reload_endpoints().await.unwrap();
    let mut target = Recorder::answering(200).await;
    let deliverer = deliverer(&engine, ClientOptions::default());
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let body = br#"{"id":"evt_1","type":"thing.happened"}"#;
    for (provider, secret, headers) in &cases {
        let id = capture(&engine, &format!("/{provider}"), headers, body).await;
        let options = ReplayOptions {
            resign: true,
            ..ReplayOptions::to(target.url("/"))
        };
        let attempt = deliverer.replay(&id, &options).await.unwrap();
        assert!(attempt.resigned, "{provider}: {:?}", attempt.error);
        let got = target.next().await;
        assert_eq!(got.body, body, "{provider}: the body is unchanged");
        match *provider {
            "stripe" => {
                let header = got.header("Stripe-Signature").unwrap();
                let timestamp: i64 = header
                    .strip_prefix("t=")
                    .unwrap()
                    .split(',')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(timestamp >= before, "fresh timestamp");
                let expected = hex::encode(hmac_sha256(
                    secret.as_bytes(),
                    &[format!("{timestamp}.").as_bytes(), body],
                ));
                assert_eq!(header, format!("t={timestamp},v1={expected}"));
            }
            "github" => {
                let expected = format!("sha256={}", hex::encode(hmac_sha256(secret.as_bytes(), &[body])));
                assert_eq!(got.header("X-Hub-Signature-256"), Some(expected.as_str()));
            }
            _ => {
                let timestamp: i64 = got.header("webhook-timestamp").unwrap().parse().unwrap();
                assert!(timestamp >= before, "fresh timestamp");
                assert_eq!(got.header("webhook-id"), Some("msg_1"));
                let stamp = format!("{timestamp}.");
                let content = [b"msg_1.".as_slice(), stamp.as_bytes(), body];
                let expected = format!("v1,{}", b64.encode(hmac_sha256(&standard_key, &content)));
                assert_eq!(got.header("webhook-signature"), Some(expected.as_str()));
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn redirects_are_recorded_by_default_and_followed_when_allowed() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let id = capture(&engine, "/r", "", b"{}").await;
    let mut target = Recorder::start(|received| match received.target.as_str() {
        "/moved/r" => Reply::Answer {
            status: 307,
            headers: vec![("Location".into(), "/final".into())],
            body: Vec::new(),
        },
        _ => Reply::status(200),
    })
    .await;
    let options = ReplayOptions::to(target.url("/moved"));
    let attempt = engine.deliverer().replay(&id, &options).await.unwrap();
    assert_eq!(attempt.status(), Some(307), "a 3xx is the answer by default");
    assert_eq!(target.next().await.target, "/moved/r");

    let following = deliverer(
        &engine,
        ClientOptions {
            max_redirects: 1,
            ..ClientOptions::default()
        },
    );
    let attempt = following.replay(&id, &options).await.unwrap();
    assert_eq!(target.next().await.target, "/moved/r");
    let second = target.next().await;
    assert_eq!(
        (second.method.as_str(), second.target.as_str()),
        ("POST", "/final"),
        "307 keeps the method"
    );
    assert_eq!(second.body, b"{}");
    assert_eq!(attempt.status(), Some(200));
    assert_eq!(
        attempt.sent.url,
        target.url("/final"),
        "the request that got the answer is recorded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_request_deletes_its_deliveries() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let id = capture(&engine, "/gone", "", b"{}").await;
    let mut target = Recorder::answering(200).await;
    engine
        .deliverer()
        .replay(&id, &ReplayOptions::to(target.url("/")))
        .await
        .unwrap();
    target.next().await;
    let store = engine.store().clone();
    assert_eq!(store.read(deliveries::count).await.unwrap(), 1);
    engine
        .store()
        .write(move |conn| hookscope::store::requests::delete(conn, &[id]))
        .await
        .unwrap();
    assert_eq!(store.read(deliveries::count).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn auto_forward_never_targets_its_own_listener() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut target = Recorder::answering(200).await;
    let own = format!("http://localhost:{}/loop", engine.local_addr().port());
    let endpoint = endpoint_with_forward(AutoForwardMode::Async, vec![own, target.url("/ok")]);
    engine
        .store()
        .write(move |conn| endpoints::insert(conn, &endpoint))
        .await
        .unwrap();
    engine.reload_endpoints().await.unwrap();
    let mut events = engine.subscribe();
    let id = capture(&engine, "/app/x", "", b"{}").await;
    assert_eq!(target.next().await.target, "/ok/x");
    let (request_id, status, _) = next_delivery(&mut events).await;
    assert_eq!((request_id.as_str(), status), (id.as_str(), Some(200)));
    let stored = engine.store().read(hookscope::store::requests::count).await.unwrap();
    assert_eq!(stored, 1, "nothing was forwarded back into the listener");
    let attempts = engine.store().read(deliveries::count).await.unwrap();
    assert_eq!(attempts, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_passthrough_target_that_does_not_answer_in_time_gets_the_fallback() {
    let mut silent = Recorder::start(|_| Reply::Hang).await;
    let db = TestDb::new();
    let mut config = common::config(&db.path());
    config.forward = Some(ForwardRule {
        target: silent.url("/slow"),
        mode: AutoForwardMode::Passthrough,
    });
    config.passthrough_timeout = Duration::from_millis(200);
    let engine = Engine::start(config).await.unwrap();
    let addr = engine.local_addr();
    let response = blocking(move || post(addr, "/x", "", b"{}")).await;
    assert_eq!(silent.next().await.target, "/slow/x");
    assert_eq!(response.status, 502);
    let text = String::from_utf8_lossy(&response.body);
    assert!(
        text.contains("no complete answer") && text.contains("recorded"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn https_targets_get_the_exact_request_and_unknown_certificates_are_refused_in_words() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let body = vec![0u8, 0xff, b'{', b'}', 0x80];
    let id = capture(&engine, "/tls?x=1", "X-Case: Kept\r\nx-dup: 1\r\nX-Dup: 2\r\n", &body).await;
    let mut target = Recorder::start_tls(|_| Reply::status(200)).await;
    let url = format!("https://localhost:{}/in", target.addr.port());

    let verifying = deliverer(&engine, ClientOptions::default());
    let attempt = verifying.replay(&id, &ReplayOptions::to(url.clone())).await.unwrap();
    let error = attempt.error.expect("a self-signed certificate is not trusted");
    assert_eq!(error.kind, FailureKind::Tls);
    assert!(error.message.contains("certificate"), "{}", error.message);

    let insecure = deliverer(
        &engine,
        ClientOptions {
            insecure_tls: true,
            ..ClientOptions::default()
        },
    );
    let attempt = insecure.replay(&id, &ReplayOptions::to(url)).await.unwrap();
    assert_eq!(attempt.status(), Some(200), "{:?}", attempt.error);
    let received = target.next().await;
    assert_eq!(received.target, "/in/tls?x=1");
    assert_eq!(received.body, body);
    let names: Vec<&str> = received.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Host", "X-Case", "x-dup", "X-Dup", "Content-Length"]);
    assert_eq!(
        received.header("host"),
        Some(format!("localhost:{}", target.addr.port()).as_str())
    );
}
