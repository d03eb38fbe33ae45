//! Reconnecting after network loss or sleep, on a schedule a user can wait for.
//!
//! ngrok-rust 0.19 retries a lost session by itself, but with `ExponentialBackoff::from_millis(50)`
//! (50 ms, 2.5 s, 125 s, then about 104 minutes): after an outage of a few minutes it would
//! effectively never come back. Hookscope's connector therefore keeps dialing inside a single
//! reconnect attempt, with a capped backoff, and reports each try on the status board.

use std::future::Future;
use std::time::Duration;

use super::status::StatusBoard;

/// How the dialing backs off while the network is gone.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_millis(500),
            max: Duration::from_secs(15),
        }
    }
}

/// Dials until it succeeds, reporting `Reconnecting` with the attempt and the last error.
///
/// `why` is what ended the previous connection. Only dropping the returned future stops it
/// (ngrok drops it when the session is closed).
pub async fn redial<T, E, F, Fut>(why: String, board: &StatusBoard, backoff: Backoff, mut dial: F) -> T
where
    E: std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    board.reconnecting(format!("connection to ngrok lost ({why}); reconnecting"));
    let mut delay = backoff.first;
    let mut attempt: u32 = 1;
    loop {
        match dial().await {
            Ok(connection) => {
                board.reconnecting("reconnected to ngrok's server; restoring the tunnel".to_owned());
                return connection;
            }
            Err(error) => {
                tracing::debug!(attempt, %error, "ngrok reconnect attempt failed");
                board.reconnecting(format!(
                    "connection to ngrok lost; attempt {attempt} failed ({error}); next try in {} s",
                    delay.as_secs_f32().ceil() as u64
                ));
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(backoff.max);
                attempt = attempt.saturating_add(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{redial, Backoff};
    use crate::model::{EngineEvent, TunnelState};
    use crate::tunnel::status::StatusBoard;

    #[tokio::test]
    async fn keeps_dialing_and_reports_each_failure_until_it_connects() {
        let (events, mut rx) = tokio::sync::broadcast::channel(64);
        let board = StatusBoard::new(events);
        board.set(TunnelState::Online {
            url: "https://abc.ngrok.app".into(),
        });
        let mut failures_left = 3;
        let backoff = Backoff {
            first: Duration::from_millis(1),
            max: Duration::from_millis(2),
        };
        let connection = redial("network unreachable".into(), &board, backoff, || {
            let outcome = if failures_left > 0 {
                failures_left -= 1;
                Err("no route to host")
            } else {
                Ok("stream")
            };
            async move { outcome }
        })
        .await;
        assert_eq!(connection, "stream");
        let mut reasons = Vec::new();
        while let Ok(EngineEvent::TunnelStatusChanged(state)) = rx.try_recv() {
            if let TunnelState::Reconnecting { reason } = state {
                reasons.push(reason);
            }
        }
        assert_eq!(reasons.len(), 5, "{reasons:#?}");
        assert!(reasons[0].contains("network unreachable"));
        assert!(reasons[1].contains("attempt 1 failed (no route to host)"));
        assert!(reasons[3].contains("attempt 3 failed"));
        assert!(reasons[4].contains("reconnected"));
        // Online again only once ngrok's server answers a heartbeat.
        assert!(matches!(board.state(), TunnelState::Reconnecting { .. }));
        board.heartbeat_answered();
        assert!(matches!(board.state(), TunnelState::Online { .. }));
    }
}
