//! What the desktop shell and the CLI call: start and stop the tunnel, read its state.

use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use super::authtoken::{AuthtokenStore, StoredIn};
use super::ngrok::NgrokTunnel;
use super::outages::record_outages;
use super::status::StatusBoard;
use super::{Tunnel, TunnelError, TunnelOptions};
use crate::capture::CaptureState;
use crate::model::{EngineEvent, TunnelState};
use crate::store::Store;

/// The environment variable that holds an ngrok authtoken.
pub const AUTHTOKEN_ENV: &str = "NGROK_AUTHTOKEN";

/// Starts and stops the public tunnel and finds its authtoken; state changes are published as
/// `EngineEvent::TunnelStatusChanged` on the engine's bus.
pub struct TunnelController {
    tunnel: Box<dyn Tunnel>,
    board: StatusBoard,
    tokens: Option<AuthtokenStore>,
    store: Store,
    /// Outages are recorded from the first start on (that needs the async runtime).
    recording: std::sync::OnceLock<()>,
}

impl TunnelController {
    /// An ngrok tunnel for the engine's capture routes, with the token file in the config dir.
    pub fn new(capture: Arc<CaptureState>, events: broadcast::Sender<EngineEvent>) -> Self {
        Self::with_token_store(capture, events, AuthtokenStore::in_config_dir())
    }

    /// Like [`TunnelController::new`] with the token kept elsewhere (`None`: nowhere).
    pub fn with_token_store(
        capture: Arc<CaptureState>,
        events: broadcast::Sender<EngineEvent>,
        tokens: Option<AuthtokenStore>,
    ) -> Self {
        let board = StatusBoard::new(events);
        let store = capture.store.clone();
        let tunnel = Box::new(NgrokTunnel::new(capture, board.clone()));
        Self {
            tunnel,
            board,
            tokens,
            store,
            recording: std::sync::OnceLock::new(),
        }
    }

    /// Opens the tunnel; returns the public URL. The authtoken is the one in `options`, else
    /// `NGROK_AUTHTOKEN`, else the stored one. Starting a running tunnel restarts it.
    pub async fn start(&self, mut options: TunnelOptions) -> Result<String, TunnelError> {
        self.recording.get_or_init(|| {
            record_outages(&self.board, self.store.clone());
        });
        if options.given_authtoken().is_none() {
            options.authtoken = match std::env::var(AUTHTOKEN_ENV).ok().filter(|t| !t.trim().is_empty()) {
                Some(token) => Some(token),
                None => match self.tokens.clone() {
                    // The keyring may block (a D-Bus call, an unlock prompt): keep it off the runtime.
                    Some(store) => tokio::task::spawn_blocking(move || store.load())
                        .await
                        .unwrap_or(Ok(None))?,
                    None => None,
                },
            };
        }
        self.tunnel.start(options).await
    }

    /// Closes the tunnel (and cancels a start in progress); the state becomes `Off`.
    pub async fn stop(&self) {
        self.tunnel.stop().await;
    }

    pub fn state(&self) -> TunnelState {
        self.board.state()
    }

    /// A receiver that always holds the newest state.
    pub fn subscribe(&self) -> watch::Receiver<TunnelState> {
        self.board.subscribe()
    }

    /// Where the authtoken entered in Settings is kept (`None` when the OS has no config dir).
    pub fn token_store(&self) -> Option<&AuthtokenStore> {
        self.tokens.as_ref()
    }

    /// Stores the token entered in Settings (OS keyring, else the private file); an empty token
    /// forgets it. Runs off the async runtime, as the keyring may block.
    pub async fn save_authtoken(&self, token: String) -> Result<StoredIn, TunnelError> {
        let store = self.tokens.clone().ok_or(TunnelError::NoConfigDir)?;
        tokio::task::spawn_blocking(move || store.save(&token))
            .await
            .map_err(|_| TunnelError::NoConfigDir)?
    }

    /// Forgets the stored token.
    pub async fn forget_authtoken(&self) -> Result<(), TunnelError> {
        let Some(store) = self.tokens.clone() else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || store.clear())
            .await
            .unwrap_or(Ok(()))
    }

    /// True when a token is available from the environment or the store (for the Settings UI).
    /// May block briefly on the OS keyring.
    pub fn has_authtoken(&self) -> bool {
        std::env::var(AUTHTOKEN_ENV).is_ok_and(|t| !t.trim().is_empty())
            || self
                .tokens
                .as_ref()
                .and_then(|store| store.load().ok().flatten())
                .is_some()
    }
}
