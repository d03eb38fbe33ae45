//! The tunnel: what its connections can reach, and its offline paths (no token, unreachable,
//! silent or foreign server, cancel) with the states it publishes. ngrok's service cannot be
//! reached from the build machines; the online path runs only when NGROK_AUTHTOKEN is set.

mod common;
#[path = "../tunnel/fake_ngrok.rs"]
mod fake_ngrok;
#[path = "../tunnel/stand_in.rs"]
mod stand_in;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::{start, TestDb};
use futures_util::FutureExt;
use hookscope::model::{CaptureSource, EngineEvent, TunnelState};
use hookscope::store::requests;
use hookscope::tunnel::{
    serve_tunnel_connection, AuthtokenStore, NgrokTunnel, StatusBoard, Tunnel, TunnelController, TunnelError,
    TunnelOptions, AUTHTOKEN_ENV, AUTHTOKEN_URL,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::broadcast;

/// A guard against hangs only: every path below ends far sooner or is a bug.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn tunnel_states(rx: &mut broadcast::Receiver<EngineEvent>) -> Vec<TunnelState> {
    let mut states = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let EngineEvent::TunnelStatusChanged(state) = event {
            states.push(state);
        }
    }
    states
}

fn options(server: SocketAddr) -> TunnelOptions {
    TunnelOptions {
        authtoken: Some("test-token-not-a-real-one".into()),
        server_addr: Some(server.to_string()),
        ..TunnelOptions::default()
    }
}

async fn tunnel_for(engine: &hookscope::Engine) -> (NgrokTunnel, broadcast::Receiver<EngineEvent>) {
    let rx = engine.subscribe();
    let board = StatusBoard::new(engine.events());
    (NgrokTunnel::new(engine.capture_state(), board), rx)
}

/// A port nothing listens on.
async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn tunnel_connections_reach_only_the_capture_routes_and_are_marked_tunnel() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let sender: SocketAddr = "203.0.113.9:50000".parse().unwrap();
    let attempts = [
        "GET / HTTP/1.1",
        "GET /api/endpoints HTTP/1.1",
        "DELETE /api/requests HTTP/1.1",
        "POST /settings/tunnel/stop HTTP/1.1",
        "GET /index.html HTTP/1.1",
    ];
    let mut ids = Vec::new();
    for line in attempts {
        let (client, server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(serve_tunnel_connection(server, Some(sender), engine.capture_state()));
        let mut client = client;
        let request = format!("{line}\r\nHost: abc.ngrok.app\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        client.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8(answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{line}: {answer}");
        let body = answer.split("\r\n\r\n").nth(1).unwrap();
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        ids.push(json["id"].as_str().expect("the capture handler's answer").to_owned());
    }
    for id in ids {
        let stored = engine
            .store()
            .read(move |conn| requests::get(conn, &id))
            .await
            .unwrap()
            .expect("every attempt was captured like a webhook");
        assert_eq!(stored.source, CaptureSource::Tunnel);
        assert_eq!(stored.remote_addr.as_deref(), Some("203.0.113.9:50000"));
    }
    let count = engine.store().read(requests::count).await.unwrap();
    assert_eq!(
        count,
        attempts.len() as u64,
        "nothing was deleted or changed through the tunnel"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_authtoken_fails_at_once_naming_where_to_get_one_without_connecting() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let (tunnel, mut rx) = tunnel_for(&engine).await;
    let server = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut no_token = options(server.local_addr().unwrap());
    no_token.authtoken = Some("   ".into());
    let error = tunnel.start(no_token).await.unwrap_err();
    assert!(matches!(error, TunnelError::NoAuthtoken), "{error:?}");
    assert!(error.to_string().contains(AUTHTOKEN_URL), "{error}");
    assert!(
        server.accept().now_or_never().is_none(),
        "no connection may be attempted without a token"
    );
    let states = tunnel_states(&mut rx);
    assert_eq!(
        states,
        [TunnelState::Error {
            message: error.to_string()
        }]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_server_is_a_clear_error_and_the_states_are_published() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let (tunnel, mut rx) = tunnel_for(&engine).await;
    let server = closed_port().await;
    let error = tokio::time::timeout(HANG_GUARD, tunnel.start(options(server)))
        .await
        .expect("start does not hang")
        .unwrap_err();
    assert!(matches!(error, TunnelError::Unreachable { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&server.to_string()) && message.contains("network"),
        "{message}"
    );
    assert!(!message.contains("test-token"), "the token never appears in messages");
    assert_eq!(
        tunnel.state(),
        TunnelState::Error {
            message: message.clone()
        }
    );
    tunnel.stop().await;
    assert_eq!(
        tunnel_states(&mut rx),
        [
            TunnelState::Connecting,
            TunnelState::Error { message },
            TunnelState::Off
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_does_not_speak_tls_is_reported_as_such() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let (tunnel, _rx) = tunnel_for(&engine).await;
    let server = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = server.accept().await {
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                .await;
        }
    });
    let error = tokio::time::timeout(HANG_GUARD, tunnel.start(options(addr)))
        .await
        .expect("start does not hang")
        .unwrap_err();
    assert!(matches!(error, TunnelError::Unreachable { .. }), "{error:?}");
    assert!(error.to_string().contains("TLS handshake failed"), "{error}");
}

/// Accepts connections and never answers: a network that swallows packets.
async fn silent_server() -> SocketAddr {
    let server = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = server.accept().await {
            held.push(stream);
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_server_times_out_with_a_clear_error() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let (tunnel, _rx) = tunnel_for(&engine).await;
    let mut silent = options(silent_server().await);
    silent.connect_timeout_ms = Some(300);
    let error = tokio::time::timeout(HANG_GUARD, tunnel.start(silent))
        .await
        .expect("the connect timeout bounds start")
        .unwrap_err();
    assert!(matches!(error, TunnelError::TimedOut { .. }), "{error:?}");
    assert!(error.to_string().contains("did not answer"), "{error}");
    assert!(matches!(tunnel.state(), TunnelState::Error { .. }));
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_cancels_a_start_in_progress() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let (tunnel, _rx) = tunnel_for(&engine).await;
    let tunnel = Arc::new(tunnel);
    let mut slow = options(silent_server().await);
    slow.connect_timeout_ms = Some(HANG_GUARD.as_millis() as u64 * 2);
    let starting = tokio::spawn({
        let tunnel = tunnel.clone();
        async move { tunnel.start(slow).await }
    });
    let board_view = tunnel.clone();
    tokio::time::timeout(HANG_GUARD, async {
        while board_view.state() != TunnelState::Connecting {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the tunnel reaches connecting");
    tunnel.stop().await;
    let outcome = tokio::time::timeout(HANG_GUARD, starting)
        .await
        .expect("stop ends the start")
        .unwrap();
    assert!(matches!(outcome, Err(TunnelError::Cancelled)), "{outcome:?}");
    assert_eq!(tunnel.state(), TunnelState::Off);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_options_are_refused_before_connecting() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let (tunnel, _rx) = tunnel_for(&engine).await;
    let server = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut bad = options(server.local_addr().unwrap());
    bad.allow_cidrs = vec!["10.0.0.0/40".into()];
    let error = tunnel.start(bad).await.unwrap_err();
    assert!(matches!(error, TunnelError::InvalidOption(_)), "{error:?}");
    assert!(server.accept().now_or_never().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_controller_uses_the_stored_token_and_without_any_token_says_where_to_get_one() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let store = AuthtokenStore::at(db.dir.path().join("config").join("ngrok-authtoken"));
    let controller = TunnelController::with_token_store(engine.capture_state(), engine.events(), Some(store.clone()));
    let server = closed_port().await;
    let without_token = TunnelOptions {
        server_addr: Some(server.to_string()),
        ..TunnelOptions::default()
    };
    if std::env::var(AUTHTOKEN_ENV).is_ok() {
        eprintln!("part skipped: {AUTHTOKEN_ENV} is set, so the no-token case cannot be observed here");
    } else {
        assert!(!controller.has_authtoken());
        let error = controller.start(without_token.clone()).await.unwrap_err();
        assert!(matches!(error, TunnelError::NoAuthtoken), "{error:?}");
    }
    controller.save_authtoken("stored-token-value".into()).await.unwrap();
    assert_eq!(store.load().unwrap().as_deref(), Some("stored-token-value"));
    assert!(controller.has_authtoken());
    let error = tokio::time::timeout(HANG_GUARD, controller.start(without_token))
        .await
        .expect("start does not hang")
        .unwrap_err();
    assert!(
        matches!(error, TunnelError::Unreachable { .. }),
        "with a token found, the controller dials: {error:?}"
    );
    controller.stop().await;
    assert_eq!(controller.state(), TunnelState::Off);
    controller.forget_authtoken().await.unwrap();
    assert_eq!(store.load().unwrap(), None);
}

#[test]
fn serve_tunnel_without_a_token_exits_1_and_names_the_dashboard() {
    let db = TestDb::new();
    let home = db.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let output = common::hookscope(&db.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--tunnel"])
        .env_remove(AUTHTOKEN_ENV)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no ngrok authtoken") && stderr.contains(AUTHTOKEN_URL),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn real_ngrok_tunnel_captures_requests_when_a_token_is_set() {
    if std::env::var(AUTHTOKEN_ENV).map_or(true, |t| t.trim().is_empty()) {
        eprintln!("skipped: {AUTHTOKEN_ENV} is not set; the online tunnel path was NOT exercised");
        return;
    }
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let controller = TunnelController::with_token_store(engine.capture_state(), engine.events(), None);
    let url = tokio::time::timeout(HANG_GUARD, controller.start(TunnelOptions::default()))
        .await
        .expect("start does not hang")
        .expect("the tunnel comes online");
    assert!(url.starts_with("https://"), "{url}");
    assert_eq!(controller.state(), TunnelState::Online { url: url.clone() });
    let response = reqwest::Client::new()
        .post(format!("{url}/hooks/online-test"))
        .header("ngrok-skip-browser-warning", "1")
        .body(r#"{"via":"ngrok"}"#)
        .send()
        .await
        .expect("request through the tunnel");
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    let id = json["id"].as_str().unwrap().to_owned();
    let stored = engine
        .store()
        .read(move |conn| requests::get(conn, &id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.source, CaptureSource::Tunnel);
    assert_eq!(stored.body, br#"{"via":"ngrok"}"#);
    controller.stop().await;
    assert_eq!(controller.state(), TunnelState::Off);
}
