//! The banner's "Use another port": a window attached to another Hookscope (which holds the
//! listen address and captures into the same database) starts a listener of its own.

use std::net::SocketAddr;

use tauri::State;

use crate::error::CommandResult;
use crate::DesktopState;

/// Starts a listener of the window's own on a free port of the configured host; returns its
/// `http://ADDR`.
#[tauri::command]
pub async fn use_another_port(state: State<'_, DesktopState>) -> CommandResult<String> {
    let engine = state.engine()?;
    let any_port = SocketAddr::new(engine.local_addr().ip(), 0);
    Ok(format!("http://{}", engine.start_listener_on(any_port).await?))
}
