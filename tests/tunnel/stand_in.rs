//! The real `ngrok` session code against a local stand-in of ngrok's agent server (see
//! `fake_ngrok`): online, requests through the tunnel, reconnect, and ngrok's refusals.

use tokio::sync::broadcast;

use super::fake_ngrok::{Behaviour, FakeNgrok};
use super::{options, start, tunnel_states, TestDb, HANG_GUARD};
use hookscope::model::{CaptureSource, EngineEvent, TunnelState};
use hookscope::store::requests;
use hookscope::tunnel::{NgrokTunnel, StatusBoard, Tunnel, TunnelError, AUTHTOKEN_URL};

/// Waits for the next published state that matches, keeping every state seen in `seen`.
async fn next_state(
    rx: &mut broadcast::Receiver<EngineEvent>,
    seen: &mut Vec<TunnelState>,
    what: &str,
    pred: impl Fn(&TunnelState) -> bool,
) {
    tokio::time::timeout(HANG_GUARD, async {
        loop {
            if let EngineEvent::TunnelStatusChanged(state) = rx.recv().await.expect("event bus open") {
                let found = pred(&state);
                seen.push(state);
                if found {
                    return;
                }
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the tunnel never became {what}; states seen: {seen:#?}"));
}

fn answered_id(answer: &str) -> String {
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn against_a_stand_in_server_the_ngrok_session_comes_online_carries_requests_and_reconnects() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut rx = engine.subscribe();
    let url = "https://hookscope-test.ngrok.example";
    let fake = FakeNgrok::start(Behaviour::Accept { url: url.into() }).await;
    let tunnel = NgrokTunnel::new(engine.capture_state(), StatusBoard::new(engine.events())).without_tls();
    let opened = tokio::time::timeout(HANG_GUARD, tunnel.start(options(fake.addr)))
        .await
        .expect("start does not hang")
        .expect("the stand-in server accepts");
    assert_eq!(opened, url);
    assert_eq!(tunnel.state(), TunnelState::Online { url: url.into() });

    let request = b"POST /hooks/through-tunnel HTTP/1.1\r\nHost: hookscope-test.ngrok.example\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"n\":\"one\"}";
    let id = answered_id(&fake.proxy("198.51.100.7:40000", request).await);
    let stored = engine
        .store()
        .read(move |conn| requests::get(conn, &id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.source, CaptureSource::Tunnel);
    assert_eq!(stored.remote_addr.as_deref(), Some("198.51.100.7:40000"));
    assert_eq!(stored.body, br#"{"n":"one"}"#);

    // The network drops: the session reconnects by itself, rebinds the same URL and says so.
    let mut binds = fake.binds.clone();
    let mut seen = tunnel_states(&mut rx);
    fake.cut_sessions().await;
    next_state(&mut rx, &mut seen, "reconnecting", |s| {
        matches!(s, TunnelState::Reconnecting { .. })
    })
    .await;
    tokio::time::timeout(HANG_GUARD, binds.wait_for(|n| *n >= 2))
        .await
        .expect("the agent rebinds after the cut")
        .unwrap();
    let id = answered_id(&fake.proxy("198.51.100.8:40001", request).await);
    assert!(!id.is_empty());
    if !matches!(tunnel.state(), TunnelState::Online { .. }) {
        next_state(&mut rx, &mut seen, "online again", |s| {
            matches!(s, TunnelState::Online { .. })
        })
        .await;
    }
    assert_eq!(tunnel.state(), TunnelState::Online { url: url.into() });

    tunnel.stop().await;
    seen.extend(tunnel_states(&mut rx));
    let states = seen;
    assert_eq!(states.first(), Some(&TunnelState::Connecting));
    assert_eq!(states.get(1), Some(&TunnelState::Online { url: url.into() }));
    assert!(
        states
            .iter()
            .any(|s| matches!(s, TunnelState::Reconnecting { reason } if reason.contains("connection to ngrok lost"))),
        "{states:#?}"
    );
    assert_eq!(states.last(), Some(&TunnelState::Off));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_token_and_an_unreserved_domain_are_explained() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let tunnel = NgrokTunnel::new(engine.capture_state(), StatusBoard::new(engine.events())).without_tls();
    let fake = FakeNgrok::start(Behaviour::RejectAuth(
        "The authtoken you specified is invalid.\r\n\r\nERR_NGROK_107\r\n".into(),
    ))
    .await;
    let error = tokio::time::timeout(HANG_GUARD, tunnel.start(options(fake.addr)))
        .await
        .expect("start does not hang")
        .unwrap_err();
    assert!(matches!(error, TunnelError::AuthtokenRejected { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("ERR_NGROK_107") && message.contains(AUTHTOKEN_URL),
        "{message}"
    );

    let fake = FakeNgrok::start(Behaviour::RejectBind(
        "The domain 'hooks.example.com' is not reserved for your account.\r\nERR_NGROK_320".into(),
    ))
    .await;
    let mut with_domain = options(fake.addr);
    with_domain.domain = Some("hooks.example.com".into());
    let error = tokio::time::timeout(HANG_GUARD, tunnel.start(with_domain))
        .await
        .expect("start does not hang")
        .unwrap_err();
    assert!(matches!(error, TunnelError::DomainNotReserved { .. }), "{error:?}");
    assert!(error.to_string().contains("dashboard.ngrok.com/domains"), "{error}");
    assert!(matches!(tunnel.state(), TunnelState::Error { .. }));
}
