import { describe, expect, it } from 'vitest';
import { ListSelection } from './listSelection.svelte';
import { RequestList, emptyFilters, toRequestFilter } from './listStore.svelte';
import { summaryRow as row } from './summaryRow.test-fixture';

const click = (mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) =>
  ({ ctrlKey: false, metaKey: false, shiftKey: false, ...mods }) as MouseEvent;
const key = (k: string) => ({ key: k, shiftKey: false, preventDefault() {} }) as KeyboardEvent;

function setup() {
  const list = new RequestList();
  list.reset([row(4), row(3), row(2), row(1)], 50);
  const filter = toRequestFilter(emptyFilters(), 200, null);
  return { list, picked: new ListSelection(list, () => filter), filter };
}

describe('ListSelection', () => {
  it('a plain click focuses, ctrl-click toggles, shift-click selects the range from the focus', () => {
    const { list, picked } = setup();
    picked.click('id4', click());
    expect(list.selectedId).toBe('id4');
    expect(picked.empty).toBe(true);
    picked.click('id2', click({ shiftKey: true }));
    expect(picked.description).toBe('3 selected');
    picked.click('id3', click({ ctrlKey: true }));
    expect(picked.description).toBe('2 selected');
    picked.click('id1', click());
    expect(picked.empty).toBe(true);
  });

  it('b opens the bulk replay with the selected ids in the order shown, or the filter for all matching', () => {
    const { list, picked, filter } = setup();
    list.selectedId = 'id1';
    picked.key(key('x'));
    list.selectedId = 'id3';
    picked.key(key('x'));
    picked.key(key('b'));
    const opened = () => picked.bulk?.requests;
    expect(opened()).toEqual({ kind: 'ids', ids: ['id3', 'id1'] });
    picked.bulk = null;
    picked.key(key('A'));
    picked.key(key('b'));
    expect(opened()).toEqual({ kind: 'matching', filter });
  });

  it('forgets deleted rows and ignores other keys', () => {
    const { list, picked } = setup();
    list.selectedId = 'id2';
    picked.key(key('x'));
    picked.forget(['id2']);
    expect(picked.empty).toBe(true);
    expect(picked.key(key('q'))).toBe(false);
  });
});
