//! The capture path over real HTTP on 127.0.0.1: what arrives is stored byte for byte.

mod common;

use std::io::Write;

use common::{answered_id, blocking, post, send_raw, start, TestDb};
use hookscope::store::requests;

async fn stored(engine: &hookscope::Engine, id: &str) -> hookscope::model::CapturedRequest {
    let id = id.to_owned();
    engine
        .store()
        .read(move |conn| requests::get(conn, &id))
        .await
        .unwrap()
        .expect("request is stored")
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_round_trip_byte_for_byte() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();

    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(br#"{"compressed":true}"#).unwrap();
    let gzip = gzip.finish().unwrap();
    let mut random = vec![0u8; 70_000];
    rand::Rng::fill(&mut rand::thread_rng(), random.as_mut_slice());
    let five_mib: Vec<u8> = (0..5 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "json with escapes",
            r#"{"esc":"\u001b","euro":"\u20ac","raw":"€","spaced" :  [1, 2.50, 3e2]}"#
                .as_bytes()
                .to_vec(),
        ),
        ("crlf", b"line one\r\nline two\r\n\r\n".to_vec()),
        ("random binary", random),
        ("gzip stays gzip", gzip),
        ("invalid utf-8", vec![b'o', b'k', 0xff, 0xfe, 0xc3, 0x28, b'!']),
        ("empty", Vec::new()),
        ("5 MiB", five_mib),
    ];
    for (name, body) in cases {
        let sent = body.clone();
        let response = blocking(move || {
            post(
                addr,
                "/hooks/bytes",
                "Content-Type: application/octet-stream\r\n",
                &sent,
            )
        })
        .await;
        assert_eq!(response.status, 200, "{name}: {}", response.head);
        let request = stored(&engine, &answered_id(&response)).await;
        assert_eq!(request.body, body, "{name}: body bytes differ");
        assert_eq!(request.body_size, body.len() as u64, "{name}");
        assert!(!request.truncated, "{name}");
    }
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn headers_keep_arrival_order_case_and_duplicates() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    let wire = b"POST /order HTTP/1.1\r\nHost: example.test\r\nX-Zeta: 1\r\nx-alpha: a\r\nX-ZETA: 2\r\nStripe-Signature: t=1,v1=ab\r\nSET-cookie: c=1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    let response = blocking(move || send_raw(addr, wire)).await;
    assert_eq!(response.status, 200);
    let request = stored(&engine, &answered_id(&response)).await;
    let lines: Vec<String> = request
        .headers
        .iter()
        .map(|h| format!("{}: {}", h.name, h.value))
        .collect();
    assert_eq!(
        lines,
        [
            "Host: example.test",
            "X-Zeta: 1",
            "x-alpha: a",
            "X-ZETA: 2",
            "Stripe-Signature: t=1,v1=ab",
            "SET-cookie: c=1",
            "Content-Length: 2",
            "Connection: close"
        ]
    );
    assert_eq!(request.http_version, "HTTP/1.1");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn keep_alive_connection_records_each_request_head() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    let ids = blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        let mut ids = Vec::new();
        for (i, body) in [&b"first"[..], b"", b"third body"].iter().enumerate() {
            let mut request = format!(
                "PUT /ka/{i} HTTP/1.1\r\nHost: h\r\nX-Seq-{i}: v\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            request.extend_from_slice(body);
            stream.write_all(&request).unwrap();
            ids.push(answered_id(&common::read_response(&mut stream)));
        }
        ids
    })
    .await;
    for (i, id) in ids.iter().enumerate() {
        let request = stored(&engine, id).await;
        assert_eq!(request.target, format!("/ka/{i}"));
        assert!(
            request.headers.iter().any(|h| h.name == format!("X-Seq-{i}")),
            "{:?}",
            request.headers
        );
    }
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn chunked_body_is_stored_without_its_framing() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    let wire = b"POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n";
    let response = blocking(move || send_raw(addr, wire)).await;
    assert_eq!(response.status, 200);
    let request = stored(&engine, &answered_id(&response)).await;
    assert_eq!(request.body, b"hello world");
    assert_eq!(request.header("Transfer-Encoding"), Some("chunked"));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_query_and_target_are_kept_as_sent() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    for target in [
        "/q?a=%41%2f&b=&b=2&plus=a+b&empty",
        "/path%20with%2Fescapes/?x=%E2%82%AC",
        "/?",
        "/only",
    ] {
        let wire = format!("GET {target} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        let response = blocking(move || send_raw(addr, wire.as_bytes())).await;
        assert_eq!(response.status, 200, "{target}");
        let request = stored(&engine, &answered_id(&response)).await;
        assert_eq!(request.target, target);
    }
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_method_is_captured() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    for method in [
        "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "PROPFIND", "PURGE",
    ] {
        let wire = format!("{method} /m HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        let response = blocking(move || send_raw(addr, wire.as_bytes())).await;
        assert_eq!(response.status, 200, "{method}");
    }
    let listed = engine
        .store()
        .list_requests(requests::ListQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut methods: Vec<&str> = listed.iter().map(|r| r.method.as_str()).collect();
    methods.reverse();
    assert_eq!(
        methods,
        ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "PROPFIND", "PURGE"]
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn oversize_body_gets_413_and_a_truncated_record() {
    let db = TestDb::new();
    let mut config = common::config(&db.path());
    config.limits.body_limit = 100_000;
    config.limits.truncated_keep = 1000;
    let engine = hookscope::Engine::start(config).await.unwrap();
    let addr = engine.local_addr();
    let body = vec![b'x'; 300_000];
    let response = blocking(move || post(addr, "/big", "X-Big: yes\r\n", &body)).await;
    assert_eq!(response.status, 413);
    let listed = engine
        .store()
        .list_requests(requests::ListQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let request = stored(&engine, &listed[0].id).await;
    assert!(request.truncated);
    assert_eq!(request.body.len(), 1000);
    assert_eq!(request.body_size, 300_000);
    assert_eq!(request.header("X-Big"), Some("yes"));
    assert_eq!(request.response.status, 413);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_requests_get_400_and_the_listener_keeps_serving() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    for garbage in [
        &b"THIS IS NOT HTTP\r\n\r\n"[..],
        b"GET /\x00bad HTTP/1.1\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    ] {
        let response = blocking(move || send_raw(addr, garbage)).await;
        assert!(
            response.status == 400 || response.status == 0,
            "got {}",
            response.status
        );
    }
    let huge_header = format!("GET / HTTP/1.1\r\nHost: h\r\nX-Huge: {}\r\n\r\n", "a".repeat(200_000));
    let response = blocking(move || send_raw(addr, huge_header.as_bytes())).await;
    assert_eq!(response.status, 431);
    let response = blocking(move || post(addr, "/after", "", b"still alive")).await;
    assert_eq!(response.status, 200);
    let count = engine.store().read(requests::count).await.unwrap();
    assert_eq!(count, 1, "only the well-formed request is stored");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_client_is_cut_off_by_the_header_timeout() {
    let db = TestDb::new();
    let mut config = common::config(&db.path());
    config.limits.header_read_timeout = std::time::Duration::from_millis(300);
    let engine = hookscope::Engine::start(config).await.unwrap();
    let addr = engine.local_addr();
    let outcome = blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(b"POST /slow HTTP/1.1\r\nHost: h\r\n").unwrap();
        common::read_response(&mut stream)
    })
    .await;
    // hyper answers 408 or closes: either way the connection is not held open forever.
    assert!(outcome.status == 408 || outcome.status == 0, "got {}", outcome.status);
    let response = blocking(move || post(addr, "/after", "", b"ok")).await;
    assert_eq!(response.status, 200);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_concurrent_requests_are_all_stored() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    let mut tasks = Vec::new();
    for i in 0..1000 {
        tasks.push(tokio::task::spawn_blocking(move || {
            let body = format!("{{\"n\":{i}}}");
            let response = post(
                addr,
                &format!("/load/{i}"),
                "Content-Type: application/json\r\n",
                body.as_bytes(),
            );
            (response.status, answered_id(&response))
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        let (status, id) = task.await.unwrap();
        assert_eq!(status, 200);
        ids.push(id);
    }
    let count = engine.store().read(requests::count).await.unwrap();
    assert_eq!(count, 1000);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1000, "ids are unique");
    let stats = engine.store().writer_stats();
    assert_eq!(stats.rows, 1000);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_survive_a_restart() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let addr = engine.local_addr();
    let id = answered_id(&blocking(move || post(addr, "/persist", "", b"kept")).await);
    engine.shutdown().await;
    let engine = start(&db.path()).await;
    assert_eq!(stored(&engine, &id).await.body, b"kept");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_are_attributed_to_the_longest_matching_endpoint() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    for (name, prefix) in [("all-hooks", "/hooks"), ("stripe", "/hooks/stripe")] {
        let endpoint = hookscope::model::NewEndpoint {
            name: name.into(),
            path_prefix: prefix.into(),
            handshake_enabled: true,
            ..Default::default()
        };
        engine
            .store()
            .write(move |conn| hookscope::store::endpoints::insert(conn, &endpoint))
            .await
            .unwrap();
    }
    engine.reload_endpoints().await.unwrap();
    let addr = engine.local_addr();
    for (target, expected) in [
        ("/hooks/stripe/evt?x=1", Some("stripe")),
        ("/hooks/stripes", Some("all-hooks")),
        ("/hooks", Some("all-hooks")),
        ("/elsewhere", None),
    ] {
        let response = blocking(move || post(addr, target, "", b"{}")).await;
        let request = stored(&engine, &answered_id(&response)).await;
        assert_eq!(request.endpoint_name.as_deref(), expected, "{target}");
    }
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn each_capture_is_published_on_the_event_bus() {
    let db = TestDb::new();
    let engine = start(&db.path()).await;
    let mut events = engine.subscribe();
    let addr = engine.local_addr();
    let id = answered_id(&blocking(move || post(addr, "/evt", "Content-Type: text/plain\r\n", b"hi")).await);
    match events.recv().await.unwrap() {
        hookscope::model::EngineEvent::RequestCaptured(summary) => {
            assert_eq!(summary.id, id);
            assert_eq!(summary.target, "/evt");
            assert_eq!(summary.content_type.as_deref(), Some("text/plain"));
            assert_eq!(summary.body_size, 2);
        }
        other => panic!("unexpected event {other:?}"),
    }
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_over_the_cap_wait_until_one_closes() {
    let db = TestDb::new();
    let mut config = common::config(&db.path());
    config.limits.max_connections = 1;
    let engine = hookscope::Engine::start(config).await.unwrap();
    let addr = engine.local_addr();
    let outcome = blocking(move || {
        use std::io::Read;
        let request = b"GET /cap HTTP/1.1\r\nHost: h\r\n\r\n";
        let mut holder = std::net::TcpStream::connect(addr).unwrap();
        holder.write_all(request).unwrap();
        let first = common::read_response(&mut holder);
        // The holder's keep-alive connection occupies the only slot.
        let mut waiting = std::net::TcpStream::connect(addr).unwrap();
        waiting.write_all(b"GET /cap2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").unwrap();
        waiting.set_read_timeout(Some(std::time::Duration::from_millis(500))).unwrap();
        let mut byte = [0u8; 1];
        let answered_while_full = !matches!(waiting.read(&mut byte), Err(ref e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut);
        drop(holder);
        waiting.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
        let second = common::read_response(&mut waiting);
        (first.status, answered_while_full, second.status)
    })
    .await;
    assert_eq!(outcome, (200, false, 200));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn background_retention_prunes_while_capture_goes_on() {
    let db = TestDb::new();
    let mut config = common::config(&db.path());
    config.retention.max_rows = Some(5);
    config.retention_interval = std::time::Duration::from_millis(50);
    let engine = hookscope::Engine::start(config).await.unwrap();
    let mut events = engine.subscribe();
    let addr = engine.local_addr();
    let mut last = String::new();
    for i in 0..20 {
        let response = blocking(move || post(addr, &format!("/r/{i}"), "", b"x")).await;
        assert_eq!(response.status, 200);
        last = answered_id(&response);
    }
    loop {
        if let hookscope::model::EngineEvent::RetentionPruned { .. } = events.recv().await.unwrap() {
            let count = engine.store().read(requests::count).await.unwrap();
            if count == 5 {
                break;
            }
        }
    }
    assert_eq!(
        stored(&engine, &last).await.target,
        "/r/19",
        "the newest request is kept"
    );
    engine.shutdown().await;
}

/// An engine with a 100 KB body limit that keeps the first 1,000 bytes of a larger body.
async fn small_limit_engine(db: &TestDb) -> hookscope::Engine {
    let mut config = common::config(&db.path());
    config.limits.body_limit = 100_000;
    config.limits.truncated_keep = 1000;
    hookscope::Engine::start(config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_still_uploading_an_oversize_body_reads_the_413_instead_of_a_reset() {
    use std::io::{Read, Write};
    let db = TestDb::new();
    let engine = small_limit_engine(&db).await;
    let addr = engine.local_addr();
    let head = blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        let size = 8 * 1024 * 1024;
        let mut writer = stream.try_clone().unwrap();
        // Like a client without `Expect: 100-continue`: the whole body goes out before it reads.
        let upload = std::thread::spawn(move || {
            let head = format!("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n\r\n");
            writer.write_all(head.as_bytes())?;
            for _ in 0..size / 65_536 {
                writer.write_all(&[b'x'; 65_536])?;
            }
            Ok::<_, std::io::Error>(())
        });
        let uploaded = upload.join().unwrap();
        let mut answer = Vec::new();
        let read = stream.read_to_end(&mut answer);
        (
            uploaded.is_ok(),
            read.is_ok(),
            String::from_utf8_lossy(&answer).into_owned(),
        )
    })
    .await;
    let (uploaded, read, answer) = head;
    assert!(uploaded, "the upload was not cut off");
    assert!(read, "the answer was read without a reset");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let request = stored(&engine, &common::newest(&engine, 1).await[0].id).await;
    assert!(request.truncated);
    assert_eq!(request.body.len(), 1000);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversize_body_announced_with_expect_100_continue_gets_413_instead_of_100() {
    use std::io::{Read, Write};
    let db = TestDb::new();
    let engine = small_limit_engine(&db).await;
    let addr = engine.local_addr();
    let first_line = blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
        stream
            .write_all(b"POST /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nX-Big: yes\r\nContent-Length: 31457280\r\n\r\n")
            .unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_owned()
    })
    .await;
    assert_eq!(first_line, "HTTP/1.1 413 Payload Too Large");
    let request = stored(&engine, &common::newest(&engine, 1).await[0].id).await;
    assert!(request.truncated);
    assert_eq!(request.body_size, 31_457_280);
    assert_eq!(request.header("X-Big"), Some("yes"));
    engine.shutdown().await;
}
