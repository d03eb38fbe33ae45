//! Reading a stream: two requests compared (or a request and what a delivery sent), and the
//! JSON Schema of an event type's stored bodies. One engine call each.

use hookscope::diff::{DiffOptions, RequestDiff};
use hookscope::event_meta::filter::EventFilter;
use hookscope::json_schema::InferredSchema;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::DesktopState;

/// Compares `before` and `after` (request or delivery ids); `hide_volatile` leaves out ids,
/// timestamps and signatures.
#[tauri::command]
pub async fn diff_requests(
    state: State<'_, DesktopState>,
    before: String,
    after: String,
    hide_volatile: bool,
) -> CommandResult<RequestDiff> {
    Ok(state
        .workbench()?
        .diff(&before, &after, DiffOptions { hide_volatile })
        .await?)
}

/// The JSON Schema of the stored bodies of `event_type` (of `endpoint`, when given).
#[tauri::command]
pub async fn infer_schema(
    state: State<'_, DesktopState>,
    event_type: String,
    endpoint: Option<String>,
) -> CommandResult<InferredSchema> {
    let filter =
        EventFilter::from_args::<&str>(Some(&event_type), &[]).map_err(|e| CommandError::message(e.to_string()))?;
    Ok(state.workbench()?.infer_schema(filter, endpoint).await?)
}
