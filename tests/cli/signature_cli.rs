//! `hookscope verify` / `hookscope sign` through the real binary, and verdicts stored at capture
//! time and re-checked after an endpoint's secrets change, through a real listener and database.

mod common;

use std::path::{Path, PathBuf};

use hookscope::model::{NewEndpoint, VerdictStatus};
use hookscope::store;

/// GitHub's documented example (also in published-vectors.json).
const GITHUB_SECRET: &str = "It's a Secret to Everybody";
const GITHUB_SIGNATURE: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

fn write_request(dir: &Path, name: &str, head: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    let mut bytes = head.replace('\n', "\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body.as_bytes());
    std::fs::write(&path, bytes).unwrap();
    path
}

fn github_request(dir: &Path) -> PathBuf {
    let head = format!(
        "POST /webhook HTTP/1.1\nHost: example.com\nX-GitHub-Event: ping\nX-Hub-Signature-256: {GITHUB_SIGNATURE}\nContent-Length: 13\n"
    );
    write_request(dir, "github.http", &head, "Hello, World!")
}

fn cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let (code, stdout, stderr) = common::run_cli(&dir.join("unused.db"), args);
    (code, String::from_utf8(stdout).unwrap(), stderr)
}

#[test]
fn verify_exits_0_for_a_valid_signature_and_names_the_detected_provider() {
    let dir = tempfile::tempdir().unwrap();
    let file = github_request(dir.path());
    let (code, stdout, _) = cli(
        dir.path(),
        &["verify", "--request", file.to_str().unwrap(), "--secret", GITHUB_SECRET],
    );
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.trim(), "valid: github (detected) with secret #1");
}

#[test]
fn verify_exits_1_for_a_wrong_secret_with_json_naming_the_failed_step() {
    let dir = tempfile::tempdir().unwrap();
    let file = github_request(dir.path());
    let args = [
        "verify",
        "--request",
        file.to_str().unwrap(),
        "--secret",
        "nope",
        "--provider",
        "github",
        "--json",
    ];
    let (code, stdout, _) = cli(dir.path(), &args);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["provider"], "github");
    assert_eq!(json["valid"], false);
    assert_eq!(json["matched_secret"], serde_json::Value::Null);
    assert_eq!(json["diagnosis"], "signature_mismatch");
    assert!(json["reason"].as_str().unwrap().contains("no configured secret"));
    assert!(!stdout.contains("nope"), "the secret is never printed: {stdout}");
}

#[test]
fn verify_json_reports_which_of_several_secrets_matched() {
    let dir = tempfile::tempdir().unwrap();
    let file = github_request(dir.path());
    let path = file.to_str().unwrap();
    let args = [
        "verify",
        "--request",
        path,
        "--secret",
        "newer",
        "--secret",
        GITHUB_SECRET,
        "--json",
    ];
    let (code, stdout, _) = cli(dir.path(), &args);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["matched_secret"], 1);
    assert_eq!(json["diagnosis"], "older_secret");
}

#[test]
fn verify_exits_1_for_a_missing_signature() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_request(dir.path(), "plain.http", "POST /x HTTP/1.1\nHost: a\n", "{}");
    let args = [
        "verify",
        "--request",
        file.to_str().unwrap(),
        "--secret",
        "s",
        "--provider",
        "stripe",
        "--json",
    ];
    let (code, stdout, _) = cli(dir.path(), &args);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["status"], "unsigned");
    assert!(json["reason"].as_str().unwrap().contains("Stripe-Signature"));
}

#[test]
fn verify_exits_2_for_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = github_request(dir.path());
    let missing = dir.path().join("missing.http");
    let (code, _, stderr) = cli(dir.path(), &["verify", "--request", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("could not read"), "{stderr}");
    let (code, _, stderr) = cli(
        dir.path(),
        &["verify", "--request", file.to_str().unwrap(), "--provider", "nosuch"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown provider"), "{stderr}");
    let (code, _, _) = cli(dir.path(), &["verify", "--secret", "x"]);
    assert_eq!(code, 2);
    let garbage = write_request(dir.path(), "garbage.http", "not http at all", "");
    let (code, _, stderr) = cli(dir.path(), &["verify", "--request", garbage.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn verify_uses_now_for_the_timestamp_check() {
    // Slack's documented example, signed in 2018.
    let dir = tempfile::tempdir().unwrap();
    let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    let head = "POST /slack HTTP/1.1\nHost: example.com\nX-Slack-Request-Timestamp: 1531420618\nX-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503\nContent-Type: application/x-www-form-urlencoded\n";
    let file = write_request(dir.path(), "slack.http", head, body);
    let path = file.to_str().unwrap();
    let secret = "8f742231b10e8888abcd99yyyzzz85a5";
    let (code, _, _) = cli(
        dir.path(),
        &["verify", "--request", path, "--secret", secret, "--now", "1531420648"],
    );
    assert_eq!(code, 0);
    let (code, stdout, _) = cli(dir.path(), &["verify", "--request", path, "--secret", secret, "--json"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("timestamp_outside_tolerance"), "{stdout}");
}

#[test]
fn verify_needs_the_public_url_for_twilio_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let body = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
    let head = "POST /myapp.php?foo=1&bar=2 HTTP/1.1\nHost: mycompany.com\nContent-Type: application/x-www-form-urlencoded\nX-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8=\n";
    let file = write_request(dir.path(), "twilio.http", head, body);
    let path = file.to_str().unwrap();
    let (code, stdout, _) = cli(
        dir.path(),
        &["verify", "--request", path, "--secret", "12345", "--json"],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("url_mismatch") && stdout.contains("https://mycompany.com/myapp.php"),
        "{stdout}"
    );
    for url in ["https://mycompany.com/myapp.php?foo=1&bar=2", "https://mycompany.com"] {
        let (code, stdout, _) = cli(
            dir.path(),
            &["verify", "--request", path, "--secret", "12345", "--url", url],
        );
        assert_eq!(code, 0, "{url}: {stdout}");
    }
}

#[test]
fn sign_prints_a_request_that_verify_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"id":"evt_1","type":"invoice.paid"}"#;
    let head = format!(
        "POST /stripe HTTP/1.1\nHost: example.com\nContent-Type: application/json\nContent-Length: {}\n",
        body.len()
    );
    let file = write_request(dir.path(), "unsigned.http", &head, body);
    let args = [
        "sign",
        "--provider",
        "stripe",
        "--secret",
        "whsec_abc",
        "--request",
        file.to_str().unwrap(),
        "--now",
        "1700000000",
    ];
    let (code, stdout, stderr) = cli(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Stripe-Signature: t=1700000000,v1="), "{stdout}");
    assert!(stdout.ends_with(body), "the body is printed unchanged");
    let signed = dir.path().join("signed.http");
    std::fs::write(&signed, &stdout).unwrap();
    let signed = signed.to_str().unwrap();
    let (code, stdout, _) = cli(
        dir.path(),
        &[
            "verify",
            "--request",
            signed,
            "--secret",
            "whsec_abc",
            "--now",
            "1700000100",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("valid: stripe (detected)"));
    let (code, _, _) = cli(
        dir.path(),
        &[
            "verify",
            "--request",
            signed,
            "--secret",
            "whsec_other",
            "--now",
            "1700000100",
        ],
    );
    assert_eq!(code, 1);
    let (code, _, stderr) = cli(
        dir.path(),
        &[
            "sign",
            "--provider",
            "nosuch",
            "--secret",
            "s",
            "--request",
            &file.to_string_lossy(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
}

/// A GitHub request for the listener, signed with `secret`.
fn github_post(secret: &str, body: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    format!(
        "X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256={}\r\n",
        hex::encode(mac.finalize().into_bytes())
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captured_requests_are_verified_and_re_verified_when_secrets_change() {
    let db = common::TestDb::new();
    let engine = common::start(&db.path()).await;
    let store = engine.store().clone();
    let endpoint = store
        .write(|conn| {
            store::endpoints::insert(
                conn,
                &NewEndpoint {
                    name: "gh".into(),
                    path_prefix: "/gh".into(),
                    provider: Some("github".into()),
                    secrets: vec!["old-secret".into()],
                    ..Default::default()
                },
            )
        })
        .await
        .unwrap();
    engine.reload_endpoints().await.unwrap();

    let addr = engine.local_addr();
    let body = r#"{"ref":"refs/heads/main"}"#;
    let signed_with_new = github_post("new-secret", body);
    let id = tokio::task::spawn_blocking(move || {
        let response = common::post(addr, "/gh/push", &signed_with_new, body.as_bytes());
        common::answered_id(&response)
    })
    .await
    .unwrap();
    let stored_verdict = |store: store::Store, id: String| async move {
        store
            .read(move |conn| store::requests::get(conn, &id))
            .await
            .unwrap()
            .unwrap()
            .signature
            .unwrap()
    };
    let verdict = stored_verdict(store.clone(), id.clone()).await;
    assert_eq!(verdict.status, VerdictStatus::Failed, "{verdict:?}");
    assert_eq!(verdict.provider.as_deref(), Some("github"));

    // The user pastes the new secret and keeps the old one: stored requests are re-checked.
    let mut changed = endpoint.clone();
    changed.secrets = vec!["new-secret".into(), "old-secret".into()];
    let changed = store
        .write(move |conn| store::endpoints::update(conn, &changed))
        .await
        .unwrap();
    let count = engine.workbench().recheck_endpoint(&changed).await.unwrap();
    assert_eq!(count, 1);
    let verdict = stored_verdict(store.clone(), id.clone()).await;
    assert_eq!(verdict.status, VerdictStatus::Verified, "{verdict:?}");
    assert_eq!(verdict.matched_secret, Some(0));
    engine.shutdown().await;
}

#[test]
fn verify_reads_the_request_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(github_request(dir.path())).unwrap();
    let mut child = common::hookscope(&dir.path().join("unused.db"))
        .args(["verify", "--request", "-", "--secret", GITHUB_SECRET])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("valid: github"));
}

#[tokio::test]
async fn stored_requests_are_re_verified_judged_at_their_arrival_time() {
    let db = common::TestDb::new();
    let workbench = hookscope::Workbench::open(&db.path(), Default::default())
        .await
        .unwrap();
    let mut conn = store::open_database(&db.path()).unwrap();
    let endpoint = store::endpoints::insert(
        &mut conn,
        &NewEndpoint {
            name: "slack".into(),
            path_prefix: "/slack".into(),
            provider: Some("slack".into()),
            secrets: vec!["wrong".into()],
            ..Default::default()
        },
    )
    .unwrap();
    // Slack's documented example, received a few seconds after it was signed in 2018: its
    // timestamp is judged against that arrival, not against today's clock.
    let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    let request = hookscope::model::CapturedRequest {
        endpoint_id: Some(endpoint.id),
        endpoint_name: Some("slack".into()),
        received_at_ns: 1_531_420_648 * 1_000_000_000,
        source: hookscope::model::CaptureSource::Imported,
        headers: vec![
            hookscope::model::HeaderField::new("X-Slack-Request-Timestamp", "1531420618"),
            hookscope::model::HeaderField::new(
                "X-Slack-Signature",
                "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            ),
            hookscope::model::HeaderField::new("Content-Type", "application/x-www-form-urlencoded"),
        ],
        ..hookscope::model::CapturedRequest::posted("01HSLACKEXAMPLE0000000000", "/slack", body.as_bytes().to_vec())
    };
    store::requests::insert(&conn, &request).unwrap();
    let mut endpoint = endpoint;
    endpoint.secrets = vec!["8f742231b10e8888abcd99yyyzzz85a5".into()];
    assert_eq!(workbench.recheck_endpoint(&endpoint).await.unwrap(), 1);
    let stored = store::requests::get(&conn, &request.id).unwrap().unwrap();
    let verdict = stored.signature.unwrap();
    assert_eq!(verdict.status, VerdictStatus::Verified, "{verdict:?}");
    endpoint.secrets = vec!["another".into()];
    workbench.recheck_endpoint(&endpoint).await.unwrap();
    let verdict = store::requests::get(&conn, &request.id)
        .unwrap()
        .unwrap()
        .signature
        .unwrap();
    assert_eq!(verdict.status, VerdictStatus::Failed);
}
