// The window's own settings and the notification click (see src-tauri/src/app_settings.rs and
// notifications.rs).

import type { UnlistenFn } from '@tauri-apps/api/event';
import type { DesktopSettings } from '../bindings';
import { call, subscribe } from './call';
import { Command, EngineEventName } from './names';

export const desktopSettings = () => call<DesktopSettings>(Command.desktopSettings);
/** Saves the settings; they are in force at once. */
export const saveDesktopSettings = (changed: DesktopSettings) =>
  call<DesktopSettings>(Command.saveDesktopSettings, { changed });

/** A notification was clicked (or the window came back after one): select request `id`. */
export function onOpenRequest(handler: (id: string) => void): Promise<UnlistenFn> {
  return subscribe<string>(EngineEventName.openRequest, (e) => handler(e.payload));
}
