//! Signing round trips: every header-signed provider signs, then verifies what it signed.

mod signature_common;

use signature_common::*;

/// A signing secret and the matching verification secret for a provider.
fn keys_for(id: &str) -> (String, String) {
    match id {
        "discord" => {
            let seed = [3u8; 32];
            let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes();
            (hex::encode(seed), hex::encode(public))
        }
        "sendgrid" => {
            use p256::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _};
            let key = p256::ecdsa::SigningKey::from_slice(&[5u8; 32]).unwrap();
            let private = B64.encode(key.to_pkcs8_der().unwrap().as_bytes());
            let public = B64.encode(key.verifying_key().to_public_key_der().unwrap().as_bytes());
            (private, public)
        }
        "microsoft_teams" => {
            let secret = B64.encode(b"teams-shared-secret");
            (secret.clone(), secret)
        }
        "postmark" => ("user:pa55".into(), "user:pa55".into()),
        _ => {
            let secret = "whsec_c2lnbmluZy1yb3VuZC10cmlw".to_owned();
            (secret.clone(), secret)
        }
    }
}

fn round_trip_request() -> Req {
    Req::new(
        "https://hooks.example.com/in/abc?source=test",
        &[("Content-Type", "application/json"), ("Host", "hooks.example.com")],
        r#"{"id":"evt_1","webhookTimestamp":1700000000000,"data":{"name":"Zoë"}}"#,
    )
}

#[test]
fn every_header_signed_provider_round_trips_sign_then_verify() {
    let now = 1_700_000_000;
    let mut signed = 0;
    for provider in PROVIDERS {
        let mut request = round_trip_request();
        let (signing, verifying) = keys_for(provider.id);
        match signature::sign(provider.id, &signing, &request.view(), now) {
            Ok(headers) => signature::apply_headers(&mut request.headers, &headers),
            Err(error) => {
                assert!(
                    ["mailgun", "adyen", "microsoft_graph", "sns"].contains(&provider.id),
                    "{} should be signable: {error}",
                    provider.id
                );
                continue;
            }
        }
        signed += 1;
        let verdict = request.verify(Some(provider.id), &[&verifying], now + 1);
        assert_verified(&verdict, provider.id);
        if !provider.detect.is_empty() {
            // The provider's other identifying headers (X-GitHub-Event, ...) are not part of signing.
            let mut request = Req {
                headers: request.headers.clone(),
                ..round_trip_request()
            };
            for name in provider.detect {
                if request.headers.iter().all(|h| !h.name.eq_ignore_ascii_case(name)) {
                    request.set(name, "test");
                }
            }
            let detected = request.verify(None, &[&verifying], now + 1);
            assert_verified(
                &detected,
                &format!("{} detected as {:?}", provider.id, detected.provider),
            );
        }
        let mut tampered = request;
        tampered.body.push(b' ');
        if !provider.scheme.content.contains("{body}") || provider.scheme.algorithm == Algorithm::Token {
            // Token schemes and URL-signed ones (Twilio/Mandrill with a JSON body, Plivo) do not cover it.
            continue;
        }
        let verdict = tampered.verify(Some(provider.id), &[&verifying], now + 1);
        assert_ne!(
            verdict.status,
            VerdictStatus::Verified,
            "{} accepted a changed body",
            provider.id
        );
    }
    assert!(signed >= 60, "only {signed} providers signed");
}

#[test]
fn signing_invents_a_message_id_when_the_scheme_covers_one() {
    let mut request = round_trip_request();
    let headers = signature::sign("svix", "whsec_c2VjcmV0", &request.view(), 1_700_000_000).unwrap();
    let id = headers.iter().find(|h| h.name == "svix-id").expect("svix-id added");
    assert!(id.value.starts_with("msg_"));
    assert!(headers
        .iter()
        .any(|h| h.name == "svix-timestamp" && h.value == "1700000000"));
    signature::apply_headers(&mut request.headers, &headers);
    assert_verified(
        &request.verify(Some("svix"), &["whsec_c2VjcmV0"], 1_700_000_000),
        "svix",
    );
}

#[test]
fn re_signing_replaces_a_stale_signature_with_a_fresh_timestamp() {
    let (mut request, secret, _) = slack_vector();
    let later = 1_800_000_000;
    assert_eq!(
        request.verify(Some("slack"), &[&secret], later).status,
        VerdictStatus::Failed
    );
    request.sign("slack", &secret, later);
    assert_eq!(
        request
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("x-slack-signature"))
            .count(),
        1
    );
    assert_verified(&request.verify(Some("slack"), &[&secret], later), "re-signed slack");
}

#[test]
fn a_replayed_delivery_is_re_signed_in_place_for_its_own_url() {
    let mut outgoing = hookscope::model::OutgoingRequest {
        method: "POST".into(),
        url: "http://127.0.0.1:3000/webhooks/square?x=1".into(),
        headers: vec![
            HeaderField::new("Content-Type", "application/json"),
            HeaderField::new("x-square-hmacsha256-signature", "stale"),
        ],
        body: br#"{"type":"payment.created"}"#.to_vec(),
    };
    signature::sign_outgoing("square", "sq-key", 1_700_000_000, &mut outgoing).unwrap();
    let signatures: Vec<_> = outgoing
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("x-square-hmacsha256-signature"))
        .collect();
    assert_eq!(signatures.len(), 1);
    assert_ne!(signatures[0].value, "stale");
    let request = Req {
        method: outgoing.method,
        url: outgoing.url,
        headers: outgoing.headers,
        body: outgoing.body,
    };
    assert_verified(
        &request.verify(Some("square"), &["sq-key"], 1_700_000_000),
        "re-signed square",
    );
}

#[test]
fn body_signed_providers_refuse_to_sign_with_a_clear_error() {
    let request = round_trip_request();
    let error = signature::sign("mailgun", "k", &request.view(), 0).unwrap_err();
    assert!(error.to_string().contains("inside the body"), "{error}");
    let error = signature::sign("nope", "k", &request.view(), 0).unwrap_err();
    assert!(error.to_string().contains("unknown provider"), "{error}");
}
