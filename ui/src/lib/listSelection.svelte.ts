// The list's multi-selection for bulk replay as the window holds it: clicks with modifiers, the
// selection keys, and what the bulk replay dialog is opened with. The focused row is the list's
// own `selectedId`; the pure moves are in selection.ts.

import type { BulkRequests, RequestFilter } from './bindings';
import type { RequestList } from './listStore.svelte';
import * as sel from './selection';

/** What the bulk replay dialog replays, and how it names it. */
export interface BulkChoice {
  requests: BulkRequests;
  what: string;
}

export class ListSelection {
  selection: sel.Selection = $state(sel.emptySelection());
  /** The open bulk replay dialog's requests; null when it is closed. */
  bulk: BulkChoice | null = $state(null);

  constructor(
    private readonly list: RequestList,
    /** The first-page filter, sent when every matching request is selected. */
    private readonly filter: () => RequestFilter,
  ) {}

  private rowIds = () => this.list.rows.map((r) => r.id);

  get empty(): boolean {
    return sel.isEmpty(this.selection);
  }

  /** The words above the list ("3 selected"). */
  get description(): string {
    return sel.describe(this.selection, this.list.rows.length, this.list.hasMore);
  }

  clear(): void {
    this.selection = sel.emptySelection();
  }

  selectAllMatching(): void {
    this.selection = sel.selectAllMatching();
  }

  /** Deleted rows leave the selection. */
  forget(ids: string[]): void {
    this.selection = sel.without(this.selection, ids);
  }

  /** A click on a row: ctrl/cmd toggles it in the selection, shift selects a range, a plain click only focuses. */
  click(id: string, event: MouseEvent): void {
    if (event.ctrlKey || event.metaKey) this.selection = sel.toggle(this.selection, this.rowIds(), id);
    else if (event.shiftKey) this.selection = sel.selectRange(this.selection, this.rowIds(), this.list.selectedId, id);
    else this.selection = sel.emptySelection();
    this.list.selectedId = id;
  }

  /** The explicitly selected ids ("every matching" gives none: it is not a pair to compare). */
  get ids(): string[] {
    return this.selection.mode === 'ids' ? [...this.selection.ids] : [];
  }

  /** Opens the bulk replay dialog for the selection (nothing when it is empty). */
  openBulk(): void {
    if (sel.isEmpty(this.selection)) return;
    this.bulk = {
      requests: sel.toBulkRequests(this.selection, this.filter(), this.rowIds()),
      what: sel.title(this.selection),
    };
  }

  /** Handles x, J/K (or shift+arrows), A and b; false when the key is not one of them. */
  key(event: KeyboardEvent): boolean {
    const extend = (delta: number) => {
      const next = sel.extend(this.selection, this.rowIds(), this.list.selectedId, delta);
      this.selection = next.selection;
      if (next.focus) this.list.selectedId = next.focus;
    };
    const focused = this.list.selectedId;
    if (event.key === 'x' && focused) this.selection = sel.toggle(this.selection, this.rowIds(), focused);
    else if (event.key === 'J' || (event.shiftKey && event.key === 'ArrowDown')) extend(1);
    else if (event.key === 'K' || (event.shiftKey && event.key === 'ArrowUp')) extend(-1);
    else if (event.key === 'A') this.selection = sel.selectAllMatching();
    else if (event.key === 'b') this.openBulk();
    else return false;
    event.preventDefault();
    return true;
  }
}
