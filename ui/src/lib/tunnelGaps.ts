// Marks in the request list where the public tunnel was down: a gap row sits between the
// requests received before the outage began and those after, so that a missing webhook has an
// explanation in place.

import type { RequestSummary, TunnelOutage } from './bindings';

export type ListItem = { kind: 'request'; row: RequestSummary } | { kind: 'gap'; outage: TunnelOutage };

/**
 * The rows (newest first) with the outages placed by their start time: a gap goes above every
 * request received before it began. Outages older than the oldest loaded row are shown only
 * when `complete` (no older page exists), so a gap never lands above requests not loaded yet.
 */
export function interleave(rows: RequestSummary[], outages: TunnelOutage[], complete: boolean): ListItem[] {
  const pending = [...outages].sort((a, b) => b.started_at_ns - a.started_at_ns || b.id - a.id);
  const items: ListItem[] = [];
  let next = 0;
  for (const row of rows) {
    while (next < pending.length && pending[next].started_at_ns > row.received_at_ns) {
      items.push({ kind: 'gap', outage: pending[next++] });
    }
    items.push({ kind: 'request', row });
  }
  if (complete) {
    while (next < pending.length) items.push({ kind: 'gap', outage: pending[next++] });
  }
  return items;
}

/** A key unique across both kinds, for keyed rendering. */
export const itemKey = (item: ListItem): string =>
  item.kind === 'request' ? item.row.id : `gap-${item.outage.id}`;

function clock(ns: number, withDate: boolean): string {
  const d = new Date(Math.floor(ns / 1e6));
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

const sameDay = (a: number, b: number) => new Date(a / 1e6).toDateString() === new Date(b / 1e6).toDateString();

/** The marker's words, e.g. "tunnel offline 20:14:03–20:16:40, requests sent in this time may be missing". */
export function describeOutage(outage: TunnelOutage, nowMs: number): string {
  const from = clock(outage.started_at_ns, !sameDay(outage.started_at_ns, nowMs * 1e6));
  const missing = 'requests sent in this time may be missing';
  const end = outage.ended_at_ns;
  switch (outage.end) {
    case null:
      return `tunnel offline since ${from}, reconnecting; ${missing}`;
    case 'app_closed':
      return `tunnel offline from ${from} until Hookscope closed; ${missing}`;
    default: {
      const to = end === null ? '?' : clock(end, !sameDay(end, outage.started_at_ns));
      const how = outage.end === 'stopped' ? ' (then stopped)' : outage.end === 'failed' ? ' (then failed)' : '';
      return `tunnel offline ${from}–${to}${how}, ${missing}`;
    }
  }
}
