// The window's calls for bulk replay (see src-tauri/src/commands_bulk.rs).

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { BulkProgress, BulkReplayOptions, BulkReplayProgress, BulkRequests, BulkSummary } from './bindings';

/** Runs a bulk replay named `run`; resolves with the summary when every request is done. */
export const bulkReplay = (run: string, requests: BulkRequests, options: BulkReplayOptions) =>
  invoke<BulkSummary>('bulk_replay', { run, requests, options });

/** Asks the run to stop starting requests; false when it is not running. */
export const cancelBulkReplay = (run: string) => invoke<boolean>('bulk_replay_cancel', { run });

/** Progress of the run named `run`: one call per finished request. */
export function onBulkProgress(run: string, handler: (progress: BulkProgress) => void): Promise<UnlistenFn> {
  return listen<BulkReplayProgress>('bulk-replay-progress', (e) => {
    if (e.payload.run === run) handler(e.payload.progress);
  });
}
