//! Hands engine events to the window, paced, and without a script per batch: Tauri's `emit`
//! evaluates a script in the webview with the payload inlined in its source, and WebKit keeps
//! each evaluated source with its compiled code in a cache (hundreds of KB for a batch of 100
//! captures, measured in `docs/benchmarks.md`). So the shell only announces that events wait
//! (the same short script each time) and the window takes them with a command, whose answer it
//! parses as JSON. A burst is merged into one batch per interval carrying only the newest
//! captures (the window pages the rest from the store).

use std::sync::Mutex;
use std::time::Duration;

use hookscope::event_batches::{PacedBatch, PacedBatches};
use hookscope::model::EngineEvent;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tokio::sync::broadcast::Receiver;
use ts_rs::TS;

/// The Tauri event, without payload, that tells the window events wait: it answers with
/// [`take_engine_events`].
pub const ENGINE_EVENTS_READY: &str = "engine-events-ready";

/// At most one batch per this interval during a burst; the first event after a quiet spell is
/// announced at once.
const INTERVAL: Duration = Duration::from_millis(100);
/// Most captures in one batch: more than a window shows at once.
const KEEP_CAPTURES: usize = 100;

/// The events the window has not taken yet, merged (at most [`KEEP_CAPTURES`] captures).
#[derive(Default)]
pub struct PendingEvents(Mutex<PacedBatch>);

impl PendingEvents {
    /// Adds a batch to what waits.
    pub fn put(&self, batch: PacedBatch) {
        let mut pending = self.0.lock().unwrap_or_else(|e| e.into_inner());
        pending.merge(batch, KEEP_CAPTURES);
    }

    /// Everything waiting, oldest first, with at most `most_captures` captures (the newest; the
    /// others are counted as left out); nothing waits afterwards.
    pub fn take(&self, most_captures: usize) -> EngineEventsTaken {
        let mut batch = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        batch.keep_newest_captures(most_captures);
        EngineEventsTaken {
            events: batch.events,
            captures_left_out: batch.captures_left_out,
            missed: batch.missed,
        }
    }
}

/// The engine events that waited for the window, oldest first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EngineEventsTaken {
    /// Every event since the last take except the older captures left out.
    pub events: Vec<EngineEvent>,
    /// Captures left out of `events` during a burst: stored, and older than every capture in
    /// `events` (newer than those taken before).
    #[ts(type = "number")]
    pub captures_left_out: u64,
    /// Events the window fell too far behind to receive (stored): what it shows must be read again.
    #[ts(type = "number")]
    pub missed: u64,
}

/// The engine events waiting for the window (announced by [`ENGINE_EVENTS_READY`]), with at
/// most `most_captures` captures: the window asks for what it can show, every row it parses
/// is memory its JavaScript heap has to collect.
#[tauri::command]
pub fn take_engine_events(pending: State<'_, PendingEvents>, most_captures: usize) -> EngineEventsTaken {
    pending.take(most_captures)
}

/// Spawns the task that fills the app's [`PendingEvents`] (managed by the caller) from the
/// engine's events and announces each batch.
pub fn forward<R: Runtime>(app: AppHandle<R>, events: Receiver<EngineEvent>) {
    let mut batches = PacedBatches::new(events, INTERVAL, KEEP_CAPTURES);
    tauri::async_runtime::spawn(async move {
        while let Some(batch) = batches.next().await {
            if batch.missed > 0 {
                tracing::info!(missed = batch.missed, "window fell behind the engine's events");
            }
            if batch.is_empty() {
                continue;
            }
            app.state::<PendingEvents>().put(batch);
            // Announced for every batch, not only when nothing waited: a window that missed an
            // announcement (reloading, not listening yet) still takes what waits at the next.
            if let Err(error) = app.emit(ENGINE_EVENTS_READY, ()) {
                tracing::warn!(%error, "could not tell the window that events wait");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(seq: i64) -> EngineEvent {
        let summary: hookscope::model::RequestSummary = serde_json::from_value(serde_json::json!({
            "seq": seq, "id": format!("r{seq}"), "endpoint_name": null, "received_at_ns": seq,
            "source": "local", "remote_addr": null, "method": "POST", "target": "/hook",
            "content_type": null, "body_size": 0, "truncated": false, "response_status": 200,
            "signature_status": null, "signature_provider": null, "rule": null, "event_type": null,
            "delivery_id": null, "attempt": null
        }))
        .unwrap();
        EngineEvent::RequestCaptured(summary)
    }

    fn seqs(taken: &EngineEventsTaken) -> Vec<i64> {
        taken
            .events
            .iter()
            .filter_map(|e| match e {
                EngineEvent::RequestCaptured(s) => Some(s.seq),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_take_hands_over_every_batch_put_since_the_last_and_leaves_nothing() {
        let pending = PendingEvents::default();
        pending.put(PacedBatch {
            events: vec![captured(1), captured(2)],
            captures_left_out: 0,
            missed: 0,
        });
        pending.put(PacedBatch {
            events: vec![captured(3)],
            captures_left_out: 0,
            missed: 4,
        });
        let taken = pending.take(KEEP_CAPTURES);
        assert_eq!(seqs(&taken), vec![1, 2, 3]);
        assert_eq!((taken.captures_left_out, taken.missed), (0, 4));
        let again = pending.take(KEEP_CAPTURES);
        assert!(again.events.is_empty());
        assert_eq!((again.captures_left_out, again.missed), (0, 0));
    }

    #[test]
    fn batches_not_taken_keep_only_the_newest_captures() {
        let pending = PendingEvents::default();
        for seq in 1..=(KEEP_CAPTURES as i64 + 5) {
            pending.put(PacedBatch {
                events: vec![captured(seq)],
                captures_left_out: 0,
                missed: 0,
            });
        }
        let taken = pending.take(KEEP_CAPTURES);
        assert_eq!(taken.events.len(), KEEP_CAPTURES);
        assert_eq!(seqs(&taken)[0], 6);
        assert_eq!(taken.captures_left_out, 5);
    }

    #[test]
    fn the_taken_events_reach_the_window_as_json_with_their_counts() {
        let pending = PendingEvents::default();
        pending.put(PacedBatch {
            events: vec![captured(9)],
            captures_left_out: 2,
            missed: 0,
        });
        let json = serde_json::to_value(pending.take(KEEP_CAPTURES)).unwrap();
        assert_eq!(json["captures_left_out"], 2);
        assert_eq!(json["missed"], 0);
        assert_eq!(json["events"][0]["type"], "request_captured");
        assert_eq!(json["events"][0]["seq"], 9);
    }

    #[test]
    fn a_window_that_asks_for_fewer_captures_gets_the_newest_and_the_count_of_the_others() {
        let pending = PendingEvents::default();
        pending.put(PacedBatch {
            events: (1..=10).map(captured).collect(),
            captures_left_out: 5,
            missed: 0,
        });
        let taken = pending.take(4);
        assert_eq!(seqs(&taken), vec![7, 8, 9, 10]);
        assert_eq!(taken.captures_left_out, 11);
    }
}
