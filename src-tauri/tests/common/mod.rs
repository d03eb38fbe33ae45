//! What the command tests share: an app on Tauri's mock runtime with a real engine (temp
//! database, listener on port 0) and a way to call its commands through IPC.

#![allow(dead_code)]

use hookscope_desktop::{with_commands, DesktopState};
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

/// Calls a command as the window would; `Err` carries the command's error value.
pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

/// The shell's state with a running engine on a temp database and a free port.
pub fn engine_state(dir: &tempfile::TempDir) -> DesktopState {
    tauri::async_runtime::block_on(DesktopState::start(
        Ok("127.0.0.1:0".parse().unwrap()),
        dir.path().join("hookscope.db"),
    ))
}

/// An app managing `state` (and whatever `manage_more` adds) with its main window.
pub fn app_with(
    state: DesktopState,
    manage_more: impl FnOnce(&tauri::App<MockRuntime>),
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = with_commands(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(state);
    manage_more(&app);
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}
