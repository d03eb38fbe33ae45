//! The tunnel's state, kept in one place and announced on the engine's event bus on every change.

use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use crate::model::{EngineEvent, TunnelState};

/// Holds the current [`TunnelState`]; each change is published as `EngineEvent::TunnelStatusChanged`.
#[derive(Clone)]
pub struct StatusBoard {
    inner: Arc<Inner>,
}

struct Inner {
    state: watch::Sender<TunnelState>,
    events: broadcast::Sender<EngineEvent>,
    /// The public URL of the running tunnel, to return to after a reconnect.
    url: std::sync::Mutex<Option<String>>,
}

impl StatusBoard {
    /// Starts in [`TunnelState::Off`].
    pub fn new(events: broadcast::Sender<EngineEvent>) -> Self {
        let (state, _) = watch::channel(TunnelState::Off);
        Self {
            inner: Arc::new(Inner {
                state,
                events,
                url: std::sync::Mutex::new(None),
            }),
        }
    }

    pub fn state(&self) -> TunnelState {
        self.inner.state.borrow().clone()
    }

    /// A receiver that always holds the newest state.
    pub fn subscribe(&self) -> watch::Receiver<TunnelState> {
        self.inner.state.subscribe()
    }

    /// Sets the state; publishes an event only when it changed.
    pub fn set(&self, state: TunnelState) {
        match &state {
            TunnelState::Online { url } => *self.url_slot() = Some(url.clone()),
            TunnelState::Off | TunnelState::Error { .. } => *self.url_slot() = None,
            TunnelState::Connecting | TunnelState::Reconnecting { .. } => {}
        }
        let changed = self.inner.state.send_if_modified(|current| {
            if *current == state {
                return false;
            }
            *current = state.clone();
            true
        });
        if changed {
            tracing::info!(state = ?state, "tunnel state changed");
            let _ = self.inner.events.send(EngineEvent::TunnelStatusChanged(state));
        }
    }

    /// The tunnel lost its connection and is trying again; ignored unless it was up.
    pub fn reconnecting(&self, reason: String) {
        if matches!(
            self.state(),
            TunnelState::Online { .. } | TunnelState::Reconnecting { .. }
        ) {
            self.set(TunnelState::Reconnecting { reason });
        }
    }

    /// A heartbeat came back from ngrok's server: a reconnecting tunnel is online again.
    pub fn heartbeat_answered(&self) {
        if matches!(self.state(), TunnelState::Reconnecting { .. }) {
            let url = self.url_slot().clone();
            if let Some(url) = url {
                self.set(TunnelState::Online { url });
            }
        }
    }

    fn url_slot(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.inner.url.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::StatusBoard;
    use crate::model::{EngineEvent, TunnelState};

    #[test]
    fn publishes_changes_once_and_returns_online_after_a_reconnect() {
        let (events, mut rx) = tokio::sync::broadcast::channel(16);
        let board = StatusBoard::new(events);
        board.reconnecting("ignored while off".into());
        board.set(TunnelState::Connecting);
        board.set(TunnelState::Connecting);
        let url = "https://abc.ngrok.app".to_owned();
        board.set(TunnelState::Online { url: url.clone() });
        board.heartbeat_answered();
        board.reconnecting("network lost".into());
        board.heartbeat_answered();
        board.set(TunnelState::Off);
        let mut seen = Vec::new();
        while let Ok(EngineEvent::TunnelStatusChanged(state)) = rx.try_recv() {
            seen.push(state);
        }
        assert_eq!(
            seen,
            [
                TunnelState::Connecting,
                TunnelState::Online { url: url.clone() },
                TunnelState::Reconnecting {
                    reason: "network lost".into()
                },
                TunnelState::Online { url },
                TunnelState::Off,
            ]
        );
    }
}
