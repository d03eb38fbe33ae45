//! The endpoint editor's commands: list, add, change and remove endpoints, and the provider ids
//! to choose from. Secrets and the verify token only go in: what comes back is an
//! [`EndpointView`], which says how many secrets there are and whether a token is set.

use hookscope::endpoints::EndpointSaved;
use hookscope::model::{EndpointChanges, EndpointView};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandResult;
use crate::DesktopState;

/// A provider the editor offers.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProviderChoice {
    pub id: String,
    pub name: String,
}

/// Every endpoint, ordered by name, without secret values.
#[tauri::command]
pub async fn list_endpoints(state: State<'_, DesktopState>) -> CommandResult<Vec<EndpointView>> {
    let endpoints = state.workbench()?.list_endpoints().await?;
    Ok(endpoints.iter().map(EndpointView::from).collect())
}

/// Adds an endpoint (name and path prefix are required); the listener uses it at once.
#[tauri::command]
pub async fn add_endpoint(state: State<'_, DesktopState>, changes: EndpointChanges) -> CommandResult<EndpointView> {
    let created = state.workbench()?.add_endpoint(changes).await?;
    Ok(EndpointView::from(&created))
}

/// Changes an endpoint; a new provider, secret or public URL re-checks its stored requests.
#[tauri::command]
pub async fn change_endpoint(
    state: State<'_, DesktopState>,
    id: i64,
    changes: EndpointChanges,
) -> CommandResult<EndpointSaved> {
    Ok(state.workbench()?.change_endpoint(id, changes).await?)
}

/// Removes an endpoint; its captured requests stay.
#[tauri::command]
pub async fn remove_endpoint(state: State<'_, DesktopState>, id: i64) -> CommandResult<()> {
    Ok(state.workbench()?.remove_endpoint(id).await?)
}

/// The built-in signature providers, in the engine's order.
#[tauri::command]
pub fn list_providers() -> Vec<ProviderChoice> {
    hookscope::signature::provider_names()
        .into_iter()
        .map(|(id, name)| ProviderChoice {
            id: id.to_owned(),
            name: name.to_owned(),
        })
        .collect()
}
