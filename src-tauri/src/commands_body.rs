//! The Body tab's commands: the engine's body renderer over the whole stored body, and saving a
//! multipart part or the decoded body exactly as the engine decodes them.

use hookscope::body::{self, BodyView, RenderOptions};
use hookscope::model::CapturedRequest;
use hookscope::store::requests;
use tauri::State;

use crate::commands::{store, CommandError, CommandResult};
use crate::DesktopState;

async fn stored_request(state: &DesktopState, id: String) -> CommandResult<CapturedRequest> {
    store(state)?
        .read(move |conn| requests::get(conn, &id))
        .await?
        .ok_or_else(|| CommandError("that request no longer exists".into()))
}

async fn write_file(file: &str, bytes: &[u8]) -> CommandResult<u64> {
    tokio::fs::write(file, bytes)
        .await
        .map_err(|e| CommandError(format!("could not write {file}: {e}")))?;
    Ok(bytes.len() as u64)
}

/// The request's whole stored body rendered for display (`body::render`); `options` overrides
/// the engine's default limits.
#[tauri::command]
pub async fn render_body(
    state: State<'_, DesktopState>,
    id: String,
    options: Option<RenderOptions>,
) -> CommandResult<BodyView> {
    let request = stored_request(&state, id).await?;
    let options = options.unwrap_or_default();
    // Decompressing and pretty-printing megabytes is CPU work: keep it off the async workers.
    tauri::async_runtime::spawn_blocking(move || body::render(&request.headers, &request.body, &options))
        .await
        .map_err(|e| CommandError(format!("rendering the body failed: {e}")))
}

/// Writes one multipart part to `file` as the engine decoded it: `path` is the part's index at
/// each nesting level (`[2]` is the third part, `[2, 0]` the first part inside it).
#[tauri::command]
pub async fn save_body_part(
    state: State<'_, DesktopState>,
    id: String,
    path: Vec<usize>,
    file: String,
) -> CommandResult<u64> {
    let request = stored_request(&state, id).await?;
    let bytes = body::part_bytes(&request.headers, &request.body, &RenderOptions::default(), &path)
        .map_err(|e| CommandError(e.to_string()))?;
    write_file(&file, &bytes).await
}

/// Writes the body to `file` with its Content-Encoding undone (gzip, deflate, br, stacked).
#[tauri::command]
pub async fn save_decoded_body(state: State<'_, DesktopState>, id: String, file: String) -> CommandResult<u64> {
    let request = stored_request(&state, id).await?;
    let bytes = body::decode_content(&request.headers, &request.body, &RenderOptions::default())
        .map_err(|e| CommandError(e.to_string()))?;
    write_file(&file, &bytes).await
}
