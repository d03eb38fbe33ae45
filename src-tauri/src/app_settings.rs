//! The window's own settings (today: keep capturing in the tray when the window closes), kept
//! in a small JSON file beside the ngrok token fallback, `<config dir>/hookscope/desktop.json`,
//! readable by its owner only. The engine's settings live in its database; these belong to the
//! app alone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::{Manager, Runtime, State, Window, WindowEvent};

use crate::error::{CommandError, CommandResult};

/// The desktop app's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct DesktopSettings {
    /// Closing the window hides it and capture goes on (the tray icon brings it back).
    pub keep_in_tray: bool,
}

/// The settings file and what it holds now, managed by the app.
pub struct SettingsFile {
    path: Option<PathBuf>,
    current: Mutex<DesktopSettings>,
}

impl SettingsFile {
    /// `<config dir>/hookscope/desktop.json` (`~/.config/hookscope/` on Linux).
    pub fn in_config_dir() -> Self {
        Self::at(dirs::config_dir().map(|dir| dir.join("hookscope").join("desktop.json")))
    }

    /// The settings at `path` (defaults when it is missing or unreadable; `None` keeps them in
    /// memory only).
    pub fn at(path: Option<PathBuf>) -> Self {
        let current = path.as_deref().map(read).unwrap_or_default();
        Self {
            path,
            current: Mutex::new(current),
        }
    }

    /// The settings in force.
    pub fn get(&self) -> DesktopSettings {
        self.current.lock().expect("settings lock").clone()
    }

    /// Stores `settings` (owner-only file in an owner-only folder) and puts them in force.
    pub fn save(&self, settings: DesktopSettings) -> Result<(), std::io::Error> {
        if let Some(path) = &self.path {
            write(path, &settings)?;
        }
        *self.current.lock().expect("settings lock") = settings;
        Ok(())
    }
}

fn read(path: &Path) -> DesktopSettings {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            tracing::warn!(%error, path = %path.display(), "settings file unreadable; using defaults");
            DesktopSettings::default()
        }),
        Err(_) => DesktopSettings::default(),
    }
}

fn write(path: &Path, settings: &DesktopSettings) -> Result<(), std::io::Error> {
    if let Some(dir) = path.parent() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(&serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?)?;
    file.sync_all()
}

/// What closing the window does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseAction {
    /// Hide the window; the listener goes on capturing.
    HideToTray,
    /// Close it, which quits the app (as before the setting existed).
    Quit,
}

impl DesktopSettings {
    /// What closing the main window does under these settings.
    pub fn close_action(&self) -> CloseAction {
        if self.keep_in_tray {
            CloseAction::HideToTray
        } else {
            CloseAction::Quit
        }
    }
}

/// The app's window-event hook: with "keep in tray" on, a close request hides the window.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        let Some(settings) = window.try_state::<SettingsFile>() else {
            return;
        };
        if settings.get().close_action() == CloseAction::HideToTray {
            api.prevent_close();
            if let Err(error) = window.hide() {
                tracing::warn!(%error, "could not hide the window");
            }
            tracing::info!("window hidden; capture goes on in the tray");
        }
    }
}

/// The window's settings.
#[tauri::command]
pub fn desktop_settings(settings: State<'_, SettingsFile>) -> DesktopSettings {
    settings.get()
}

/// Saves the window's settings and puts them in force at once.
#[tauri::command]
pub fn save_desktop_settings(
    settings: State<'_, SettingsFile>,
    changed: DesktopSettings,
) -> CommandResult<DesktopSettings> {
    settings
        .save(changed)
        .map_err(|e| CommandError::message(format!("could not save the settings: {e}")))?;
    Ok(settings.get())
}
