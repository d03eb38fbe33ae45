//! The window's commands that act on captured requests: replay or forward one, export the
//! current search as HAR, import a HAR or `.http` file. Each one translates its arguments into
//! one engine call.

use hookscope::delivery::{BulkSelection, ReplayOptions};
use hookscope::export::{HarOptions, ImportReport};
use hookscope::model::DeliveryAttempt;
use hookscope::workbench::{RequestFilter, MAX_BULK};
use tauri::State;

use crate::error::CommandResult;
use crate::DesktopState;

/// Sends a captured request to a target (plain, edited or re-signed); the attempt is stored and
/// announced as `DeliveryFinished`, and returned. A network failure is an attempt with an error,
/// not a command error.
#[tauri::command]
pub async fn replay_request(
    state: State<'_, DesktopState>,
    id: String,
    options: ReplayOptions,
) -> CommandResult<DeliveryAttempt> {
    Ok(state.workbench()?.replay(&id, &options).await?)
}

/// Writes the requests matching `filter` (the newest [`MAX_BULK`], oldest first) with their
/// deliveries to `path` as HAR 1.2; returns how many requests it holds.
#[tauri::command]
pub async fn export_har(
    state: State<'_, DesktopState>,
    filter: RequestFilter,
    path: String,
    redact: bool,
) -> CommandResult<u64> {
    let selection = BulkSelection::Matching(filter.all_matching(MAX_BULK));
    Ok(state
        .workbench()?
        .export_har_to_file(selection, HarOptions { redact }, path.as_ref())
        .await?)
}

/// Imports a HAR document or a raw HTTP (`.http`) file as captured requests marked imported;
/// each is announced as `RequestCaptured`. Returns their ids and a note for each entry skipped
/// or whose body the file does not carry byte for byte.
#[tauri::command]
pub async fn import_file(state: State<'_, DesktopState>, path: String) -> CommandResult<ImportReport> {
    Ok(state.workbench()?.import_file(path.as_ref()).await?)
}
