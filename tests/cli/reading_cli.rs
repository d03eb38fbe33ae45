//! Reading a stream of events through the real binary: event type, delivery id and attempt in
//! `list --json`, `--event` and `--where` filters, `diff` and `schema`, over requests captured
//! by a running engine from signed sample events.

mod common;

use common::{run_cli_async, start, TestDb};

const SECRET: &str = "whsec_reading_the_stream";

async fn list(db: &TestDb, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["list", "--json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run_cli_async(&db.path(), &args).await;
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_slice(&stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn events_are_typed_counted_filtered_compared_and_described() {
    let db = TestDb::new();
    common::add_stripe_endpoint(&db.path(), SECRET).await;
    let engine = start(&db.path()).await;
    let listen = engine.local_addr().to_string();
    // The same event delivered twice (a retry), then another event type.
    common::trigger_stripe(&db.path(), &listen, "invoice.paid", &["/id=\"evt_retried\""]).await;
    common::trigger_stripe(
        &db.path(),
        &listen,
        "invoice.paid",
        &["/id=\"evt_retried\"", "/data/object/amount_paid=4200"],
    )
    .await;
    common::trigger_stripe(&db.path(), &listen, "customer.subscription.created", &[]).await;

    let rows = list(&db, &[]).await;
    assert_eq!(rows.len(), 3);
    let (newest, retry, first) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!(first["event_type"], "invoice.paid");
    assert_eq!(first["delivery_id"], "evt_retried");
    assert_eq!(first["attempt"], 1);
    assert_eq!(retry["attempt"], 2);
    assert_eq!(newest["event_type"], "customer.subscription.created");

    let paid = list(&db, &["--event", "invoice.paid"]).await;
    assert_eq!(paid.len(), 2);
    let by_field = list(&db, &["--where", "/data/object/amount_paid=4200"]).await;
    assert_eq!(by_field.len(), 1);
    assert_eq!(by_field[0]["id"], retry["id"]);
    let searched = list(&db, &["--search", "event:customer.subscription.created"]).await;
    assert_eq!(searched.len(), 1);

    let (code, _, stderr) = run_cli_async(&db.path(), &["list", "--where", "data/no-slash"]).await;
    assert_ne!(code, 0);
    assert!(stderr.contains("data/no-slash"), "{stderr}");

    let (a, b) = (first["id"].as_str().unwrap(), retry["id"].as_str().unwrap());
    let (code, stdout, stderr) = run_cli_async(&db.path(), &["diff", a, b, "--json", "--hide-volatile"]).await;
    assert_eq!(code, 0, "{stderr}");
    let diff: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let changes = diff["body"].as_array().unwrap();
    let amount = changes
        .iter()
        .find(|c| c["path"] == "/data/object/amount_paid")
        .expect("the edited field");
    assert_eq!(
        (&amount["before"], &amount["after"]),
        (&serde_json::json!(1500), &serde_json::json!(4200))
    );
    // Timestamps and ids are volatile: hidden, and counted.
    assert!(
        changes.iter().all(|c| c["path"] != "/created" && c["path"] != "/id"),
        "{diff}"
    );
    assert!(diff["hidden"].as_u64().unwrap() > 0);
    assert!(diff["headers"].as_array().unwrap().len() >= 2);
    let (code, _, stderr) = run_cli_async(&db.path(), &["diff", a, "01NOSUCHREQUEST0000000000"]).await;
    assert_ne!(code, 0);
    assert!(stderr.contains("01NOSUCHREQUEST0000000000"), "{stderr}");

    let (code, stdout, stderr) = run_cli_async(&db.path(), &["schema", "--event", "invoice.paid", "--json"]).await;
    assert_eq!(code, 0, "{stderr}");
    let inferred: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(inferred["samples"], 2);
    assert_eq!(
        inferred["schema"]["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let required = inferred["schema"]["required"].as_array().unwrap();
    assert!(required.iter().any(|r| r == "type") && required.iter().any(|r| r == "data"));
    engine.shutdown().await;
}
