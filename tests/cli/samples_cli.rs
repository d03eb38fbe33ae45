//! `hookscope samples`, `samples save` and `trigger` through the real binary: samples sent to an
//! endpoint of a running engine are captured verified, samples sent to a URL arrive signed with
//! exactly the field `--set` changed, and bad input is refused with nothing sent.

mod common;
#[path = "../recorder/mod.rs"]
mod recorder;

use common::{run_cli, run_cli_async, start, TestDb};
use hookscope::model::VerdictStatus;
use hookscope::store::requests::ListQuery;
use recorder::{Recorder, Reply};

const STRIPE_SECRET: &str = "whsec_test_secret_for_samples";

#[test]
fn samples_lists_the_whole_catalogue_and_one_provider_as_json() {
    let db = TestDb::new();
    let (code, stdout, stderr) = run_cli(&db.path(), &["samples"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(String::from_utf8_lossy(&stdout).lines().count() >= 150);
    let (code, stdout, _) = run_cli(&db.path(), &["samples", "stripe", "--json"]);
    assert_eq!(code, 0);
    let samples: Vec<serde_json::Value> = serde_json::from_slice(&stdout).unwrap();
    assert!(samples.iter().all(|s| s["provider"] == "stripe"));
    assert!(samples.iter().any(|s| s["event"] == "payment_intent.succeeded"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sample_triggered_at_an_endpoint_is_captured_verified() {
    let db = TestDb::new();
    common::add_stripe_endpoint(&db.path(), STRIPE_SECRET).await;
    let engine = start(&db.path()).await;
    let listen = engine.local_addr().to_string();
    let (code, stdout, stderr) = run_cli_async(
        &db.path(),
        &[
            "trigger",
            "stripe",
            "payment_intent.succeeded",
            "--endpoint",
            "stripe",
            "--listen",
            &listen,
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        String::from_utf8_lossy(&stdout).contains("-> 200"),
        "{}",
        String::from_utf8_lossy(&stdout)
    );
    let rows = common::newest(&engine, 10).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].endpoint_name.as_deref(), Some("stripe"));
    assert_eq!(rows[0].signature_status, Some(VerdictStatus::Verified));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sample_sent_to_a_url_changes_exactly_the_set_field_and_is_recorded_with_its_delivery() {
    let db = TestDb::new();
    let mut target = Recorder::start(|_| Reply::status(204)).await;
    let url = target.url("/hooks");
    let (code, stdout, stderr) = run_cli_async(
        &db.path(),
        &[
            "trigger",
            "stripe",
            "payment_intent.succeeded",
            "--to",
            &url,
            "--secret",
            STRIPE_SECRET,
            "--set",
            "/data/object/amount=4200",
            "-H",
            "X-Test: yes",
            "--json",
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    let attempt: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(attempt["response"]["status"], 204);
    let received = target.next().await;
    assert_eq!(received.header("X-Test"), Some("yes"));
    assert!(received.header("Stripe-Signature").is_some_and(|s| s.starts_with("t=")));
    let body: serde_json::Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(body["data"]["object"]["amount"], 4200);
    assert_eq!(body["data"]["object"]["amount_received"], 2000, "the other fields stay");

    // What was sent is stored (source sample) with its delivery, like a replay.
    let workbench = hookscope::Workbench::open(&db.path(), Default::default())
        .await
        .unwrap();
    let rows = workbench
        .list_requests(ListQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].source.as_str(), "sample");
    let deliveries = workbench.deliveries_of(rows[0].id.clone()).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].status(), Some(204));
}

#[test]
fn bad_input_is_refused_in_words_and_nothing_is_sent() {
    let db = TestDb::new();
    let closed = "http://127.0.0.1:9/x";
    for (args, words) in [
        (
            &[
                "trigger",
                "stripe",
                "payment_intent.succeded",
                "--to",
                closed,
                "--secret",
                "s",
            ][..],
            "payment_intent.succeeded",
        ),
        (
            &["trigger", "strpe", "invoice.paid", "--to", closed, "--secret", "s"][..],
            "stripe",
        ),
        (&["trigger", "stripe", "invoice.paid", "--to", closed][..], "secret"),
        (
            &[
                "trigger",
                "stripe",
                "invoice.paid",
                "--to",
                closed,
                "--secret",
                "s",
                "--set",
                "/no/such=1",
            ][..],
            "/no/such",
        ),
        (
            &[
                "trigger",
                "stripe",
                "invoice.paid",
                "--to",
                closed,
                "--secret",
                "s",
                "--set",
                "/data=not json",
            ][..],
            "JSON",
        ),
    ] {
        let (code, _, stderr) = run_cli(&db.path(), args);
        assert_ne!(code, 0, "{args:?}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
    let (_, stdout, _) = run_cli(&db.path(), &["list", "--json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&stdout).unwrap(),
        serde_json::json!([])
    );

    // An unreachable target is an answer in words, exit 1.
    let (code, stdout, _) = run_cli(
        &db.path(),
        &["trigger", "stripe", "invoice.paid", "--to", closed, "--secret", "s"],
    );
    assert_eq!(code, 1);
    assert!(
        String::from_utf8_lossy(&stdout).contains("failed"),
        "{}",
        String::from_utf8_lossy(&stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_captured_request_saved_as_a_sample_is_listed_and_triggered_like_a_built_in_one() {
    let db = TestDb::new();
    common::add_stripe_endpoint(&db.path(), STRIPE_SECRET).await;
    let engine = start(&db.path()).await;
    let listen = engine.local_addr().to_string();
    common::trigger_stripe(&db.path(), &listen, "invoice.paid", &[]).await;
    let captured = common::newest(&engine, 1).await.remove(0);
    let (code, _, stderr) = run_cli_async(&db.path(), &["samples", "save", &captured.id, "my.invoice"]).await;
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = run_cli_async(&db.path(), &["samples", "stripe", "--json"]).await;
    let samples: Vec<serde_json::Value> = serde_json::from_slice(&stdout).unwrap();
    let saved = samples.iter().find(|s| s["event"] == "my.invoice").expect("listed");
    assert_eq!(saved["source"], "user");
    common::trigger_stripe(&db.path(), &listen, "my.invoice", &[]).await;
    let newest = common::newest(&engine, 1).await.remove(0);
    assert_eq!(newest.signature_status, Some(VerdictStatus::Verified));
    engine.shutdown().await;
}
