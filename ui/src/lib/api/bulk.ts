// Bulk replay (see src-tauri/src/commands_bulk.rs).

import type { UnlistenFn } from '@tauri-apps/api/event';
import type { BulkProgress, BulkReplayOptions, BulkReplayProgress, BulkRequests, BulkSummary } from '../bindings';
import { call, subscribe } from './call';
import { Command, EngineEventName } from './names';

/** Runs a bulk replay named `run`; resolves with the summary when every request is done. */
export const bulkReplay = (run: string, requests: BulkRequests, options: BulkReplayOptions) =>
  call<BulkSummary>(Command.bulkReplay, { run, requests, options });

/** Asks the run to stop starting requests; false when it is not running. */
export const cancelBulkReplay = (run: string) => call<boolean>(Command.bulkReplayCancel, { run });

/** Progress of the run named `run`: one call per finished request. */
export function onBulkProgress(run: string, handler: (progress: BulkProgress) => void): Promise<UnlistenFn> {
  return subscribe<BulkReplayProgress>(EngineEventName.bulkReplayProgress, (e) => {
    if (e.payload.run === run) handler(e.payload.progress);
  });
}
