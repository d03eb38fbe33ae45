import { describe, expect, it } from 'vitest';
import type { RequestFilter } from './bindings';
import {
  describe as describeSelection,
  emptySelection,
  extend,
  isEmpty,
  isSelected,
  selectAllMatching,
  selectRange,
  toBulkRequests,
  title,
  toggle,
  without,
  type Selection,
} from './selection';

const rows = ['r5', 'r4', 'r3', 'r2', 'r1']; // as shown: newest first
const ids = (s: Selection) => (s.mode === 'ids' ? [...s.ids].sort() : 'matching');

describe('selection', () => {
  it('toggles rows in and out and remembers the last one as the anchor', () => {
    let s = toggle(emptySelection(), rows, 'r4');
    s = toggle(s, rows, 'r2');
    expect(ids(s)).toEqual(['r2', 'r4']);
    s = toggle(s, rows, 'r4');
    expect(ids(s)).toEqual(['r2']);
    expect(s.mode === 'ids' && s.anchor).toBe('r4');
    expect(isSelected(s, 'r2')).toBe(true);
    expect(isSelected(s, 'r4')).toBe(false);
  });

  it('shift-click selects the range from the anchor in either direction, keeping what was selected', () => {
    let s = toggle(emptySelection(), rows, 'r1');
    s = toggle(s, rows, 'r4');
    s = selectRange(s, rows, null, 'r2');
    expect(ids(s)).toEqual(['r1', 'r2', 'r3', 'r4']);
    const up = selectRange(toggle(emptySelection(), rows, 'r2'), rows, null, 'r5');
    expect(ids(up)).toEqual(['r2', 'r3', 'r4', 'r5']);
  });

  it('shift-click without an anchor starts at the focused row', () => {
    expect(ids(selectRange(emptySelection(), rows, 'r4', 'r3'))).toEqual(['r3', 'r4']);
    expect(ids(selectRange(emptySelection(), rows, null, 'r3'))).toEqual(['r3']);
  });

  it('shift+j / shift+k extend from the focused row and move the focus', () => {
    let step = extend(emptySelection(), rows, 'r4', 1);
    expect(step.focus).toBe('r3');
    expect(ids(step.selection)).toEqual(['r3', 'r4']);
    step = extend(step.selection, rows, step.focus, 1);
    expect(ids(step.selection)).toEqual(['r2', 'r3', 'r4']);
    const atTop = extend(emptySelection(), rows, 'r5', -1);
    expect(atTop.focus).toBe('r5');
    expect(ids(atTop.selection)).toEqual(['r5']);
    const noFocus = extend(emptySelection(), rows, null, 1);
    expect(noFocus.focus).toBe('r5');
    expect(extend(emptySelection(), [], null, 1).focus).toBeNull();
  });

  it('"all matching" covers rows not loaded and becomes the loaded rows when one is toggled off', () => {
    const all = selectAllMatching();
    expect(isSelected(all, 'not-loaded-yet')).toBe(true);
    expect(isEmpty(all)).toBe(false);
    expect(ids(toggle(all, rows, 'r3'))).toEqual(['r1', 'r2', 'r4', 'r5']);
  });

  it('counts what is selected, exactly when every matching row is loaded', () => {
    expect(describeSelection(toggle(emptySelection(), rows, 'r1'), 5, false)).toBe('1 selected');
    expect(describeSelection(selectAllMatching(), 5, false)).toBe('All 5 matching selected');
    expect(describeSelection(selectAllMatching(), 200, true)).toBe('All matching selected (200 loaded, more in the store)');
  });

  it('names what the dialog replays', () => {
    expect(title(toggle(emptySelection(), rows, 'r1'))).toBe('1 selected request');
    expect(title(toggle(toggle(emptySelection(), rows, 'r1'), rows, 'r2'))).toBe('2 selected requests');
    expect(title(selectAllMatching())).toBe('every request matching the search and filters');
  });

  it('forgets deleted rows', () => {
    const s = without(toggle(toggle(emptySelection(), rows, 'r1'), rows, 'r2'), ['r2']);
    expect(ids(s)).toEqual(['r1']);
    expect(s.mode === 'ids' && s.anchor).toBeNull();
    expect(without(selectAllMatching(), ['r1'])).toEqual(selectAllMatching());
  });

  it('becomes the command arguments: the ids, or the filters for "all matching"', () => {
    const filter: RequestFilter = { limit: 200, before_seq: null, search: 'refund', method: null, endpoint: null, status: null, header: null };
    const s = toggle(toggle(emptySelection(), rows, 'r1'), rows, 'r5');
    expect(toBulkRequests(s, filter, rows)).toEqual({ kind: 'ids', ids: ['r5', 'r1'] });
    expect(toBulkRequests(selectAllMatching(), filter, rows)).toEqual({ kind: 'matching', filter });
  });
});
