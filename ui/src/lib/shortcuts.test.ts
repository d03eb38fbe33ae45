import { describe, expect, it } from 'vitest';
import { shortcuts, type ShortcutTarget } from './shortcuts';

/** A target that records what the keys asked for. */
function recorder(state: { blocked?: boolean; selection?: boolean; selectionKeys?: string[] } = {}) {
  const calls: string[] = [];
  const target: ShortcutTarget = {
    blocked: () => !!state.blocked,
    selectionKey: (event) => {
      if (!(state.selectionKeys ?? []).includes(event.key)) return false;
      calls.push(`selection ${event.key}`);
      return true;
    },
    hasSelection: () => !!state.selection,
    clearSelection: () => calls.push('clear selection'),
    escape: () => calls.push('escape'),
    blurField: () => calls.push('blur'),
    focusSearch: () => calls.push('search'),
    move: (delta) => calls.push(`move ${delta}`),
    deleteFocused: () => calls.push('delete'),
    sendSample: () => calls.push('sample'),
    diff: () => calls.push('diff'),
  };
  return { calls, handle: shortcuts(target) };
}

/** A keydown as the handler reads it; `tagName` is the focused element's. */
function key(k: string, extra: { ctrlKey?: boolean; tagName?: string } = {}) {
  const event = {
    key: k,
    ctrlKey: !!extra.ctrlKey,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    target: extra.tagName ? { tagName: extra.tagName, isContentEditable: false } : null,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event as unknown as KeyboardEvent & { defaultPrevented: boolean };
}

describe('shortcuts', () => {
  it('maps / j k arrows, Delete and s to their actions and keeps them from the page', () => {
    const { calls, handle } = recorder();
    const slash = key('/');
    const s = key('s');
    for (const event of [slash, key('j'), key('ArrowDown'), key('k'), key('ArrowUp'), key('Delete'), s]) handle(event);
    expect(calls).toEqual(['search', 'move 1', 'move 1', 'move -1', 'move -1', 'delete', 'sample']);
    expect(slash.defaultPrevented).toBe(true);
    expect(s.defaultPrevented).toBe(true);
  });

  it('d asks for the diff, except in a field', () => {
    const { calls, handle } = recorder();
    const d = key('d');
    handle(d);
    handle(key('d', { tagName: 'INPUT' }));
    expect(calls).toEqual(['diff']);
    expect(d.defaultPrevented).toBe(true);
  });

  it('leaves s to a field being typed in', () => {
    const { calls, handle } = recorder();
    handle(key('s', { tagName: 'INPUT' }));
    expect(calls).toEqual([]);
  });

  it('Esc clears the selection first, then escapes and leaves the field', () => {
    const withSelection = recorder({ selection: true });
    withSelection.handle(key('Escape'));
    expect(withSelection.calls).toEqual(['clear selection']);
    const without = recorder();
    without.handle(key('Escape', { tagName: 'INPUT' }));
    expect(without.calls).toEqual(['escape', 'blur']);
  });

  it('leaves keys alone while typing, with a modifier, or with a dialog open', () => {
    const { calls, handle } = recorder();
    handle(key('j', { tagName: 'INPUT' }));
    handle(key('k', { tagName: 'TEXTAREA' }));
    handle(key('j', { ctrlKey: true }));
    expect(calls).toEqual([]);
    const blocked = recorder({ blocked: true });
    blocked.handle(key('Escape'));
    blocked.handle(key('/'));
    expect(blocked.calls).toEqual([]);
  });

  it('gives the selection keys to the selection before the list', () => {
    const { calls, handle } = recorder({ selectionKeys: ['x', 'J'] });
    handle(key('x'));
    handle(key('J'));
    handle(key('j'));
    expect(calls).toEqual(['selection x', 'selection J', 'move 1']);
  });
});
