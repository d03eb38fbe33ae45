//! Doc-derived vectors: cases built from a provider's documentation, with the signature computed
//! independently of the engine's code.

mod signature_common;

use signature_common::*;

#[test]
fn doc_derived_stripe_t_and_several_v1_signatures() {
    // Stripe docs: Stripe-Signature "t=<ts>,v1=<hex hmac-sha256 of '<ts>.<body>'>"; during secret
    // rotation several v1 entries are sent and any may match.
    let body = r#"{"id":"evt_1","object":"event"}"#;
    let good = hex::encode(hmac256(b"whsec_test", format!("1700000000.{body}").as_bytes()));
    let header = format!("t=1700000000,v1={},v1={good},v0=deadbeef", "ab".repeat(32));
    let request = Req::new("https://example.com/stripe", &[("Stripe-Signature", &header)], body);
    assert_verified(&request.verify(None, &["whsec_test"], 1700000100), "stripe");
    let late = request.verify(Some("stripe"), &["whsec_test"], 1700000000 + 301);
    assert_diagnosis(&late, VerdictStatus::Failed, "timestamp_outside_tolerance");
}

#[test]
fn doc_derived_shopify_base64_of_body() {
    let body = r#"{"id":820982911946154508}"#;
    let signature = B64.encode(hmac256(b"shpss_secret", body.as_bytes()));
    let request = Req::new("https://example.com/", &[("X-Shopify-Hmac-Sha256", &signature)], body);
    let verdict = request.verify(None, &["shpss_secret"], ANY_NOW);
    assert_verified(&verdict, "shopify");
    assert_eq!(verdict.provider.as_deref(), Some("shopify"));
    assert_eq!(
        request.verify(Some("shopify"), &["other"], ANY_NOW).status,
        VerdictStatus::Failed
    );
}

#[test]
fn doc_derived_twilio_json_body_with_body_sha256() {
    // Twilio docs: for JSON bodies the URL carries bodySHA256 and only the URL is signed.
    let body = r#"{"property": "value", "boolean": true}"#;
    use sha2::Digest as _;
    let hash = hex::encode(sha2::Sha256::digest(body.as_bytes()));
    let url = format!("https://mycompany.com/myapp.php?bodySHA256={hash}");
    let signature = B64.encode(hmac1(b"12345", url.as_bytes()));
    let mut request = Req::new(
        &url,
        &[("Content-Type", "application/json"), ("X-Twilio-Signature", &signature)],
        body,
    );
    assert_verified(&request.verify(Some("twilio"), &["12345"], ANY_NOW), "twilio json");
    request.body = br#"{"property":"value","boolean":true}"#.to_vec();
    let verdict = request.verify(Some("twilio"), &["12345"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "body_modified");
}

#[test]
fn doc_derived_hubspot_v3_method_url_body_millisecond_timestamp() {
    let body = r#"[{"eventId":1}]"#;
    let url = "https://example.com/hubspot?x=1";
    let content = format!("POST{url}{body}1700000000000");
    let signature = B64.encode(hmac256(b"client-secret", content.as_bytes()));
    let request = Req::new(
        url,
        &[
            ("X-HubSpot-Signature-v3", &signature),
            ("X-HubSpot-Request-Timestamp", "1700000000000"),
        ],
        body,
    );
    assert_verified(&request.verify(None, &["client-secret"], 1700000060), "hubspot");
    let late = request.verify(None, &["client-secret"], 1700000000 + 400);
    assert_diagnosis(&late, VerdictStatus::Failed, "timestamp_outside_tolerance");
}

#[test]
fn doc_derived_twitch_eventsub_message_id_timestamp_body() {
    let body = r#"{"subscription":{}}"#;
    let timestamp = "2023-11-14T22:13:20.123456789Z";
    let content = format!("msg-1{timestamp}{body}");
    let signature = format!("sha256={}", hex::encode(hmac256(b"twitch-secret", content.as_bytes())));
    let request = Req::new(
        "https://example.com/",
        &[
            ("Twitch-Eventsub-Message-Id", "msg-1"),
            ("Twitch-Eventsub-Message-Timestamp", timestamp),
            ("Twitch-Eventsub-Message-Signature", &signature),
        ],
        body,
    );
    assert_verified(&request.verify(None, &["twitch-secret"], 1700000000 + 60), "twitch");
    let late = request.verify(None, &["twitch-secret"], 1700000000 + 601);
    assert_diagnosis(&late, VerdictStatus::Failed, "timestamp_outside_tolerance");
}

#[test]
fn doc_derived_paddle_ts_h1_semicolon_pairs() {
    let body = r#"{"event_type":"transaction.completed"}"#;
    let signature = hex::encode(hmac256(b"pdl_ntfset_secret", format!("1700000000:{body}").as_bytes()));
    let request = Req::new(
        "https://example.com/",
        &[("Paddle-Signature", &format!("ts=1700000000;h1={signature}"))],
        body,
    );
    assert_verified(&request.verify(None, &["pdl_ntfset_secret"], 1700000003), "paddle");
}

#[test]
fn doc_derived_zoom_v0_timestamp_body() {
    let body = r#"{"event":"meeting.started"}"#;
    let signature = hex::encode(hmac256(b"zoom-token", format!("v0:1700000000:{body}").as_bytes()));
    let request = Req::new(
        "https://example.com/",
        &[
            ("x-zm-signature", &format!("v0={signature}")),
            ("x-zm-request-timestamp", "1700000000"),
        ],
        body,
    );
    assert_verified(&request.verify(None, &["zoom-token"], ANY_NOW), "zoom");
}

#[test]
fn doc_derived_mailgun_signature_in_the_json_body() {
    let token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
    let signature = hex::encode(hmac256(b"key-mailgun", format!("1700000000{token}").as_bytes()));
    let body = format!(
        r#"{{"signature":{{"timestamp":"1700000000","token":"{token}","signature":"{signature}"}},"event-data":{{}}}}"#
    );
    let request = Req::new("https://example.com/", &[("Content-Type", "application/json")], &body);
    assert_verified(&request.verify(Some("mailgun"), &["key-mailgun"], ANY_NOW), "mailgun");
    assert_eq!(
        request.verify(Some("mailgun"), &["other"], ANY_NOW).status,
        VerdictStatus::Failed
    );
    let unsigned = Req::new("https://example.com/", &[], "{}");
    assert_eq!(
        unsigned.verify(Some("mailgun"), &["key"], ANY_NOW).status,
        VerdictStatus::Unsigned
    );
}

#[test]
fn doc_derived_adyen_hmac_over_notification_fields_with_hex_key() {
    let key_hex = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let content = "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true";
    let signature = B64.encode(hmac256(&hex::decode(key_hex).unwrap(), content.as_bytes()));
    let body = serde_json::json!({"live": "false", "notificationItems": [{"NotificationRequestItem": {
        "additionalData": {"hmacSignature": signature},
        "amount": {"currency": "EUR", "value": 1130},
        "eventCode": "AUTHORISATION", "merchantAccountCode": "TestMerchant",
        "merchantReference": "TestPayment-1407325143704", "pspReference": "7914073381342284", "success": "true"}}]});
    let request = Req::new("https://example.com/", &[], &body.to_string());
    assert_verified(&request.verify(Some("adyen"), &[key_hex], ANY_NOW), "adyen");
    let mut changed = body.clone();
    changed["notificationItems"][0]["NotificationRequestItem"]["amount"]["value"] = 9999.into();
    let request = Req::new("https://example.com/", &[], &changed.to_string());
    assert_eq!(
        request.verify(Some("adyen"), &[key_hex], ANY_NOW).status,
        VerdictStatus::Failed
    );
}

#[test]
fn doc_derived_microsoft_graph_client_state_and_gitlab_and_postmark_tokens() {
    let graph = Req::new(
        "https://example.com/",
        &[],
        r#"{"value":[{"clientState":"my-state","resource":"x"}]}"#,
    );
    assert_verified(&graph.verify(Some("microsoft_graph"), &["my-state"], ANY_NOW), "graph");
    assert_eq!(
        graph.verify(Some("microsoft_graph"), &["other"], ANY_NOW).status,
        VerdictStatus::Failed
    );
    let gitlab = Req::new(
        "https://example.com/",
        &[("X-Gitlab-Token", "glt-1"), ("X-Gitlab-Event", "Push Hook")],
        "{}",
    );
    assert_verified(&gitlab.verify(None, &["glt-1"], ANY_NOW), "gitlab");
    let basic = format!("Basic {}", B64.encode("user:pa55"));
    let postmark = Req::new("https://example.com/", &[("Authorization", &basic)], "{}");
    assert_verified(&postmark.verify(Some("postmark"), &["user:pa55"], ANY_NOW), "postmark");
    assert_eq!(
        postmark.verify(Some("postmark"), &["user:other"], ANY_NOW).status,
        VerdictStatus::Failed
    );
}

#[test]
fn doc_derived_discord_ed25519_over_timestamp_and_body() {
    use ed25519_dalek::Signer as _;
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let public = hex::encode(key.verifying_key().to_bytes());
    let body = r#"{"type":1}"#;
    let signature = hex::encode(key.sign(format!("1700000000{body}").as_bytes()).to_bytes());
    let request = Req::new(
        "https://example.com/",
        &[
            ("X-Signature-Ed25519", &signature),
            ("X-Signature-Timestamp", "1700000000"),
        ],
        body,
    );
    let verdict = request.verify(None, &[&public], ANY_NOW);
    assert_verified(&verdict, "discord");
    assert_eq!(verdict.provider.as_deref(), Some("discord"));
    let other = hex::encode(
        ed25519_dalek::SigningKey::from_bytes(&[8u8; 32])
            .verifying_key()
            .to_bytes(),
    );
    assert_eq!(request.verify(None, &[&other], ANY_NOW).status, VerdictStatus::Failed);
}

#[test]
fn doc_derived_sendgrid_ecdsa_p256_over_timestamp_and_body() {
    use p256::ecdsa::signature::Signer as _;
    use p256::pkcs8::EncodePublicKey as _;
    let key = p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap();
    let public = B64.encode(key.verifying_key().to_public_key_der().unwrap().as_bytes());
    let body = r#"[{"email":"a@example.com","event":"delivered"}]"#;
    let signature: p256::ecdsa::Signature = key.sign(format!("1700000000{body}").as_bytes());
    let header = B64.encode(signature.to_der().as_bytes());
    let request = Req::new(
        "https://example.com/",
        &[
            ("X-Twilio-Email-Event-Webhook-Signature", &header),
            ("X-Twilio-Email-Event-Webhook-Timestamp", "1700000000"),
        ],
        body,
    );
    assert_verified(&request.verify(None, &[&public], ANY_NOW), "sendgrid");
    let mut changed = request;
    changed.body = br#"[{"email":"b@example.com","event":"delivered"}]"#.to_vec();
    assert_eq!(changed.verify(None, &[&public], ANY_NOW).status, VerdictStatus::Failed);
}

/// SNS messages signed by OpenSSL (`openssl dgst -sha256|-sha1 -sign`) with the key of
/// `sns/cert.pem`, over the canonical string AWS documents: built independently of Hookscope.
fn sns_request(file: &str) -> Req {
    let body = match file {
        "notification" => include_str!("fixtures/signature/sns/notification.json"),
        _ => include_str!("fixtures/signature/sns/subscription-confirmation.json"),
    };
    let kind = if file == "notification" {
        "Notification"
    } else {
        "SubscriptionConfirmation"
    };
    Req::new(
        "https://example.com/sns",
        &[("x-amz-sns-message-type", kind), ("Content-Type", "text/plain")],
        body,
    )
}

const SNS_CERT: &str = include_str!("fixtures/signature/sns/cert.pem");
const SNS_OTHER_CERT: &str = include_str!("fixtures/signature/sns/other-cert.pem");

#[test]
fn doc_derived_sns_signature_versions_2_and_1_verify_with_the_supplied_certificate() {
    for file in ["notification", "subscription-confirmation"] {
        let request = sns_request(file);
        let verdict = request.verify(None, &[SNS_CERT], ANY_NOW);
        assert_verified(&verdict, file);
        assert_eq!(verdict.provider.as_deref(), Some("sns"));
        assert_eq!(
            request.verify(Some("sns"), &[SNS_OTHER_CERT], ANY_NOW).status,
            VerdictStatus::Failed,
            "{file}"
        );
    }
}

#[test]
fn sns_message_changed_or_certificate_missing_is_explained() {
    let mut request = sns_request("notification");
    let text = String::from_utf8(request.body.clone())
        .unwrap()
        .replace("Hello world!", "Hello World!");
    request.body = text.into_bytes();
    assert_eq!(
        request.verify(Some("sns"), &[SNS_CERT], ANY_NOW).status,
        VerdictStatus::Failed
    );
    let verdict = sns_request("notification").verify(Some("sns"), &[], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::NoSecret, "no_secret");
    assert!(verdict
        .reason
        .unwrap()
        .contains("https://sns.us-west-2.amazonaws.com/SimpleNotificationService-"));
    let error = signature::sign("sns", SNS_CERT, &sns_request("notification").view(), ANY_NOW).unwrap_err();
    assert!(error.to_string().contains("inside the body"), "{error}");
}

#[test]
fn doc_derived_hygraph_json_envelope_with_environment_and_millisecond_timestamp() {
    // Built with Python from Hygraph's documented envelope (as in @hygraph/utils), secret from its README.
    let body = r#"{"operation":"publish","data":{"id":"ckxyz","title":"a <b> & c"}}"#;
    let header = "sign=jR9Bf/8r2fUfl+YePBpNgg+tbLkx0RM9Wojnc3RXupg=, env=master, t=1631270481036";
    let request = Req::new("https://example.com/", &[("gcms-signature", header)], body);
    let secret = "rCNwyiloY3oJYYkxgpBXaleIiUv5MYlx";
    let verdict = request.verify(None, &[secret], ANY_NOW);
    assert_verified(&verdict, "hygraph");
    assert_eq!(verdict.provider.as_deref(), Some("graphcms"));
    let mut other_env = request;
    other_env.set("gcms-signature", &header.replace("env=master", "env=staging"));
    assert_eq!(other_env.verify(None, &[secret], ANY_NOW).status, VerdictStatus::Failed);
    let mut fresh = Req::new("https://example.com/", &[], body);
    fresh.sign("graphcms", secret, 1_700_000_000);
    let value = fresh
        .headers
        .iter()
        .find(|h| h.name == "gcms-signature")
        .unwrap()
        .value
        .clone();
    assert!(
        value.starts_with("sign=") && value.ends_with(", env=master, t=1700000000000"),
        "{value}"
    );
}

#[test]
fn generic_provider_configured_by_the_user() {
    let provider = "generic;header=X-Acme-Sig;algorithm=sha512;encoding=base64;prefix=v1=;content={timestamp}|{body};timestamp_header=X-Acme-Time;tolerance=30";
    let body = "payload";
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(b"acme").unwrap();
    mac.update(b"1700000000|payload");
    let signature = format!("v1={}", B64.encode(mac.finalize().into_bytes()));
    let request = Req::new(
        "https://example.com/",
        &[("X-Acme-Sig", &signature), ("X-Acme-Time", "1700000000")],
        body,
    );
    let verdict = request.verify(Some(provider), &["acme"], 1700000010);
    assert_verified(&verdict, "generic");
    assert_eq!(verdict.provider.as_deref(), Some("generic"));
    let late = request.verify(Some(provider), &["acme"], 1700000031);
    assert_diagnosis(&late, VerdictStatus::Failed, "timestamp_outside_tolerance");
}
