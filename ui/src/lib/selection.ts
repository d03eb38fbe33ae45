// Multi-selection in the request list: a set of ids, or "every request matching the current
// filters" (which needs no rows loaded: the engine finds them). Pure functions over an
// immutable value, so the list can hold it in $state and tests can check every move.

import type { BulkRequests, RequestFilter } from './bindings';

export type Selection =
  | { mode: 'ids'; ids: ReadonlySet<string>; anchor: string | null }
  | { mode: 'matching' };

export const emptySelection = (): Selection => ({ mode: 'ids', ids: new Set(), anchor: null });

export const selectAllMatching = (): Selection => ({ mode: 'matching' });

export function isEmpty(selection: Selection): boolean {
  return selection.mode === 'ids' && selection.ids.size === 0;
}

export function isSelected(selection: Selection, id: string): boolean {
  return selection.mode === 'matching' || selection.ids.has(id);
}

/** The explicit ids; "matching" becomes the rows loaded so far (what the person sees checked). */
function idsOf(selection: Selection, rows: readonly string[]): Set<string> {
  return new Set(selection.mode === 'matching' ? rows : selection.ids);
}

/** Ctrl/cmd-click or `x`: adds or removes one row; it becomes the anchor of a later range. */
export function toggle(selection: Selection, rows: readonly string[], id: string): Selection {
  const ids = idsOf(selection, rows);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { mode: 'ids', ids, anchor: id };
}

/**
 * Shift-click: adds every row from the anchor (else `from`, the focused row) to `id`, in the
 * order shown. A row that is not loaded any more selects just `id`.
 */
export function selectRange(selection: Selection, rows: readonly string[], from: string | null, id: string): Selection {
  const anchor = (selection.mode === 'ids' ? selection.anchor : null) ?? from ?? id;
  const ids = idsOf(selection, rows);
  const a = rows.indexOf(anchor);
  const b = rows.indexOf(id);
  if (a < 0 || b < 0) {
    ids.add(id);
  } else {
    for (let i = Math.min(a, b); i <= Math.max(a, b); i++) ids.add(rows[i]);
  }
  return { mode: 'ids', ids, anchor };
}

/**
 * Shift+j / shift+k: selects the focused row and the one `delta` away, which becomes the focus.
 * Returns the new selection and the row to focus (null when there is none).
 */
export function extend(
  selection: Selection,
  rows: readonly string[],
  focused: string | null,
  delta: number,
): { selection: Selection; focus: string | null } {
  if (rows.length === 0) return { selection, focus: null };
  const at = focused === null ? -1 : rows.indexOf(focused);
  if (at < 0) {
    const ids = idsOf(selection, rows);
    ids.add(rows[0]);
    return { selection: { mode: 'ids', ids, anchor: rows[0] }, focus: rows[0] };
  }
  const next = Math.max(0, Math.min(rows.length - 1, at + delta));
  const ids = idsOf(selection, rows);
  ids.add(rows[at]);
  ids.add(rows[next]);
  const anchor = (selection.mode === 'ids' ? selection.anchor : null) ?? rows[at];
  return { selection: { mode: 'ids', ids, anchor }, focus: rows[next] };
}

/** Drops ids that are gone (deleted rows). */
export function without(selection: Selection, gone: readonly string[]): Selection {
  if (selection.mode === 'matching' || gone.length === 0) return selection;
  const ids = new Set(selection.ids);
  for (const id of gone) ids.delete(id);
  const anchor = selection.anchor !== null && ids.has(selection.anchor) ? selection.anchor : null;
  return { mode: 'ids', ids, anchor };
}

/**
 * The count shown: "3 selected"; for "matching", the exact number when every matching row is
 * loaded, else how many are loaded so far.
 */
export function describe(selection: Selection, loaded: number, hasMore: boolean): string {
  if (selection.mode === 'ids') return `${selection.ids.size} selected`;
  if (!hasMore) return `All ${loaded} matching selected`;
  return `All matching selected (${loaded} loaded, more in the store)`;
}

/** What the bulk replay dialog says it replays. */
export function title(selection: Selection): string {
  if (selection.mode === 'matching') return 'every request matching the search and filters';
  return `${selection.ids.size} selected request${selection.ids.size === 1 ? '' : 's'}`;
}

/** What the bulk replay command takes; "matching" sends the filters, not the rows. */
export function toBulkRequests(selection: Selection, filter: RequestFilter, rows: readonly string[]): BulkRequests {
  if (selection.mode === 'matching') return { kind: 'matching', filter };
  // In the order shown; the engine sends them in capture order anyway.
  const order = new Map(rows.map((id, i) => [id, i]));
  const ids = [...selection.ids].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  return { kind: 'ids', ids };
}
