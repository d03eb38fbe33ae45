//! Times the event-type and field filters (`list --event`, `list --where`) over 100,000 stored
//! requests with ~2 KiB Stripe-like JSON bodies. Prints timings; asserts nothing.
//! Usage: `bench_filters [ROWS]` (a temp database is built first; its build time is printed).
//! The work is SQLite's, so build SQLite optimised, e.g.:
//! `cargo run --config 'profile.dev.package.libsqlite3-sys.opt-level=3' --example bench_filters`

use std::time::{Duration, Instant};

use hookscope::event_meta::filter::{EventFilter, EventTypeMatch, FieldCondition};
use hookscope::event_meta::{self, EventMeta};
use hookscope::model::{CapturedRequest, HeaderField};
use hookscope::store::{self, requests};

const EVENT_TYPES: [&str; 20] = [
    "invoice.paid",
    "invoice.created",
    "invoice.finalized",
    "invoice.payment_failed",
    "invoice.upcoming",
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "charge.succeeded",
    "charge.failed",
    "charge.refunded",
    "payment_intent.created",
    "payment_intent.succeeded",
    "payment_intent.canceled",
    "checkout.session.completed",
    "subscription_schedule.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "product.created",
    "price.updated",
];

fn body(n: usize) -> Vec<u8> {
    let event_type = EVENT_TYPES[n % EVENT_TYPES.len()];
    let customer = format!("cus_{}", n % 1000);
    let order = if n % 10 == 0 {
        format!(r#","order_id":"ord_{n}""#)
    } else {
        String::new()
    };
    let lines: String = (0..14)
        .map(|i| {
            format!(
                r#"{{"id":"il_{n}_{i}","object":"line_item","amount":{},"currency":"usd","description":"Seat license, monthly plan","quantity":1}}"#,
                100 + i
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"{{"id":"evt_{n:08}","object":"event","api_version":"2024-06-20","created":{},"data":{{"object":{{"id":"in_{n}","object":"invoice","customer":"{customer}","amount_due":1130,"currency":"usd","status":"paid","metadata":{{"plan":"pro"{order}}},"lines":{{"object":"list","data":[{lines}]}}}}}},"livemode":false,"pending_webhooks":1,"request":{{"id":null,"idempotency_key":null}},"type":"{event_type}"}}"#,
        1_700_000_000 + n
    )
    .into_bytes()
}

fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let dir = tempfile_dir();
    let path = dir.join("bench.db");
    let build = Instant::now();
    let mut conn = store::open_database(&path).expect("database opens");
    let mut total_bytes = 0;
    for chunk in (0..rows).collect::<Vec<_>>().chunks(5_000) {
        let tx = conn.transaction().unwrap();
        for &n in chunk {
            let mut request = CapturedRequest::posted(&format!("{n:026}"), "/stripe", body(n));
            request.received_at_ns = n as i64;
            request.headers = vec![HeaderField::new("Content-Type", "application/json")];
            total_bytes += request.body.len();
            let meta: EventMeta = event_meta::extract("stripe", &request.headers, &request.body);
            let seq = requests::insert(&tx, &request).unwrap().seq;
            requests::record_event(&tx, seq, Some("stripe"), &meta).unwrap();
        }
        tx.commit().unwrap();
    }
    println!(
        "built {rows} requests ({:.0} MiB of bodies, {} B average) in {:.1?}",
        total_bytes as f64 / 1048576.0,
        total_bytes / rows.max(1),
        build.elapsed()
    );
    let indexing = Instant::now();
    let indexed = store::search::index_all_pending(&mut conn).unwrap();
    println!(
        "full-text indexed {indexed} requests in {:.1?} (done off the capture path as they arrive)",
        indexing.elapsed()
    );
    let conn = store::open_connection(&path).unwrap();
    let event = |text: &str| EventFilter {
        event_type: Some(EventTypeMatch::parse(text).unwrap()),
        ..Default::default()
    };
    let field = |text: &str| EventFilter {
        conditions: vec![FieldCondition::parse(text).unwrap()],
        ..Default::default()
    };
    let cases: Vec<(&str, EventFilter, usize)> = vec![
        ("--event invoice.paid (newest 50)", event("invoice.paid"), 50),
        ("--event invoice.paid (all matches)", event("invoice.paid"), rows),
        ("--event 'invoice.*' (newest 50)", event("invoice.*"), 50),
        ("--event 'invoice.*' (all matches)", event("invoice.*"), rows),
        (
            "--where /data/object/customer=cus_42 (newest 50)",
            field("/data/object/customer=cus_42"),
            50,
        ),
        (
            "--where /data/object/customer=cus_42 (all matches)",
            field("/data/object/customer=cus_42"),
            rows,
        ),
        (
            "--where /data/object/customer!=cus_42 (newest 50)",
            field("/data/object/customer!=cus_42"),
            50,
        ),
        (
            "--where /data/object/customer!=cus_42 (all matches)",
            field("/data/object/customer!=cus_42"),
            rows,
        ),
        (
            "--where /data/object/status=paid, in every body (newest 50)",
            field("/data/object/status=paid"),
            50,
        ),
        (
            "--where /data/object/status=paid, in every body (all matches)",
            field("/data/object/status=paid"),
            rows,
        ),
        (
            "--where /data/object/metadata/order_id (all matches)",
            field("/data/object/metadata/order_id"),
            rows,
        ),
        (
            "--where /data/object/lines/data/3/amount=103 (newest 50)",
            field("/data/object/lines/data/3/amount=103"),
            50,
        ),
        (
            "--event invoice.paid --where /data/object/customer=cus_40 (all)",
            EventFilter {
                conditions: vec![FieldCondition::parse("/data/object/customer=cus_40").unwrap()],
                ..event("invoice.paid")
            },
            rows,
        ),
    ];
    let plan_of = field("/data/object/customer=cus_42").sql_conditions("r").remove(0);
    let mut plan = conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN SELECT r.id FROM requests r WHERE {} ORDER BY r.seq DESC LIMIT 50",
            plan_of.sql
        ))
        .unwrap();
    let steps: Vec<String> = plan
        .query_map(rusqlite::params_from_iter(plan_of.args), |row| row.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    println!("plan of --where /data/object/customer=cus_42: {}", steps.join(" | "));
    for (name, filter, limit) in cases {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let query = requests::ListQuery {
                limit,
                fields: filter.clone(),
                ..Default::default()
            };
            found = requests::list(&conn, &query).unwrap().len();
            times.push(start.elapsed());
        }
        report(name, found, &mut times);
    }
    // The same `=` without the full-text index first: every body read and parsed as JSON.
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let start = Instant::now();
        found = conn
            .query_row(
                "SELECT count(*) FROM requests r WHERE CASE WHEN json_valid(CAST(r.body AS TEXT)) THEN \
                 json_extract(CAST(r.body AS TEXT), '$.\"data\".\"object\".\"customer\"') = 'cus_42' ELSE 0 END",
                [],
                |row| row.get::<_, i64>(0),
            )
            .unwrap() as usize;
        times.push(start.elapsed());
    }
    report(
        "(for comparison) customer=cus_42 reading and parsing every body, no index",
        found,
        &mut times,
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn report(name: &str, found: usize, times: &mut [Duration]) {
    times.sort();
    println!(
        "{name}: {found} rows, median {:.1?} (min {:.1?}, max {:.1?})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hookscope-bench-filters-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
