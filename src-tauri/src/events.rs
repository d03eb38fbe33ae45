//! Forwards engine events to the window as Tauri events.

use hookscope::model::EngineEvent;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// The Tauri event carrying one [`EngineEvent`].
pub const ENGINE_EVENT: &str = "engine-event";
/// Sent when events were dropped because the window fell behind; the UI reloads its list.
pub const EVENTS_LAGGED: &str = "engine-events-lagged";

/// Spawns the task that re-emits every engine event to the window.
pub fn forward<R: Runtime>(app: AppHandle<R>, mut events: Receiver<EngineEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(error) = app.emit(ENGINE_EVENT, &event) {
                        tracing::warn!(%error, "could not send an event to the window");
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::info!(missed, "window fell behind the engine's events");
                    let _ = app.emit(EVENTS_LAGGED, missed);
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}
