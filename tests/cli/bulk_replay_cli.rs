//! Bulk replay: header edits that apply to every request (`replay --search -H`), selecting
//! requests by ids or by a search, and cancelling a run. Real HTTP on 127.0.0.1 port 0 both
//! ways, a real SQLite file, the real CLI binary.

mod common;
#[path = "../recorder/mod.rs"]
mod recorder;

use common::{answered_id, blocking, post, run_cli_async, start, TestDb};
use hookscope::delivery::{
    bulk_replay_cancellable, BulkOptions, BulkSelection, CancelToken, ClientOptions, Deliverer, DeliveryClient,
    ReplayOptions,
};
use hookscope::store::{deliveries, requests::ListQuery};
use hookscope::Engine;
use recorder::{Recorder, Reply};

/// Captures a POST through the engine's listener (`extra` header lines, then Content-Length and
/// Connection: close); returns its id.
async fn capture(engine: &Engine, target: &str, extra: &str, body: &[u8]) -> String {
    let (addr, target, extra, body) = (engine.local_addr(), target.to_owned(), extra.to_owned(), body.to_vec());
    let response = blocking(move || post(addr, &target, &extra, &body)).await;
    assert_eq!(response.status, 200, "{}", response.head);
    answered_id(&response)
}

fn lines(headers: &[(String, String)]) -> Vec<String> {
    headers.iter().map(|(n, v)| format!("{n}: {v}")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_bulk_replay_of_a_search_applies_header_edits_to_every_request_and_keeps_the_rest() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    // Three requests match the search (X-Batch: nightly), each with its own headers and body;
    // a fourth does not.
    let captured: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "/hooks/a?x=1",
            "Content-Type: application/json\r\nX-Batch: nightly\r\nX-Dup: 1\r\nX-Dup: 2\r\nX-Signature: old-a\r\n",
            br#"{"n":1,"text":"caf\u00e9"}"#.to_vec(),
        ),
        (
            "/hooks/b",
            "x-batch: nightly\r\nX-Signature: old-b\r\nX-Trace: keep-me\r\n",
            vec![0, 255, 1, 254, b'\r', b'\n', 0x80],
        ),
        (
            "/hooks/c?y=%20z",
            "X-Batch: nightly\r\nContent-Type: text/plain; charset=latin1\r\n",
            b"caf\xe9 au lait".to_vec(),
        ),
    ];
    let mut ids = Vec::new();
    for (target, headers, body) in &captured {
        ids.push(capture(&engine, target, headers, body).await);
    }
    capture(&engine, "/hooks/other", "X-Batch: weekly\r\n", b"not me").await;

    let mut receiver = Recorder::answering(200).await;
    let to = receiver.url("/in");
    let (code, stdout, stderr) = run_cli_async(
        &db.path(),
        &[
            "replay",
            "--search",
            "nightly",
            "--to",
            &to,
            "--concurrency",
            "1",
            "-H",
            "X-Signature: replayed",
            "-H",
            "X-Trace:",
            "-H",
            "X-Replayed-By: hookscope",
            "--json",
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(
        (&summary["sent"], &summary["success"], &summary["failures"]),
        (&3.into(), &3.into(), &serde_json::json!([]))
    );

    let got = receiver.drain();
    assert_eq!(got.len(), 3, "only the three matching requests were sent");
    let host = receiver.addr.to_string();
    let expected_heads = [
        vec![
            format!("Host: {host}"),
            "Content-Type: application/json".into(),
            "X-Batch: nightly".into(),
            "X-Dup: 1".into(),
            "X-Dup: 2".into(),
            "X-Signature: replayed".into(),
            format!("Content-Length: {}", captured[0].2.len()),
            "X-Replayed-By: hookscope".into(),
        ],
        vec![
            format!("Host: {host}"),
            "x-batch: nightly".into(),
            "X-Signature: replayed".into(),
            format!("Content-Length: {}", captured[1].2.len()),
            "X-Replayed-By: hookscope".into(),
        ],
        vec![
            format!("Host: {host}"),
            "X-Batch: nightly".into(),
            "Content-Type: text/plain; charset=latin1".into(),
            format!("Content-Length: {}", captured[2].2.len()),
            "X-Signature: replayed".into(),
            "X-Replayed-By: hookscope".into(),
        ],
    ];
    for (index, received) in got.iter().enumerate() {
        let (target, _, body) = &captured[index];
        assert_eq!(received.method, "POST");
        assert_eq!(
            received.target,
            format!("/in{target}"),
            "capture order, path and query as sent"
        );
        assert_eq!(lines(&received.headers), expected_heads[index], "request {index}");
        assert_eq!(&received.body, body, "request {index}: body bytes unchanged");
    }
    // Every attempt is recorded as edited against its own request.
    for id in &ids {
        let id = id.clone();
        let attempts = engine
            .store()
            .read(move |conn| deliveries::list_for_request(conn, &id))
            .await
            .unwrap();
        assert_eq!(attempts.len(), 1);
        assert!(attempts[0].edited);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_bulk_replay_of_ids_applies_the_method_edit_to_each() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let first = capture(&engine, "/one", "X-A: 1\r\n", b"1").await;
    let second = capture(&engine, "/two", "X-B: 2\r\n", b"22").await;
    let mut receiver = Recorder::answering(200).await;
    let to = receiver.url("");
    let (code, _, stderr) = run_cli_async(
        &db.path(),
        &[
            "replay",
            &second,
            &first,
            "--to",
            &to,
            "--concurrency",
            "1",
            "--method",
            "PUT",
            "-H",
            "X-A: edited",
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    let got = receiver.drain();
    let seen: Vec<(String, String, Option<String>, Vec<u8>)> = got
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.target.clone(),
                r.header("X-A").map(str::to_owned),
                r.body.clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("PUT".into(), "/one".into(), Some("edited".into()), b"1".to_vec()),
            ("PUT".into(), "/two".into(), Some("edited".into()), b"22".to_vec()),
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_selection_by_search_finds_the_matching_ids_newest_first() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let a = capture(&engine, "/s", "", b"alpha one").await;
    capture(&engine, "/s", "", b"beta").await;
    let c = capture(&engine, "/s", "", b"alpha two").await;
    let query = ListQuery {
        limit: 100,
        search: Some("alpha".into()),
        ..ListQuery::default()
    };
    let found = BulkSelection::Matching(query).resolve(engine.store()).await.unwrap();
    assert_eq!(found, [c.clone(), a.clone()]);
    let given = BulkSelection::Ids(vec![a.clone()])
        .resolve(engine.store())
        .await
        .unwrap();
    assert_eq!(given, [a]);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_stops_starting_requests_and_the_summary_counts_the_rest() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(capture(&engine, &format!("/c/{n}"), "", b"x").await);
    }
    let cancel = CancelToken::new();
    // The receiver cancels the run when the second request arrives, before answering it: with
    // one request in flight at a time, the third can never have started.
    let mut receiver = Recorder::start({
        let cancel = cancel.clone();
        move |received| {
            if received.target == "/c/1" {
                cancel.cancel();
            }
            Reply::status(200)
        }
    })
    .await;
    let deliverer = Deliverer::new(
        engine.store().clone(),
        engine.events(),
        DeliveryClient::new(ClientOptions::default()),
    );
    let options = BulkOptions {
        concurrency: 1,
        rate_per_second: None,
        replay: ReplayOptions::to(receiver.url("")),
    };
    let mut progress = Vec::new();
    let summary = bulk_replay_cancellable(&deliverer, &ids, &options, &cancel, |p| {
        progress.push((p.done, p.total, p.request_id.clone()))
    })
    .await
    .unwrap();
    assert_eq!(
        (summary.sent, summary.success, summary.not_sent, summary.cancelled),
        (2, 2, 4, true)
    );
    assert!(summary.failures.is_empty());
    assert_eq!(progress, [(1, 6, ids[0].clone()), (2, 6, ids[1].clone())]);
    let targets: Vec<String> = receiver.drain().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/c/0", "/c/1"]);
    let recorded = engine.store().read(deliveries::count).await.unwrap();
    assert_eq!(recorded, 2, "the request in flight finished and was recorded");
}
