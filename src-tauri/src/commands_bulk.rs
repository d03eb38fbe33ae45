//! Bulk replay from the window: the selected requests (or every request matching the list's
//! filters) sent to one target, with a progress event per finished request and a way to cancel.

use hookscope::delivery::{BulkProgress, BulkSelection, BulkSummary};
use hookscope::workbench::{BulkReplayOptions, BulkRequests};
use serde::Serialize;
use tauri::{Emitter, Runtime, State, WebviewWindow};
use ts_rs::TS;

use crate::error::CommandResult;
use crate::DesktopState;

/// The event carrying a [`BulkReplayProgress`] after each finished request.
pub const BULK_PROGRESS: &str = "bulk-replay-progress";

/// One finished request of the run named `run`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BulkReplayProgress {
    pub run: String,
    pub progress: BulkProgress,
}

/// Replays the requests in capture order and returns the summary; progress goes to the calling
/// window as [`BULK_PROGRESS`] events named by `run`.
#[tauri::command]
pub async fn bulk_replay<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, DesktopState>,
    run: String,
    requests: BulkRequests,
    options: BulkReplayOptions,
) -> CommandResult<BulkSummary> {
    let workbench = state.workbench()?;
    let ids = workbench.select(BulkSelection::from(requests)).await?;
    let summary = workbench
        .replay_many(&run, &ids, &options, |progress| {
            let event = BulkReplayProgress {
                run: run.clone(),
                progress: progress.clone(),
            };
            if let Err(error) = window.emit_to(window.label(), BULK_PROGRESS, event) {
                tracing::warn!(%error, "could not send bulk replay progress to the window");
            }
        })
        .await?;
    Ok(summary)
}

/// Cancels the run named `run`: no further request starts; those in flight finish. False when
/// no such run is in progress (or the engine is not running).
#[tauri::command]
pub fn bulk_replay_cancel(state: State<'_, DesktopState>, run: String) -> bool {
    state
        .workbench()
        .is_ok_and(|workbench| workbench.cancel_bulk_replay(&run))
}
