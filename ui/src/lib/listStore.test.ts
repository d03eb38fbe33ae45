import { describe, expect, it } from 'vitest';
import { summaryRow as row } from './summaryRow.test-fixture';
import { RequestList, emptyFilters, matchesFilters, toRequestFilter } from './listStore.svelte';

describe('RequestList', () => {
  it('keeps newest first as captured rows arrive, without duplicates', () => {
    const list = new RequestList();
    list.reset([row(5), row(4)], 50);
    list.addCaptured([row(6), row(7)]);
    list.addCaptured([row(7)]);
    expect(list.rows.map((r) => r.seq)).toEqual([7, 6, 5, 4]);
  });

  it('pages older rows by the last seq and knows when there are no more', () => {
    const list = new RequestList();
    list.reset([row(10), row(9)], 2);
    expect(list.hasMore).toBe(true);
    expect(list.lastSeq).toBe(9);
    list.appendPage([row(9), row(8)], 2);
    expect(list.rows.map((r) => r.seq)).toEqual([10, 9, 8]);
    list.appendPage([row(7)], 2);
    expect(list.hasMore).toBe(false);
  });

  it('moves the selection with bounds and starts at the top', () => {
    const list = new RequestList();
    list.reset([row(3), row(2), row(1)], 50);
    expect(list.move(1)).toBe('id3');
    expect(list.move(1)).toBe('id2');
    expect(list.move(5)).toBe('id1');
    expect(list.move(-10)).toBe('id3');
  });

  it('moves a deleted selection to the row that takes its place', () => {
    const list = new RequestList();
    list.reset([row(3), row(2), row(1)], 50);
    list.selectedId = 'id2';
    list.remove(['id2']);
    expect(list.selectedId).toBe('id1');
    list.remove(['id1']);
    expect(list.selectedId).toBe('id3');
    list.remove(['id3']);
    expect(list.selectedId).toBeNull();
  });
});

describe('filters', () => {
  it('checks simple filters locally and defers search to the store', () => {
    const filters = { ...emptyFilters(), method: 'post', status: '200' };
    expect(matchesFilters(row(1), filters)).toBe(true);
    expect(matchesFilters(row(1, { method: 'GET' }), filters)).toBe(false);
    expect(matchesFilters(row(1), { ...filters, search: 'stripe' })).toBeNull();
  });

  it('turns blank fields into nulls for the command', () => {
    expect(toRequestFilter({ ...emptyFilters(), status: ' 404 ', search: 'x' }, 100, 42)).toEqual({
      limit: 100,
      before_seq: 42,
      search: 'x',
      method: null,
      endpoint: null,
      status: 404,
      header: null,
    });
  });
});
