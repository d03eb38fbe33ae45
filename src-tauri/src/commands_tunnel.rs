//! The status bar's tunnel toggle and the authtoken field of Settings. The token goes in and is
//! never sent back to the window: it only learns whether one is available.

use std::sync::Arc;

use hookscope::model::{TunnelOutage, TunnelState};
use hookscope::tunnel::{AuthtokenStore, TunnelController, TunnelOptions};
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::DesktopState;

/// The app's tunnel (absent when the engine did not start), managed next to [`DesktopState`].
pub struct TunnelHandle {
    controller: Result<Arc<TunnelController>, String>,
}

impl TunnelHandle {
    /// The engine's ngrok tunnel, its token kept in the OS keyring or the user's config dir.
    pub fn new(state: &DesktopState) -> Self {
        Self::with_token_store(state, AuthtokenStore::in_config_dir())
    }

    /// Like [`TunnelHandle::new`] with the token kept in `tokens` (tests use a temp file).
    pub fn with_token_store(state: &DesktopState, tokens: Option<AuthtokenStore>) -> Self {
        let controller = match &state.engine {
            Ok(engine) => Ok(Arc::new(TunnelController::with_token_store(
                engine.capture_state(),
                engine.events(),
                tokens,
            ))),
            Err(message) => Err(message.clone()),
        };
        TunnelHandle { controller }
    }

    fn controller(&self) -> CommandResult<Arc<TunnelController>> {
        self.controller.clone().map_err(CommandError::Message)
    }
}

/// The tunnel's current state (later changes arrive as `TunnelStatusChanged` events).
#[tauri::command]
pub fn tunnel_state(tunnel: State<'_, TunnelHandle>) -> TunnelState {
    match &tunnel.controller {
        Ok(controller) => controller.state(),
        Err(message) => TunnelState::Error {
            message: message.clone(),
        },
    }
}

/// Opens the tunnel and returns its public URL; a failure is also shown as the `Error` state.
#[tauri::command]
pub async fn tunnel_start(tunnel: State<'_, TunnelHandle>, options: Option<TunnelOptions>) -> CommandResult<String> {
    let controller = tunnel.controller()?;
    Ok(controller.start(options.unwrap_or_default()).await?)
}

#[tauri::command]
pub async fn tunnel_stop(tunnel: State<'_, TunnelHandle>) -> CommandResult<()> {
    tunnel.controller()?.stop().await;
    Ok(())
}

/// True when an authtoken is available (environment or saved); the token itself never leaves.
#[tauri::command]
pub async fn tunnel_has_authtoken(tunnel: State<'_, TunnelHandle>) -> CommandResult<bool> {
    let controller = tunnel.controller()?;
    // The OS keyring may block (D-Bus, an unlock prompt).
    tokio::task::spawn_blocking(move || controller.has_authtoken())
        .await
        .map_err(|e| CommandError::message(e.to_string()))
}

/// Saves the authtoken entered in Settings (an empty one forgets it); returns whether a token
/// is now available.
#[tauri::command]
pub async fn tunnel_save_authtoken(tunnel: State<'_, TunnelHandle>, token: String) -> CommandResult<bool> {
    let controller = tunnel.controller()?;
    if token.trim().is_empty() {
        controller.forget_authtoken().await?;
    } else {
        controller.save_authtoken(token).await?;
    }
    tokio::task::spawn_blocking(move || controller.has_authtoken())
        .await
        .map_err(|e| CommandError::message(e.to_string()))
}

/// The newest times the tunnel was down while meant to be up, newest first (the request list
/// marks them between requests).
#[tauri::command]
pub async fn list_tunnel_outages(state: State<'_, DesktopState>) -> CommandResult<Vec<TunnelOutage>> {
    Ok(state.workbench()?.tunnel_outages().await?)
}
