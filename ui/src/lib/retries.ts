// Retries folded: the attempts of one event (same provider and delivery id) shown as one row,
// the newest attempt, with how many there were. Pure, over rows the list already holds.

import type { RequestSummary } from './bindings';

/** A row as the list shows it when retries are folded. */
export interface FoldedRow {
  /** The newest attempt of the event (or the request itself). */
  row: RequestSummary;
  /** How many of the loaded rows are attempts of this event (1 when nothing folded). */
  attempts: number;
}

/** The key that makes two requests the same event; null when the request has no delivery id. */
export function retryKey(row: RequestSummary): string | null {
  if (!row.delivery_id) return null;
  return JSON.stringify([row.signature_provider ?? '', row.endpoint_name ?? '', row.delivery_id]);
}

/**
 * Folds `rows` (newest first): the first row of each event stands for it, with the count of its
 * attempts; rows without a delivery id are kept as they are. The order is kept.
 */
export function foldRetries(rows: readonly RequestSummary[]): FoldedRow[] {
  const out: FoldedRow[] = [];
  const byKey = new Map<string, FoldedRow>();
  for (const row of rows) {
    const key = retryKey(row);
    if (key === null) {
      out.push({ row, attempts: 1 });
      continue;
    }
    const seen = byKey.get(key);
    if (seen) {
      seen.attempts += 1;
      continue;
    }
    const folded = { row, attempts: 1 };
    byKey.set(key, folded);
    out.push(folded);
  }
  return out;
}

/** The search text that lists one event type. */
export const eventSearch = (eventType: string): string => `event:${eventType}`;

/** The tag shown beside a row: "attempt N" from the second attempt on, "N attempts" when folded. */
export function attemptTag(row: RequestSummary, folded: number | null): string {
  if (folded !== null && folded > 1) return `${folded} attempts`;
  if (row.attempt !== null && row.attempt >= 2) return `attempt ${row.attempt}`;
  return '';
}

/**
 * The row `delta` rows away from `current` among the rows shown (`ids`, in order), for j/k while
 * retries are folded; the first row when `current` is not shown; null when none is.
 */
export function moveAmong(ids: readonly string[], current: string | null, delta: number): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at < 0) return ids[0];
  return ids[Math.max(0, Math.min(ids.length - 1, at + delta))];
}
