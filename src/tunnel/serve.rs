//! Serving the tunnel's connections: the capture routes and nothing else.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};

use crate::capture::{self, CaptureState};
use crate::model::CaptureSource;

/// Serves one connection that arrived through the tunnel with the capture router only, so that
/// nothing of the app's own control surface can be reached from the internet. Requests are
/// recorded with source `tunnel` and the sender's address as ngrok reports it.
pub async fn serve_tunnel_connection<IO>(io: IO, remote: Option<SocketAddr>, state: Arc<CaptureState>)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let router = capture::router(state.clone());
    capture::serve_connection(io, remote, CaptureSource::Tunnel, state, router).await;
}
