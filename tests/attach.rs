//! Two Hookscopes on one database: the second one started on the first one's address attaches
//! to it (no listener of its own, the first one's captures announced on its bus), a stale
//! instance file is not trusted, and a port held by anything else keeps the clear error.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{answered_id, post, TestDb};
use hookscope::instance::{self, Instance, Program};
use hookscope::model::EngineEvent;
use hookscope::{CaptureSite, Engine, EngineConfig};
use tokio::sync::broadcast;

/// Generous: only a broken watcher takes this long.
const BOUND: Duration = Duration::from_secs(20);

fn config_on(db: &std::path::Path, listen: SocketAddr, program: Program) -> EngineConfig {
    let mut config = EngineConfig::new(listen, db.to_path_buf());
    config.program = program;
    config
}

async fn post_async(addr: SocketAddr, target: &'static str) -> String {
    let response = common::blocking(move || post(addr, target, "", b"{\"n\":1}")).await;
    assert_eq!(response.status, 200, "{}", response.head);
    answered_id(&response)
}

/// The ids of the captures announced on `events` until `wanted` is among them.
async fn captured_until(events: &mut broadcast::Receiver<EngineEvent>, wanted: &str) -> Vec<String> {
    let mut ids = Vec::new();
    tokio::time::timeout(BOUND, async {
        loop {
            match events.recv().await.expect("the bus stays open") {
                EngineEvent::RequestCaptured(summary) => {
                    ids.push(summary.id.clone());
                    if summary.id == wanted {
                        return;
                    }
                }
                _ => continue,
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{wanted} was not announced; saw {ids:?}"));
    ids
}

fn instance_file_of(db: &std::path::Path, port: u16) -> std::path::PathBuf {
    instance::instance_path(&instance::database_identity(db), port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_engine_on_a_taken_address_attaches_and_announces_what_the_first_captures() {
    let db = TestDb::new();
    let first = Engine::start(config_on(&db.path(), "127.0.0.1:0".parse().unwrap(), Program::Serve))
        .await
        .expect("first engine starts");
    let addr = first.local_addr();
    let file = instance_file_of(&db.path(), addr.port());
    let written: Instance = serde_json::from_slice(&std::fs::read(&file).expect("instance file written")).unwrap();
    assert_eq!(written.pid, std::process::id());
    assert_eq!(written.listen, addr.to_string());
    assert_eq!(written.program, Program::Serve);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "owner-only");
    }

    let second = Engine::start(config_on(&db.path(), addr, Program::Window))
        .await
        .expect("second engine attaches instead of failing");
    let owner = second.attached_to().expect("attached");
    assert_eq!((owner.program, owner.pid), (Program::Serve, std::process::id()));
    assert_eq!(second.local_addr(), addr, "where this database's requests are captured");
    assert_eq!(first.capture_site(), CaptureSite::Here(addr));

    let mut events = second.subscribe();
    let id = post_async(addr, "/from-the-first").await;
    let seen = captured_until(&mut events, &id).await;
    assert_eq!(seen, vec![id.clone()]);
    let listed = second
        .workbench()
        .list_requests(hookscope::store::requests::ListQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.first().map(|r| r.id.clone()), Some(id));

    // Its own imports are announced once, not again when the watcher reads their rows.
    let imported = second
        .workbench()
        .import_bytes(b"POST /imported HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
        .await
        .unwrap();
    let marker = post_async(addr, "/after-the-import").await;
    let seen = captured_until(&mut events, &marker).await;
    assert_eq!(seen.iter().filter(|s| **s == imported.ids[0]).count(), 1, "{seen:?}");

    first.shutdown().await;
    second.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn use_another_port_gives_an_attached_engine_a_listener_of_its_own() {
    let db = TestDb::new();
    let first = Engine::start(config_on(&db.path(), "127.0.0.1:0".parse().unwrap(), Program::Serve))
        .await
        .unwrap();
    let shared = first.local_addr();
    let second = Engine::start(config_on(&db.path(), shared, Program::Window))
        .await
        .unwrap();
    assert!(second.attached_to().is_some());
    let mut events = second.subscribe();

    let own = second.start_listener_on("127.0.0.1:0".parse().unwrap()).await.unwrap();
    assert_ne!(own, shared);
    assert_eq!(second.capture_site(), CaptureSite::Here(own));
    assert!(second.attached_to().is_none());
    let again = second.start_listener_on("127.0.0.1:0".parse().unwrap()).await;
    assert!(again.unwrap_err().to_string().contains("already listens"));
    let written: Instance =
        serde_json::from_slice(&std::fs::read(instance_file_of(&db.path(), own.port())).unwrap()).unwrap();
    assert_eq!(written.program, Program::Window);

    // Its own captures and the first engine's are each announced once.
    let mine = post_async(own, "/own-port").await;
    let theirs = post_async(shared, "/shared-port").await;
    let mut seen = captured_until(&mut events, &mine).await;
    if !seen.contains(&theirs) {
        seen.extend(captured_until(&mut events, &theirs).await);
    }
    let marker = post_async(shared, "/marker").await;
    seen.extend(captured_until(&mut events, &marker).await);
    for id in [&mine, &theirs, &marker] {
        assert_eq!(seen.iter().filter(|s| s == &id).count(), 1, "{id} in {seen:?}");
    }

    second.shutdown().await;
    assert!(
        !instance_file_of(&db.path(), own.port()).exists(),
        "removed on shutdown"
    );
    first.shutdown().await;
    assert!(
        !instance_file_of(&db.path(), shared.port()).exists(),
        "removed on shutdown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_instance_file_is_not_trusted_and_the_next_start_binds_normally() {
    let db = TestDb::new();
    // A Hookscope that was killed left its file; a program that is not Hookscope holds the port.
    let foreign = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = foreign.local_addr().unwrap();
    // The database must exist for its identity to be the one the engine computes.
    Engine::start(config_on(&db.path(), "127.0.0.1:0".parse().unwrap(), Program::Engine))
        .await
        .unwrap()
        .shutdown()
        .await;
    let stale = Instance {
        program: Program::Serve,
        pid: 4_000_000,
        listen: addr.to_string(),
        database: instance::database_identity(&db.path()).display().to_string(),
        started_at: "2026-01-01T00:00:00Z".into(),
    };
    let file = instance_file_of(&db.path(), addr.port());
    std::fs::write(&file, serde_json::to_vec(&stale).unwrap()).unwrap();

    let refused = Engine::start(config_on(&db.path(), addr, Program::Window)).await;
    let message = refused.err().expect("not attached to a dead process").to_string();
    assert!(message.contains("address in use"), "{message}");

    drop(foreign);
    let engine = Engine::start(config_on(&db.path(), addr, Program::Window))
        .await
        .expect("binds once the port is free");
    assert_eq!(engine.capture_site(), CaptureSite::Here(addr));
    let now: Instance = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!((now.pid, now.program), (std::process::id(), Program::Window));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_held_by_something_else_keeps_the_clear_error() {
    let db = TestDb::new();
    let foreign = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = foreign.local_addr().unwrap();
    let message = Engine::start(config_on(&db.path(), addr, Program::Window))
        .await
        .err()
        .expect("a plain TCP listener is not a Hookscope")
        .to_string();
    assert!(
        message.contains("address in use") && message.contains(&addr.to_string()),
        "{message}"
    );

    // A live Hookscope on another database is not this database's capture either.
    let other_db = TestDb::new();
    let other = Engine::start(config_on(
        &other_db.path(),
        "127.0.0.1:0".parse().unwrap(),
        Program::Serve,
    ))
    .await
    .unwrap();
    let message = Engine::start(config_on(&db.path(), other.local_addr(), Program::Window))
        .await
        .err()
        .expect("not attached across databases")
        .to_string();
    assert!(message.contains("address in use"), "{message}");
    other.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attached_engine_takes_the_address_over_when_the_first_stops() {
    let db = TestDb::new();
    let first = Engine::start(config_on(&db.path(), "127.0.0.1:0".parse().unwrap(), Program::Serve))
        .await
        .unwrap();
    let addr = first.local_addr();
    let second = Engine::start(config_on(&db.path(), addr, Program::Window))
        .await
        .unwrap();
    assert!(second.attached_to().is_some());
    let mut events = second.subscribe();
    first.shutdown().await;

    tokio::time::timeout(BOUND, async {
        while second.capture_site() != CaptureSite::Here(addr) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the second engine binds the address the first left");
    let id = post_async(addr, "/captured-after-the-take-over").await;
    assert_eq!(captured_until(&mut events, &id).await, vec![id.clone()]);
    let written: Instance =
        serde_json::from_slice(&std::fs::read(instance_file_of(&db.path(), addr.port())).unwrap()).unwrap();
    assert_eq!(written.program, Program::Window);
    second.shutdown().await;
}
