//! The tray (menu bar) icon: its tooltip and menu say where the listener is and what the tunnel
//! does (online, reconnecting, off), and its items copy the public URL, start or stop the
//! tunnel, show the window and quit. What the items do are plain functions ([`perform`]), so they
//! are tested without a tray host; a desktop without one (Xvfb, GNOME without the extension)
//! simply shows no icon.

use hookscope::model::{EngineEvent, TunnelState};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, Wry};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use crate::commands_tunnel::{self, TunnelHandle};
use crate::error::CommandError;

/// What the tray icon's menu can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    CopyPublicUrl,
    /// Start the tunnel when it is off (or failed), stop it otherwise.
    ToggleTunnel,
    ShowWindow,
    Quit,
}

impl TrayAction {
    /// The menu item's id.
    pub fn id(self) -> &'static str {
        match self {
            TrayAction::CopyPublicUrl => "copy-public-url",
            TrayAction::ToggleTunnel => "toggle-tunnel",
            TrayAction::ShowWindow => "show-window",
            TrayAction::Quit => "quit",
        }
    }

    /// The action of a menu item's id.
    pub fn from_id(id: &str) -> Option<Self> {
        [Self::CopyPublicUrl, Self::ToggleTunnel, Self::ShowWindow, Self::Quit]
            .into_iter()
            .find(|a| a.id() == id)
    }
}

/// What the tray shows for a listener and a tunnel state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayView {
    pub tooltip: String,
    /// "Listener: http://127.0.0.1:8787" (or why it is not running).
    pub listener_line: String,
    /// "Tunnel: online https://…", "Tunnel: reconnecting", "Tunnel: off", …
    pub tunnel_line: String,
    /// The public URL to copy; `None` disables Copy public URL.
    pub public_url: Option<String>,
    /// The toggle's label: "Start tunnel" or "Stop tunnel".
    pub toggle_label: &'static str,
}

impl TrayView {
    /// The view of `listener` (its URL, or why it did not start) and `tunnel`.
    pub fn of(listener: &Result<String, String>, tunnel: &TunnelState) -> Self {
        let listener_line = match listener {
            Ok(url) => format!("Listener: {url}"),
            Err(message) => format!("Listener not running: {message}"),
        };
        let (tunnel_word, public_url) = match tunnel {
            TunnelState::Off => ("off".to_owned(), None),
            TunnelState::Connecting => ("connecting".to_owned(), None),
            TunnelState::Online { url } => (format!("online {url}"), Some(url.clone())),
            TunnelState::Reconnecting { .. } => ("reconnecting".to_owned(), None),
            TunnelState::Error { message } => (format!("error: {message}"), None),
        };
        let running = !matches!(tunnel, TunnelState::Off | TunnelState::Error { .. });
        let tunnel_line = format!("Tunnel: {tunnel_word}");
        let short_tunnel = match tunnel {
            TunnelState::Online { .. } => "online",
            TunnelState::Connecting => "connecting",
            TunnelState::Reconnecting { .. } => "reconnecting",
            TunnelState::Off => "off",
            TunnelState::Error { .. } => "error",
        };
        let listening = match listener {
            Ok(url) => url.as_str(),
            Err(_) => "listener not running",
        };
        TrayView {
            tooltip: format!("Hookscope — {listening} — tunnel {short_tunnel}"),
            listener_line,
            tunnel_line,
            public_url,
            toggle_label: if running { "Stop tunnel" } else { "Start tunnel" },
        }
    }
}

/// The tray's menu items that change with the state.
struct TrayItems<R: Runtime> {
    listener: MenuItem<R>,
    tunnel: MenuItem<R>,
    copy: MenuItem<R>,
    toggle: MenuItem<R>,
}

impl<R: Runtime> TrayItems<R> {
    fn update(&self, view: &TrayView) -> tauri::Result<()> {
        self.listener.set_text(&view.listener_line)?;
        self.tunnel.set_text(&view.tunnel_line)?;
        self.copy.set_enabled(view.public_url.is_some())?;
        self.toggle.set_text(view.toggle_label)
    }
}

/// Puts the icon in the tray and keeps it up to date with the tunnel's state. Without a tray
/// host (or without libayatana-appindicator on Linux) the app runs on without an icon.
pub fn install(app: &AppHandle<Wry>, listener: Result<String, String>, events: Option<Receiver<EngineEvent>>) {
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(app, &listener)));
    match built {
        Ok(Ok((tray, items))) => {
            if let Some(events) = events {
                tauri::async_runtime::spawn(follow_tunnel(tray, items, listener, events));
            }
        }
        Ok(Err(error)) => tracing::warn!(%error, "no tray icon"),
        Err(_) => tracing::warn!("no tray icon: the tray library is missing"),
    }
}

fn build<R: Runtime>(
    app: &AppHandle<R>,
    listener: &Result<String, String>,
) -> tauri::Result<(tauri::tray::TrayIcon<R>, TrayItems<R>)> {
    let view = TrayView::of(listener, &current_tunnel(app));
    let items = TrayItems {
        listener: MenuItem::with_id(app, "listener", &view.listener_line, false, None::<&str>)?,
        tunnel: MenuItem::with_id(app, "tunnel", &view.tunnel_line, false, None::<&str>)?,
        copy: MenuItem::with_id(
            app,
            TrayAction::CopyPublicUrl.id(),
            "Copy public URL",
            view.public_url.is_some(),
            None::<&str>,
        )?,
        toggle: MenuItem::with_id(
            app,
            TrayAction::ToggleTunnel.id(),
            view.toggle_label,
            true,
            None::<&str>,
        )?,
    };
    let show = MenuItem::with_id(app, TrayAction::ShowWindow.id(), "Show window", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, TrayAction::Quit.id(), "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(
        app,
        &[
            &items.listener,
            &items.tunnel,
            &separator,
            &items.copy,
            &items.toggle,
            &show,
            &quit,
        ],
    )?;
    let mut builder = TrayIconBuilder::with_id("hookscope")
        .tooltip(&view.tooltip)
        .menu(&menu)
        .on_menu_event(|app, event| {
            if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(message) = perform(&app, action).await {
                        tracing::warn!(%message, ?action, "tray action failed");
                    }
                });
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let tray = builder.build(app)?;
    Ok((tray, items))
}

async fn follow_tunnel<R: Runtime>(
    tray: tauri::tray::TrayIcon<R>,
    items: TrayItems<R>,
    listener: Result<String, String>,
    mut events: Receiver<EngineEvent>,
) {
    loop {
        match events.recv().await {
            Ok(EngineEvent::TunnelStatusChanged(state)) => {
                let view = TrayView::of(&listener, &state);
                let _ = tray.set_tooltip(Some(&view.tooltip));
                if let Err(error) = items.update(&view) {
                    tracing::debug!(%error, "tray menu not updated");
                }
            }
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => break,
        }
    }
}

fn current_tunnel<R: Runtime>(app: &AppHandle<R>) -> TunnelState {
    match app.try_state::<TunnelHandle>() {
        Some(tunnel) => commands_tunnel::tunnel_state(tunnel),
        None => TunnelState::Off,
    }
}

/// Does what a tray menu item asks; `Err` says why it could not.
pub async fn perform<R: Runtime>(app: &AppHandle<R>, action: TrayAction) -> Result<(), String> {
    match action {
        TrayAction::CopyPublicUrl => {
            let url = TrayView::of(&Ok(String::new()), &current_tunnel(app))
                .public_url
                .ok_or("the tunnel is not online: there is no public URL")?;
            use tauri_plugin_clipboard_manager::ClipboardExt;
            app.clipboard().write_text(url).map_err(|e| e.to_string())
        }
        TrayAction::ToggleTunnel => {
            let tunnel = app.try_state::<TunnelHandle>().ok_or("the tunnel is not available")?;
            let running = TrayView::of(&Ok(String::new()), &commands_tunnel::tunnel_state(tunnel.clone())).toggle_label
                == "Stop tunnel";
            if running {
                commands_tunnel::tunnel_stop(tunnel).await.map_err(said)
            } else {
                commands_tunnel::tunnel_start(tunnel, None)
                    .await
                    .map(|_| ())
                    .map_err(said)
            }
        }
        TrayAction::ShowWindow => {
            show_window(app);
            Ok(())
        }
        TrayAction::Quit => {
            app.exit(0);
            Ok(())
        }
    }
}

/// Brings the main window back: shown, unminimized and focused.
pub fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

fn said(error: CommandError) -> String {
    match error {
        CommandError::Message(message) => message,
        CommandError::Field(field) => field.message,
    }
}
