//! The window's commands that act on captured requests: list a request's deliveries, replay or
//! forward it, export the current search as HAR, import a HAR or `.http` file. Each one
//! translates its arguments into one engine call.

use hookscope::delivery::{DeliveryError, ReplayOptions};
use hookscope::export::{self, HarOptions, ImportIntoStoreError};
use hookscope::model::DeliveryAttempt;
use hookscope::store::{deliveries, requests, StoreError};
use hookscope::Engine;
use serde::Serialize;
use tauri::State;

use crate::{DesktopState, RequestFilter};

/// Most requests one HAR export holds (the newest that match), as `hookscope export`.
pub const EXPORT_LIMIT: usize = 10_000;

/// A failed action, sent to the window as its message.
#[derive(Debug)]
pub struct ActionError(pub String);

impl Serialize for ActionError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

macro_rules! action_error_from {
    ($($error:ty),*) => {
        $(impl From<$error> for ActionError {
            fn from(error: $error) -> Self {
                ActionError(error.to_string())
            }
        })*
    };
}
action_error_from!(
    StoreError,
    DeliveryError,
    ImportIntoStoreError,
    hookscope::tunnel::TunnelError
);

pub(crate) type ActionResult<T> = Result<T, ActionError>;

pub(crate) fn engine(state: &DesktopState) -> ActionResult<&Engine> {
    state.engine.as_ref().map_err(|message| ActionError(message.clone()))
}

/// Every forward and replay of a request, oldest first.
#[tauri::command]
pub async fn list_deliveries(state: State<'_, DesktopState>, request_id: String) -> ActionResult<Vec<DeliveryAttempt>> {
    Ok(engine(&state)?
        .store()
        .read(move |conn| deliveries::list_for_request(conn, &request_id))
        .await?)
}

/// Sends a captured request to a target (plain, edited or re-signed); the attempt is stored and
/// announced as `DeliveryFinished`, and returned. A network failure is an attempt with an error,
/// not a command error.
#[tauri::command]
pub async fn replay_request(
    state: State<'_, DesktopState>,
    id: String,
    options: ReplayOptions,
) -> ActionResult<DeliveryAttempt> {
    let deliverer = engine(&state)?.deliverer();
    Ok(deliverer.replay(&id, &options).await?)
}

/// Writes the requests matching `filter` (the newest [`EXPORT_LIMIT`], oldest first) with their
/// deliveries to `path` as HAR 1.2; returns how many requests it holds.
#[tauri::command]
pub async fn export_har(
    state: State<'_, DesktopState>,
    filter: RequestFilter,
    path: String,
    redact: bool,
) -> ActionResult<u64> {
    let query = filter.query(EXPORT_LIMIT, None);
    let (count, json) = engine(&state)?
        .store()
        .read(move |conn| {
            let ids: Vec<String> = requests::list(conn, &query)?.into_iter().rev().map(|s| s.id).collect();
            let har = export::export_har(conn, &ids, HarOptions { redact })?;
            let json = serde_json::to_vec_pretty(&har).map_err(|e| StoreError::Invalid(e.to_string()))?;
            Ok((ids.len() as u64, json))
        })
        .await?;
    tokio::fs::write(&path, json)
        .await
        .map_err(|e| ActionError(format!("could not write {path}: {e}")))?;
    Ok(count)
}

/// Imports a HAR document or a raw HTTP (`.http`) file as captured requests marked imported;
/// each is announced as `RequestCaptured`. Returns how many were imported.
#[tauri::command]
pub async fn import_file(state: State<'_, DesktopState>, path: String) -> ActionResult<u64> {
    let engine = engine(&state)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| ActionError(format!("could not read {path}: {e}")))?;
    let ids = export::import_bytes(engine.store(), &bytes, Some(&engine.events())).await?;
    Ok(ids.len() as u64)
}
