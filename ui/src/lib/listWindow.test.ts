import { describe, expect, it } from 'vitest';
import type { RequestSummary } from './bindings';
import { summaryRow as row } from './summaryRow.test-fixture';
import { MOST_CAPTURES, ROW_PX, RowWindow, capturesWanted, mergeNewestFirst } from './listWindow';

const seqs = (rows: RequestSummary[]) => rows.map((r) => r.seq);
/** Rows `from` down to `to` (inclusive), newest first, as the store pages them. */
const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => row(from - i));

/** Strictly newest first: no duplicates, no disorder. */
function assertOrdered(rows: RequestSummary[]) {
  for (let i = 1; i < rows.length; i++) expect(rows[i - 1].seq).toBeGreaterThan(rows[i].seq);
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
}

/** What a store holding rows 1..newest answers for `before_seq`, newest first. */
const page = (newest: number, beforeSeq: number | null, limit: number) =>
  range(Math.min(newest, (beforeSeq ?? newest + 1) - 1), 1).slice(0, limit);

describe('mergeNewestFirst', () => {
  it('skips rows already there by seq or by id, and keeps newest first', () => {
    const merged = mergeNewestFirst([row(5), row(3)], [row(4), row(3), row(6), row(7, { id: 'id5' }), row(6)]);
    expect(seqs(merged)).toEqual([6, 5, 4, 3]);
  });

  it('returns the same array when nothing is new', () => {
    const rows = [row(2), row(1)];
    expect(mergeNewestFirst(rows, [row(1)])).toBe(rows);
  });
});

describe('RowWindow', () => {
  it('holds at most the cap after 200,000 captured rows, newest first, and pages the rest', () => {
    const win = new RowWindow({ pageSize: 200, cap: 3000 });
    win.reset(range(200, 1), 200);
    let seq = 200;
    // One frame's batch at a time, as the window applies them.
    for (let frame = 0; frame < 2000; frame++) {
      const batch = [];
      for (let i = 0; i < 100; i++) batch.push(row(++seq));
      win.addCaptured(batch);
      expect(win.rows.length).toBeLessThanOrEqual(3000);
    }
    expect(seq).toBe(200_200);
    expect(win.rows.length).toBe(3000);
    expect(win.rows[0].seq).toBe(200_200);
    assertOrdered(win.rows);
    expect(win.hasOlder).toBe(true);
    expect(win.lastSeq).toBe(200_200 - 2999);
  });

  it('shows captured rows at once at the top, even out of order, without duplicates', () => {
    const win = new RowWindow({ pageSize: 2, cap: 10 });
    win.reset([row(5), row(4)], 2);
    win.addCaptured([row(7), row(6)]);
    win.addCaptured([row(7), row(3, { id: 'id-late' })]);
    expect(seqs(win.rows)).toEqual([7, 6, 5, 4, 3]);
  });

  it('holds captured rows while the view is away from the top and shows them when it is back', () => {
    const win = new RowWindow({ pageSize: 2, cap: 10 });
    win.reset([row(2), row(1)], 2);
    win.stopFollowing();
    win.addCaptured([row(3)]);
    win.addCaptured([row(4), row(3)]);
    expect(seqs(win.rows)).toEqual([2, 1]);
    expect(win.heldCount).toBe(2);
    expect(win.follow()).toBe('following');
    expect(seqs(win.rows)).toEqual([4, 3, 2, 1]);
    expect(win.heldCount).toBe(0);
  });

  it('asks for a reload on return when more rows arrived than it holds, or only the store can match them', () => {
    const win = new RowWindow({ pageSize: 2, cap: 4 });
    win.reset([row(2), row(1)], 2);
    win.stopFollowing();
    win.addCaptured(range(12, 3));
    expect(win.held.length).toBe(4);
    expect(win.heldCount).toBe(10);
    expect(win.follow()).toBe('reload');

    const searching = new RowWindow({ pageSize: 2, cap: 4 });
    searching.reset([row(2), row(1)], 2);
    searching.stopFollowing();
    searching.capturedUnknown(3);
    expect(searching.heldCount).toBe(3);
    expect(searching.follow()).toBe('reload');
  });

  it('scrolling down past the cap drops pages from the top and reads them back in order', () => {
    const newest = 1000;
    const win = new RowWindow({ pageSize: 100, cap: 300 });
    win.reset(page(newest, null, 100), 100);
    for (let i = 0; i < 10; i++) win.appendOlder(page(newest, win.lastSeq, 100), 100);
    expect(win.rows.length).toBeLessThanOrEqual(300);
    expect(seqs(win.rows)).toEqual(seqs(range(300, 1)));
    expect(win.hasOlder).toBe(false);
    expect(win.hasNewer).toBe(true);
    expect(win.following).toBe(false);
    // Back up: each anchor reads exactly the page above the first kept row.
    while (win.hasNewer) {
      const top = win.rows[0].seq;
      const anchor = win.takeNewerAnchor() as number;
      const back = page(newest, anchor, 100);
      expect(back[back.length - 1].seq).toBe(top + 1);
      win.prependNewer(back);
      assertOrdered(win.rows);
      expect(win.rows.length).toBeLessThanOrEqual(300);
    }
    expect(win.rows[0].seq).toBe(newest);
    expect(win.hasOlder).toBe(true);
    expect(win.follow()).toBe('following');
  });

  it('cannot follow while newer pages are still to be read back', () => {
    const win = new RowWindow({ pageSize: 2, cap: 4 });
    win.reset(range(10, 9), 2);
    win.appendOlder(range(8, 7), 2);
    win.appendOlder(range(6, 5), 2);
    expect(win.hasNewer).toBe(true);
    expect(win.follow()).toBeNull();
    expect(win.following).toBe(false);
  });

  it('after captures left out of a burst, shows the newest and pages everything older from the store', () => {
    const win = new RowWindow({ pageSize: 3, cap: 30 });
    win.reset(range(5, 3), 3);
    // Rows 6..20 were stored; only 18..20 were sent, after 12 left out.
    win.addCapturedAfterGap(range(20, 18), 12);
    expect(seqs(win.rows)).toEqual([20, 19, 18]);
    expect(win.hasOlder).toBe(true);
    // Paging down reads the rows left out, then the older ones, in one unbroken run.
    while (win.hasOlder) win.appendOlder(page(20, win.lastSeq, 3), 3);
    expect(seqs(win.rows)).toEqual(seqs(range(20, 1)));
  });

  it('away from the top, captures left out are counted and returning reloads', () => {
    const win = new RowWindow({ pageSize: 3, cap: 10 });
    win.reset(range(5, 3), 3);
    win.stopFollowing();
    win.addCaptured([row(6)]);
    win.addCapturedAfterGap(range(20, 18), 12);
    expect(win.heldCount).toBe(16);
    expect(seqs(win.rows)).toEqual([5, 4, 3]);
    expect(win.follow()).toBe('reload');
  });

  it('removes deleted rows from what it shows and from what it holds', () => {
    const win = new RowWindow({ pageSize: 2, cap: 10 });
    win.reset([row(2), row(1)], 2);
    win.stopFollowing();
    win.addCaptured([row(3)]);
    win.remove(['id1', 'id3']);
    win.follow();
    expect(seqs(win.rows)).toEqual([2]);
  });
});

describe('capturesWanted', () => {
  it('asks for enough rows to fill a list as tall as the window', () => {
    for (const height of [0, 300, 800, 1000]) {
      expect(capturesWanted(height) * ROW_PX).toBeGreaterThanOrEqual(height + 5 * ROW_PX);
    }
  });

  it('never asks for more than the shell keeps, however tall the window', () => {
    expect(capturesWanted(800)).toBeLessThan(MOST_CAPTURES);
    expect(capturesWanted(4000)).toBe(MOST_CAPTURES);
  });
});
