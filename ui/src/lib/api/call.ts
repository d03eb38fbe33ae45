// The only place that calls Tauri's `invoke` and `listen`: both take a name from names.ts, so
// no module can call a command or listen to an event by a free-typed string.

import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { listen, type EventCallback, type UnlistenFn } from '@tauri-apps/api/event';
import type { CommandName, EngineEventNameValue } from './names';

/** Calls the shell command `name` with `args`; rejects with the command's error. */
export const call = <T>(name: CommandName, args?: InvokeArgs): Promise<T> => invoke<T>(name, args);

/** Listens to the shell event `name` until the returned function is called. */
export const subscribe = <T>(name: EngineEventNameValue, handler: EventCallback<T>): Promise<UnlistenFn> =>
  listen<T>(name, handler);
