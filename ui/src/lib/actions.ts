// The window's calls for deliveries, replay, the tunnel and HAR export/import (see
// src-tauri/src/commands_actions.rs and commands_tunnel.rs).

import { invoke } from '@tauri-apps/api/core';
import { open, save } from '@tauri-apps/plugin-dialog';
import type { DeliveryAttempt, ReplayOptions, RequestFilter, TunnelOptions, TunnelState } from './bindings';

export const listDeliveries = (requestId: string) => invoke<DeliveryAttempt[]>('list_deliveries', { requestId });
export const replayRequest = (id: string, options: ReplayOptions) =>
  invoke<DeliveryAttempt>('replay_request', { id, options });

export const tunnelState = () => invoke<TunnelState>('tunnel_state');
export const tunnelStart = (options: TunnelOptions | null = null) => invoke<string>('tunnel_start', { options });
export const tunnelStop = () => invoke<void>('tunnel_stop');
export const tunnelHasAuthtoken = () => invoke<boolean>('tunnel_has_authtoken');
/** Saves the token (empty forgets it); the answer says only whether a token is now available. */
export const tunnelSaveAuthtoken = (token: string) => invoke<boolean>('tunnel_save_authtoken', { token });

/** Asks where to save, then writes the requests matching `filter` as HAR; null when cancelled. */
export async function exportHar(filter: RequestFilter, redact: boolean): Promise<number | null> {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
  const path = await save({
    defaultPath: `hookscope-${stamp}.har`,
    filters: [{ name: 'HAR', extensions: ['har'] }],
  });
  if (!path) return null;
  return invoke<number>('export_har', { filter, path, redact });
}

/** Asks for a HAR or .http file and imports it; null when cancelled. */
export async function importFile(): Promise<number | null> {
  const path = await open({
    multiple: false,
    directory: false,
    filters: [
      { name: 'HAR or HTTP request', extensions: ['har', 'json', 'http', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  if (!path) return null;
  return invoke<number>('import_file', { path });
}
