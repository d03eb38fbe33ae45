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

/// Cuts the agent's sessions, waits until the tunnel says it is reconnecting and the agent has
/// bound again, sends `request` through the new session, and waits until the tunnel is online
/// again. Returns the captured id; the states published on the way are added to `seen`.
async fn cut_and_reconnect(
    fake: &FakeNgrok,
    tunnel: &NgrokTunnel,
    rx: &mut broadcast::Receiver<EngineEvent>,
    seen: &mut Vec<TunnelState>,
    request: &[u8],
) -> String {
    let mut binds = fake.binds.clone();
    fake.cut_sessions().await;
    next_state(rx, seen, "reconnecting", |s| {
        matches!(s, TunnelState::Reconnecting { .. })
    })
    .await;
    tokio::time::timeout(HANG_GUARD, binds.wait_for(|n| *n >= 2))
        .await
        .expect("the agent rebinds after the cut")
        .unwrap();
    let id = answered_id(&fake.proxy("198.51.100.8:40001", request).await);
    if !matches!(tunnel.state(), TunnelState::Online { .. }) {
        next_state(rx, seen, "online again", |s| matches!(s, TunnelState::Online { .. })).await;
    }
    id
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
    let mut seen = tunnel_states(&mut rx);
    let id = cut_and_reconnect(&fake, &tunnel, &mut rx, &mut seen, request).await;
    assert!(!id.is_empty());
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

#[tokio::test(flavor = "multi_thread")]
async fn a_reconnect_is_recorded_as_an_outage_between_the_requests_and_survives_a_restart() {
    use hookscope::model::OutageEnd;
    use hookscope::store::tunnel_outages;

    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut rx = engine.subscribe();
    let url = "https://hookscope-outage.ngrok.example";
    let fake = FakeNgrok::start(Behaviour::Accept { url: url.into() }).await;
    let board = StatusBoard::new(engine.events());
    let recorder = hookscope::tunnel::record_outages(&board, engine.store().clone());
    let tunnel = NgrokTunnel::new(engine.capture_state(), board).without_tls();
    tokio::time::timeout(HANG_GUARD, tunnel.start(options(fake.addr)))
        .await
        .expect("start does not hang")
        .expect("the stand-in server accepts");
    let request = b"POST /hooks/outage HTTP/1.1\r\nHost: hookscope-outage.ngrok.example\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    let before = answered_id(&fake.proxy("198.51.100.7:40000", request).await);

    let mut seen = tunnel_states(&mut rx);
    let after = cut_and_reconnect(&fake, &tunnel, &mut rx, &mut seen, request).await;
    tunnel.stop().await;

    // The recorder writes in the background: wait (bounded) until the end is stored.
    let store = engine.store().clone();
    let outages = tokio::time::timeout(HANG_GUARD, async {
        loop {
            let outages = store.read(|conn| tunnel_outages::list(conn, 10)).await.unwrap();
            if outages.iter().all(|o| o.end.is_some()) && !outages.is_empty() {
                return outages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the outage is recorded with its end");
    assert_eq!(outages.len(), 1, "one cut, one outage: {outages:#?}");
    let outage = &outages[0];
    assert_eq!(outage.end, Some(OutageEnd::Reconnected));
    assert!(outage.reason.contains("connection to ngrok lost"), "{}", outage.reason);
    let ended = outage.ended_at_ns.expect("a reconnect has an end time");
    let received = |id: String| {
        let store = store.clone();
        async move {
            store
                .read(move |conn| requests::get(conn, &id))
                .await
                .unwrap()
                .unwrap()
                .received_at_ns
        }
    };
    // The gap lies between the request before the cut and the one after the reconnect.
    assert!(received(before).await < outage.started_at_ns);
    assert!(outage.started_at_ns <= ended);
    assert!(ended <= received(after).await);

    recorder.abort();
    engine.shutdown().await;
    let conn = hookscope::store::open_database(&db.path()).unwrap();
    assert_eq!(
        tunnel_outages::list(&conn, 10).unwrap(),
        outages,
        "kept across a restart"
    );
}
