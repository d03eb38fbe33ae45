//! Forwards engine events to the window as Tauri events.

use hookscope::model::EngineEvent;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::{error::RecvError, error::TryRecvError, Receiver};

/// The Tauri event carrying a batch of [`EngineEvent`]s, oldest first.
pub const ENGINE_EVENTS: &str = "engine-events";
/// Sent when events were dropped because the window fell behind; the UI reloads its list.
pub const EVENTS_LAGGED: &str = "engine-events-lagged";

/// Most events sent to the window in one message.
const MAX_BATCH: usize = 512;

/// Spawns the task that re-emits engine events to the window. Each message carries whatever
/// was already queued (without waiting for more), so a single webhook is sent at once and a
/// burst of thousands costs the webview a few messages instead of one per request.
pub fn forward<R: Runtime>(app: AppHandle<R>, mut events: Receiver<EngineEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            let first = match events.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(missed)) => {
                    lagged(&app, missed);
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match events.try_recv() {
                    Ok(event) => batch.push(event),
                    Err(TryRecvError::Lagged(missed)) => lagged(&app, missed),
                    Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                }
            }
            if let Err(error) = app.emit(ENGINE_EVENTS, &batch) {
                tracing::warn!(%error, "could not send events to the window");
            }
        }
    });
}

fn lagged<R: Runtime>(app: &AppHandle<R>, missed: u64) {
    tracing::info!(missed, "window fell behind the engine's events");
    let _ = app.emit(EVENTS_LAGGED, missed);
}
