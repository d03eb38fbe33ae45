// A delivery attempt in words: the line in the Deliveries tab and the bodies shown as text.

import type { DeliveryAttempt } from './bindings';
import { decodeText, charsetOf, formatSize, fromBase64 } from './bytes';
import { looksLikeText } from './format';

/** "850 µs", "12 ms", "1.4 s". */
export function formatDuration(us: number): string {
  if (us < 1000) return `${us} µs`;
  if (us < 1_000_000) return `${Math.round(us / 1000)} ms`;
  return `${(us / 1_000_000).toFixed(1)} s`;
}

/** The outcome: the status answered or the failure, and its colour class. */
export function outcome(a: DeliveryAttempt): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  if (a.response) {
    const s = a.response.status;
    return { text: String(s), tone: s >= 200 && s < 300 ? 'ok' : s >= 400 ? 'bad' : 'warn' };
  }
  return { text: a.error ? a.error.kind.replaceAll('_', ' ') : 'no answer', tone: 'bad' };
}

/** Flags worth a word next to the attempt. */
export function flags(a: DeliveryAttempt): string[] {
  const out: string[] = [];
  if (a.kind !== 'replay') out.push(a.kind.replace('_', '-'));
  if (a.edited) out.push('edited');
  if (a.resigned) out.push('re-signed');
  return out;
}

/** A body (base64 from the engine) as text to show, or a note when it is binary. */
export function bodyText(base64: string, contentType: string | null, cutAt = 256 * 1024): string {
  const bytes = fromBase64(base64);
  if (bytes.length === 0) return '';
  if (!looksLikeText(bytes)) return `[${formatSize(bytes.length)} of binary data]`;
  const shown = bytes.length > cutAt ? bytes.subarray(0, cutAt) : bytes;
  const text = decodeText(shown, charsetOf(contentType));
  return bytes.length > cutAt ? `${text}\n[… ${formatSize(bytes.length - cutAt)} more]` : text;
}

/** The value of the first header named `name` (any case). */
export function headerValue(headers: { name: string; value: string }[], name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value ?? null;
}

/** Newest first, for the tab. */
export function newestFirst(attempts: DeliveryAttempt[]): DeliveryAttempt[] {
  return [...attempts].sort((a, b) => b.started_at_ns - a.started_at_ns || (a.id < b.id ? 1 : -1));
}
