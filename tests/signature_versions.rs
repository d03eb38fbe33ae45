//! Providers that still send several scheme versions (HubSpot v3, v2, v1; Adyen's notification
//! HMAC and its `HmacSignature` header) and a part an SDK treats as optional (Linear's
//! `webhookTimestamp`): which version verifies, and what the verdict says was tried or missing.
//! Signatures here are computed with `sha2`/`hmac` directly, not with the engine's code.

mod signature_common;

use sha2::Digest as _;
use signature_common::*;

const HUBSPOT_SECRET: &str = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const HUBSPOT_URL: &str = "https://www.example.com/webhook_uri";
const HUBSPOT_BODY: &str = r#"[{"eventId":1,"subscriptionType":"contact.creation"}]"#;

fn sha256_hex(parts: &[&str]) -> String {
    let mut hasher = sha2::Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

fn hubspot(headers: &[(&str, &str)]) -> Req {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    Req::new(HUBSPOT_URL, &all, HUBSPOT_BODY)
}

#[test]
fn doc_derived_hubspot_v1_is_sha256_of_secret_and_body_and_the_verdict_names_the_version() {
    let v1 = sha256_hex(&[HUBSPOT_SECRET, HUBSPOT_BODY]);
    let request = hubspot(&[("X-HubSpot-Signature", &v1), ("X-HubSpot-Signature-Version", "v1")]);
    let verdict = request.verify(Some("hubspot"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("hubspot v1"), "{reason}");
    assert!(reason.contains("v3 absent (header X-HubSpot-Signature-v3)"), "{reason}");
    assert_eq!(verdict.signed_content.as_deref(), Some("{body}"));
    assert_eq!(verdict.expected_signature.as_deref(), Some(v1.as_str()));
}

#[test]
fn doc_derived_hubspot_v2_covers_method_and_url() {
    let v2 = sha256_hex(&[HUBSPOT_SECRET, "POST", HUBSPOT_URL, HUBSPOT_BODY]);
    let request = hubspot(&[("X-HubSpot-Signature", &v2), ("X-HubSpot-Signature-Version", "v2")]);
    let verdict = request.verify(None, &[HUBSPOT_SECRET], ANY_NOW);
    assert_eq!((verdict.provider.as_deref(), verdict.detected), (Some("hubspot"), true));
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    assert!(verdict.reason.unwrap().contains("hubspot v2"));

    let mut elsewhere = hubspot(&[("X-HubSpot-Signature", &v2), ("X-HubSpot-Signature-Version", "v2")]);
    elsewhere.url = "https://www.example.com/other".into();
    let failed = elsewhere.verify(Some("hubspot"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_eq!(failed.status, VerdictStatus::Failed, "{failed:?}");
    // The verdict speaks of the version the request names.
    assert_eq!(failed.signed_content.as_deref(), Some("{method}{url}{body}"));
}

#[test]
fn hubspot_without_the_version_header_tries_v2_and_v1_and_says_the_header_is_missing() {
    let v1 = sha256_hex(&[HUBSPOT_SECRET, HUBSPOT_BODY]);
    let request = hubspot(&[("X-HubSpot-Signature", &v1)]);
    let verdict = request.verify(Some("hubspot"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("hubspot v1"), "{reason}");
    assert!(reason.contains("v2 did not verify"), "{reason}");
    assert!(
        reason.contains("header X-HubSpot-Signature-Version is missing, so v2 and v1 were all tried"),
        "{reason}"
    );
}

#[test]
fn hubspot_tampered_body_fails_each_version_it_carries_and_lists_them() {
    let v1 = sha256_hex(&[HUBSPOT_SECRET, HUBSPOT_BODY]);
    let mut request = hubspot(&[("X-HubSpot-Signature", &v1)]);
    request.body = HUBSPOT_BODY.replace("creation", "deletion").into_bytes();
    let verdict = request.verify(Some("hubspot"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "signature_mismatch");
    let reason = verdict.reason.unwrap();
    assert!(
        reason.contains("checked as hubspot v2, then v1 (signature_mismatch)"),
        "{reason}"
    );
}

#[test]
fn hubspot_version_header_naming_an_unknown_version_is_malformed() {
    let request = hubspot(&[("X-HubSpot-Signature", "00ff"), ("X-HubSpot-Signature-Version", "v9")]);
    let verdict = request.verify(Some("hubspot"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "malformed_header");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("X-HubSpot-Signature-Version is \"v9\""), "{reason}");
    assert!(reason.contains("expected v2 or v1"), "{reason}");
}

#[test]
fn hubspot_without_any_signature_is_unsigned_and_names_every_version_looked_for() {
    let request = hubspot(&[]);
    let verdict = request.verify(Some("hubspot"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Unsigned, "missing_signature");
    let reason = verdict.reason.unwrap();
    for place in [
        "v3 in header X-HubSpot-Signature-v3",
        "v2 in header X-HubSpot-Signature",
        "v1 in header X-HubSpot-Signature",
    ] {
        assert!(reason.contains(place), "{place}: {reason}");
    }
}

#[test]
fn a_provider_id_can_pin_a_version_and_an_unknown_one_is_refused_with_the_known_ones() {
    let v1 = sha256_hex(&[HUBSPOT_SECRET, HUBSPOT_BODY]);
    let request = hubspot(&[("X-HubSpot-Signature", &v1), ("X-HubSpot-Signature-Version", "v1")]);
    let pinned = request.verify(Some("hubspot;version=v1"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_verified(&pinned, "pinned v1");
    assert_eq!(pinned.diagnosis, None, "a pinned version is the only one: {pinned:?}");
    let other = request.verify(Some("hubspot;version=v2"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_eq!(other.status, VerdictStatus::Failed, "{other:?}");

    let unknown = request.verify(Some("hubspot;version=v4"), &[HUBSPOT_SECRET], ANY_NOW);
    assert_eq!(unknown.status, VerdictStatus::UnknownProvider);
    assert!(unknown.reason.unwrap().contains("its versions are v3, v2, v1"));
    let single = request.verify(Some("stripe;version=v2"), &["s"], ANY_NOW);
    assert!(single.reason.unwrap().contains("single scheme version"));
}

#[test]
fn signing_a_pinned_hubspot_version_writes_the_version_header_and_verifies() {
    for (version, expected) in [
        ("v1", sha256_hex(&[HUBSPOT_SECRET, HUBSPOT_BODY])),
        ("v2", sha256_hex(&[HUBSPOT_SECRET, "POST", HUBSPOT_URL, HUBSPOT_BODY])),
    ] {
        let mut request = hubspot(&[]);
        request.sign(&format!("hubspot;version={version}"), HUBSPOT_SECRET, ANY_NOW);
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| h.value.clone())
        };
        assert_eq!(header("X-HubSpot-Signature"), Some(expected), "{version}");
        assert_eq!(header("X-HubSpot-Signature-Version").as_deref(), Some(version));
        let verdict = request.verify(None, &[HUBSPOT_SECRET], ANY_NOW);
        assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    }
}

const ADYEN_KEY: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
const ADYEN_BODY: &str = r#"{"type":"balancePlatform.accountHolder.created","data":{"id":"AH1"}}"#;

#[test]
fn doc_derived_adyen_header_signed_webhook_is_hmac_of_the_raw_body_with_the_hex_key() {
    let key = hex::decode(ADYEN_KEY).unwrap();
    let signature = B64.encode(hmac256(&key, ADYEN_BODY.as_bytes()));
    let request = Req::new(
        "https://example.com/adyen",
        &[("HmacSignature", &signature), ("Content-Type", "application/json")],
        ADYEN_BODY,
    );
    let verdict = request.verify(None, &[ADYEN_KEY], ANY_NOW);
    assert_eq!((verdict.provider.as_deref(), verdict.detected), (Some("adyen"), true));
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("adyen header (header HmacSignature)"), "{reason}");
    assert!(reason.contains("notification absent (body field"), "{reason}");

    // The key as raw text (not hex-decoded) is a known mistake, and named as such.
    let raw_signature = B64.encode(hmac256(ADYEN_KEY.as_bytes(), ADYEN_BODY.as_bytes()));
    let mut raw = request;
    raw.set("HmacSignature", &raw_signature);
    let verdict = raw.verify(Some("adyen"), &[ADYEN_KEY], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Failed, "secret_encoding");
}

#[test]
fn adyen_is_signed_with_its_header_version() {
    let mut request = Req::new(
        "https://example.com/adyen",
        &[("Content-Type", "application/json")],
        ADYEN_BODY,
    );
    request.sign("adyen", ADYEN_KEY, ANY_NOW);
    let key = hex::decode(ADYEN_KEY).unwrap();
    let expected = B64.encode(hmac256(&key, ADYEN_BODY.as_bytes()));
    assert!(request
        .headers
        .iter()
        .any(|h| h.name == "HmacSignature" && h.value == expected));
    assert_verified(&request.verify(Some("adyen"), &[ADYEN_KEY], ANY_NOW), "signed adyen");
}

const LINEAR_SECRET: &str = "lin_wh_secret";

#[test]
fn doc_derived_linear_without_webhook_timestamp_verifies_with_a_warning() {
    let body = r#"{"action":"create","type":"Issue","data":{"id":"1"}}"#;
    let signature = hex::encode(hmac256(LINEAR_SECRET.as_bytes(), body.as_bytes()));
    let request = Req::new("https://example.com/linear", &[("Linear-Signature", &signature)], body);
    let verdict = request.verify(None, &[LINEAR_SECRET], ANY_NOW);
    assert_eq!(verdict.provider.as_deref(), Some("linear"));
    assert_diagnosis(&verdict, VerdictStatus::Verified, "optional_part_missing");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("body field /webhookTimestamp is absent"), "{reason}");

    let mut changed = Req::new("https://example.com/linear", &[("Linear-Signature", &signature)], body);
    changed.body = body.replace("create", "remove").into_bytes();
    assert_diagnosis(
        &changed.verify(None, &[LINEAR_SECRET], ANY_NOW),
        VerdictStatus::Failed,
        "signature_mismatch",
    );
}

#[test]
fn linear_with_webhook_timestamp_still_checks_the_replay_window() {
    let body = r#"{"action":"create","webhookTimestamp":1700000000000}"#;
    let signature = hex::encode(hmac256(LINEAR_SECRET.as_bytes(), body.as_bytes()));
    let request = Req::new("https://example.com/linear", &[("Linear-Signature", &signature)], body);
    let fresh = request.verify(Some("linear"), &[LINEAR_SECRET], 1_700_000_030);
    assert_verified(&fresh, "inside 60 s");
    assert_eq!(fresh.diagnosis, None);
    assert_diagnosis(
        &request.verify(Some("linear"), &[LINEAR_SECRET], 1_700_000_000 + 3600),
        VerdictStatus::Failed,
        "timestamp_outside_tolerance",
    );
}

#[test]
fn doc_derived_box_secondary_signature_verifies_with_the_secondary_key_during_rotation() {
    let body = r#"{"type":"webhook_event","trigger":"FILE.UPLOADED"}"#;
    let timestamp = "2023-11-14T22:13:20Z";
    let content = format!("{body}{timestamp}");
    let secondary = B64.encode(hmac256(b"secondary-key", content.as_bytes()));
    let primary_by_old_key = B64.encode(hmac256(b"retired-key", content.as_bytes()));
    let request = Req::new(
        "https://example.com/box",
        &[
            ("BOX-DELIVERY-TIMESTAMP", timestamp),
            ("BOX-SIGNATURE-PRIMARY", &primary_by_old_key),
            ("BOX-SIGNATURE-SECONDARY", &secondary),
        ],
        body,
    );
    let verdict = request.verify(Some("box"), &["secondary-key"], 1_700_000_000);
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("box secondary"), "{reason}");
    assert!(reason.contains("primary did not verify"), "{reason}");
}

#[test]
fn doc_derived_square_legacy_sha1_signature_verifies_when_it_is_the_only_one() {
    let url = "https://example.com/square";
    let body = r#"{"merchant_id":"M1","type":"payment.updated"}"#;
    let sha1 = B64.encode(hmac1(b"square-key", format!("{url}{body}").as_bytes()));
    let request = Req::new(url, &[("X-Square-Signature", &sha1)], body);
    let verdict = request.verify(None, &["square-key"], ANY_NOW);
    assert_eq!(verdict.provider.as_deref(), Some("square"));
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    assert!(verdict
        .reason
        .unwrap()
        .contains("square sha1 (header X-Square-Signature)"));
}

#[test]
fn doc_derived_docusign_second_key_signature_verifies_when_the_first_key_is_not_configured() {
    let body = r#"{"event":"envelope-completed"}"#;
    let first = B64.encode(hmac256(b"first-key", body.as_bytes()));
    let second = B64.encode(hmac256(b"second-key", body.as_bytes()));
    let request = Req::new(
        "https://example.com/docusign",
        &[("X-DocuSign-Signature-1", &first), ("X-DocuSign-Signature-2", &second)],
        body,
    );
    let verdict = request.verify(None, &["second-key"], ANY_NOW);
    assert_eq!(verdict.provider.as_deref(), Some("docusign"));
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    assert!(verdict
        .reason
        .unwrap()
        .contains("docusign 2 (header X-DocuSign-Signature-2)"));
    assert_verified(&request.verify(Some("docusign"), &["first-key"], ANY_NOW), "first key");
}

const PLIVO_TOKEN: &str = "MAXXXXXXXXXXXXXXXXXX-auth-token";

#[test]
fn doc_derived_plivo_v3_signs_the_sorted_query_and_form_fields_and_the_nonce() {
    let url = "https://example.com/plivo/answer?b=2&a=x%20y";
    let body = "To=14155550111&From=14155550100";
    // Built by hand from Plivo's V3 description: sorted query, `.`, sorted form fields, `.`, nonce.
    let content = "https://example.com/plivo/answer?a=x y&b=2.From14155550100To14155550111.nonce-1";
    let signature = B64.encode(hmac256(PLIVO_TOKEN.as_bytes(), content.as_bytes()));
    let request = Req::new(
        url,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Plivo-Signature-V3-Nonce", "nonce-1"),
            ("X-Plivo-Signature-V3", &format!("bm90IGl0,{signature}")),
        ],
        body,
    );
    let verdict = request.verify(None, &[PLIVO_TOKEN], ANY_NOW);
    assert_eq!(verdict.provider.as_deref(), Some("plivo"));
    assert_verified(&verdict, "plivo V3");
    assert_eq!(verdict.diagnosis, None);

    let mut changed = Req::new(url, &[], body);
    changed.headers = request.headers.clone();
    changed.body = body.replace("0111", "9999").into_bytes();
    assert_diagnosis(
        &changed.verify(Some("plivo"), &[PLIVO_TOKEN], ANY_NOW),
        VerdictStatus::Failed,
        "signature_mismatch",
    );
}

#[test]
fn doc_derived_plivo_v2_alone_still_verifies_and_names_its_version() {
    let url = "https://example.com/plivo/answer?CallUUID=1";
    let content = "https://example.com/plivo/answernonce-2";
    let signature = B64.encode(hmac256(PLIVO_TOKEN.as_bytes(), content.as_bytes()));
    let request = Req::new(
        url,
        &[
            ("X-Plivo-Signature-V2-Nonce", "nonce-2"),
            ("X-Plivo-Signature-V2", &signature),
        ],
        "",
    );
    let verdict = request.verify(None, &[PLIVO_TOKEN], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    let reason = verdict.reason.unwrap();
    assert!(reason.contains("plivo V2"), "{reason}");
    assert!(reason.contains("V3 absent (header X-Plivo-Signature-V3)"), "{reason}");
}

#[test]
fn plivo_subaccount_request_verifies_with_the_main_account_token_signature() {
    let url = "https://example.com/plivo/answer";
    let content = format!("{url}.nonce-3");
    let main = B64.encode(hmac256(b"main-account-token", content.as_bytes()));
    let sub = B64.encode(hmac256(b"subaccount-token", content.as_bytes()));
    let request = Req::new(
        url,
        &[
            ("X-Plivo-Signature-V3-Nonce", "nonce-3"),
            ("X-Plivo-Signature-V3", &sub),
            ("X-Plivo-Signature-Ma-V3", &main),
        ],
        "",
    );
    assert_verified(
        &request.verify(Some("plivo"), &["subaccount-token"], ANY_NOW),
        "subaccount",
    );
    let verdict = request.verify(Some("plivo"), &["main-account-token"], ANY_NOW);
    assert_diagnosis(&verdict, VerdictStatus::Verified, "scheme_version");
    assert!(verdict.reason.unwrap().contains("plivo V3-MA"));
}
