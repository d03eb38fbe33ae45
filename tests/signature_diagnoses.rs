//! Diagnoses: each named way a signature goes wrong is found and explained.

mod signature_common;

use signature_common::*;

#[test]
fn diagnosis_missing_header_is_unsigned_and_names_the_expected_header() {
    let request = Req::new(
        "https://example.com/hook",
        &[("Content-Type", "application/json")],
        "{}",
    );
    let verdict = request.verify(Some("github"), &["s"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Unsigned, "missing_signature");
    assert!(verdict.reason.unwrap().contains("X-Hub-Signature-256"));
}

#[test]
fn diagnosis_provider_mismatch_when_another_providers_signature_arrives() {
    let vector = published().into_iter().find(|v| v.provider_id == "github").unwrap();
    let verdict = request_of(&vector).verify(Some("stripe"), &["whsec_x"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Unsigned, "provider_mismatch");
    let reason = verdict.reason.unwrap();
    assert!(
        reason.contains("X-Hub-Signature-256") && reason.contains("GitHub"),
        "{reason}"
    );
}

#[test]
fn github_legacy_sha1_header_alone_is_detected_as_github() {
    let body = "Hello, World!";
    let signature = format!("sha1={}", hex::encode(hmac1(b"gh", body.as_bytes())));
    let request = Req::new(
        "https://example.com/",
        &[("X-Hub-Signature", &signature), ("X-GitHub-Event", "ping")],
        body,
    );
    let verdict = request.verify(None, &["gh"], ANY_NOW);
    assert_verified(&verdict, "github legacy");
    assert_eq!(verdict.provider.as_deref(), Some("github_sha1"));
    let named = request.verify(Some("github"), &["gh"], ANY_NOW);
    assert_diagnosis(&named, VerdictStatus::Unsigned, "provider_mismatch");
    assert!(named.reason.unwrap().contains("legacy"));
}

#[test]
fn diagnosis_malformed_stripe_header_without_v1() {
    let request = Req::new(
        "https://example.com/hook",
        &[("Stripe-Signature", "t=1700000000,v0=abc")],
        "{}",
    );
    let verdict = request.verify(Some("stripe"), &["whsec_x"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "malformed_header");
    assert!(verdict.reason.unwrap().contains("v1="));
}

#[test]
fn diagnosis_timestamp_outside_tolerance_says_by_how_much() {
    let (request, secret, now) = slack_vector();
    let verdict = request.verify(Some("slack"), &[&secret], 1531420618 + 1000);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "timestamp_outside_tolerance");
    let reason = verdict.reason.unwrap();
    assert!(
        reason.contains("1000 s old") && reason.contains("700 s beyond") && reason.contains("replay"),
        "{reason}"
    );
    // The same request inside the window verifies, and a wider configured tolerance accepts it.
    assert_verified(&request.verify(Some("slack"), &[&secret], now), "slack in window");
    let wide = signature::verify(Some("slack"), &[secret], &request.view(), 1531420618 + 1000, Some(2000));
    assert_verified(&wide, "slack with a wider tolerance");
}

#[test]
fn an_endpoint_provider_can_carry_its_own_tolerance() {
    let (request, secret, _) = slack_vector();
    let late = 1531420618 + 1000;
    assert_verified(
        &request.verify(Some("slack;tolerance=2000"), &[&secret], late),
        "slack;tolerance=2000",
    );
    let verdict = request.verify(Some("slack;tolerance=10"), &[&secret], 1531420618 + 30);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "timestamp_outside_tolerance");
    assert_eq!(verdict.provider.as_deref(), Some("slack"));
    let bad = request.verify(Some("slack;colour=red"), &[&secret], late);
    assert_eq!(bad.status, VerdictStatus::UnknownProvider);
    assert!(bad.reason.unwrap().contains("only tolerance"));
    let mut resigned = slack_vector().0;
    resigned.sign("slack;tolerance=60", &secret, late);
    assert_verified(&resigned.verify(Some("slack"), &[&secret], late), "signed with options");
}

#[test]
fn signed_content_shows_the_exact_bytes_signed() {
    let (request, _, _) = slack_vector();
    let content = signature::signed_content("slack", &request.view()).unwrap();
    let text = String::from_utf8(content).unwrap();
    assert!(
        text.starts_with("v0:1531420618:token=xyzz0WbapA4vBCDEFasx0q6G&team_id="),
        "{text}"
    );
}

#[test]
fn diagnosis_timestamp_in_the_future_asks_to_check_clocks() {
    let (request, secret, _) = slack_vector();
    let verdict = request.verify(Some("slack"), &[&secret], 1531420618 - 900);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "timestamp_outside_tolerance");
    assert!(verdict.reason.unwrap().contains("900 s in the future"));
}

#[test]
fn diagnosis_secret_encoding_whsec_secret_used_as_raw_text() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = r#"{"type":"user.created"}"#;
    let content = format!("msg_1.1700000000.{body}");
    let signature = B64.encode(hmac256(secret.as_bytes(), content.as_bytes()));
    let request = Req::new(
        "https://example.com/hook",
        &[
            ("webhook-id", "msg_1"),
            ("webhook-timestamp", "1700000000"),
            ("webhook-signature", &format!("v1,{signature}")),
        ],
        body,
    );
    let verdict = request.verify(Some("standard_webhooks"), &[secret], 1700000000);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "secret_encoding");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("raw text") && reason.contains("whsec_"), "{reason}");
    assert!(
        !reason.contains("MfKQ9r8G"),
        "a reason never shows the secret: {reason}"
    );
}

#[test]
fn diagnosis_secret_encoding_base64_secret_used_decoded_by_a_raw_provider() {
    let secret = "c2VjcmV0LWtleS1ieXRlcw==";
    let body = "{}";
    let signature = hex::encode(hmac256(&B64.decode(secret).unwrap(), body.as_bytes()));
    let request = Req::new(
        "https://example.com/hook",
        &[("X-Hub-Signature-256", &format!("sha256={signature}"))],
        body,
    );
    let verdict = request.verify(Some("github"), &[secret], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "secret_encoding");
    assert!(verdict.reason.unwrap().contains("taken as base64"));
}

#[test]
fn diagnosis_body_re_serialized_by_a_relay_pretty_printed() {
    let original = r#"{"action":"opened","title":"Café /api"}"#;
    let signature = hex::encode(hmac256(b"relay-secret", original.as_bytes()));
    let relayed = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(original).unwrap()).unwrap();
    let request = Req::new(
        "https://example.com/hook",
        &[
            ("X-Hub-Signature-256", &format!("sha256={signature}")),
            ("X-GitHub-Event", "issues"),
        ],
        &relayed,
    );
    let verdict = request.verify(Some("github"), &["relay-secret"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "body_modified");
    assert!(verdict.reason.unwrap().contains("compact JSON"));
}

#[test]
fn diagnosis_body_with_unicode_escapes_removed_by_a_relay() {
    let original = r#"{"name":"Ren\u00e9e"}"#;
    let signature = hex::encode(hmac256(b"k", original.as_bytes()));
    let relayed = r#"{"name":"Renée"}"#;
    let request = Req::new(
        "https://example.com/hook",
        &[("X-Hub-Signature-256", &format!("sha256={signature}"))],
        relayed,
    );
    let verdict = request.verify(Some("github"), &["k"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "body_modified");
    assert!(verdict.reason.unwrap().contains("\\u sequences"));
}

#[test]
fn diagnosis_body_compacted_by_a_relay_standard_webhooks_spec_vector() {
    let vector = published()
        .into_iter()
        .find(|v| v.provider_id == "standard_webhooks")
        .unwrap();
    let mut request = request_of(&vector);
    request.body = br#"{"test":2432232314}"#.to_vec();
    let verdict = request.verify(Some("standard_webhooks"), &[&vector.secret], vector.now_unix.unwrap());
    assert_diagnosis(&verdict, VerdictStatus::Failed, "body_modified");
    assert!(verdict.reason.unwrap().contains("\", \" and \": \" separators"));
}

#[test]
fn bodies_over_the_diagnosis_limit_are_not_re_serialized() {
    let items: Vec<serde_json::Value> = (0..30_000)
        .map(|i| serde_json::json!({"id": i, "name": "item"}))
        .collect();
    let value = serde_json::json!({ "items": items });
    let original = serde_json::to_string(&value).unwrap();
    let relayed = serde_json::to_string_pretty(&value).unwrap();
    assert!(relayed.len() > signature::diagnose::BODY_DIAGNOSIS_LIMIT);
    let signature = hex::encode(hmac256(b"k", original.as_bytes()));
    let request = Req::new(
        "https://example.com/",
        &[("X-Hub-Signature-256", &format!("sha256={signature}"))],
        &relayed,
    );
    let verdict = request.verify(Some("github"), &["k"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "signature_mismatch");
}

#[test]
fn diagnosis_url_mismatch_http_instead_of_https_for_twilio() {
    let vector = published().into_iter().find(|v| v.provider_id == "twilio").unwrap();
    let mut request = request_of(&vector);
    request.url = request.url.replacen("https://", "http://", 1);
    let verdict = request.verify(Some("twilio"), &[&vector.secret], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "url_mismatch");
    assert!(verdict
        .reason
        .unwrap()
        .contains("https://mycompany.com/myapp.php?foo=1&bar=2"));
}

#[test]
fn diagnosis_url_mismatch_other_host_behind_a_tunnel_for_square() {
    let vector = published().into_iter().find(|v| v.provider_id == "square").unwrap();
    let mut request = request_of(&vector);
    // Hookscope saw the request on localhost; the tunnel's public host is only in X-Forwarded-Host.
    request.url = "https://localhost:8787/679a4f3a-dcfa-49ee-bac5-9d0edad886b9".into();
    request.set("X-Forwarded-Host", "webhook.site");
    let verdict = request.verify(Some("square"), &[&vector.secret], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "url_mismatch");
    assert!(verdict.reason.unwrap().contains("https://webhook.site/679a4f3a"));
}

#[test]
fn diagnosis_url_mismatch_signed_without_the_query() {
    let mut request = Req::new(
        "https://example.com/square",
        &[("Content-Type", "application/json")],
        "{}",
    );
    request.sign("square", "sq-key", ANY_NOW);
    request.url = "https://example.com/square?retry=1".into();
    let verdict = request.verify(Some("square"), &["sq-key"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "url_mismatch");
    assert!(verdict
        .reason
        .unwrap()
        .contains("matches the URL https://example.com/square,"));
}

#[test]
fn twilio_accepts_the_url_with_its_default_port_as_the_sdks_do() {
    let vector = published().into_iter().find(|v| v.provider_id == "twilio").unwrap();
    let mut request = request_of(&vector);
    request.url = "https://mycompany.com:443/myapp.php?foo=1&bar=2".into();
    assert_verified(
        &request.verify(Some("twilio"), &[&vector.secret], ANY_NOW),
        "twilio with :443",
    );
}

#[test]
fn diagnosis_algorithm_mismatch_sha1_in_a_sha256_header() {
    let body = r#"{"zen":"Keep it logically awesome."}"#;
    let signature = hex::encode(hmac1(b"gh-secret", body.as_bytes()));
    let request = Req::new(
        "https://example.com/hook",
        &[("X-Hub-Signature-256", &format!("sha256={signature}"))],
        body,
    );
    let verdict = request.verify(Some("github"), &["gh-secret"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "algorithm_mismatch");
    assert!(verdict.reason.unwrap().contains("HMAC-SHA1"));
}

#[test]
fn diagnosis_older_secret_verifies_and_says_which() {
    let vector = published().into_iter().find(|v| v.provider_id == "github").unwrap();
    let verdict = request_of(&vector).verify(Some("github"), &["the-new-secret", &vector.secret], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Verified, "older_secret");
    assert_eq!(verdict.matched_secret, Some(1));
    assert!(verdict.reason.unwrap().contains("secret #2"));
}

#[test]
fn no_secret_configured_is_its_own_verdict() {
    let vector = published().into_iter().find(|v| v.provider_id == "github").unwrap();
    let verdict = request_of(&vector).verify(Some("github"), &[], ANY_NOW);
    assert_eq!(verdict.status, VerdictStatus::NoSecret);
}

#[test]
fn unknown_provider_names_are_reported_not_guessed() {
    let vector = published().into_iter().find(|v| v.provider_id == "github").unwrap();
    let verdict = request_of(&vector).verify(Some("nosuchprovider"), &["x"], ANY_NOW);
    assert_eq!(verdict.status, VerdictStatus::UnknownProvider);
    let plain = Req::new("https://example.com/", &[("Content-Type", "text/plain")], "hi");
    assert_eq!(
        plain.verify(None, &["x"], ANY_NOW).status,
        VerdictStatus::UnknownProvider
    );
}

#[test]
fn verdict_shows_expected_and_received_signatures_but_never_the_secret() {
    let vector = published().into_iter().find(|v| v.provider_id == "github").unwrap();
    let verdict = request_of(&vector).verify(Some("github"), &["wrong"], ANY_NOW);
    assert_eq!(
        verdict.received_signature.as_deref(),
        vector.headers["X-Hub-Signature-256"].as_str()
    );
    let expected = hex::encode(hmac256(b"wrong", vector.body.as_bytes()));
    assert_eq!(verdict.expected_signature.as_deref(), Some(expected.as_str()));
    assert_eq!(verdict.signed_content.as_deref(), Some("{body}"));
    let json = serde_json::to_string(&verdict).unwrap();
    assert!(!json.contains("wrong\""), "{json}");
    // Token schemes carry the secret itself: neither side is shown.
    let gitlab = Req::new("https://example.com/", &[("X-Gitlab-Token", "tok-123")], "{}");
    let verdict = gitlab.verify(Some("gitlab"), &["tok-456"], ANY_NOW);
    assert_eq!(verdict.status, VerdictStatus::Failed);
    assert!(verdict.received_signature.is_none() && verdict.expected_signature.is_none());
}
