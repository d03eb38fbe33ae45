// Deliveries, replay and HAR export/import (see src-tauri/src/commands_actions.rs).

import { open, save } from '@tauri-apps/plugin-dialog';
import type { DeliveryAttempt, ImportReport, ReplayOptions, RequestFilter } from '../bindings';
import { call } from './call';
import { Command } from './names';

export const listDeliveries = (requestId: string) => call<DeliveryAttempt[]>(Command.listDeliveries, { requestId });
export const replayRequest = (id: string, options: ReplayOptions) =>
  call<DeliveryAttempt>(Command.replayRequest, { id, options });

/** Asks where to save, then writes the requests matching `filter` as HAR; null when cancelled. */
export async function exportHar(filter: RequestFilter, redact: boolean): Promise<number | null> {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
  const path = await save({
    defaultPath: `hookscope-${stamp}.har`,
    filters: [{ name: 'HAR', extensions: ['har'] }],
  });
  if (!path) return null;
  return call<number>(Command.exportHar, { filter, path, redact });
}

/** Asks for a HAR or .http file and imports it: the new ids and the notes on entries skipped or
 * not imported byte for byte; null when cancelled. */
export async function importFile(): Promise<ImportReport | null> {
  const path = await open({
    multiple: false,
    directory: false,
    filters: [
      { name: 'HAR or HTTP request', extensions: ['har', 'json', 'http', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  if (!path) return null;
  return call<ImportReport>(Command.importFile, { path });
}
