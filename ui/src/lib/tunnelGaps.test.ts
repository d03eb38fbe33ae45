import { describe, expect, it } from 'vitest';
import type { TunnelOutage } from './bindings';
import { summaryRow } from './summaryRow.test-fixture';
import { describeOutage, interleave, itemKey } from './tunnelGaps';

const row = (seq: number, receivedAtNs: number) =>
  summaryRow(seq, { id: `r${seq}`, received_at_ns: receivedAtNs, source: 'tunnel', remote_addr: null, target: '/' });

const outage = (id: number, start: number, end: number | null, how: TunnelOutage['end'] = 'reconnected'): TunnelOutage => ({
  id,
  started_at_ns: start,
  ended_at_ns: end,
  end: end === null && how === 'reconnected' ? null : how,
  reason: 'connection to ngrok lost',
});

const keys = (items: ReturnType<typeof interleave>) => items.map(itemKey);

describe('tunnel gaps in the list', () => {
  const rows = [row(4, 400), row(3, 300), row(2, 200), row(1, 100)];

  it('puts each gap between the requests before and after it, newest first', () => {
    const items = interleave(rows, [outage(1, 150, 180), outage(2, 320, 390)], true);
    expect(keys(items)).toEqual(['r4', 'gap-2', 'r3', 'r2', 'gap-1', 'r1']);
  });

  it('shows a gap newer than every request on top, and one older than all only when the list is complete', () => {
    const outages = [outage(1, 50, 60), outage(2, 500, null)];
    expect(keys(interleave(rows, outages, true))).toEqual(['gap-2', 'r4', 'r3', 'r2', 'r1', 'gap-1']);
    expect(keys(interleave(rows, outages, false))).toEqual(['gap-2', 'r4', 'r3', 'r2', 'r1']);
  });

  it('keeps requests received during an outage (sent locally) above its marker', () => {
    const items = interleave([row(3, 300), row(2, 250), row(1, 100)], [outage(1, 200, 280)], true);
    expect(keys(items)).toEqual(['r3', 'r2', 'gap-1', 'r1']);
  });

  it('without outages the list is the rows unchanged', () => {
    expect(keys(interleave(rows, [], true))).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(interleave([], [outage(1, 1, 2)], false)).toEqual([]);
  });

  it('says when the tunnel was offline and that requests may be missing', () => {
    const at = (h: number, m: number, s: number) => new Date(2026, 10, 24, h, m, s).getTime() * 1e6;
    const now = new Date(2026, 10, 24, 21, 0, 0).getTime();
    expect(describeOutage(outage(1, at(20, 14, 3), at(20, 16, 40)), now)).toBe(
      'tunnel offline 20:14:03–20:16:40, requests sent in this time may be missing',
    );
    expect(describeOutage(outage(1, at(20, 14, 3), null), now)).toMatch(/^tunnel offline since 20:14:03, reconnecting/);
    expect(describeOutage(outage(1, at(20, 14, 3), null, 'app_closed'), now)).toMatch(/until Hookscope closed/);
    expect(describeOutage(outage(1, at(20, 14, 3), at(20, 15, 0), 'stopped'), now)).toMatch(/20:15:00 \(then stopped\)/);
    const nextDay = new Date(2026, 10, 25, 9, 0, 0).getTime();
    expect(describeOutage(outage(1, at(20, 14, 3), at(20, 16, 40)), nextDay)).toMatch(/^tunnel offline 2026-11-24 20:14:03–20:16:40/);
  });
});
