//! Forwards engine events to the window as Tauri events, a batch per message.

use hookscope::event_batches::EventBatches;
use hookscope::model::EngineEvent;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::Receiver;

/// The Tauri event carrying a batch of [`EngineEvent`]s, oldest first.
pub const ENGINE_EVENTS: &str = "engine-events";
/// Sent when events were dropped because the window fell behind; the UI reloads its list.
pub const EVENTS_LAGGED: &str = "engine-events-lagged";

/// Most events sent to the window in one message.
const MAX_BATCH: usize = 512;

/// Spawns the task that re-emits engine events to the window: each message carries whatever
/// was already queued, so a single webhook is sent at once and a burst of thousands costs the
/// webview a few messages instead of one per request.
pub fn forward<R: Runtime>(app: AppHandle<R>, events: Receiver<EngineEvent>) {
    let mut batches = EventBatches::new(events, MAX_BATCH);
    tauri::async_runtime::spawn(async move {
        while let Some(batch) = batches.next().await {
            if batch.missed > 0 {
                tracing::info!(missed = batch.missed, "window fell behind the engine's events");
                let _ = app.emit(EVENTS_LAGGED, batch.missed);
            }
            if batch.events.is_empty() {
                continue;
            }
            if let Err(error) = app.emit(ENGINE_EVENTS, &batch.events) {
                tracing::warn!(%error, "could not send events to the window");
            }
        }
    });
}
