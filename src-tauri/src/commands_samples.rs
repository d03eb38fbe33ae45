//! The "Send sample" dialog and "Save as sample": the sample-event catalogue, a sample sent
//! signed to an endpoint or a URL, and a captured request saved as a sample. One engine call each.

use hookscope::model::DeliveryAttempt;
use hookscope::samples::SampleSummary;
use hookscope::workbench::{SampleTarget, Trigger};
use tauri::State;

use crate::error::CommandResult;
use crate::DesktopState;

/// Every sample, built in and the user's.
#[tauri::command]
pub fn list_samples(state: State<'_, DesktopState>) -> CommandResult<Vec<SampleSummary>> {
    Ok(state.workbench()?.list_samples(None)?)
}

/// The sample's body text, its placeholders not filled yet (the dialog's editor).
#[tauri::command]
pub fn sample_body(state: State<'_, DesktopState>, provider: String, event: String) -> CommandResult<String> {
    Ok(state.workbench()?.sample_body(&provider, &event)?)
}

/// Fills, signs and sends the sample (`body`: the edited body, or null for the sample's own).
#[tauri::command]
pub async fn send_sample(
    state: State<'_, DesktopState>,
    provider: String,
    event: String,
    body: Option<String>,
    target: SampleTarget,
) -> CommandResult<DeliveryAttempt> {
    let trigger = Trigger {
        provider,
        event,
        target,
        secret: None,
        edits: Vec::new(),
        headers: Vec::new(),
        body: body.map(String::into_bytes),
    };
    Ok(state.workbench()?.trigger(trigger).await?)
}

/// Saves captured request `id` as a user sample `name` of its provider.
#[tauri::command]
pub async fn save_sample(state: State<'_, DesktopState>, id: String, name: String) -> CommandResult<SampleSummary> {
    Ok(state.workbench()?.save_sample(&id, &name).await?)
}
