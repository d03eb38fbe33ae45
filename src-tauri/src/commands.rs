//! The commands the window calls. Each one translates its arguments into one engine call.

use hookscope::detail::{RequestDetail, DEFAULT_PREVIEW_BYTES};
use hookscope::model::RequestSummary;
use hookscope::store::{requests, Store, StoreError};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::DesktopState;

/// A command's failure, sent to the window as its message.
#[derive(Debug)]
pub struct CommandError(pub(crate) String);

impl Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        CommandError(error.to_string())
    }
}

pub(crate) type CommandResult<T> = Result<T, CommandError>;

/// Where the engine listens and stores, or why it is not running.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ListenerInfo {
    /// `http://ADDR` of the capture listener, when it runs.
    pub url: Option<String>,
    pub db_path: String,
    /// Why the engine did not start (address in use, database unreadable, ...).
    pub error: Option<String>,
}

/// One page of the request list: filters plus the keyset position.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct RequestFilter {
    pub limit: u32,
    /// Only requests older than this `seq` (the last row of the previous page).
    #[ts(type = "number | null")]
    pub before_seq: Option<i64>,
    pub search: Option<String>,
    pub method: Option<String>,
    pub endpoint: Option<String>,
    pub status: Option<u16>,
    pub header: Option<String>,
}

impl RequestFilter {
    /// The engine's query for these filters, at most `limit` rows older than `before_seq`.
    pub(crate) fn query(self, limit: usize, before_seq: Option<i64>) -> requests::ListQuery {
        requests::ListQuery {
            limit,
            before_seq,
            search: non_empty(self.search),
            method: non_empty(self.method),
            endpoint: non_empty(self.endpoint),
            status: self.status,
            header: non_empty(self.header),
        }
    }
}

pub(crate) fn store(state: &DesktopState) -> CommandResult<Store> {
    match &state.engine {
        Ok(engine) => Ok(engine.store().clone()),
        Err(message) => Err(CommandError(message.clone())),
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

#[tauri::command]
pub fn listener_info(state: State<'_, DesktopState>) -> ListenerInfo {
    let (url, error) = match &state.engine {
        Ok(engine) => (Some(engine.local_url()), None),
        Err(message) => (None, Some(message.clone())),
    };
    ListenerInfo {
        url,
        db_path: state.db_path.display().to_string(),
        error,
    }
}

#[tauri::command]
pub async fn list_requests(
    state: State<'_, DesktopState>,
    filter: RequestFilter,
) -> CommandResult<Vec<RequestSummary>> {
    let (limit, before_seq) = (filter.limit.clamp(1, 1000) as usize, filter.before_seq);
    let query = filter.query(limit, before_seq);
    Ok(store(&state)?.list_requests(query).await?)
}

#[tauri::command]
pub async fn count_requests(state: State<'_, DesktopState>) -> CommandResult<u64> {
    Ok(store(&state)?.read(requests::count).await?)
}

#[tauri::command]
pub async fn get_request(state: State<'_, DesktopState>, id: String) -> CommandResult<Option<RequestDetail>> {
    // The body is cut to its preview with the read, on the store's reader; the Body tab renders it
    // separately (render_body).
    Ok(store(&state)?
        .read(move |conn| Ok(requests::get(conn, &id)?.map(|r| RequestDetail::of(r, DEFAULT_PREVIEW_BYTES))))
        .await?)
}

#[tauri::command]
pub async fn delete_requests(state: State<'_, DesktopState>, ids: Vec<String>) -> CommandResult<u64> {
    Ok(store(&state)?.write(move |conn| requests::delete(conn, &ids)).await?)
}

#[tauri::command]
pub async fn clear_requests(state: State<'_, DesktopState>) -> CommandResult<u64> {
    Ok(store(&state)?.write(|conn| requests::delete_all(conn)).await?)
}

/// Writes the stored body of a request to `path` (chosen by the user in a save dialog), byte for
/// byte as captured.
#[tauri::command]
pub async fn save_body(state: State<'_, DesktopState>, id: String, path: String) -> CommandResult<u64> {
    let request = store(&state)?
        .read(move |conn| requests::get(conn, &id))
        .await?
        .ok_or_else(|| CommandError("that request no longer exists".into()))?;
    tokio::fs::write(&path, &request.body)
        .await
        .map_err(|e| CommandError(format!("could not write {path}: {e}")))?;
    Ok(request.body.len() as u64)
}
