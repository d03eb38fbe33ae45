//! Hookscope's desktop shell: starts the engine, forwards its events to the window and answers
//! the window's commands with engine calls. Everything that is not glue lives in the engine crate.

mod app_settings;
mod commands;
mod commands_actions;
mod commands_bulk;
mod commands_endpoints;
mod commands_listener;
mod commands_reading;
mod commands_rules;
mod commands_samples;
mod commands_tunnel;
mod error;
mod events;
mod graphics;
mod notifications;
pub mod tray;

use std::net::SocketAddr;

use hookscope::engine::DEFAULT_LISTEN;
use hookscope::{Engine, EngineConfig, Workbench};
use tauri::Manager;

pub use app_settings::{CloseAction, DesktopSettings, SettingsFile};
pub use commands::ListenerInfo;
pub use commands_bulk::BulkReplayProgress;
pub use commands_endpoints::ProviderChoice;
pub use commands_tunnel::TunnelHandle;
pub use error::{CommandError, FieldError};
pub use events::EngineEventsTaken;
pub use hookscope::workbench::{BulkReplayOptions, BulkRequests, RequestFilter};

/// What the window's commands share: the running engine, or why it could not start.
pub struct DesktopState {
    engine: Result<Engine, String>,
    db_path: std::path::PathBuf,
}

impl DesktopState {
    /// Starts the engine on `listen` with the database at `db_path`; a failure is kept to show it.
    pub async fn start(listen: Result<SocketAddr, String>, db_path: std::path::PathBuf) -> Self {
        let engine = match listen {
            Ok(addr) => {
                let mut config = EngineConfig::new(addr, db_path.clone());
                config.program = hookscope::instance::Program::Window;
                config.delivery.proxy = hookscope::delivery::ProxyConfig::from_env();
                Engine::start(config).await.map_err(|e| e.to_string())
            }
            Err(message) => Err(message),
        };
        if let Err(message) = &engine {
            tracing::error!(%message, "engine did not start");
        }
        DesktopState { engine, db_path }
    }

    /// The running engine, or why it is not running.
    pub fn engine(&self) -> Result<&Engine, CommandError> {
        self.engine
            .as_ref()
            .map_err(|message| CommandError::message(message.clone()))
    }

    /// The engine's use cases, which every command but the tunnel's calls.
    pub fn workbench(&self) -> Result<&Workbench, CommandError> {
        Ok(self.engine()?.workbench())
    }
}

/// The listener address: `$HOOKSCOPE_LISTEN`, else the CLI's default.
pub fn listen_addr_from_env() -> Result<SocketAddr, String> {
    let text = std::env::var("HOOKSCOPE_LISTEN")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    text.parse()
        .map_err(|_| format!("HOOKSCOPE_LISTEN={text} is not an address like 127.0.0.1:8787"))
}

/// Registers the commands on a builder (shared by the app and the command tests).
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::listener_info,
        events::take_engine_events,
        commands::list_requests,
        commands::count_requests,
        commands::get_request,
        commands::delete_requests,
        commands::clear_requests,
        commands::save_body,
        commands::render_body,
        commands::save_body_part,
        commands::save_decoded_body,
        commands::list_deliveries,
        commands_actions::replay_request,
        commands_actions::export_har,
        commands_actions::import_file,
        commands_bulk::bulk_replay,
        commands_bulk::bulk_replay_cancel,
        commands_tunnel::tunnel_state,
        commands_tunnel::tunnel_start,
        commands_tunnel::tunnel_stop,
        commands_tunnel::tunnel_has_authtoken,
        commands_tunnel::tunnel_save_authtoken,
        commands_tunnel::list_tunnel_outages,
        commands_endpoints::list_endpoints,
        commands_endpoints::add_endpoint,
        commands_endpoints::change_endpoint,
        commands_endpoints::remove_endpoint,
        commands_endpoints::list_providers,
        commands_rules::list_rules,
        commands_rules::add_rule,
        commands_rules::remove_rule,
        commands_rules::move_rule,
        commands_rules::reset_rules,
        commands_samples::list_samples,
        commands_samples::sample_body,
        commands_samples::send_sample,
        commands_samples::save_sample,
        commands_reading::diff_requests,
        commands_reading::infer_schema,
        commands_listener::use_another_port,
        app_settings::desktop_settings,
        app_settings::save_desktop_settings,
    ])
}

/// Runs the desktop app until its window closes.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HOOKSCOPE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    graphics::choose_painting();
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .on_window_event(|window, event| {
            app_settings::on_window_event(window, event);
            if let tauri::WindowEvent::Focused(true) = event {
                notifications::on_focus(window.app_handle());
            }
        })
        .setup(|app| {
            let state = tauri::async_runtime::block_on(DesktopState::start(
                listen_addr_from_env(),
                hookscope::store::default_db_path(),
            ));
            app.manage(events::PendingEvents::default());
            if let Ok(engine) = &state.engine {
                events::forward(app.handle().clone(), engine.subscribe());
                notifications::start(app.handle().clone(), engine.workbench().clone(), engine.subscribe());
            }
            app.manage(SettingsFile::in_config_dir());
            app.manage(TunnelHandle::new(&state));
            let listener = state.engine.as_ref().map(|e| e.local_url()).map_err(Clone::clone);
            let tray_events = state.engine.as_ref().ok().map(|e| e.subscribe());
            app.manage(state);
            tray::install(app.handle(), listener, tray_events);
            Ok(())
        });
    with_commands(builder)
        .run(tauri::generate_context!())
        .expect("the Hookscope window could not start");
}
