//! A local stand-in for ngrok's agent server, speaking the wire protocol of the `ngrok` crate
//! 0.19 (muxado streams, JSON RPCs for auth and bind, proxy streams with a length-prefixed
//! header) over plain TCP. It lets the real `ngrok` session code come online, carry requests
//! and reconnect on this machine. The protocol is private to ngrok and may change between
//! crate versions: these tests are a bonus to the offline ones, never proof that ngrok's real
//! service works.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use muxado::heartbeat::{Heartbeat, HeartbeatConfig};
use muxado::typed::{StreamType, Typed, TypedAccept, TypedOpenClose, TypedSession};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

const AUTH_REQ: u32 = 0;
const BIND_REQ: u32 = 1;
const PROXY_REQ: u32 = 3;

/// How the fake server answers.
#[derive(Clone)]
pub enum Behaviour {
    /// Accepts every token and binds the endpoint at this URL.
    Accept { url: String },
    /// Answers the auth RPC with this error text (ngrok puts the code on its own line).
    RejectAuth(String),
    /// Accepts the token and answers the bind RPC with this error text.
    RejectBind(String),
}

type Opener = Box<dyn TypedOpenClose + Send>;

pub struct FakeNgrok {
    pub addr: SocketAddr,
    /// How many binds succeeded (the first bind, then one per reconnect).
    pub binds: watch::Receiver<u32>,
    openers: Arc<tokio::sync::Mutex<Option<Opener>>>,
    sessions: Arc<Mutex<Vec<JoinHandle<()>>>>,
    tunnel_id: Arc<Mutex<String>>,
    _accept: JoinHandle<()>,
}

impl FakeNgrok {
    pub async fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (binds_tx, binds) = watch::channel(0u32);
        let openers: Arc<tokio::sync::Mutex<Option<Opener>>> = Arc::default();
        let sessions: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let tunnel_id = Arc::new(Mutex::new("tun_fake_1".to_owned()));
        let accept = tokio::spawn({
            let openers = openers.clone();
            let sessions = sessions.clone();
            let tunnel_id = tunnel_id.clone();
            async move {
                while let Ok((tcp, _)) = listener.accept().await {
                    let session = tokio::spawn(serve_session(
                        tcp,
                        behaviour.clone(),
                        binds_tx.clone(),
                        openers.clone(),
                        tunnel_id.clone(),
                    ));
                    sessions.lock().unwrap().push(session);
                }
            }
        });
        Self {
            addr,
            binds,
            openers,
            sessions,
            tunnel_id,
            _accept: accept,
        }
    }

    /// Cuts every open session, as a network loss would.
    pub async fn cut_sessions(&self) {
        for session in self.sessions.lock().unwrap().drain(..) {
            session.abort();
        }
        *self.openers.lock().await = None;
    }

    /// Sends raw HTTP through the tunnel as ngrok's edge would; returns the raw answer.
    pub async fn proxy(&self, client_addr: &str, request: &[u8]) -> String {
        let mut guard = self.openers.lock().await;
        let opener = guard.as_mut().expect("a bound session");
        let mut stream = opener.open_typed(StreamType::clamp(PROXY_REQ)).await.unwrap();
        let id = self.tunnel_id.lock().unwrap().clone();
        drop(guard);
        let header = serde_json::json!({
            "Id": id, "ClientAddr": client_addr, "Proto": "https", "EdgeType": "3", "PassthroughTLS": false,
        })
        .to_string();
        stream.write_all(&(header.len() as i64).to_le_bytes()).await.unwrap();
        stream.write_all(header.as_bytes()).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&chunk[..n]),
            }
            if complete(&answer) {
                break;
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    }
}

/// True once a whole response with a Content-Length body has arrived.
fn complete(answer: &[u8]) -> bool {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|length| body.len() >= length)
}

async fn serve_session(
    tcp: tokio::net::TcpStream,
    behaviour: Behaviour,
    binds: watch::Sender<u32>,
    openers: Arc<tokio::sync::Mutex<Option<Opener>>>,
    tunnel_id: Arc<Mutex<String>>,
) {
    let session = muxado::SessionBuilder::new(tcp).server().start();
    let Ok((heartbeat, _control)) = Heartbeat::start(Typed::new(session), HeartbeatConfig::default()).await else {
        return;
    };
    let (open, mut accept) = heartbeat.split_typed();
    let mut open: Option<Opener> = Some(Box::new(open));
    while let Ok(mut stream) = accept.accept_typed().await {
        let request = read_json(&mut *stream).await;
        let answer = match (*stream.typ(), &behaviour) {
            (AUTH_REQ, Behaviour::RejectAuth(error)) => serde_json::json!({ "Error": error }),
            (AUTH_REQ, _) => serde_json::json!({
                "Version": "3", "ClientId": "fake-session", "Extra": { "Cookie": "fake-cookie" }
            }),
            (BIND_REQ, Behaviour::RejectBind(error)) => serde_json::json!({ "Error": error }),
            (BIND_REQ, Behaviour::Accept { url }) => {
                let id = request["Id"].as_str().filter(|id| !id.is_empty()).map(str::to_owned);
                let id = id.unwrap_or_else(|| tunnel_id.lock().unwrap().clone());
                *tunnel_id.lock().unwrap() = id.clone();
                serde_json::json!({
                    "Id": id, "URL": url, "Proto": "https", "Opts": request["Opts"], "Extra": { "Token": "" }
                })
            }
            _ => continue,
        };
        stream.write_all(answer.to_string().as_bytes()).await.unwrap();
        stream.shutdown().await.ok();
        if *stream.typ() == BIND_REQ && matches!(behaviour, Behaviour::Accept { .. }) {
            if let Some(open) = open.take() {
                *openers.lock().await = Some(open);
            }
            binds.send_modify(|n| *n += 1);
        }
    }
}

/// Reads one JSON value; the agent does not close its side before reading the answer.
async fn read_json(stream: &mut (impl AsyncRead + Unpin)) -> serde_json::Value {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match serde_json::from_slice::<serde_json::Value>(&buffer) {
            Ok(value) => return value,
            Err(error) if error.is_eof() || buffer.is_empty() => {}
            Err(error) => panic!("the agent sent invalid JSON: {error}"),
        }
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return serde_json::Value::Null;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}
