//! The request list's and the detail's commands. Each one translates its arguments into one
//! engine call.

use hookscope::body::{BodyView, RenderOptions};
use hookscope::detail::RequestDetail;
use hookscope::model::{DeliveryAttempt, RequestSummary};
use hookscope::workbench::RequestFilter;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandResult;
use crate::DesktopState;

/// Where the engine listens and stores, or why it is not running.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ListenerInfo {
    /// `http://ADDR` of the capture listener, when it runs (another Hookscope's when attached).
    pub url: Option<String>,
    pub db_path: String,
    /// Why the engine did not start (address in use, database unreadable, ...).
    pub error: Option<String>,
    /// When another Hookscope captures into this database on the window's address and the
    /// window is attached to it: who, "hookscope serve (pid 1234) on 127.0.0.1:8787".
    pub capture_elsewhere: Option<String>,
}

#[tauri::command]
pub fn listener_info(state: State<'_, DesktopState>) -> ListenerInfo {
    let (url, error, capture_elsewhere) = match &state.engine {
        Ok(engine) => (
            Some(engine.local_url()),
            None,
            engine.attached_to().map(|owner| owner.describe()),
        ),
        Err(message) => (None, Some(message.clone()), None),
    };
    ListenerInfo {
        url,
        db_path: state.db_path.display().to_string(),
        error,
        capture_elsewhere,
    }
}

#[tauri::command]
pub async fn list_requests(
    state: State<'_, DesktopState>,
    filter: RequestFilter,
) -> CommandResult<Vec<RequestSummary>> {
    Ok(state.workbench()?.list_requests(filter.page()).await?)
}

#[tauri::command]
pub async fn count_requests(state: State<'_, DesktopState>) -> CommandResult<u64> {
    Ok(state.workbench()?.count_requests().await?)
}

/// The request with its body cut to a preview; the Body tab renders it separately (render_body).
#[tauri::command]
pub async fn get_request(state: State<'_, DesktopState>, id: String) -> CommandResult<Option<RequestDetail>> {
    Ok(state.workbench()?.request_detail(id).await?)
}

#[tauri::command]
pub async fn delete_requests(state: State<'_, DesktopState>, ids: Vec<String>) -> CommandResult<u64> {
    Ok(state.workbench()?.delete_requests(ids).await?)
}

#[tauri::command]
pub async fn clear_requests(state: State<'_, DesktopState>) -> CommandResult<u64> {
    Ok(state.workbench()?.clear_requests().await?)
}

/// Writes the stored body of a request to `path` (chosen by the user in a save dialog), byte for
/// byte as captured.
#[tauri::command]
pub async fn save_body(state: State<'_, DesktopState>, id: String, path: String) -> CommandResult<u64> {
    Ok(state.workbench()?.save_body(&id, path.as_ref()).await?)
}

/// The request's whole stored body rendered for display; `options` overrides the engine's
/// default limits.
#[tauri::command]
pub async fn render_body(
    state: State<'_, DesktopState>,
    id: String,
    options: Option<RenderOptions>,
) -> CommandResult<BodyView> {
    Ok(state.workbench()?.render_body(&id, options.unwrap_or_default()).await?)
}

/// Writes one multipart part to `file` as the engine decoded it (`path`: the part's index at
/// each nesting level).
#[tauri::command]
pub async fn save_body_part(
    state: State<'_, DesktopState>,
    id: String,
    path: Vec<usize>,
    file: String,
) -> CommandResult<u64> {
    Ok(state.workbench()?.save_body_part(&id, &path, file.as_ref()).await?)
}

/// Writes the body to `file` with its Content-Encoding undone (gzip, deflate, br, stacked).
#[tauri::command]
pub async fn save_decoded_body(state: State<'_, DesktopState>, id: String, file: String) -> CommandResult<u64> {
    Ok(state.workbench()?.save_decoded_body(&id, file.as_ref()).await?)
}

/// Every forward and replay of a request, oldest first.
#[tauri::command]
pub async fn list_deliveries(
    state: State<'_, DesktopState>,
    request_id: String,
) -> CommandResult<Vec<DeliveryAttempt>> {
    Ok(state.workbench()?.deliveries_of(request_id).await?)
}
