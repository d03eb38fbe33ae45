//! The sample-event catalogue: every sample builds, is signed so that Hookscope's verifier (and
//! its listener) accepts it, has a body valid for its content type and no placeholder left;
//! `--set` edits change exactly one field; bad input is refused in words; a captured request
//! saved as a user sample round-trips.

mod common;

use base64::Engine as _;
use hookscope::model::{CapturedRequest, EngineEvent, HeaderField, NewEndpoint, OutgoingRequest, VerdictStatus};
use hookscope::samples::{build, save_captured, BuildOptions, Catalogue, FieldEdit, Sample, SampleError, SampleSource};
use hookscope::signature::crypto::{Algorithm, KeyEncoding};
use hookscope::signature::{self, table, SignableRequest};
use hookscope::store::{endpoints, requests};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
/// A fixed instant to build and verify with (2025-12-06T05:46:40Z).
const NOW_MS: i64 = 1_765_000_000_000;
const NOW: i64 = NOW_MS / 1000;
const VERIFY_TOKEN: &str = "meta-verify-token";
const SNS_KEY: &str = include_str!("fixtures/samples/sns-signing-key.pem");
const SNS_PUBLIC: &str = include_str!("fixtures/samples/sns-signing-key.pub.pem");

/// The 15 most used providers: each has at least five event samples (handshakes aside).
const TOP: &[&str] = &[
    "stripe",
    "github",
    "shopify",
    "slack",
    "twilio",
    "svix",
    "standard_webhooks",
    "clerk",
    "resend",
    "sendgrid",
    "paddle",
    "square",
    "zoom",
    "discord",
    "linear",
    "intercom",
];

/// A signing secret of the right kind for `provider` and the secret that verifies it.
fn keys_for(provider: &str) -> (String, String) {
    let scheme = &table::find(provider).expect("built-in provider").scheme;
    match (scheme.algorithm, scheme.key) {
        (Algorithm::Ed25519, _) => {
            let seed = [7u8; 32];
            let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes();
            (hex::encode(seed), hex::encode(public))
        }
        (Algorithm::EcdsaP256, _) => {
            use p256::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _};
            let key = p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap();
            let private = B64.encode(key.to_pkcs8_der().unwrap().as_bytes());
            let public = B64.encode(key.verifying_key().to_public_key_der().unwrap().as_bytes());
            (private, public)
        }
        (Algorithm::RsaPkcs1, _) => (SNS_KEY.to_owned(), SNS_PUBLIC.to_owned()),
        (_, KeyEncoding::Whsec) => both(format!("whsec_{}", B64.encode(b"sample-signing-secret"))),
        (_, KeyEncoding::Base64) => both(B64.encode(b"sample-signing-secret")),
        (_, KeyEncoding::Hex) => both(hex::encode(b"sample-signing-secret")),
        (Algorithm::Token, _) => both("hookscope:s4mple-pa55".to_owned()),
        _ => both("sample-signing-secret".to_owned()),
    }
}

fn both(secret: String) -> (String, String) {
    (secret.clone(), secret)
}

fn options(sample: &Sample, url: &str) -> BuildOptions {
    BuildOptions {
        url: url.to_owned(),
        secret: Some(keys_for(&sample.provider).0),
        verify_token: Some(VERIFY_TOKEN.to_owned()),
        now_ms: Some(NOW_MS),
        ..BuildOptions::default()
    }
}

fn view(request: &OutgoingRequest) -> SignableRequest<'_> {
    let target = url::Url::parse(&request.url).unwrap()[url::Position::BeforePath..].to_owned();
    SignableRequest::new(
        &request.method,
        &target,
        &request.headers,
        &request.body,
        Some(&request.url),
    )
}

fn verify(provider: Option<&str>, secret: &str, request: &OutgoingRequest) -> hookscope::model::SignatureVerdict {
    signature::verify(provider, &[secret.to_owned()], &view(request), NOW + 1, None)
}

/// The body is what its content type says: JSON parses, a form decodes into named UTF-8 fields.
fn assert_body_valid(sample: &Sample, request: &OutgoingRequest) {
    let what = format!("{} {}", sample.provider, sample.event);
    let content_type = request.header("content-type").unwrap_or_default().to_ascii_lowercase();
    let text = std::str::from_utf8(&request.body).unwrap_or_else(|_| panic!("{what}: body is not UTF-8"));
    if content_type.contains("json") || text.trim_start().starts_with(['{', '[']) {
        serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("{what}: not JSON: {e}\n{text}"));
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        assert!(!text.is_empty(), "{what}: empty form");
        for pair in text.split('&') {
            let (name, value) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("{what}: form item {pair:?}"));
            assert!(!name.is_empty(), "{what}: form item without a name");
            percent_encoding::percent_decode_str(&value.replace('+', " "))
                .decode_utf8()
                .unwrap_or_else(|_| panic!("{what}: form value {value:?} is not UTF-8"));
        }
    } else {
        assert!(
            text.is_empty(),
            "{what}: a body without a known content type ({content_type:?})"
        );
    }
}

fn assert_filled(sample: &Sample, request: &OutgoingRequest) {
    let what = format!("{} {}", sample.provider, sample.event);
    assert!(
        !request.url.contains("{{") && !request.url.contains("%7B%7B"),
        "{what}: {}",
        request.url
    );
    for header in &request.headers {
        assert!(!header.value.contains("{{"), "{what}: header {header:?}");
    }
    let body = String::from_utf8_lossy(&request.body);
    assert!(!body.contains("{{"), "{what}: placeholder left in\n{body}");
}

#[test]
fn every_sample_builds_signed_with_a_valid_body_and_no_placeholder_left() {
    let catalogue = Catalogue::builtin();
    assert!(catalogue.problems().is_empty(), "{:#?}", catalogue.problems());
    for sample in catalogue.samples() {
        let what = format!("{} {}", sample.provider, sample.event);
        assert!(!sample.description.is_empty(), "{what}: no description");
        let url = format!("https://hooks.example.com/in/{}", sample.provider);
        let request = build(sample, &options(sample, &url)).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_filled(sample, &request);
        assert_body_valid(sample, &request);
        let (_, verifying) = keys_for(&sample.provider);
        let verdict = verify(Some(&sample.provider), &verifying, &request);
        if !sample.signed {
            assert_eq!(
                verdict.status,
                VerdictStatus::Unsigned,
                "{what}: marked unsigned: {verdict:?}"
            );
            assert!(sample.handshake, "{what}: only handshakes go unsigned");
            continue;
        }
        assert_eq!(verdict.status, VerdictStatus::Verified, "{what}: {verdict:?}");
        let provider = table::find(&sample.provider).unwrap();
        if !provider.detect.is_empty() {
            // Samples carry their provider's identifying headers, as real deliveries do.
            let detected = verify(None, &verifying, &request);
            assert_eq!(
                detected.status,
                VerdictStatus::Verified,
                "{what} detected: {detected:?}"
            );
        }
        if provider.scheme.tolerance.is_some() {
            // The timestamp signed is the build's own: a day later the same request is stale.
            let late = signature::verify(
                Some(&sample.provider),
                std::slice::from_ref(&verifying),
                &view(&request),
                NOW + 86_400,
                None,
            );
            assert_eq!(
                late.diagnosis.as_deref(),
                Some("timestamp_outside_tolerance"),
                "{what}: {late:?}"
            );
        }
    }
}

#[test]
fn the_catalogue_has_150_samples_over_every_built_in_provider() {
    let catalogue = Catalogue::builtin();
    let samples = catalogue.samples();
    assert!(samples.len() >= 150, "only {} samples", samples.len());
    for id in signature::provider_ids() {
        assert!(samples.iter().any(|s| s.provider == id), "no sample for provider {id}");
    }
    for id in TOP {
        let events = samples.iter().filter(|s| s.provider == *id && !s.handshake).count();
        assert!(events >= 5, "{id} has {events} event samples, fewer than 5");
    }
    for (provider, event) in [
        ("slack", "url_verification"),
        ("facebook_graph_api", "hub.challenge"),
        ("whatsapp", "hub.challenge"),
        ("instagram", "hub.challenge"),
        ("facebook_messenger", "hub.challenge"),
        ("zoom", "endpoint.url_validation"),
        ("twitter", "crc"),
        ("microsoft_graph", "validation"),
        ("dropbox", "challenge"),
        ("twitch", "webhook_callback_verification"),
        ("xero", "intent_to_receive"),
        ("worldline", "endpoint_verification"),
    ] {
        let sample = catalogue.get(provider, event).unwrap_or_else(|e| panic!("{e}"));
        assert!(sample.handshake, "{provider} {event} is a handshake");
    }
    let listed = catalogue.list(Some("Stripe")).unwrap();
    assert!(
        listed.len() >= 5
            && listed
                .iter()
                .all(|s| s.provider == "stripe" && s.source == SampleSource::Builtin)
    );
}

#[test]
fn the_embedded_catalogue_is_every_file_of_the_catalogue_folder() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/samples/catalogue");
    let mut on_disk = 0;
    for provider in std::fs::read_dir(&folder).unwrap() {
        let provider = provider.unwrap();
        for file in std::fs::read_dir(provider.path()).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            assert!(name.ends_with(".http") && !name.starts_with('.'), "stray file {name}");
            on_disk += 1;
        }
    }
    assert_eq!(
        Catalogue::builtin().samples().len(),
        on_disk,
        "the binary embeds another catalogue than the folder holds: `touch src/samples/catalogue.rs` and rebuild"
    );
}

#[test]
fn docs_list_every_built_in_sample() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/samples.md")).unwrap();
    let catalogue = Catalogue::builtin();
    for sample in catalogue.samples() {
        let row = format!("| `{}` | `{}` |", sample.provider, sample.event);
        assert!(doc.contains(&row), "docs/samples.md lacks the row {row}");
    }
    let table = doc.split("## The catalogue").nth(1).expect("a catalogue section");
    let rows = table.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        rows,
        catalogue.samples().len(),
        "docs/samples.md lists samples that do not exist"
    );
    let count = format!("({} samples over", catalogue.samples().len());
    assert!(doc.contains(&count), "docs/samples.md should say {count}");
}

/// Builds a sample once, then again from that filled body with `edits`: the two bodies differ
/// only where the edits say.
fn built_and_edited(provider: &str, event: &str, edits: &[&str]) -> (OutgoingRequest, OutgoingRequest) {
    let catalogue = Catalogue::builtin();
    let sample = catalogue.get(provider, event).unwrap();
    let url = "https://hooks.example.com/in";
    let first = build(sample, &options(sample, url)).unwrap();
    let edited = BuildOptions {
        body: Some(first.body.clone()),
        edits: edits.iter().map(|e| e.parse().unwrap()).collect(),
        ..options(sample, url)
    };
    (first.clone(), build(sample, &edited).unwrap())
}

/// `after` is `before` with the bytes of `old` (found once) replaced by `new`, nothing else.
fn assert_only_change(before: &[u8], after: &[u8], old: &str, new: &str) {
    let before = std::str::from_utf8(before).unwrap();
    let after = std::str::from_utf8(after).unwrap();
    let at = before.find(old).expect("old value present");
    assert_eq!(&after[..at], &before[..at], "bytes before the field changed");
    assert_eq!(&after[at..at + new.len()], new);
    assert_eq!(
        &after[at + new.len()..],
        &before[at + old.len()..],
        "bytes after the field changed"
    );
}

#[test]
fn set_changes_exactly_the_named_field_and_the_result_is_signed() {
    let (before, after) = built_and_edited("stripe", "payment_intent.succeeded", &["/data/object/amount=4200"]);
    assert_only_change(&before.body, &after.body, "\"amount\": 2000", "\"amount\": 4200");
    assert_eq!(
        verify(Some("stripe"), &keys_for("stripe").1, &after).status,
        VerdictStatus::Verified
    );

    let (before, after) = built_and_edited(
        "stripe",
        "payment_intent.succeeded",
        &["/data/object/metadata={\"order_id\": \"42\", \"gift\": true}"],
    );
    assert_only_change(
        &before.body,
        &after.body,
        "{\"order_id\": \"1042\"}",
        "{\"order_id\": \"42\", \"gift\": true}",
    );

    // Form bodies (Twilio) take a field name; the URL-and-form signature still verifies.
    let (before, after) = built_and_edited("twilio", "sms.received", &["/Body=\"Où est ma commande?\""]);
    assert_only_change(
        &before.body,
        &after.body,
        "Body=Hi+there%21+Is+my+order+shipped%3F",
        "Body=O%C3%B9+est+ma+commande%3F",
    );
    assert_eq!(
        verify(Some("twilio"), &keys_for("twilio").1, &after).status,
        VerdictStatus::Verified
    );

    let (before, after) = built_and_edited("github", "push", &["/commits/0/message=\"Fix the build\""]);
    let old = serde_json::from_slice::<serde_json::Value>(&before.body).unwrap()["commits"][0]["message"].to_string();
    assert_only_change(&before.body, &after.body, &old, "\"Fix the build\"");
    assert_eq!(
        verify(Some("github"), &keys_for("github").1, &after).status,
        VerdictStatus::Verified
    );
}

#[test]
fn bad_input_is_refused_in_words_that_name_it() {
    let catalogue = Catalogue::builtin();
    let error = catalogue.get("strpe", "payment_intent.succeeded").unwrap_err();
    assert!(
        matches!(&error, SampleError::UnknownProvider { closest, .. } if closest.first().map(String::as_str) == Some("stripe")),
        "{error}"
    );
    assert!(catalogue.list(Some("nope-provider")).is_err());
    let error = catalogue.get("stripe", "payment_intent.suceeded").unwrap_err();
    assert!(
        matches!(&error, SampleError::UnknownEvent { closest, .. } if closest[0] == "payment_intent.succeeded"),
        "{error}"
    );
    assert!(
        error.to_string().contains("closest: payment_intent.succeeded"),
        "{error}"
    );

    let sample = catalogue.get("stripe", "payment_intent.succeeded").unwrap();
    let with_edit = |edit: &str| {
        let edits = vec![FieldEdit {
            pointer: edit.split_once('=').unwrap().0.to_owned(),
            value: edit.split_once('=').unwrap().1.to_owned(),
        }];
        build(
            sample,
            &BuildOptions {
                edits,
                ..options(sample, "http://h/")
            },
        )
        .unwrap_err()
    };
    let error = with_edit("/data/objet/amount=1");
    assert!(matches!(&error, SampleError::PointerNotFound { pointer, .. } if pointer == "/data/objet/amount"));
    assert!(error.to_string().contains("has no field \"objet\""), "{error}");
    let error = with_edit("/data/object/customer=cus_42");
    assert!(
        matches!(&error, SampleError::ValueNotJson { value, .. } if value == "cus_42"),
        "{error}"
    );
    assert!("/data/object/customer=cus_42".parse::<FieldEdit>().is_err());

    let no_secret = BuildOptions {
        secret: None,
        ..options(sample, "http://h/")
    };
    let error = build(sample, &no_secret).unwrap_err();
    assert_eq!(error.to_string().split(':').next(), Some("no secret known for stripe"));
    // A preview (the app's editor) needs no secret and carries no signature.
    let preview = build(
        sample,
        &BuildOptions {
            skip_signing: true,
            ..no_secret
        },
    )
    .unwrap();
    assert_eq!(
        verify(Some("stripe"), "whsec_x", &preview).status,
        VerdictStatus::Unsigned
    );

    let meta = catalogue.get("whatsapp", "hub.challenge").unwrap();
    let error = build(
        meta,
        &BuildOptions {
            verify_token: None,
            ..options(meta, "http://h/")
        },
    )
    .unwrap_err();
    assert!(matches!(error, SampleError::NoVerifyToken { .. }), "{error}");
    let crc = catalogue.get("twitter", "crc").unwrap();
    let edits = vec!["/x=1".parse().unwrap()];
    let error = build(
        crc,
        &BuildOptions {
            edits,
            ..options(crc, "http://h/")
        },
    )
    .unwrap_err();
    assert!(matches!(error, SampleError::BodyNotJson { .. }), "{error}");
}

#[test]
fn a_broken_user_file_is_reported_and_the_rest_still_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("stripe")).unwrap();
    std::fs::create_dir_all(dir.path().join("not_a_provider")).unwrap();
    std::fs::write(
        dir.path().join("stripe/broken.http"),
        "# description: x\nno request line here\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("stripe/fine.http"),
        "# description: mine\nPOST /\n\n{}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("not_a_provider/x.http"), "POST /\n").unwrap();
    std::fs::write(dir.path().join("stripe/notes.txt"), "ignored").unwrap();
    let catalogue = Catalogue::load(Some(dir.path()));
    assert_eq!(catalogue.problems().len(), 2, "{:#?}", catalogue.problems());
    assert!(catalogue.problems().iter().any(|p| p.contains("broken.http")));
    assert!(catalogue.problems().iter().any(|p| p.contains("not_a_provider")));
    let fine = catalogue.get("stripe", "fine").unwrap();
    assert_eq!((fine.source, fine.body.as_slice()), (SampleSource::User, &b"{}"[..]));
    assert_eq!(
        Catalogue::load(Some(&dir.path().join("missing"))).samples().len(),
        Catalogue::builtin().samples().len()
    );
}

// ------------------------------------------------------------------ over the real listener

struct Listener {
    _db: common::TestDb,
    engine: hookscope::Engine,
    client: reqwest::Client,
}

impl Listener {
    /// A running engine with one endpoint per provider at `/p/<provider>`, answering handshakes,
    /// verifying with the secret that checks what [`keys_for`] signs.
    async fn start(providers: &[&str]) -> Listener {
        let db = common::TestDb::new();
        let mut conn = hookscope::store::open_database(&db.path()).expect("database");
        for provider in providers {
            let (signing, verifying) = keys_for(provider);
            // Handshakes answered with a secret (Zoom, Twitter, Xero) use the signing secret.
            let secrets = if signing == verifying {
                vec![verifying]
            } else {
                vec![verifying, signing]
            };
            let endpoint = NewEndpoint {
                name: provider.to_string(),
                path_prefix: format!("/p/{provider}"),
                provider: Some(provider.to_string()),
                secrets,
                verify_token: Some(VERIFY_TOKEN.to_owned()),
                handshake_enabled: true,
                ..NewEndpoint::default()
            };
            endpoints::insert(&mut conn, &endpoint).expect("endpoint stored");
        }
        drop(conn);
        let engine = common::start(&db.path()).await;
        Listener {
            _db: db,
            engine,
            client: reqwest::Client::new(),
        }
    }

    fn url(&self, provider: &str) -> String {
        format!("{}/p/{provider}", self.engine.local_url())
    }

    /// Sends a built request; returns the status answered and the request as stored.
    async fn send(&self, request: &OutgoingRequest) -> (u16, CapturedRequest) {
        let mut events = self.engine.subscribe();
        let mut builder = self
            .client
            .request(request.method.parse().unwrap(), &request.url)
            .body(request.body.clone());
        for header in &request.headers {
            builder = builder.header(&header.name, &header.value);
        }
        let status = builder.send().await.expect("answered").status().as_u16();
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
            .expect("stored");
        (status, stored)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sample_sent_to_the_listener_is_captured_verified_or_answered_as_a_handshake() {
    let catalogue = Catalogue::builtin();
    let providers = signature::provider_ids();
    let listener = Listener::start(&providers).await;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    for sample in catalogue.samples() {
        let what = format!("{} {}", sample.provider, sample.event);
        let options = BuildOptions {
            now_ms: Some(now_ms),
            ..options(sample, &listener.url(&sample.provider))
        };
        let request = build(sample, &options).unwrap();
        let (status, stored) = listener.send(&request).await;
        assert_eq!(stored.body, request.body, "{what}: body changed on the way");
        if sample.signed {
            let verdict = stored
                .signature
                .as_ref()
                .unwrap_or_else(|| panic!("{what}: no verdict"));
            assert_eq!(verdict.status, VerdictStatus::Verified, "{what}: {verdict:?}");
        }
        if sample.handshake {
            let note = stored.response.note.as_deref().unwrap_or_default();
            assert_eq!(status, 200, "{what}: {note}");
            assert!(note.starts_with("Hookscope answered"), "{what}: {note}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_captured_request_saved_as_a_user_sample_round_trips() {
    let listener = Listener::start(&["stripe", "microsoft_graph", "postmark", "linear"]).await;
    let users = tempfile::tempdir().unwrap();
    let catalogue = Catalogue::builtin();
    for (provider, event) in [
        ("stripe", "invoice.paid"),
        ("microsoft_graph", "change_notification"),
        ("postmark", "delivery"),
        ("linear", "Issue.create"),
    ] {
        let sample = catalogue.get(provider, event).unwrap();
        let mut sending = options(sample, &format!("{}/extra?x=1", listener.url(provider)));
        sending.now_ms = None;
        sending.headers = vec![HeaderField::new("X-Trace", "kept-{{digits:6}}")];
        let sent = build(sample, &sending).unwrap();
        let (_, captured) = listener.send(&sent).await;
        assert_eq!(captured.signature.as_ref().unwrap().status, VerdictStatus::Verified);

        let name = format!("saved/{event}");
        let prefix = format!("/p/{provider}");
        let path = save_captured(users.path(), provider, &name, &captured, Some(&prefix)).unwrap();
        let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        let (signing, _) = keys_for(provider);
        assert!(
            !text.contains(&signing),
            "{provider}: the saved file holds the secret:\n{text}"
        );
        assert!(
            !text.to_ascii_lowercase().contains("signature:"),
            "{provider}: a signature header was kept:\n{text}"
        );

        if provider == "linear" {
            // The signed timestamp in the body is sent fresh each time.
            assert!(text.contains("\"webhookTimestamp\": {{now_ms}}"), "{text}");
        }

        let loaded = Catalogue::load(Some(users.path()));
        assert!(loaded.problems().is_empty(), "{:?}", loaded.problems());
        let listed = loaded.list(Some(provider)).unwrap();
        assert!(listed.iter().any(|s| s.event == name && s.source == SampleSource::User));
        let saved = loaded.get(provider, &name).unwrap();
        assert_eq!(saved.path, "/extra?x=1");
        assert!(saved
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("x-trace") && h.value.len() == "kept-".len() + 6));
        let resent = build(
            saved,
            &BuildOptions {
                now_ms: None,
                ..options(saved, &listener.url(provider))
            },
        )
        .unwrap();
        if provider == "stripe" {
            assert_eq!(resent.body, captured.body, "the saved body is sent byte for byte");
        }
        let (_, recaptured) = listener.send(&resent).await;
        assert_eq!(
            recaptured.signature.as_ref().unwrap().status,
            VerdictStatus::Verified,
            "{provider}"
        );
    }
}

#[test]
fn a_user_sample_replaces_the_built_in_one_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = Catalogue::builtin();
    let original = builtin.get("stripe", "payment_intent.succeeded").unwrap();
    let mut captured = CapturedRequest::posted("01TEST", "/", b"{\"mine\": true}".to_vec());
    captured.headers = vec![
        HeaderField::new("Content-Type", "application/json"),
        HeaderField::new("Stripe-Signature", "t=1,v1=00"),
    ];
    save_captured(dir.path(), "stripe", &original.event, &captured, None).unwrap();
    let catalogue = Catalogue::load(Some(dir.path()));
    assert_eq!(catalogue.samples().len(), builtin.samples().len());
    let replaced = catalogue.get("stripe", "payment_intent.succeeded").unwrap();
    assert_eq!(
        (replaced.source, replaced.body.as_slice()),
        (SampleSource::User, &b"{\"mine\": true}"[..])
    );
    assert_eq!(
        replaced.headers,
        vec![HeaderField::new("Content-Type", "application/json")]
    );
    let error = save_captured(dir.path(), "stripe", "has space", &captured, None).unwrap_err();
    assert!(matches!(error, SampleError::BadName { .. }), "{error}");
}
