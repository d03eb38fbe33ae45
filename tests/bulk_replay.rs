//! Bulk replay through the engine: many stored requests to one recording target over real HTTP
//! on 127.0.0.1, with a concurrency limit, in capture order, failures listed. The CLI's bulk
//! replay is tested in tests/cli/bulk_replay_cli.rs.

mod common;
mod recorder;

use common::{deliverer, start, TestDb};
use hookscope::delivery::{bulk_replay, BulkOptions, ClientOptions, ReplayOptions};
use hookscope::model::{CapturedRequest, HeaderField};
use hookscope::store::deliveries;
use hookscope::Engine;
use recorder::{Gate, Recorder, Reply};

fn stored_request(index: usize) -> CapturedRequest {
    CapturedRequest {
        received_at_ns: 1_700_000_000_000_000_000 + index as i64,
        headers: vec![
            HeaderField::new("Host", "hookscope"),
            HeaderField::new("X-Index", index.to_string()),
        ],
        ..CapturedRequest::posted(
            &ulid::Ulid::new().to_string(),
            &format!("/bulk/{index}"),
            format!("{{\"index\":{index}}}").into_bytes(),
        )
    }
}

async fn store_requests(engine: &Engine, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for index in 0..count {
        let request = stored_request(index);
        ids.push(request.id.clone());
        engine.store().insert_request(request).await.unwrap();
    }
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_replay_of_500_requests_respects_the_concurrency_limit() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let ids = store_requests(&engine, 500).await;
    let gate = Gate::new(8, 500);
    let mut target = Recorder::start_with_gate(|_| Reply::status(200), Some(gate.clone())).await;
    let options = BulkOptions {
        concurrency: 8,
        rate_per_second: None,
        replay: ReplayOptions::to(target.url("")),
    };
    let mut progress = Vec::new();
    let summary = bulk_replay(&deliverer(&engine, ClientOptions::default()), &ids, &options, |p| {
        progress.push(p.done)
    })
    .await
    .unwrap();
    assert_eq!(
        (summary.sent, summary.success, summary.non_success, summary.errors),
        (500, 500, 0, 0)
    );
    assert_eq!(
        gate.max_in_flight(),
        8,
        "never more than 8 at once, and the limit was used"
    );
    assert_eq!(progress, (1..=500).collect::<Vec<_>>());
    assert_eq!(target.drain().len(), 500);
    let count = engine.store().read(deliveries::count).await.unwrap();
    assert_eq!(count, 500);
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_replay_goes_in_capture_order_and_lists_failures() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut ids = store_requests(&engine, 6).await;
    let mut target = Recorder::start(|received| {
        let index: usize = received.header("X-Index").unwrap().parse().unwrap();
        Reply::status(if index % 3 == 1 { 500 } else { 200 })
    })
    .await;
    ids.reverse();
    ids.push("01NOSUCHREQUEST0000000000".into());
    let options = BulkOptions {
        concurrency: 1,
        rate_per_second: Some(1000.0),
        replay: ReplayOptions::to(target.url("/t")),
    };
    let summary = bulk_replay(&deliverer(&engine, ClientOptions::default()), &ids, &options, |_| {})
        .await
        .unwrap();
    let arrived: Vec<String> = target.drain().into_iter().map(|r| r.target).collect();
    assert_eq!(
        arrived,
        (0..6).map(|i| format!("/t/bulk/{i}")).collect::<Vec<_>>(),
        "oldest first"
    );
    assert_eq!(
        (summary.sent, summary.success, summary.non_success, summary.errors),
        (6, 4, 2, 1)
    );
    let failed: Vec<(Option<u16>, bool)> = summary.failures.iter().map(|f| (f.status, f.error.is_some())).collect();
    assert_eq!(failed, [(Some(500), false), (Some(500), false), (None, true)]);
    assert_eq!(summary.failures[0].request_id, ids[4], "request 1 failed first");
}
