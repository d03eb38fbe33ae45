// Forward and replay from the window: the remembered target, and turning the replay dialog's
// text fields into the engine's `RequestEdit`.

import type { CapturedRequest, HeaderField, ReplayOptions, RequestEdit } from './bindings';

export const TARGET_KEY = 'hookscope.replayTarget';
export const RESIGN_KEY = 'hookscope.replayResign';
export const DEFAULT_TARGET = 'http://localhost:3000';

/** The smallest part of `Storage` used here (localStorage in the app, a map in tests). */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem'>;

/** The last target used, else the usual local handler. */
export function loadTarget(storage: KeyValue): string {
  return storage.getItem(TARGET_KEY)?.trim() || DEFAULT_TARGET;
}

export function saveTarget(storage: KeyValue, target: string): void {
  storage.setItem(TARGET_KEY, target.trim());
}

export function loadResign(storage: KeyValue): boolean {
  return storage.getItem(RESIGN_KEY) === 'true';
}

export function saveResign(storage: KeyValue, resign: boolean): void {
  storage.setItem(RESIGN_KEY, String(resign));
}

/** Why a target cannot be used, or null when it is an http(s) URL with a host. */
export function targetProblem(target: string): string | null {
  const text = target.trim();
  if (!text) return 'Enter a target URL, like http://localhost:3000/webhooks';
  if (!/^https?:\/\/[^/?#\s]+/i.test(text)) return `'${text}' is not an http:// or https:// URL`;
  if (/\s/.test(text)) return 'A URL cannot contain spaces';
  return null;
}

export const noEdit = (): RequestEdit => ({ method: null, url: null, headers: null, body: null });

/** A send to `target`: as captured, or with the dialog's edit; re-signed when asked. */
export function replayOptions(target: string, resign: boolean, edit: RequestEdit = noEdit()): ReplayOptions {
  return { target: target.trim(), kind: 'replay', edit, resign };
}

/** Header lines as the dialog shows them: `Name: value`, one a line, in order. */
export function headersToText(headers: HeaderField[]): string {
  return headers.map((h) => `${h.name}: ${h.value}`).join('\n');
}

/** Parses the dialog's header lines back; blank lines are skipped, a line without `:` is an error. */
export function headersFromText(text: string): { headers: HeaderField[]; error: string | null } {
  const headers: HeaderField[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!name || /[\s:]/.test(name)) return { headers, error: `Line ${i + 1} is not a header ("Name: value"): ${line}` };
    headers.push({ name, value: line.slice(colon + 1).trim() });
  }
  return { headers, error: null };
}

/** Standard base64 of a string's UTF-8 bytes (how the engine takes an edited body). */
export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** What the replay dialog holds. `body` is null when the body cannot be edited as text. */
export type EditForm = { method: string; url: string; headers: string; body: string | null };

/** The dialog's starting point: the captured request (the URL empty: the target's forward rule). */
export function formFrom(request: CapturedRequest, bodyText: string | null): EditForm {
  return { method: request.method, url: '', headers: headersToText(request.headers), body: bodyText };
}

/**
 * The edit for the engine: only what differs from the captured request is sent, so an untouched
 * body (possibly larger than the preview the dialog shows) goes out from the store unchanged.
 */
export function editFrom(original: EditForm, form: EditForm): { edit: RequestEdit; error: string | null } {
  const edit = noEdit();
  const method = form.method.trim().toUpperCase();
  if (!/^[A-Z0-9!#$%&'*+.^_`|~-]+$/.test(method)) return { edit, error: `'${form.method}' is not an HTTP method` };
  if (method !== original.method) edit.method = method;
  const url = form.url.trim();
  if (url) {
    const problem = targetProblem(url);
    if (problem) return { edit, error: problem };
    edit.url = url;
  }
  if (form.headers !== original.headers) {
    const parsed = headersFromText(form.headers);
    if (parsed.error) return { edit, error: parsed.error };
    edit.headers = parsed.headers;
  }
  if (form.body !== null && form.body !== original.body) edit.body = utf8ToBase64(form.body);
  return { edit, error: null };
}
