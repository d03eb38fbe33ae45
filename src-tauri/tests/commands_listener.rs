//! The window started on an address that another Hookscope holds for the same database: its
//! listener info says where capture runs, and `use_another_port` gives it a listener of its own.

mod common;

use common::{app_with, invoke};
use hookscope::instance::Program;
use hookscope::{Engine, EngineConfig};
use hookscope_desktop::DesktopState;
use serde_json::json;

#[test]
fn an_attached_window_says_who_captures_and_can_use_another_port() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hookscope.db");
    let mut config = EngineConfig::new("127.0.0.1:0".parse().unwrap(), db.clone());
    config.program = Program::Serve;
    let serve = tauri::async_runtime::block_on(Engine::start(config)).unwrap();
    let shared = serve.local_addr();

    let state = tauri::async_runtime::block_on(DesktopState::start(Ok(shared), db));
    let (_app, window) = app_with(state, |_| {});
    let info = invoke(&window, "listener_info", json!({})).unwrap();
    assert_eq!(info["error"], serde_json::Value::Null, "attached, not failed");
    assert_eq!(
        info["capture_elsewhere"],
        format!("hookscope serve (pid {}) on {shared}", std::process::id())
    );
    assert_eq!(info["url"], format!("http://{shared}"));

    let url = invoke(&window, "use_another_port", json!({})).unwrap();
    let url = url.as_str().unwrap().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && url != format!("http://{shared}"),
        "{url}"
    );
    let info = invoke(&window, "listener_info", json!({})).unwrap();
    assert_eq!(info["capture_elsewhere"], serde_json::Value::Null);
    assert_eq!(info["url"], url);
    let again = invoke(&window, "use_another_port", json!({})).unwrap_err();
    assert!(again.as_str().unwrap().contains("already listens"), "{again}");
    tauri::async_runtime::block_on(serve.shutdown());
}
