//! Helpers shared by the integration tests: a running engine on port 0 with a temp database,
//! a raw HTTP/1.1 client (so tests control every byte and header case). The CLI's tests add
//! the binary in `tests/cli/common/`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use hookscope::{Engine, EngineConfig};

/// A temp dir holding the database, removed when dropped.
pub struct TestDb {
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("hookscope.db")
    }
}

pub fn config(db: &Path) -> EngineConfig {
    EngineConfig::new("127.0.0.1:0".parse().unwrap(), db.to_path_buf())
}

pub async fn start(db: &Path) -> Engine {
    Engine::start(config(db)).await.expect("engine starts")
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

/// Sends exact bytes on a fresh connection and reads the answer until the server closes
/// or the announced Content-Length has arrived.
pub fn send_raw(addr: SocketAddr, bytes: &[u8]) -> RawResponse {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(bytes).expect("write request");
    read_response(&mut stream)
}

pub fn read_response(stream: &mut TcpStream) -> RawResponse {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let length = head.lines().find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap())
            });
            if let Some(length) = length {
                if buffer.len() >= end + 4 + length {
                    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
                    return RawResponse {
                        status,
                        body: buffer[end + 4..end + 4 + length].to_vec(),
                        head,
                    };
                }
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let end = find(&buffer, b"\r\n\r\n").unwrap_or(buffer.len());
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    RawResponse {
        status,
        body: buffer.get(end + 4..).map(<[u8]>::to_vec).unwrap_or_default(),
        head,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A POST with the given body and extra header lines, `Connection: close`.
pub fn post(addr: SocketAddr, target: &str, extra_headers: &str, body: &[u8]) -> RawResponse {
    let mut request = format!(
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\n{extra_headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    send_raw(addr, &request)
}

/// The id in Hookscope's default JSON answer.
pub fn answered_id(response: &RawResponse) -> String {
    let json: serde_json::Value = serde_json::from_slice(&response.body).expect("default answer is JSON");
    json["id"].as_str().expect("answer names the id").to_owned()
}

/// Runs blocking work (a child process, a synchronous client) without stalling an async test.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

/// A deliverer on the engine's store and events with its own client options.
pub fn deliverer(engine: &Engine, options: hookscope::delivery::ClientOptions) -> hookscope::delivery::Deliverer {
    hookscope::delivery::Deliverer::new(
        engine.store().clone(),
        engine.events(),
        hookscope::delivery::DeliveryClient::new(options),
    )
}

/// Inserts `request` into a database migrated only to schema 6 or older (for upgrade tests),
/// with the columns those schemas have; the current insert writes later columns too.
pub fn insert_before_schema_7(conn: &rusqlite::Connection, request: &hookscope::model::CapturedRequest) {
    let pairs = |headers: &[hookscope::model::HeaderField]| {
        serde_json::to_string(&headers.iter().map(|h| [&h.name, &h.value]).collect::<Vec<_>>()).unwrap()
    };
    let status = |verdict: &hookscope::model::SignatureVerdict| {
        serde_json::to_value(verdict.status)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    };
    conn.execute(
        "INSERT INTO requests (id, endpoint_id, endpoint_name, received_at_ns, source, remote_addr, method, target, \
         http_version, headers, content_type, body, body_size, truncated, response_status, response_headers, \
         response_body, response_note, signature, signature_status) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        rusqlite::params![
            request.id,
            request.endpoint_id,
            request.endpoint_name,
            request.received_at_ns,
            request.source.as_str(),
            request.remote_addr,
            request.method,
            request.target,
            request.http_version,
            pairs(&request.headers),
            request.header("content-type"),
            request.body,
            request.body_size as i64,
            request.truncated,
            request.response.status,
            pairs(&request.response.headers),
            request.response.body,
            request.response.note,
            request.signature.as_ref().map(|v| serde_json::to_string(v).unwrap()),
            request.signature.as_ref().map(status),
        ],
    )
    .unwrap();
}

/// The newest `limit` requests the engine stored, newest first.
pub async fn newest(engine: &Engine, limit: usize) -> Vec<hookscope::model::RequestSummary> {
    engine
        .workbench()
        .list_requests(hookscope::store::requests::ListQuery {
            limit,
            ..Default::default()
        })
        .await
        .unwrap()
}
