// The window's only way to the engine: the shell's commands and events.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { save } from '@tauri-apps/plugin-dialog';
import type { EngineEvent, ListenerInfo, RequestDetail, RequestFilter, RequestSummary } from './bindings';

export const listenerInfo = () => invoke<ListenerInfo>('listener_info');
export const listRequests = (filter: RequestFilter) => invoke<RequestSummary[]>('list_requests', { filter });
export const countRequests = () => invoke<number>('count_requests');
export const getRequest = (id: string) => invoke<RequestDetail | null>('get_request', { id });
export const deleteRequests = (ids: string[]) => invoke<number>('delete_requests', { ids });
export const clearRequests = () => invoke<number>('clear_requests');

/**
 * Asks where to save and writes the stored body there (or only the bytes `range` of it);
 * false when the person cancelled.
 */
export async function saveBody(id: string, suggestedName: string, range: [number, number] | null = null): Promise<boolean> {
  const path = await save({ defaultPath: suggestedName });
  if (!path) return false;
  await invoke<number>('save_body', { id, path, range });
  return true;
}

/** Engine events arrive in batches (oldest first): one per message when traffic is light. */
/** Asks where to save one multipart part (decoded as shown) and writes it there. */
export async function saveBodyPart(id: string, path: number[], suggestedName: string): Promise<boolean> {
  const file = await save({ defaultPath: suggestedName });
  if (!file) return false;
  await invoke<number>('save_body_part', { id, path, file });
  return true;
}

export function onEngineEvent(handler: (event: EngineEvent) => void): Promise<UnlistenFn> {
  return listen<EngineEvent[]>('engine-events', (e) => e.payload.forEach(handler));
}

export function onEventsLagged(handler: () => void): Promise<UnlistenFn> {
  return listen<number>('engine-events-lagged', () => handler());
}

/** Copies text to the clipboard (the async API, with the selection fallback older WebKit needs). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}
