//! Accepting connections and serving HTTP/1.1 on them with the capture router.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

use super::tap::{HeadTap, RawHead, TappedIo};
use super::{CaptureError, CaptureState};
use crate::model::CaptureSource;

/// What the handler knows about the connection a request came on.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    pub remote: Option<SocketAddr>,
    pub source: CaptureSource,
    /// The head exactly as it arrived, when the tap could follow the connection.
    pub head: Option<RawHead>,
}

/// A running capture listener; dropping it does not stop it, [`CaptureListener::shutdown`] does.
pub struct CaptureListener {
    local_addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl CaptureListener {
    /// Binds `addr` and starts accepting connections.
    pub async fn bind(addr: SocketAddr, state: Arc<CaptureState>) -> Result<Self, CaptureError> {
        let listener = TcpListener::bind(addr).await.map_err(|source| CaptureError::Bind {
            addr,
            hint: match source.kind() {
                std::io::ErrorKind::AddrInUse => {
                    " (address in use: is another Hookscope running? Use another port, or port 0 for any free one)"
                }
                std::io::ErrorKind::PermissionDenied => " (permission denied: ports below 1024 need privileges)",
                _ => "",
            },
            source,
        })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| CaptureError::Bind { addr, source, hint: "" })?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, state, stopped));
        tracing::info!(%local_addr, "capture listener ready");
        Ok(Self { local_addr, stop, task })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting; connections already open finish their current request.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<CaptureState>, mut stopped: watch::Receiver<bool>) {
    let router = super::router(state.clone());
    let permits = Arc::new(Semaphore::new(state.limits.max_connections.max(1)));
    let mut backoff = Duration::from_millis(10);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("semaphore never closes"),
            _ = stopped.changed() => return,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        match accepted {
            Ok((stream, remote)) => {
                backoff = Duration::from_millis(10);
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let router = router.clone();
                tokio::spawn(async move {
                    serve_connection(stream, Some(remote), CaptureSource::Local, state, router).await;
                    drop(permit);
                });
            }
            Err(error) => {
                // Out of file descriptors, a network change after sleep, ...: keep listening.
                tracing::warn!(%error, "accept failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
            }
        }
    }
}

/// Serves HTTP/1.1 on one connection (a TCP stream or a tunnel's stream) with the capture router.
pub async fn serve_connection<IO>(
    io: IO,
    remote: Option<SocketAddr>,
    source: CaptureSource,
    state: Arc<CaptureState>,
    router: axum::Router,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let tap = HeadTap::new();
    let service_tap = tap.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectionInfo {
            remote,
            source,
            head: service_tap.next_head(),
        });
        let answered = router.clone().oneshot(request);
        async move {
            let response = answered.await.unwrap_or_else(|never| match never {});
            if response.extensions().get::<super::handler::DropConnection>().is_some() {
                // A response rule's `drop`: hyper closes the connection without writing.
                return Err(ConnectionDropped);
            }
            Ok(response)
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.limits.header_read_timeout)
        .max_buf_size(state.limits.max_head_bytes.max(8192))
        .keep_alive(true);
    if let Err(error) = builder
        .serve_connection(TokioIo::new(TappedIo::new(io, tap)), service)
        .await
    {
        tracing::debug!(%error, ?remote, "connection ended with an error");
    }
}

/// The service's error for a connection closed on purpose, without an answer.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("closed without an answer by a response rule")
    }
}

impl std::error::Error for ConnectionDropped {}
