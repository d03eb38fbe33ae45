//! A target server for delivery tests: raw HTTP/1.1 over TCP on 127.0.0.1 port 0 that records
//! exactly what it received (request line, header lines with casing and order, body bytes).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, Notify};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the recorder answers.
pub enum Reply {
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request and never answer.
    Hang,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

type Responder = Arc<dyn Fn(&Received) -> Reply + Send + Sync>;

/// Holds each request until `limit` are in flight at once (or all `total` have arrived), and
/// remembers the most seen in flight: a way to observe a concurrency limit without timing.
pub struct Gate {
    limit: usize,
    total: usize,
    state: Mutex<GateState>,
    released: Notify,
}

#[derive(Default)]
struct GateState {
    in_flight: usize,
    arrived: usize,
    max_in_flight: usize,
    generation: u64,
}

impl Gate {
    pub fn new(limit: usize, total: usize) -> Arc<Gate> {
        Arc::new(Gate {
            limit,
            total,
            state: Mutex::new(GateState::default()),
            released: Notify::new(),
        })
    }

    pub fn max_in_flight(&self) -> usize {
        self.state.lock().unwrap().max_in_flight
    }

    async fn enter(&self) {
        let mine = {
            let mut state = self.state.lock().unwrap();
            state.in_flight += 1;
            state.arrived += 1;
            state.max_in_flight = state.max_in_flight.max(state.in_flight);
            let mine = state.generation;
            if state.in_flight >= self.limit || state.arrived >= self.total {
                state.generation += 1;
                self.released.notify_waiters();
            }
            mine
        };
        loop {
            let notified = self.released.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let state = self.state.lock().unwrap();
                if state.generation > mine || state.arrived >= self.total {
                    return;
                }
            }
            notified.await;
        }
    }

    fn leave(&self) {
        self.state.lock().unwrap().in_flight -= 1;
    }
}

/// A running recorder.
pub struct Recorder {
    pub addr: SocketAddr,
    received: mpsc::UnboundedReceiver<Received>,
}

impl Recorder {
    /// Answers every request with `status` and a small body.
    pub async fn answering(status: u16) -> Recorder {
        Self::start(move |_| Reply::Answer {
            status,
            headers: vec![("X-Recorder".into(), "yes".into())],
            body: b"recorded".to_vec(),
        })
        .await
    }

    pub async fn start(responder: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Recorder {
        Self::start_with_gate(responder, None).await
    }

    pub async fn start_with_gate(
        responder: impl Fn(&Received) -> Reply + Send + Sync + 'static,
        gate: Option<Arc<Gate>>,
    ) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (sender, received) = mpsc::unbounded_channel();
        let responder: Responder = Arc::new(responder);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, responder.clone(), sender.clone(), gate.clone()));
            }
        });
        Recorder { addr, received }
    }

    /// Like [`Recorder::start`], over TLS with a self-signed certificate for `localhost`/127.0.0.1.
    pub async fn start_tls(responder: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Recorder {
        use tokio_rustls::rustls;
        use tokio_rustls::rustls::pki_types::pem::PemObject;
        use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_slice_iter(include_bytes!("../fixtures/delivery/test-cert.pem"))
                .collect::<Result<_, _>>()
                .unwrap();
        let key = PrivateKeyDer::from_pem_slice(include_bytes!("../fixtures/delivery/test-key.pem")).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (sender, received) = mpsc::unbounded_channel();
        let responder: Responder = Arc::new(responder);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, responder, sender) = (acceptor.clone(), responder.clone(), sender.clone());
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(stream).await {
                        serve(tls, responder, sender, None).await;
                    }
                });
            }
        });
        Recorder { addr, received }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The next request that arrives.
    pub async fn next(&mut self) -> Received {
        self.received.recv().await.expect("recorder is running")
    }

    /// Requests received so far, without waiting.
    pub fn drain(&mut self) -> Vec<Received> {
        let mut all = Vec::new();
        while let Ok(received) = self.received.try_recv() {
            all.push(received);
        }
        all
    }
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    responder: Responder,
    sender: mpsc::UnboundedSender<Received>,
    gate: Option<Arc<Gate>>,
) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut request = httparse::Request::new(&mut headers);
    if !matches!(request.parse(&buffer[..head_end]), Ok(httparse::Status::Complete(_))) {
        return;
    }
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|h| (h.name.to_owned(), String::from_utf8_lossy(h.value).into_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.trim().parse::<usize>().unwrap());
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let received = Received {
        method: request.method.unwrap().to_owned(),
        target: request.path.unwrap().to_owned(),
        headers,
        body,
    };
    let reply = responder(&received);
    let _ = sender.send(received);
    if let Some(gate) = &gate {
        gate.enter().await;
        // Leave before answering: the client can only start another request after our answer.
        gate.leave();
    }
    match reply {
        Reply::Hang => std::future::pending::<()>().await,
        Reply::Answer { status, headers, body } => {
            let mut answer = format!("HTTP/1.1 {status} Whatever\r\n").into_bytes();
            for (name, value) in headers {
                answer.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
            }
            answer.extend_from_slice(format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes());
            answer.extend_from_slice(&body);
            let _ = stream.write_all(&answer).await;
            let _ = stream.shutdown().await;
        }
    }
}
