// Every name the window and the shell agree on, in one place: the Tauri command names (the
// shell's `generate_handler!` list) and the names of the events the shell emits. A typo in a
// name is a compile error here rather than a command that silently never answers.

/** The shell's commands, by the name `invoke` takes (see src-tauri/src/lib.rs). */
export const Command = {
  listenerInfo: 'listener_info',
  listRequests: 'list_requests',
  countRequests: 'count_requests',
  getRequest: 'get_request',
  deleteRequests: 'delete_requests',
  clearRequests: 'clear_requests',
  saveBody: 'save_body',
  renderBody: 'render_body',
  saveBodyPart: 'save_body_part',
  saveDecodedBody: 'save_decoded_body',
  listDeliveries: 'list_deliveries',
  replayRequest: 'replay_request',
  exportHar: 'export_har',
  importFile: 'import_file',
  bulkReplay: 'bulk_replay',
  bulkReplayCancel: 'bulk_replay_cancel',
  tunnelState: 'tunnel_state',
  tunnelStart: 'tunnel_start',
  tunnelStop: 'tunnel_stop',
  tunnelHasAuthtoken: 'tunnel_has_authtoken',
  tunnelSaveAuthtoken: 'tunnel_save_authtoken',
  listTunnelOutages: 'list_tunnel_outages',
  listEndpoints: 'list_endpoints',
  addEndpoint: 'add_endpoint',
  changeEndpoint: 'change_endpoint',
  removeEndpoint: 'remove_endpoint',
  listProviders: 'list_providers',
  listRules: 'list_rules',
  addRule: 'add_rule',
  removeRule: 'remove_rule',
  moveRule: 'move_rule',
  resetRules: 'reset_rules',
  diffRequests: 'diff_requests',
  inferSchema: 'infer_schema',
  listSamples: 'list_samples',
  sampleBody: 'sample_body',
  sendSample: 'send_sample',
  saveSample: 'save_sample',
  useAnotherPort: 'use_another_port',
  desktopSettings: 'desktop_settings',
  saveDesktopSettings: 'save_desktop_settings',
  takeEngineEvents: 'take_engine_events',
} as const;

/** A command's name as the shell spells it. */
export type CommandName = (typeof Command)[keyof typeof Command];

/**
 * The events the shell emits (see src-tauri/src/events.rs and commands_bulk.rs): engine events
 * wait to be taken (`take_engine_events`), bulk replay progress, a notification was clicked.
 */
export const EngineEventName = {
  engineEventsReady: 'engine-events-ready',
  bulkReplayProgress: 'bulk-replay-progress',
  openRequest: 'open-request',
} as const;

/** An event's name as the shell spells it. */
export type EngineEventNameValue = (typeof EngineEventName)[keyof typeof EngineEventName];
