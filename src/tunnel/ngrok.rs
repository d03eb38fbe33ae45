//! The [`Tunnel`] implemented with the `ngrok` crate (the ngrok agent SDK, no ngrok binary).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use ngrok::prelude::*;
use ngrok::session::{default_connect, ConnectError, Connector, HeartbeatHandler, IoStream};
use ngrok::tunnel::{AcceptError, HttpTunnel};
use tokio::sync::{watch, Mutex, Semaphore};
use tokio::task::JoinHandle;

use super::reconnect::{redial, Backoff};
use super::serve::serve_tunnel_connection;
use super::status::StatusBoard;
use super::{Tunnel, TunnelError, TunnelOptions};
use crate::capture::CaptureState;
use crate::model::TunnelState;

/// ngrok's agent server, used unless the options name another.
pub const DEFAULT_SERVER: &str = "connect.ngrok-agent.com:443";

/// An ngrok HTTPS endpoint that serves the capture routes.
pub struct NgrokTunnel {
    capture: Arc<CaptureState>,
    board: StatusBoard,
    backoff: Backoff,
    running: Mutex<Option<Running>>,
    /// Bumped by every `stop`; a start in progress that sees it change gives up.
    stops: watch::Sender<u64>,
    /// False only for a local test server: ngrok's own always speaks TLS.
    tls: bool,
}

struct Running {
    session: ngrok::Session,
    accept: JoinHandle<()>,
}

impl NgrokTunnel {
    pub fn new(capture: Arc<CaptureState>, board: StatusBoard) -> Self {
        Self {
            capture,
            board,
            backoff: Backoff::default(),
            running: Mutex::new(None),
            stops: watch::channel(0).0,
            tls: true,
        }
    }

    /// Dials the agent server over plain TCP instead of TLS. Only for a local stand-in of
    /// ngrok's server in tests; ngrok's service refuses it.
    pub fn without_tls(mut self) -> Self {
        self.tls = false;
        self
    }

    /// Connects the session and opens the HTTP endpoint; returns it running and its URL.
    async fn open(&self, options: &TunnelOptions, authtoken: &str) -> Result<(Running, String), TunnelError> {
        let server = options.server_addr.clone().unwrap_or_else(|| DEFAULT_SERVER.to_owned());
        let timeout = options.connect_timeout();
        let timed_out = || TunnelError::TimedOut {
            server: server.clone(),
            seconds: timeout.as_secs().max(1),
        };
        let mut builder = ngrok::Session::builder();
        builder
            .authtoken(authtoken)
            .client_info("hookscope", env!("CARGO_PKG_VERSION"), None::<String>)
            .connector(connector(self.board.clone(), self.backoff, self.tls))
            .handle_heartbeat(heartbeat(self.board.clone()));
        if let Some(addr) = &options.server_addr {
            builder
                .server_addr(addr.clone())
                .map_err(|e| TunnelError::InvalidOption(e.to_string()))?;
        }
        let session = tokio::time::timeout(timeout, builder.connect())
            .await
            .map_err(|_| timed_out())?
            .map_err(|error| TunnelError::from_connect(&error, &server))?;

        let domain = options.bare_domain();
        let mut endpoint = session.http_endpoint();
        endpoint.forwards_to("hookscope capture listener");
        if let Some(domain) = &domain {
            endpoint.domain(domain.clone());
        }
        if let Some(auth) = &options.basic_auth {
            endpoint.basic_auth(auth.username.clone(), auth.password.clone());
        }
        for cidr in &options.allow_cidrs {
            endpoint.allow_cidr(cidr.trim());
        }
        for cidr in &options.deny_cidrs {
            endpoint.deny_cidr(cidr.trim());
        }
        let listener = tokio::time::timeout(timeout, endpoint.listen())
            .await
            .map_err(|_| timed_out())?
            .map_err(|error| TunnelError::from_listen(&error, domain.as_deref()))?;
        let url = listener.url().to_owned();
        let accept = tokio::spawn(accept_loop(listener, self.capture.clone(), self.board.clone()));
        Ok((Running { session, accept }, url))
    }
}

#[async_trait]
impl Tunnel for NgrokTunnel {
    async fn start(&self, options: TunnelOptions) -> Result<String, TunnelError> {
        // Subscribed first, so a stop that comes at any point after this call is seen.
        let mut stops = self.stops.subscribe();
        let fail = |error: TunnelError| {
            self.board.set(TunnelState::Error {
                message: error.to_string(),
            });
            Err(error)
        };
        if let Err(error) = options.validate() {
            return fail(error);
        }
        // Checked before anything is dialed: without a token ngrok would connect only to refuse.
        let Some(authtoken) = options.given_authtoken().map(str::to_owned) else {
            return fail(TunnelError::NoAuthtoken);
        };
        let mut running = self.running.lock().await;
        if let Some(previous) = running.take() {
            close(previous).await;
        }
        let outcome = if stops.has_changed().unwrap_or(false) {
            Err(TunnelError::Cancelled)
        } else {
            self.board.set(TunnelState::Connecting);
            tokio::select! {
                outcome = self.open(&options, &authtoken) => outcome,
                _ = stops.changed() => Err(TunnelError::Cancelled),
            }
        };
        match outcome {
            Ok((run, url)) => {
                *running = Some(run);
                self.board.set(TunnelState::Online { url: url.clone() });
                tracing::info!(%url, "tunnel online");
                Ok(url)
            }
            Err(TunnelError::Cancelled) => {
                self.board.set(TunnelState::Off);
                Err(TunnelError::Cancelled)
            }
            Err(error) => {
                tracing::info!(%error, "tunnel could not start");
                fail(error)
            }
        }
    }

    async fn stop(&self) {
        self.stops.send_modify(|count| *count = count.wrapping_add(1));
        let previous = self.running.lock().await.take();
        if let Some(previous) = previous {
            close(previous).await;
        }
        self.board.set(TunnelState::Off);
    }

    fn state(&self) -> TunnelState {
        self.board.state()
    }
}

async fn close(running: Running) {
    running.accept.abort();
    let mut session = running.session;
    // Telling ngrok is a courtesy: without a network the session simply drops.
    if tokio::time::timeout(Duration::from_secs(3), session.close())
        .await
        .is_err()
    {
        tracing::debug!("ngrok did not confirm the session close; dropped it");
    }
}

async fn accept_loop(mut listener: HttpTunnel, capture: Arc<CaptureState>, board: StatusBoard) {
    let permits = Arc::new(Semaphore::new(capture.limits.max_connections.max(1)));
    loop {
        let permit = permits.clone().acquire_owned().await.expect("semaphore never closes");
        match listener.next().await {
            Some(Ok(connection)) => {
                // A connection through the tunnel is proof it is up again after a reconnect.
                board.heartbeat_answered();
                let remote = connection.remote_addr();
                let capture = capture.clone();
                tokio::spawn(async move {
                    serve_tunnel_connection(connection, Some(remote), capture).await;
                    drop(permit);
                });
            }
            Some(Err(error)) => {
                let error = TunnelError::Closed(describe_accept_error(&error));
                tracing::warn!(%error, "tunnel ended");
                board.set(TunnelState::Error {
                    message: error.to_string(),
                });
                return;
            }
            None => {
                board.set(TunnelState::Error {
                    message: TunnelError::Closed("ngrok ended the session".into()).to_string(),
                });
                return;
            }
        }
    }
}

/// The first connection is dialed once (its error goes back to `start`); a reconnect keeps
/// dialing with Hookscope's capped backoff instead of ngrok's (see `reconnect`).
fn connector(board: StatusBoard, backoff: Backoff, tls: bool) -> impl Connector {
    move |host: String, port: u16, tls_config: Arc<rustls::ClientConfig>, error: Option<AcceptError>| {
        let board = board.clone();
        async move {
            let dial = || dial(host.clone(), port, tls_config.clone(), tls);
            match error {
                None => dial().await,
                Some(error) => {
                    let why = describe_accept_error(&error);
                    Ok(redial(why, &board, backoff, dial).await)
                }
            }
        }
    }
}

async fn dial(
    host: String,
    port: u16,
    tls_config: Arc<rustls::ClientConfig>,
    tls: bool,
) -> Result<Box<dyn IoStream>, ConnectError> {
    if tls {
        return default_connect(host, port, tls_config, None).await;
    }
    let stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .map_err(ConnectError::Tcp)?;
    Ok(Box::new(stream))
}

fn heartbeat(board: StatusBoard) -> impl HeartbeatHandler {
    move |latency: Option<Duration>| {
        let board = board.clone();
        async move {
            match latency {
                Some(_) => board.heartbeat_answered(),
                None => board.reconnecting("ngrok's server stopped answering heartbeats; waiting for it".to_owned()),
            }
            Ok::<(), Box<dyn std::error::Error>>(())
        }
    }
}

fn describe_accept_error(error: &AcceptError) -> String {
    match error {
        AcceptError::Reconnect(inner) => inner.msg(),
        AcceptError::ListenerClosed { message, error_code } => match error_code {
            Some(code) => format!("{message} ({code})"),
            None => message.clone(),
        },
        other => other.to_string(),
    }
}
