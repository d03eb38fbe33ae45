//! Response rules, templating and provider handshakes, over real HTTP against a running engine.
//! Each handshake is sent as its provider documents it (the documented example where there is one).

mod common;

use base64::Engine as _;
use common::{start, TestDb};
use hmac::{Hmac, Mac};
use hookscope::model::{CapturedRequest, EngineEvent, HeaderField, NewEndpoint, ResponseRule};
use hookscope::store::{endpoints, requests};
use hookscope::Engine;
use sha2::Sha256;

struct Harness {
    _db: TestDb,
    engine: Engine,
    client: reqwest::Client,
}

impl Harness {
    /// An engine started with these endpoints already stored (as `hookscope endpoint add` does),
    /// so no endpoint refresh can race with the test.
    async fn with(endpoints: Vec<NewEndpoint>) -> Self {
        let db = TestDb::new();
        let mut conn = hookscope::store::open_database(&db.path()).expect("database");
        for endpoint in &endpoints {
            endpoints::insert(&mut conn, endpoint).expect("endpoint stored");
        }
        drop(conn);
        let engine = start(&db.path()).await;
        Self {
            _db: db,
            engine,
            client: reqwest::Client::new(),
        }
    }

    fn url(&self, target: &str) -> String {
        format!("{}{target}", self.engine.local_url())
    }

    /// Sends a request and returns the answer plus the request as stored.
    async fn send(&self, request: reqwest::RequestBuilder) -> (Answer, CapturedRequest) {
        let mut events = self.engine.subscribe();
        let response = request.send().await.expect("request answered");
        let answer = Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.expect("body"),
        };
        let id = loop {
            if let EngineEvent::RequestCaptured(summary) = events.recv().await.expect("event") {
                break summary.id;
            }
        };
        let stored = self
            .engine
            .store()
            .read(move |conn| requests::get(conn, &id))
            .await
            .unwrap()
            .expect("request stored");
        (answer, stored)
    }
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }
}

fn endpoint(name: &str, path: &str, provider: Option<&str>) -> NewEndpoint {
    NewEndpoint {
        name: name.into(),
        path_prefix: path.into(),
        provider: provider.map(str::to_owned),
        handshake_enabled: true,
        ..NewEndpoint::default()
    }
}

fn hmac_sha256(key: &str, message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn assert_handshake_note(stored: &CapturedRequest, provider_word: &str) {
    let note = stored.response.note.as_deref().expect("handshake answers carry a note");
    assert!(note.starts_with("Hookscope answered"), "{note}");
    assert!(note.contains(provider_word), "{note}");
}

const SLACK_EXAMPLE: &str = r#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn default_answer_is_json_naming_the_captured_id_and_is_recorded() {
    let h = Harness::with(vec![]).await;
    let (answer, stored) = h.send(h.client.post(h.url("/anything")).body("hi")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), "application/json");
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["id"], stored.id.as_str());
    assert_eq!(stored.response.status, 200);
    assert_eq!(stored.response.body, answer.body.as_bytes());
    assert_eq!(stored.response.note, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn response_rule_renders_status_headers_and_body_templates() {
    let mut shop = endpoint("shop", "/shop", None);
    shop.response = ResponseRule {
        status: 202,
        headers: vec![
            HeaderField::new("X-Echo", "{{header.X-Request-Id}}"),
            HeaderField::new("X-Captured", "{{request.id}}"),
        ],
        body: Some(
            r#"{"order":"{{json.order.id}}","first":"{{json.order.items.0.sku}}","mode":"{{query.mode}}","id":"{{request.id}}"}"#
                .into(),
        ),
        delay_ms: 0,
    };
    let h = Harness::with(vec![shop]).await;
    let (answer, stored) = h
        .send(
            h.client
                .post(h.url("/shop/orders?mode=test%20run"))
                .header("X-Request-Id", "req-77")
                .header("Content-Type", "application/json")
                .body(r#"{"order":{"id":"ord_1","items":[{"sku":"A-1"},{"sku":"B-2"}]}}"#),
        )
        .await;
    assert_eq!(answer.status, 202);
    assert_eq!(answer.header("x-echo"), "req-77");
    assert_eq!(answer.header("x-captured"), stored.id);
    assert_eq!(answer.header("content-type"), "application/json");
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"order": "ord_1", "first": "A-1", "mode": "test run", "id": stored.id})
    );
    assert_eq!(stored.response.status, 202);
    assert_eq!(stored.response.body, answer.body.as_bytes());
}

#[tokio::test(flavor = "multi_thread")]
async fn explicit_content_type_is_kept_and_plain_text_bodies_are_text() {
    let mut xml = endpoint("xml", "/xml", None);
    xml.response = ResponseRule {
        status: 200,
        headers: vec![HeaderField::new("Content-Type", "application/xml")],
        body: Some("<ok id=\"{{request.id}}\"/>".into()),
        delay_ms: 0,
    };
    let mut text = endpoint("text", "/text", None);
    text.response.body = Some("thanks {{query.who}}".into());

    let h = Harness::with(vec![xml, text]).await;
    let (answer, stored) = h.send(h.client.post(h.url("/xml"))).await;
    assert_eq!(answer.header("content-type"), "application/xml");
    assert_eq!(answer.body, format!("<ok id=\"{}\"/>", stored.id));
    let (answer, _) = h.send(h.client.get(h.url("/text?who=Ada"))).await;
    assert_eq!(answer.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(answer.body, "thanks Ada");
}

#[tokio::test(flavor = "multi_thread")]
async fn slack_url_verification_echoes_the_challenge_with_and_without_a_provider() {
    let h = Harness::with(vec![endpoint("slack", "/slack", Some("slack"))]).await;
    for target in ["/slack/events", "/no-endpoint-here"] {
        let (answer, stored) = h
            .send(
                h.client
                    .post(h.url(target))
                    .header("Content-Type", "application/json")
                    .body(SLACK_EXAMPLE),
            )
            .await;
        assert_eq!(answer.status, 200, "{target}");
        assert_eq!(answer.header("content-type"), "text/plain");
        assert_eq!(answer.body, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assert_handshake_note(&stored, "Slack");
        assert_eq!(
            stored.body,
            SLACK_EXAMPLE.as_bytes(),
            "the handshake is recorded byte for byte"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn handshakes_are_not_answered_when_switched_off_or_for_another_provider() {
    let mut off = endpoint("off", "/off", Some("slack"));
    off.handshake_enabled = false;
    let h = Harness::with(vec![off, endpoint("stripe", "/stripe", Some("stripe"))]).await;
    for target in ["/off", "/stripe"] {
        let (answer, stored) = h.send(h.client.post(h.url(target)).body(SLACK_EXAMPLE)).await;
        assert_eq!(answer.status, 200);
        let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(json["id"], stored.id.as_str(), "{target} answers its rule");
        assert_eq!(stored.response.note, None);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn meta_challenge_is_echoed_only_when_the_verify_token_matches() {
    let providers = [
        ("fb", "facebook_graph_api"),
        ("ig", "instagram"),
        ("wa", "whatsapp"),
        ("ms", "facebook_messenger"),
    ];
    let mut endpoints: Vec<NewEndpoint> = providers
        .iter()
        .map(|(name, provider)| {
            let mut meta = endpoint(name, &format!("/{name}"), Some(provider));
            meta.verify_token = Some("meatyhamhock".into());
            meta
        })
        .collect();
    endpoints.push(endpoint("bare", "/bare", Some("whatsapp")));
    let h = Harness::with(endpoints).await;
    for (name, provider) in providers {
        let good = format!("/{name}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock");
        let (answer, stored) = h.send(h.client.get(h.url(&good))).await;
        assert_eq!((answer.status, answer.body.as_str()), (200, "1158201444"), "{provider}");
        assert_handshake_note(&stored, "Meta");

        let bad = format!("/{name}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong");
        let (answer, stored) = h.send(h.client.get(h.url(&bad))).await;
        assert_eq!(answer.status, 403, "{provider}");
        assert!(!answer.body.contains("1158201444"));
        assert!(stored.response.note.as_deref().unwrap().contains("does not match"));
    }
    // Without a verify token configured there is nothing to match: refused, and the note says how to fix it.
    let (answer, stored) = h
        .send(
            h.client
                .get(h.url("/bare?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x")),
        )
        .await;
    assert_eq!(answer.status, 403);
    assert!(stored.response.note.as_deref().unwrap().contains("--verify-token"));
}

#[tokio::test(flavor = "multi_thread")]
async fn zoom_url_validation_signs_the_plain_token_with_the_secret() {
    let mut zoom = endpoint("zoom", "/zoom", Some("zoom"));
    zoom.secrets = vec!["zoom-secret-token-new".into(), "zoom-secret-token-old".into()];
    let example = r#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
    let h = Harness::with(vec![zoom, endpoint("zoom-nosecret", "/zoom2", Some("zoom"))]).await;
    let (answer, stored) = h.send(h.client.post(h.url("/zoom")).body(example)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), "application/json");
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
    let expected = hex::encode(hmac_sha256("zoom-secret-token-new", b"qgg8vlvZRS6UYooatFL8Aw"));
    assert_eq!(json["encryptedToken"], expected.as_str());
    assert_handshake_note(&stored, "Zoom");
    let (answer, stored) = h.send(h.client.post(h.url("/zoom2")).body(example)).await;
    assert_eq!(answer.status, 500);
    assert!(stored.response.note.as_deref().unwrap().contains("--secret"));
}

#[tokio::test(flavor = "multi_thread")]
async fn microsoft_graph_validation_token_is_echoed_decoded_as_text() {
    let h = Harness::with(vec![endpoint("graph", "/graph", Some("microsoft_graph"))]).await;
    let (answer, stored) = h
        .send(
            h.client
                .post(h.url("/graph/notify?validationToken=Validation%3a+Testing+client+application")),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), "text/plain");
    assert_eq!(answer.body, "Validation: Testing client application");
    assert_handshake_note(&stored, "Microsoft Graph");
}

#[tokio::test(flavor = "multi_thread")]
async fn twitter_crc_answers_the_base64_hmac_of_the_token() {
    let mut x = endpoint("x", "/x", Some("twitter"));
    x.secrets = vec!["consumer-secret".into()];
    let h = Harness::with(vec![x]).await;
    let (answer, stored) = h
        .send(
            h.client
                .get(h.url("/x/webhook?crc_token=challenge_string&nonce=MTUyMjQ2NTg1")),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), "application/json");
    let expected = format!(
        "sha256={}",
        base64::engine::general_purpose::STANDARD.encode(hmac_sha256("consumer-secret", b"challenge_string"))
    );
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json, serde_json::json!({ "response_token": expected }));
    assert_handshake_note(&stored, "Twitter");
}

#[tokio::test(flavor = "multi_thread")]
async fn dropbox_challenge_is_echoed_as_text_with_nosniff() {
    let h = Harness::with(vec![endpoint("dropbox", "/dropbox", Some("dropbox"))]).await;
    let (answer, stored) = h.send(h.client.get(h.url("/dropbox?challenge=xyz123"))).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "xyz123");
    assert_eq!(answer.header("content-type"), "text/plain");
    assert_eq!(answer.header("x-content-type-options"), "nosniff");
    assert_handshake_note(&stored, "Dropbox");
}

#[tokio::test(flavor = "multi_thread")]
async fn twitch_callback_verification_echoes_the_raw_challenge() {
    let example = r#"{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"webhook_callback_verification_pending","type":"channel.follow","version":"1","cost":1,"condition":{"broadcaster_user_id":"12826"},"transport":{"method":"webhook","callback":"https://example.com/webhooks/callback"},"created_at":"2019-11-16T10:11:12.634234626Z"}}"#;
    let h = Harness::with(vec![endpoint("twitch", "/twitch", Some("twitch"))]).await;
    let (answer, stored) = h
        .send(
            h.client
                .post(h.url("/twitch"))
                .header("Twitch-Eventsub-Message-Type", "webhook_callback_verification")
                .header("Content-Type", "application/json")
                .body(example),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), "text/plain");
    assert_eq!(answer.body, "pogchamp-kappa-360noscope-vohiyo");
    assert_handshake_note(&stored, "Twitch");
}

#[tokio::test(flavor = "multi_thread")]
async fn xero_intent_to_receive_answers_200_for_a_valid_signature_and_401_otherwise() {
    let mut xero = endpoint("xero", "/xero", Some("xero"));
    xero.secrets = vec!["xero-webhook-key".into()];
    let body = r#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#;
    let good = base64::engine::general_purpose::STANDARD.encode(hmac_sha256("xero-webhook-key", body.as_bytes()));
    let h = Harness::with(vec![xero]).await;
    let (answer, stored) = h
        .send(
            h.client
                .post(h.url("/xero"))
                .header("x-xero-signature", good)
                .body(body),
        )
        .await;
    assert_eq!((answer.status, answer.body.as_str()), (200, ""));
    assert_handshake_note(&stored, "intent-to-receive");
    let bad = base64::engine::general_purpose::STANDARD.encode(hmac_sha256("another-key", body.as_bytes()));
    let (answer, _) = h
        .send(h.client.post(h.url("/xero")).header("x-xero-signature", bad).body(body))
        .await;
    assert_eq!((answer.status, answer.body.as_str()), (401, ""));
}

#[tokio::test(flavor = "multi_thread")]
async fn worldline_verification_header_is_echoed_in_the_body() {
    let h = Harness::with(vec![endpoint("worldline", "/worldline", Some("worldline"))]).await;
    let (answer, stored) = h
        .send(
            h.client
                .get(h.url("/worldline"))
                .header("X-GCS-Webhooks-Endpoint-Verification", "7b6f2a9c-verify"),
        )
        .await;
    assert_eq!((answer.status, answer.body.as_str()), (200, "7b6f2a9c-verify"));
    assert_handshake_note(&stored, "Worldline");
}

#[test]
fn endpoints_set_up_with_the_cli_answer_handshakes_and_templated_rules_in_serve() {
    let db = TestDb::new();
    let add = |args: &[&str]| {
        let (code, _, stderr) = common::run_cli(&db.path(), args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    };
    add(&[
        "endpoint",
        "add",
        "wa",
        "--path",
        "/wa",
        "--provider",
        "whatsapp",
        "--verify-token",
        "meatyhamhock",
    ]);
    add(&[
        "endpoint",
        "add",
        "shop",
        "--path",
        "/shop",
        "--status",
        "201",
        "--header",
        "X-Order: {{json.order.id}}",
        "--body",
        "got {{json.order.id}} as {{request.id}}",
    ]);
    add(&[
        "endpoint",
        "add",
        "quiet",
        "--path",
        "/quiet",
        "--provider",
        "slack",
        "--no-handshake",
    ]);
    let (mut child, addr, _stdout) = common::spawn_serve(&db.path(), &[]);

    let get = |target: &str| {
        common::send_raw(
            addr,
            format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    };
    let answer = get("/wa?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock");
    assert_eq!((answer.status, answer.body.as_slice()), (200, &b"1158201444"[..]));
    assert_eq!(
        get("/wa?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope").status,
        403
    );

    let answer = common::post(addr, "/shop/orders", "", br#"{"order":{"id":"ord_9"}}"#);
    assert_eq!(answer.status, 201);
    assert!(
        answer.head.contains("X-Order: ord_9") || answer.head.contains("x-order: ord_9"),
        "{}",
        answer.head
    );
    let body = String::from_utf8(answer.body).unwrap();
    let id = body.strip_prefix("got ord_9 as ").unwrap_or_else(|| panic!("{body}"));
    assert!(
        id.len() == 26 && id.chars().all(|c| c.is_ascii_alphanumeric()),
        "a ULID: {body}"
    );
    let (code, listed, _) = common::run_cli(&db.path(), &["list", "--json", "--limit", "1"]);
    assert_eq!(code, 0);
    assert!(
        String::from_utf8_lossy(&listed).contains(id),
        "the answer names the stored request"
    );

    let answer = common::post(addr, "/quiet", "", SLACK_EXAMPLE.as_bytes());
    assert_eq!(answer.status, 200);
    assert!(
        String::from_utf8_lossy(&answer.body).contains("\"id\""),
        "handshakes off: the rule answers"
    );
    child.kill().ok();
    child.wait().ok();
}
