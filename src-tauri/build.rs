// Every command the window may call gets an `allow-<command>` permission generated here;
// capabilities/main.json grants exactly the ones the UI uses.
const COMMANDS: &[&str] = &[
    "listener_info",
    "list_requests",
    "count_requests",
    "get_request",
    "delete_requests",
    "clear_requests",
    "save_body",
    "render_body",
    "save_body_part",
    "save_decoded_body",
    "list_deliveries",
    "replay_request",
    "export_har",
    "import_file",
    "bulk_replay",
    "bulk_replay_cancel",
    "tunnel_state",
    "tunnel_start",
    "tunnel_stop",
    "tunnel_has_authtoken",
    "tunnel_save_authtoken",
    "list_tunnel_outages",
    "list_endpoints",
    "add_endpoint",
    "change_endpoint",
    "remove_endpoint",
    "list_providers",
    "list_rules",
    "add_rule",
    "remove_rule",
    "move_rule",
    "reset_rules",
    "list_samples",
    "sample_body",
    "send_sample",
    "save_sample",
    "diff_requests",
    "infer_schema",
    "use_another_port",
    "desktop_settings",
    "save_desktop_settings",
    "take_engine_events",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
