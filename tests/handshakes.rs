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
    async fn new() -> Self {
        let db = TestDb::new();
        let engine = start(&db.path()).await;
        Self {
            _db: db,
            engine,
            client: reqwest::Client::new(),
        }
    }

    async fn add(&self, endpoint: NewEndpoint) {
        self.engine
            .store()
            .write(move |conn| endpoints::insert(conn, &endpoint))
            .await
            .expect("endpoint stored");
        self.engine.reload_endpoints().await.expect("endpoints reloaded");
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
    let h = Harness::new().await;
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
    let h = Harness::new().await;
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
    h.add(shop).await;
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
    let h = Harness::new().await;
    let mut xml = endpoint("xml", "/xml", None);
    xml.response = ResponseRule {
        status: 200,
        headers: vec![HeaderField::new("Content-Type", "application/xml")],
        body: Some("<ok id=\"{{request.id}}\"/>".into()),
        delay_ms: 0,
    };
    h.add(xml).await;
    let mut text = endpoint("text", "/text", None);
    text.response.body = Some("thanks {{query.who}}".into());
    h.add(text).await;

    let (answer, stored) = h.send(h.client.post(h.url("/xml"))).await;
    assert_eq!(answer.header("content-type"), "application/xml");
    assert_eq!(answer.body, format!("<ok id=\"{}\"/>", stored.id));
    let (answer, _) = h.send(h.client.get(h.url("/text?who=Ada"))).await;
    assert_eq!(answer.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(answer.body, "thanks Ada");
}

#[tokio::test(flavor = "multi_thread")]
async fn slack_url_verification_echoes_the_challenge_with_and_without_a_provider() {
    let h = Harness::new().await;
    h.add(endpoint("slack", "/slack", Some("slack"))).await;
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
    let h = Harness::new().await;
    let mut off = endpoint("off", "/off", Some("slack"));
    off.handshake_enabled = false;
    h.add(off).await;
    h.add(endpoint("stripe", "/stripe", Some("stripe"))).await;
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
    let h = Harness::new().await;
    for (name, provider) in [
        ("fb", "facebook_graph_api"),
        ("ig", "instagram"),
        ("wa", "whatsapp"),
        ("ms", "facebook_messenger"),
    ] {
        let mut meta = endpoint(name, &format!("/{name}"), Some(provider));
        meta.verify_token = Some("meatyhamhock".into());
        h.add(meta).await;
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
    h.add(endpoint("bare", "/bare", Some("whatsapp"))).await;
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
    let h = Harness::new().await;
    let mut zoom = endpoint("zoom", "/zoom", Some("zoom"));
    zoom.secrets = vec!["zoom-secret-token-new".into(), "zoom-secret-token-old".into()];
    h.add(zoom).await;
    let example = r#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
    let (answer, stored) = h.send(h.client.post(h.url("/zoom")).body(example)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), "application/json");
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
    let expected = hex::encode(hmac_sha256("zoom-secret-token-new", b"qgg8vlvZRS6UYooatFL8Aw"));
    assert_eq!(json["encryptedToken"], expected.as_str());
    assert_handshake_note(&stored, "Zoom");

    h.add(endpoint("zoom-nosecret", "/zoom2", Some("zoom"))).await;
    let (answer, stored) = h.send(h.client.post(h.url("/zoom2")).body(example)).await;
    assert_eq!(answer.status, 500);
    assert!(stored.response.note.as_deref().unwrap().contains("--secret"));
}

#[tokio::test(flavor = "multi_thread")]
async fn microsoft_graph_validation_token_is_echoed_decoded_as_text() {
    let h = Harness::new().await;
    h.add(endpoint("graph", "/graph", Some("microsoft_graph"))).await;
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
    let h = Harness::new().await;
    let mut x = endpoint("x", "/x", Some("twitter"));
    x.secrets = vec!["consumer-secret".into()];
    h.add(x).await;
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
    let h = Harness::new().await;
    h.add(endpoint("dropbox", "/dropbox", Some("dropbox"))).await;
    let (answer, stored) = h.send(h.client.get(h.url("/dropbox?challenge=xyz123"))).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, "xyz123");
    assert_eq!(answer.header("content-type"), "text/plain");
    assert_eq!(answer.header("x-content-type-options"), "nosniff");
    assert_handshake_note(&stored, "Dropbox");
}

#[tokio::test(flavor = "multi_thread")]
async fn twitch_callback_verification_echoes_the_raw_challenge() {
    let h = Harness::new().await;
    h.add(endpoint("twitch", "/twitch", Some("twitch"))).await;
    let example = r#"{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"webhook_callback_verification_pending","type":"channel.follow","version":"1","cost":1,"condition":{"broadcaster_user_id":"12826"},"transport":{"method":"webhook","callback":"https://example.com/webhooks/callback"},"created_at":"2019-11-16T10:11:12.634234626Z"}}"#;
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
    let h = Harness::new().await;
    let mut xero = endpoint("xero", "/xero", Some("xero"));
    xero.secrets = vec!["xero-webhook-key".into()];
    h.add(xero).await;
    let body = r#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#;
    let good = base64::engine::general_purpose::STANDARD.encode(hmac_sha256("xero-webhook-key", body.as_bytes()));
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
    let h = Harness::new().await;
    h.add(endpoint("worldline", "/worldline", Some("worldline"))).await;
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
