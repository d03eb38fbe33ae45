//! Scenario testing for QA, through the real binary and real HTTP on 127.0.0.1: response rules
//! that fail on purpose (and their counters across a restart), hang and drop, `hookscope wait`,
//! `serve --json` and chaos replay. Every database is a real SQLite file in a temp dir.

mod common;
#[path = "../recorder/mod.rs"]
mod recorder;

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::Duration;

use common::{blocking, post, run_cli, run_cli_async, start, TestDb};
use hookscope::Engine;
use recorder::{Recorder, Reply};

/// Adds the endpoint `name` at `/name` with the CLI.
fn add_endpoint(db: &TestDb, name: &str, extra: &[&str]) {
    let path = format!("/{name}");
    let mut args = vec!["endpoint", "add", name, "--path", path.as_str()];
    args.extend_from_slice(extra);
    let (code, _, stderr) = run_cli(&db.path(), &args);
    assert_eq!(code, 0, "{stderr}");
}

/// Adds a rule to `endpoint` with the CLI; returns the exit code and stderr.
fn add_rule(db: &TestDb, endpoint: &str, options: &[&str]) -> (i32, String) {
    let mut args = vec!["endpoint", "rule", "add", endpoint];
    args.extend_from_slice(options);
    let (code, _, stderr) = run_cli(&db.path(), &args);
    (code, stderr)
}

/// An engine on `db` that knows the rules the CLI stored.
async fn engine_with_rules(db: &TestDb) -> Engine {
    let engine = start(&db.path()).await;
    engine.reload_endpoints().await.unwrap();
    engine
}

async fn status_of_post(engine: &Engine, target: &str) -> u16 {
    let addr = engine.local_addr();
    let target = target.to_owned();
    blocking(move || post(addr, &target, "", b"{\"n\":1}").status).await
}

fn list_json(db: &std::path::Path) -> Vec<serde_json::Value> {
    let (code, stdout, stderr) = run_cli(db, &["list", "--json", "--limit", "100"]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_slice(&stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_two_rule_answers_503_twice_then_the_default_and_its_counter_survives_a_restart() {
    let db = TestDb::new();
    add_endpoint(&db, "shop", &[]);
    let (code, stderr) = add_rule(&db, "shop", &["--first", "2", "--status", "503"]);
    assert_eq!(code, 0, "{stderr}");

    let engine = engine_with_rules(&db).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(status_of_post(&engine, "/shop/orders").await);
    }
    assert_eq!(statuses, [503, 503, 200]);
    engine.shutdown().await;

    // The rules and their counters are in the database: a new engine goes on where it stopped.
    let engine = engine_with_rules(&db).await;
    assert_eq!(status_of_post(&engine, "/shop/orders").await, 200);
    engine.shutdown().await;

    let (code, stdout, _) = run_cli_async(&db.path(), &["endpoint", "rule", "list", "shop", "--json"]).await;
    assert_eq!(code, 0);
    let rules: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(rules[0]["counters"]["matched"], 4);
    assert_eq!(rules[0]["counters"]["answered"], 2);

    // Every request records the rule that answered it.
    let path = db.path();
    let rows = blocking(move || list_json(&path)).await;
    let mut answered: Vec<(u64, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                r["response_status"].as_u64().unwrap(),
                r["rule"].as_str().map(str::to_owned),
            )
        })
        .collect();
    answered.reverse();
    assert_eq!(answered[0], (503, Some("#1 first 2 → 503".to_owned())));
    assert_eq!(answered[1].0, 503);
    assert_eq!(answered[2], (200, None));

    // Reset starts the count over.
    let (code, _, _) = run_cli_async(&db.path(), &["endpoint", "rule", "reset", "shop"]).await;
    assert_eq!(code, 0);
    let engine = engine_with_rules(&db).await;
    assert_eq!(status_of_post(&engine, "/shop/orders").await, 503);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_percent_rule_with_a_seed_answers_the_same_sequence_twice() {
    let db = TestDb::new();
    add_endpoint(&db, "flaky", &[]);
    let (code, stderr) = add_rule(&db, "flaky", &["--percent", "50", "--seed", "7", "--status", "500"]);
    assert_eq!(code, 0, "{stderr}");
    let engine = engine_with_rules(&db).await;
    let mut runs = Vec::new();
    for _ in 0..2 {
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(status_of_post(&engine, "/flaky").await);
        }
        runs.push(statuses);
        engine.workbench().reset_rules("flaky").await.unwrap();
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&500) && runs[0].contains(&200), "{:?}", runs[0]);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hang_holds_the_connection_until_the_client_gives_up_and_drop_closes_it_both_recorded() {
    let db = TestDb::new();
    add_endpoint(&db, "slow", &[]);
    add_endpoint(&db, "gone", &[]);
    assert_eq!(add_rule(&db, "slow", &["--hang"]).0, 0);
    assert_eq!(add_rule(&db, "gone", &["--drop"]).0, 0);
    let engine = engine_with_rules(&db).await;
    let addr = engine.local_addr();

    let hung = blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(700))).unwrap();
        stream
            .write_all(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            .unwrap();
        let mut buffer = [0u8; 64];
        stream.read(&mut buffer).map_err(|e| e.kind())
    })
    .await;
    assert!(
        matches!(hung, Err(std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        "the client gave up waiting: {hung:?}"
    );

    let dropped = blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream
            .write_all(b"POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            .unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        answer
    })
    .await;
    assert!(
        dropped.is_empty(),
        "no answer at all: {}",
        String::from_utf8_lossy(&dropped)
    );

    let rows = engine
        .workbench()
        .list_requests(hookscope::store::requests::ListQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let by_endpoint = |name: &str| rows.iter().find(|r| r.endpoint_name.as_deref() == Some(name)).unwrap();
    assert_eq!(by_endpoint("slow").rule.as_deref(), Some("#1 always → hang"));
    assert_eq!(by_endpoint("gone").rule.as_deref(), Some("#1 always → drop"));
    let hung = engine.workbench().request(&by_endpoint("slow").id).await.unwrap();
    assert_eq!(hung.response.status, 0);
    assert!(hung.response.note.unwrap().contains("held the connection"));
    engine.shutdown().await;
}

#[test]
fn invalid_rules_name_the_option_and_store_nothing() {
    let db = TestDb::new();
    add_endpoint(&db, "shop", &[]);
    for (options, named) in [
        (&["--json", "no-slash=1", "--status", "500"][..], "--json"),
        (&["--path", "/a/[", "--status", "500"][..], "--path"),
        (&["--percent", "150", "--status", "500"][..], "--percent"),
        (&["--status", "99"][..], "--status"),
    ] {
        let (code, stderr) = add_rule(&db, "shop", options);
        assert_ne!(code, 0, "{options:?}");
        assert!(stderr.contains(named), "{options:?}: {stderr}");
    }
    let (_, stdout, _) = run_cli(&db.path(), &["endpoint", "rule", "list", "shop", "--json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&stdout).unwrap(),
        serde_json::json!([])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_returns_a_request_stored_by_another_process_and_ignores_unverified_ones_with_verified() {
    let db = TestDb::new();
    let secret = "It's a Secret to Everybody";
    add_endpoint(&db, "gh", &["--provider", "github", "--secret", secret]);
    let engine = engine_with_rules(&db).await;

    let addr = engine.local_addr();
    let body = b"Hello, World!";
    let unsigned = || blocking(move || post(addr, "/gh", "X-Hub-Signature-256: sha256=00\r\n", body));
    // Counting starts after a request already stored, so the wait has a fixed starting point.
    let before = common::answered_id(&unsigned().await);
    let waiting = common::hookscope(&db.path())
        .args([
            "wait",
            "--endpoint",
            "gh",
            "--verified",
            "--json",
            "--timeout",
            "30",
            "--after",
            &before,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert_eq!(unsigned().await.status, 200);
    let good_signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    let good = blocking(move || post(addr, "/gh", &format!("X-Hub-Signature-256: {good_signature}\r\n"), body)).await;
    let good_id = common::answered_id(&good);
    let output = blocking(move || waiting.wait_with_output().unwrap()).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<serde_json::Value> = output
        .stdout
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], good_id.as_str());
    assert_eq!(lines[0]["signature"]["status"], "verified");
    engine.shutdown().await;
}

#[test]
fn wait_exits_1_on_timeout_and_says_how_many_matched() {
    let db = TestDb::new();
    let (code, _, stderr) = run_cli(&db.path(), &["wait", "--count", "2", "--timeout", "0.3"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("0 of 2"), "{stderr}");
    let (code, _, stderr) = run_cli(&db.path(), &["wait", "--where", "nope", "--timeout", "0"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--where"), "{stderr}");
}

#[test]
fn serve_json_prints_one_json_object_per_captured_request() {
    let db = TestDb::new();
    let mut child = common::hookscope(&db.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let addr: std::net::SocketAddr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    let ids: Vec<String> = (0..3)
        .map(|n| common::answered_id(&post(addr, &format!("/hook/{n}"), "", b"{}")))
        .collect();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut rows = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        rows.push(serde_json::from_str::<serde_json::Value>(&line).expect("a JSON line"));
    }
    let _ = child.kill();
    let _ = child.wait();
    let seen: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(seen, ids.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(rows[1]["target"], "/hook/1");
    assert!(rows[0].get("rule").is_some() && rows[0].get("signature_status").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shuffled_replay_with_a_seed_sends_the_same_order_twice_and_names_the_duplicates() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    for n in 0..8 {
        blocking(move || post(addr, &format!("/chaos/{n}"), "", b"{}")).await;
    }
    engine.shutdown().await;
    let mut target = Recorder::start(|_| Reply::status(200)).await;
    let mut orders = Vec::new();
    for _ in 0..2 {
        let url = target.url("");
        let (code, stdout, stderr) = run_cli_async(
            &db.path(),
            &[
                "replay",
                "--search",
                "chaos",
                "--to",
                &url,
                "--shuffle",
                "--seed",
                "7",
                "--duplicate",
                "0.25",
                "--json",
            ],
        )
        .await;
        assert_eq!(code, 0, "{stderr}");
        let summary: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
        assert_eq!(summary["plan"]["seed"], 7);
        assert_eq!(summary["plan"]["duplicated"].as_array().unwrap().len(), 2);
        assert_eq!(summary["sent"], 10);
        orders.push(target.drain().into_iter().map(|r| r.target).collect::<Vec<_>>());
    }
    assert_eq!(orders[0], orders[1]);
    let in_capture_order: Vec<String> = (0..8).map(|n| format!("/chaos/{n}")).collect();
    assert_ne!(orders[0][..8], in_capture_order[..], "shuffled");
}
