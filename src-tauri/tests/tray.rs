//! The tray icon's menu and the keep-in-tray setting without a tray host: what the tray shows
//! for each listener and tunnel state, what its items do against a real engine (temp database,
//! listener on port 0) on Tauri's mock runtime, and the settings file.

mod common;

use common::{app_with, engine_state, invoke};
use hookscope::model::TunnelState;
use hookscope::tunnel::AuthtokenStore;
use hookscope_desktop::tray::{perform, TrayAction, TrayView};
use hookscope_desktop::{CloseAction, DesktopSettings, SettingsFile, TunnelHandle};
use serde_json::json;
use tauri::Manager;

const LISTENER: &str = "http://127.0.0.1:8787";

#[test]
fn the_tray_names_the_listener_and_each_tunnel_state() {
    let listener = Ok(LISTENER.to_owned());
    let online = TrayView::of(
        &listener,
        &TunnelState::Online {
            url: "https://abc.ngrok.app".into(),
        },
    );
    assert_eq!(online.listener_line, "Listener: http://127.0.0.1:8787");
    assert_eq!(online.tunnel_line, "Tunnel: online https://abc.ngrok.app");
    assert_eq!(online.public_url.as_deref(), Some("https://abc.ngrok.app"));
    assert_eq!(online.toggle_label, "Stop tunnel");
    assert_eq!(online.tooltip, "Hookscope — http://127.0.0.1:8787 — tunnel online");

    let reconnecting = TrayView::of(
        &listener,
        &TunnelState::Reconnecting {
            reason: "network down".into(),
        },
    );
    assert_eq!(reconnecting.tunnel_line, "Tunnel: reconnecting");
    assert_eq!(reconnecting.public_url, None, "no URL to copy while it reconnects");
    assert_eq!(reconnecting.toggle_label, "Stop tunnel");
    assert!(reconnecting.tooltip.ends_with("tunnel reconnecting"));

    let off = TrayView::of(&listener, &TunnelState::Off);
    assert_eq!(
        (off.tunnel_line.as_str(), off.toggle_label),
        ("Tunnel: off", "Start tunnel")
    );
    assert_eq!(off.public_url, None);

    let failed = TrayView::of(
        &Err("address in use".into()),
        &TunnelState::Error {
            message: "no ngrok authtoken".into(),
        },
    );
    assert_eq!(failed.listener_line, "Listener not running: address in use");
    assert_eq!(failed.tunnel_line, "Tunnel: error: no ngrok authtoken");
    assert_eq!(
        failed.toggle_label, "Start tunnel",
        "a failed tunnel can be started again"
    );
}

#[test]
fn every_menu_item_id_maps_back_to_its_action() {
    for action in [
        TrayAction::CopyPublicUrl,
        TrayAction::ToggleTunnel,
        TrayAction::ShowWindow,
        TrayAction::Quit,
    ] {
        assert_eq!(TrayAction::from_id(action.id()), Some(action));
    }
    assert_eq!(TrayAction::from_id("listener"), None, "the status lines do nothing");
}

#[test]
fn the_tray_starts_the_tunnel_and_refuses_to_copy_a_url_there_is_not() {
    if std::env::var("NGROK_AUTHTOKEN").is_ok_and(|t| !t.trim().is_empty()) {
        eprintln!("skipped: NGROK_AUTHTOKEN is set, so the no-authtoken path cannot be reached");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = engine_state(&dir);
    let tunnel = TunnelHandle::with_token_store(&state, Some(AuthtokenStore::at(dir.path().join("ngrok-authtoken"))));
    let (app, window) = app_with(state, |app| {
        app.manage(tunnel);
    });
    let handle = app.handle().clone();

    let copy = tauri::async_runtime::block_on(perform(&handle, TrayAction::CopyPublicUrl)).unwrap_err();
    assert!(copy.contains("no public URL"), "{copy}");

    // Off → Start: without a token it fails, and the state says so (the tray shows it).
    let started = tauri::async_runtime::block_on(perform(&handle, TrayAction::ToggleTunnel)).unwrap_err();
    assert!(started.starts_with("no ngrok authtoken"), "{started}");
    let state = invoke(&window, "tunnel_state", json!({})).unwrap();
    assert_eq!(state["state"], "error");
    assert_eq!(state["message"], started);
}

#[test]
fn keep_in_tray_is_off_by_default_and_saved_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config").join("hookscope").join("desktop.json");
    let file = SettingsFile::at(Some(path.clone()));
    assert_eq!(file.get(), DesktopSettings::default());
    assert_eq!(file.get().close_action(), CloseAction::Quit, "closing quits, as before");

    file.save(DesktopSettings { keep_in_tray: true }).unwrap();
    assert_eq!(file.get().close_action(), CloseAction::HideToTray);
    let reopened = SettingsFile::at(Some(path.clone()));
    assert!(reopened.get().keep_in_tray, "kept across restarts");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let folder = path.parent().unwrap();
        assert_eq!(std::fs::metadata(folder).unwrap().permissions().mode() & 0o777, 0o700);
    }

    std::fs::write(&path, "{ not json").unwrap();
    assert_eq!(
        SettingsFile::at(Some(path)).get(),
        DesktopSettings::default(),
        "a damaged file means defaults"
    );
}

#[test]
fn the_window_reads_and_saves_the_setting_through_its_commands() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desktop.json");
    let (_app, window) = app_with(engine_state(&dir), |app| {
        app.manage(SettingsFile::at(Some(path.clone())));
    });
    assert_eq!(
        invoke(&window, "desktop_settings", json!({})).unwrap(),
        json!({"keep_in_tray": false})
    );
    let saved = invoke(
        &window,
        "save_desktop_settings",
        json!({"changed": {"keep_in_tray": true}}),
    )
    .unwrap();
    assert_eq!(saved, json!({"keep_in_tray": true}));
    assert_eq!(invoke(&window, "desktop_settings", json!({})).unwrap(), saved);
    let on_disk: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["keep_in_tray"], true);
}
