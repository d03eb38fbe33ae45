//! Published vectors: the providers' own docs and SDK test suites (`published-vectors.json`,
//! `sdk-vectors.json`), each verified, detected, and failed when one thing changes.

mod signature_common;

use signature_common::*;

#[test]
fn published_vectors_verify_with_the_named_provider() {
    let vectors = published();
    assert!(vectors.len() >= 6);
    for vector in &vectors {
        assert_eq!(vector.expected, "valid");
        let verdict = request_of(vector).verify(
            Some(&vector.provider_id),
            &[&vector.secret],
            vector.now_unix.unwrap_or(ANY_NOW),
        );
        assert_verified(&verdict, &vector.provider_id);
        assert_eq!(verdict.matched_secret, Some(0));
        assert_eq!(verdict.provider.as_deref(), Some(vector.provider_id.as_str()));
        assert!(!verdict.detected);
    }
}

#[test]
fn published_vectors_are_detected_from_their_headers() {
    for vector in &published() {
        let verdict = request_of(vector).verify(None, &[&vector.secret], vector.now_unix.unwrap_or(ANY_NOW));
        assert_verified(&verdict, &vector.provider_id);
        assert!(verdict.detected);
        assert_eq!(verdict.provider.as_deref(), Some(vector.provider_id.as_str()));
    }
}

#[test]
fn published_vectors_fail_when_one_body_byte_changes() {
    for vector in &published() {
        let mut request = request_of(vector);
        let last = request.body.len() - 1;
        request.body[last] ^= 0x01;
        let verdict = request.verify(
            Some(&vector.provider_id),
            &[&vector.secret],
            vector.now_unix.unwrap_or(ANY_NOW),
        );
        assert_eq!(
            verdict.status,
            VerdictStatus::Failed,
            "{}: {verdict:?}",
            vector.provider_id
        );
    }
}

#[test]
fn published_vectors_fail_with_another_secret() {
    for vector in &published() {
        let other = if vector.secret.starts_with("whsec_") {
            "whsec_dGhlIHdyb25nIHNlY3JldCE="
        } else {
            "wrong"
        };
        let verdict =
            request_of(vector).verify(Some(&vector.provider_id), &[other], vector.now_unix.unwrap_or(ANY_NOW));
        assert_diagnosis(&verdict, VerdictStatus::Failed, "signature_mismatch");
    }
}

#[test]
fn published_timestamped_vectors_fail_an_hour_later() {
    let vectors = published();
    let stamped: Vec<&Vector> = vectors.iter().filter(|v| v.now_unix.is_some()).collect();
    assert!(stamped.len() >= 3);
    for vector in stamped {
        let verdict = request_of(vector).verify(
            Some(&vector.provider_id),
            &[&vector.secret],
            vector.now_unix.unwrap() + 3600,
        );
        assert_diagnosis(&verdict, VerdictStatus::Failed, "timestamp_outside_tolerance");
        assert_eq!(verdict.matched_secret, Some(0));
    }
}

#[test]
fn published_url_signed_vectors_fail_for_another_path() {
    for vector in published()
        .iter()
        .filter(|v| ["twilio", "square"].contains(&v.provider_id.as_str()))
    {
        let mut request = request_of(vector);
        request.url = request
            .url
            .replacen(".com/", ".com/other/", 1)
            .replacen(".site/", ".site/other/", 1);
        let verdict = request.verify(Some(&vector.provider_id), &[&vector.secret], ANY_NOW);
        assert_eq!(
            verdict.status,
            VerdictStatus::Failed,
            "{}: {verdict:?}",
            vector.provider_id
        );
    }
}

#[test]
fn sdk_test_suite_vectors_twilio_square_sendgrid_paddle_give_the_sdks_answers() {
    let vectors: Vec<Vector> =
        serde_json::from_str(include_str!("fixtures/signature/sdk-vectors.json")).expect("vectors parse");
    assert!(vectors.len() >= 27);
    for vector in &vectors {
        let secrets: Vec<&str> = match &vector.secrets {
            Some(all) => all.iter().map(String::as_str).collect(),
            None => vec![vector.secret.as_str()],
        };
        let now = vector.now_unix.unwrap_or(ANY_NOW);
        let verdict = request_of(vector).verify(Some(&vector.provider_id), &secrets, now);
        let what = format!("{}: {}: {verdict:?}", vector.provider_id, vector.description);
        match vector.expected.as_str() {
            "valid" => assert_eq!(verdict.status, VerdictStatus::Verified, "{what}"),
            _ => assert_eq!(verdict.status, VerdictStatus::Failed, "{what}"),
        }
        if let Some(code) = &vector.diagnosis {
            assert_eq!(verdict.diagnosis.as_deref(), Some(code.as_str()), "{what}");
        }
    }
}

#[test]
fn sdk_test_suite_vectors_hubspot_adyen_octokit_mux_give_the_sdks_answers() {
    let vectors: Vec<Vector> =
        serde_json::from_str(include_str!("fixtures/signature/sdk-audit-vectors.json")).expect("vectors parse");
    assert!(vectors.len() >= 21);
    for vector in &vectors {
        let secrets: Vec<&str> = match &vector.secrets {
            Some(all) => all.iter().map(String::as_str).collect(),
            None => vec![vector.secret.as_str()],
        };
        let now = vector.now_unix.unwrap_or(ANY_NOW);
        let verdict = request_of(vector).verify(Some(&vector.provider_id), &secrets, now);
        let what = format!("{}: {}: {verdict:?}", vector.provider_id, vector.description);
        match vector.expected.as_str() {
            "valid" => assert_eq!(verdict.status, VerdictStatus::Verified, "{what}"),
            _ => assert_eq!(verdict.status, VerdictStatus::Failed, "{what}"),
        }
        if let Some(code) = &vector.diagnosis {
            assert_eq!(verdict.diagnosis.as_deref(), Some(code.as_str()), "{what}");
        }
        if vector.expected == "valid" {
            // One changed body byte fails every one of them.
            let mut changed = request_of(vector);
            match changed.body.iter().rposition(|b| b.is_ascii_alphanumeric()) {
                Some(last) => changed.body[last] ^= 0x01,
                None => changed.body.push(b'x'),
            }
            let tampered = changed.verify(Some(&vector.provider_id), &secrets, now);
            assert_ne!(tampered.status, VerdictStatus::Verified, "{what}: tampered");
        }
    }
}
