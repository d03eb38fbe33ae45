//! The tunnel's state, kept in one place and announced on the engine's event bus on every change.

use std::sync::Arc;

use tokio::sync::{broadcast, mpsc, watch};

use crate::model::{EngineEvent, OutageEnd, TunnelState};

/// The start or end of a time the tunnel was down while meant to be up, stamped when the state
/// changed (see [`super::record_outages`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutageMark {
    Began { at_ns: i64, reason: String },
    Ended { at_ns: i64, end: OutageEnd },
}

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
    /// Where outage starts and ends go, once something records them.
    outages: std::sync::Mutex<Option<mpsc::UnboundedSender<OutageMark>>>,
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
                outages: std::sync::Mutex::new(None),
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
            // Marked under the state's lock, so that marks are sent in the order of the changes.
            self.mark_outage(current, &state);
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

    /// Sends outage starts and ends to `log` from now on (one receiver at a time).
    pub fn log_outages(&self, log: mpsc::UnboundedSender<OutageMark>) {
        *self.inner.outages.lock().unwrap_or_else(|p| p.into_inner()) = Some(log);
    }

    /// An outage begins when an online tunnel starts reconnecting and ends when it leaves
    /// reconnecting, however that happens.
    fn mark_outage(&self, previous: &TunnelState, next: &TunnelState) {
        let mark = match (previous, next) {
            (TunnelState::Online { .. }, TunnelState::Reconnecting { reason }) => OutageMark::Began {
                at_ns: now_ns(),
                reason: reason.clone(),
            },
            (TunnelState::Reconnecting { .. }, TunnelState::Reconnecting { .. }) => return,
            (TunnelState::Reconnecting { .. }, next) => OutageMark::Ended {
                at_ns: now_ns(),
                end: match next {
                    TunnelState::Online { .. } => OutageEnd::Reconnected,
                    TunnelState::Error { .. } => OutageEnd::Failed,
                    _ => OutageEnd::Stopped,
                },
            },
            _ => return,
        };
        if let Some(log) = self.inner.outages.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = log.send(mark);
        }
    }

    fn url_slot(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.inner.url.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{OutageMark, StatusBoard};
    use crate::model::OutageEnd;
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

    #[test]
    fn an_outage_begins_when_online_turns_reconnecting_and_ends_when_it_leaves_it() {
        let (events, _rx) = tokio::sync::broadcast::channel(16);
        let board = StatusBoard::new(events);
        let (log, mut marks) = tokio::sync::mpsc::unbounded_channel();
        board.log_outages(log);
        board.set(TunnelState::Connecting);
        board.reconnecting("ignored: never online".into());
        board.set(TunnelState::Online {
            url: "https://a.example".into(),
        });
        board.reconnecting("network lost".into());
        board.reconnecting("attempt 1 failed".into());
        board.heartbeat_answered();
        board.reconnecting("lost again".into());
        board.set(TunnelState::Off);
        let mut seen = Vec::new();
        while let Ok(mark) = marks.try_recv() {
            seen.push(mark);
        }
        assert_eq!(seen.len(), 4, "{seen:#?}");
        assert!(matches!(&seen[0], OutageMark::Began { reason, .. } if reason == "network lost"));
        assert!(matches!(
            seen[1],
            OutageMark::Ended {
                end: OutageEnd::Reconnected,
                ..
            }
        ));
        assert!(matches!(&seen[2], OutageMark::Began { reason, .. } if reason == "lost again"));
        assert!(matches!(
            seen[3],
            OutageMark::Ended {
                end: OutageEnd::Stopped,
                ..
            }
        ));
        let (OutageMark::Began { at_ns: began, .. }, OutageMark::Ended { at_ns: ended, .. }) = (&seen[0], &seen[1])
        else {
            unreachable!()
        };
        assert!(began <= ended);
    }
}
