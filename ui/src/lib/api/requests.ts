// Captured requests: the listener, the list and counts, one request, its body and saving it.

import { save } from '@tauri-apps/plugin-dialog';
import type { BodyView, ListenerInfo, RenderOptions, RequestDetail, RequestFilter, RequestSummary } from '../bindings';
import { call } from './call';
import { Command } from './names';

export const listenerInfo = () => call<ListenerInfo>(Command.listenerInfo);
export const listRequests = (filter: RequestFilter) => call<RequestSummary[]>(Command.listRequests, { filter });
export const countRequests = () => call<number>(Command.countRequests);
export const getRequest = (id: string) => call<RequestDetail | null>(Command.getRequest, { id });
export const deleteRequests = (ids: string[]) => call<number>(Command.deleteRequests, { ids });
export const clearRequests = () => call<number>(Command.clearRequests);

/** The request's whole stored body rendered by the engine; `options` overrides its limits. */
export const renderBody = (id: string, options: Partial<RenderOptions> | null = null) =>
  call<BodyView>(Command.renderBody, { id, options });

/** Asks where to save and writes the body there as captured; false when the person cancelled. */
export async function saveBody(id: string, suggestedName: string): Promise<boolean> {
  const path = await save({ defaultPath: suggestedName });
  if (!path) return false;
  await call<number>(Command.saveBody, { id, path });
  return true;
}

/** Asks where to save and writes the body with its Content-Encoding undone. */
export async function saveDecodedBody(id: string, suggestedName: string): Promise<boolean> {
  const file = await save({ defaultPath: suggestedName });
  if (!file) return false;
  await call<number>(Command.saveDecodedBody, { id, file });
  return true;
}

/** Asks where to save one multipart part (`path`: its index at each level) and writes it, decoded. */
export async function saveBodyPart(id: string, path: number[], suggestedName: string): Promise<boolean> {
  const file = await save({ defaultPath: suggestedName });
  if (!file) return false;
  await call<number>(Command.saveBodyPart, { id, path, file });
  return true;
}
