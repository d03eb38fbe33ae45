//! JSON Schema inference from realistic webhook payloads: types and unions, required keys,
//! enums, examples, nested objects, merged array items, the sample count; and every sample
//! validates against the schema inferred from it.

use hookscope::event_meta;
use hookscope::event_meta::filter::{EventFilter, EventTypeMatch};
use hookscope::json_schema::{infer, InferOptions, SchemaBuilder, DRAFT_2020_12};
use hookscope::model::{CapturedRequest, HeaderField, SignatureVerdict, VerdictStatus};
use hookscope::store::{requests, Store};
use serde_json::{json, Value};

fn invoice(n: u32, status: &str, customer_email: Value, lines: Value) -> Value {
    json!({
        "id": format!("evt_{n:04}"),
        "object": "event",
        "api_version": "2024-06-20",
        "created": 1_700_000_000 + n,
        "livemode": false,
        "type": "invoice.paid",
        "data": {
            "object": {
                "id": format!("in_{n}"),
                "customer": format!("cus_{}", n % 3),
                "customer_email": customer_email,
                "amount_due": 1130 + n,
                "tax_rate": if n % 2 == 0 { json!(0.2) } else { json!(0) },
                "status": status,
                "lines": {"object": "list", "data": lines}
            }
        },
        "request": {"id": null, "idempotency_key": null}
    })
}

fn samples() -> Vec<Value> {
    vec![
        invoice(
            1,
            "paid",
            json!("a@example.com"),
            json!([{"id": "il_1", "amount": 1000, "description": "Seat"}]),
        ),
        invoice(2, "paid", json!(null), json!([])),
        invoice(
            3,
            "open",
            json!("c@example.com"),
            json!([{"id": "il_2", "amount": 500}, {"id": "il_3", "amount": 30, "proration": true}]),
        ),
        invoice(
            4,
            "paid",
            json!("d@example.com"),
            json!([{"id": "il_4", "amount": 99, "description": null}]),
        ),
    ]
}

fn validate_all(schema: &Value, samples: &[Value]) {
    let validator = jsonschema::draft202012::new(schema).expect("the inferred schema is a valid schema");
    for sample in samples {
        let errors: Vec<String> = validator.iter_errors(sample).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{sample} does not validate: {errors:?}");
    }
}

#[test]
fn stripe_invoices_give_types_unions_required_enums_and_examples() {
    let samples = samples();
    let bodies: Vec<Vec<u8>> = samples.iter().map(|s| serde_json::to_vec(s).unwrap()).collect();
    let inferred = infer(bodies.iter().map(Vec::as_slice), InferOptions::default());
    let schema = &inferred.schema;
    assert_eq!((inferred.samples, inferred.skipped), (4, 0));
    assert_eq!(schema["$schema"], DRAFT_2020_12);
    assert_eq!(schema["x-samples"], 4);
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["required"],
        json!([
            "id",
            "object",
            "api_version",
            "created",
            "livemode",
            "type",
            "data",
            "request"
        ])
    );
    // One value seen four times: an enum of one. Ids are all distinct: no enum.
    assert_eq!(schema["properties"]["type"]["enum"], json!(["invoice.paid"]));
    assert!(schema["properties"]["id"].get("enum").is_none());
    assert_eq!(
        schema["properties"]["id"]["examples"],
        json!(["evt_0001", "evt_0002", "evt_0003"])
    );
    assert_eq!(schema["properties"]["created"]["type"], "integer");
    assert_eq!(schema["properties"]["livemode"]["type"], "boolean");
    assert_eq!(schema["properties"]["request"]["properties"]["id"]["type"], "null");

    let object = &schema["properties"]["data"]["properties"]["object"];
    assert_eq!(object["properties"]["status"]["enum"], json!(["open", "paid"]));
    assert!(
        object["properties"]["customer"].get("enum").is_none(),
        "three customers in four samples is not an enum"
    );
    assert_eq!(
        object["properties"]["customer_email"]["type"],
        json!(["string", "null"])
    );
    // Integers and floats seen at one place are numbers.
    assert_eq!(object["properties"]["tax_rate"]["type"], "number");
    // Array items are merged: `proration` and `description` are in some elements only.
    let items = &object["properties"]["lines"]["properties"]["data"]["items"];
    assert_eq!(object["properties"]["lines"]["properties"]["data"]["type"], "array");
    assert_eq!(items["required"], json!(["id", "amount"]));
    assert_eq!(items["properties"]["description"]["type"], json!(["string", "null"]));
    assert_eq!(items["properties"]["description"]["x-seen"], 2);
    assert_eq!(items["properties"]["proration"]["x-seen"], 1);

    validate_all(schema, &samples);
}

#[test]
fn github_events_of_different_shapes_still_validate_and_non_json_is_skipped() {
    let samples = vec![
        json!({"ref": "refs/heads/main", "before": "a1", "after": "b2", "commits": [{"id": "b2", "message": "Fix", "added": ["x.rs"], "author": {"name": "A", "email": "a@x"}}], "repository": {"id": 1, "full_name": "o/r", "private": false}, "sender": {"login": "a", "id": 7}}),
        json!({"ref": "refs/tags/v1", "before": "0", "after": "c3", "commits": [], "repository": {"id": 1, "full_name": "o/r", "private": false}, "sender": {"login": "b", "id": 8}, "created": true}),
        json!({"ref": "refs/heads/dev", "before": "c3", "after": "d4", "commits": [{"id": "d4", "message": "Add", "added": [], "author": {"name": "B", "email": "b@x", "username": "b"}}, {"id": "e5", "message": 42, "added": ["y"], "author": {"name": "C", "email": "c@x"}}], "repository": {"id": 1, "full_name": "o/r", "private": false, "topics": null}, "sender": {"login": "a", "id": 7}}),
    ];
    let mut builder = SchemaBuilder::new(InferOptions::default());
    for sample in &samples {
        assert!(builder.add_body(&serde_json::to_vec(sample).unwrap()));
    }
    assert!(!builder.add_body(b"payload=%7B%7D"));
    assert!(!builder.add_body(b"\x1f\x8b\x08\x00"));
    let inferred = builder.finish();
    assert_eq!((inferred.samples, inferred.skipped), (3, 2));
    let commits = &inferred.schema["properties"]["commits"]["items"];
    assert_eq!(commits["properties"]["message"]["type"], json!(["string", "integer"]));
    assert_eq!(commits["properties"]["added"]["items"]["type"], "string");
    assert_eq!(commits["properties"]["author"]["required"], json!(["name", "email"]));
    assert_eq!(inferred.schema["properties"]["created"]["x-seen"], 1);
    validate_all(&inferred.schema, &samples);
}

#[test]
fn top_level_arrays_scalars_and_no_samples() {
    let samples = vec![
        json!([{"event": "delivered", "sg_event_id": "a"}, {"event": "open", "sg_event_id": "b"}]),
        json!([{"event": "delivered", "sg_event_id": "c", "url": "https://x"}]),
        json!("a bare string"),
    ];
    let bodies: Vec<Vec<u8>> = samples.iter().map(|s| serde_json::to_vec(s).unwrap()).collect();
    let inferred = infer(bodies.iter().map(Vec::as_slice), InferOptions::default());
    assert_eq!(inferred.schema["type"], json!(["array", "string"]));
    // Two values in three samples: not repeated enough to be an enum.
    assert!(inferred.schema["items"]["properties"]["event"].get("enum").is_none());
    assert_eq!(inferred.schema["items"]["required"], json!(["event", "sg_event_id"]));
    validate_all(&inferred.schema, &samples);

    let empty = infer(std::iter::empty(), InferOptions::default());
    assert_eq!(empty.samples, 0);
    assert_eq!(empty.schema["x-samples"], 0);
    assert!(empty.schema.get("type").is_none());
}

#[test]
fn enums_stop_at_the_limit_and_include_null_when_seen() {
    let statuses = ["queued", "sent", "delivered", "failed"];
    let mut samples: Vec<Value> = (0..20).map(|i| json!({"status": statuses[i % 4], "n": i})).collect();
    samples.push(json!({"status": null, "n": 99}));
    let bodies: Vec<Vec<u8>> = samples.iter().map(|s| serde_json::to_vec(s).unwrap()).collect();
    let inferred = infer(bodies.iter().map(Vec::as_slice), InferOptions::default());
    assert_eq!(
        inferred.schema["properties"]["status"]["enum"],
        json!(["delivered", "failed", "queued", "sent", null])
    );
    validate_all(&inferred.schema, &samples);

    let many: Vec<Value> = (0..40).map(|i| json!({"code": format!("c{}", i % 10)})).collect();
    let bodies: Vec<Vec<u8>> = many.iter().map(|s| serde_json::to_vec(s).unwrap()).collect();
    let inferred = infer(bodies.iter().map(Vec::as_slice), InferOptions::default());
    assert!(
        inferred.schema["properties"]["code"].get("enum").is_none(),
        "10 values > 8"
    );
    validate_all(&inferred.schema, &many);
}

/// From the store: the bodies of one event type, as `hookscope schema --event` will read them.
#[tokio::test(flavor = "multi_thread")]
async fn a_schema_per_event_type_from_stored_requests() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("hookscope.db")).unwrap();
    let mut all = samples();
    all.push(json!({"id": "evt_9", "type": "customer.created", "data": {"object": {"id": "cus_9"}}}));
    for (n, sample) in all.iter().enumerate() {
        let request = CapturedRequest {
            headers: vec![HeaderField::new("Content-Type", "application/json")],
            signature: Some(SignatureVerdict {
                provider: Some("stripe".into()),
                detected: true,
                status: VerdictStatus::Verified,
                matched_secret: Some(0),
                reason: None,
                diagnosis: None,
                signed_content: None,
                expected_signature: None,
                received_signature: None,
            }),
            ..CapturedRequest::posted(&format!("01{n}"), "/stripe", serde_json::to_vec(sample).unwrap())
        };
        let meta = event_meta::extract_captured(&request);
        let seq = store.insert_request(request).await.unwrap().seq;
        store
            .write(move |conn| requests::record_event(conn, seq, Some("stripe"), &meta))
            .await
            .unwrap();
    }
    let filter = EventFilter {
        event_type: Some(EventTypeMatch::Exact("invoice.paid".into())),
        provider: Some("stripe".into()),
        ..Default::default()
    };
    let bodies = store
        .read(move |conn| requests::bodies_matching(conn, &filter, None, 1000))
        .await
        .unwrap();
    let inferred = infer(bodies.iter().map(Vec::as_slice), InferOptions::default());
    assert_eq!(inferred.samples, 4);
    assert_eq!(inferred.schema["properties"]["type"]["enum"], json!(["invoice.paid"]));
    validate_all(&inferred.schema, &samples());
}
