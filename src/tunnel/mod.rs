//! The public tunnel behind a small trait; the real implementation is the `ngrok` crate.
//!
//! Only the capture routes are served through it ([`serve_tunnel_connection`]): nothing of the
//! app's control surface is reachable from the internet. The state (off, connecting, online,
//! reconnecting, error) is published as `EngineEvent::TunnelStatusChanged`.

mod authtoken;
mod controller;
mod error;
mod ngrok;
mod options;
mod outages;
mod reconnect;
mod serve;
mod status;

use async_trait::async_trait;

pub use self::ngrok::{NgrokTunnel, DEFAULT_SERVER};
pub use authtoken::{AuthtokenStore, StoredIn};
pub use controller::{TunnelController, AUTHTOKEN_ENV};
pub use error::TunnelError;
pub use options::{BasicAuth, TunnelOptions, AUTHTOKEN_URL, DOMAINS_URL};
pub use outages::record_outages;
pub use reconnect::Backoff;
pub use serve::serve_tunnel_connection;
pub use status::{OutageMark, StatusBoard};

use crate::model::TunnelState;

/// A way to make the capture routes reachable from the internet.
#[async_trait]
pub trait Tunnel: Send + Sync {
    /// Opens the tunnel and serves the capture routes on it; returns the public URL.
    async fn start(&self, options: TunnelOptions) -> Result<String, TunnelError>;
    /// Closes the tunnel; the state becomes `Off`.
    async fn stop(&self);
    /// The current state.
    fn state(&self) -> TunnelState;
}

/// The state in a few words, for the CLI and logs: `online https://...`, `error: ...`.
pub fn describe(state: &TunnelState) -> String {
    match state {
        TunnelState::Off => "off".to_owned(),
        TunnelState::Connecting => "connecting".to_owned(),
        TunnelState::Online { url } => format!("online {url}"),
        TunnelState::Reconnecting { reason } => format!("reconnecting: {reason}"),
        TunnelState::Error { message } => format!("error: {message}"),
    }
}
