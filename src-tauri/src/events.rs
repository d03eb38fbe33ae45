//! Forwards engine events to the window as Tauri events, paced: each message costs the webview
//! a script evaluation and a repaint, so a burst is sent as one message per interval carrying
//! only the newest captures (the window pages the rest from the store).

use std::time::Duration;

use hookscope::event_batches::PacedBatches;
use hookscope::model::EngineEvent;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::Receiver;

/// The Tauri event carrying a batch of [`EngineEvent`]s, oldest first.
pub const ENGINE_EVENTS: &str = "engine-events";
/// Sent when events were dropped because the window fell behind; the UI reloads its list.
pub const EVENTS_LAGGED: &str = "engine-events-lagged";
/// Sent just before an [`ENGINE_EVENTS`] batch that leaves out older captures: how many (they
/// are stored, older than every capture in the batch, and newer than those sent before).
pub const CAPTURES_LEFT_OUT: &str = "engine-captures-left-out";

/// At most one message per this interval during a burst; the first event after a quiet spell
/// is sent at once.
const INTERVAL: Duration = Duration::from_millis(100);
/// Most captures in one message: more than a window shows at once.
const KEEP_CAPTURES: usize = 100;

/// Spawns the task that re-emits engine events to the window.
pub fn forward<R: Runtime>(app: AppHandle<R>, events: Receiver<EngineEvent>) {
    let mut batches = PacedBatches::new(events, INTERVAL, KEEP_CAPTURES);
    tauri::async_runtime::spawn(async move {
        while let Some(batch) = batches.next().await {
            if batch.missed > 0 {
                tracing::info!(missed = batch.missed, "window fell behind the engine's events");
                let _ = app.emit(EVENTS_LAGGED, batch.missed);
            }
            if batch.events.is_empty() {
                continue;
            }
            if batch.captures_left_out > 0 {
                let _ = app.emit(CAPTURES_LEFT_OUT, batch.captures_left_out);
            }
            if let Err(error) = app.emit(ENGINE_EVENTS, &batch.events) {
                tracing::warn!(%error, "could not send events to the window");
            }
        }
    });
}
