// The request list shown on the left: newest first, paged by `seq` (keyset), updated live.

import type { RequestFilter, RequestSummary } from './bindings';
import { DEFAULT_LIMITS, RowWindow, type FollowOutcome, type WindowLimits } from './listWindow';

/** The filters a person sets; empty strings mean "any". */
export interface ListFilters {
  search: string;
  method: string;
  endpoint: string;
  status: string;
  header: string;
}

export const emptyFilters = (): ListFilters => ({ search: '', method: '', endpoint: '', status: '', header: '' });

/** The command arguments for one page. */
export function toRequestFilter(filters: ListFilters, limit: number, beforeSeq: number | null): RequestFilter {
  const text = (s: string) => (s.trim() === '' ? null : s.trim());
  const status = Number.parseInt(filters.status, 10);
  return {
    limit,
    before_seq: beforeSeq,
    search: text(filters.search),
    method: text(filters.method),
    endpoint: text(filters.endpoint),
    status: Number.isFinite(status) ? status : null,
    header: text(filters.header),
  };
}

/**
 * Whether a newly captured row belongs in the filtered list: true or false when the filters can
 * be checked here, null when only the store can tell (full-text search, header filter).
 */
export function matchesFilters(row: RequestSummary, filters: ListFilters): boolean | null {
  if (filters.method.trim() && row.method.toUpperCase() !== filters.method.trim().toUpperCase()) return false;
  if (filters.endpoint.trim() && row.endpoint_name !== filters.endpoint.trim()) return false;
  if (filters.status.trim() && String(row.response_status) !== filters.status.trim()) return false;
  if (filters.search.trim() || filters.header.trim()) return null;
  return true;
}

/**
 * The rows the list shows, as reactive state over a RowWindow (listWindow.ts): newest first, a
 * bounded number kept in memory, and the focused row. Each change replaces the arrays (never
 * mutates them), so the rows are plain objects rather than deep reactive proxies.
 */
export class RequestList {
  private readonly win: RowWindow;
  rows: RequestSummary[] = $state.raw([]);
  /** More, older rows exist in the store beyond the last loaded one. */
  hasMore = $state(false);
  /** Newer rows were trimmed from the top and are paged back in when the view goes up. */
  hasNewer = $state(false);
  /** Captured rows go straight to the top (the view is there). */
  following = $state(true);
  /** Rows captured while the view was away from the top, not shown yet. */
  heldCount = $state(0);
  /** Counts resets, so that the view can go back to the top after one. */
  resets = $state(0);
  selectedId: string | null = $state(null);

  constructor(limits: WindowLimits = DEFAULT_LIMITS) {
    this.win = new RowWindow(limits);
  }

  /** The page size and cap in use. */
  get limits(): WindowLimits {
    return this.win.limits;
  }

  private sync(): void {
    const w = this.win;
    if (this.rows !== w.rows) this.rows = w.rows;
    this.hasMore = w.hasOlder;
    this.hasNewer = w.hasNewer;
    this.following = w.following;
    this.heldCount = w.heldCount;
  }

  /** Replaces the rows with a first page. */
  reset(rows: RequestSummary[], pageSize: number): void {
    this.win.reset(rows, pageSize);
    this.sync();
    this.resets += 1;
    if (this.selectedId && !this.rows.some((r) => r.id === this.selectedId)) this.selectedId = null;
  }

  /** The `seq` to ask the next page before. */
  get lastSeq(): number | null {
    return this.win.lastSeq;
  }

  /** Appends an older page (rows already shown are skipped); pages beyond the cap leave the top. */
  appendPage(rows: RequestSummary[], pageSize: number): void {
    this.win.appendOlder(rows, pageSize);
    this.sync();
  }

  /** Takes the `before_seq` of the nearest page trimmed from the top; null when none. */
  takeNewerAnchor(): number | null {
    const anchor = this.win.takeNewerAnchor();
    this.sync();
    return anchor;
  }

  /** Puts back an anchor whose page could not be read. */
  returnNewerAnchor(anchor: number): void {
    this.win.returnNewerAnchor(anchor);
    this.sync();
  }

  /** Prepends a page read back through an anchor. */
  prependNewer(rows: RequestSummary[]): void {
    this.win.prependNewer(rows);
    this.sync();
  }

  /** Puts newly captured rows on top, newest first, skipping ones already shown; held while the view is away from the top. */
  addCaptured(rows: RequestSummary[]): void {
    this.win.addCaptured(rows);
    this.sync();
  }

  /** Captured rows after `leftOut` older captures that were not sent: see RowWindow.addCapturedAfterGap. */
  addCapturedAfterGap(rows: RequestSummary[], leftOut: number): void {
    this.win.addCapturedAfterGap(rows, leftOut);
    this.sync();
  }

  /** Captured rows only the store can match arrived while the view was away from the top. */
  capturedUnknown(count: number): void {
    this.win.capturedUnknown(count);
    this.sync();
  }

  /** The view left the top. */
  stopFollowing(): void {
    if (!this.win.following) return;
    this.win.stopFollowing();
    this.sync();
  }

  /** The view is at the top: see RowWindow.follow. */
  follow(): FollowOutcome | null {
    const outcome = this.win.follow();
    this.sync();
    return outcome;
  }

  /** Removes rows by id; a removed selection moves to the row that took its place. */
  remove(ids: string[]): void {
    const gone = new Set(ids);
    const selectedIndex = this.selectedId ? this.indexOf(this.selectedId) : -1;
    this.win.remove(ids);
    this.sync();
    if (this.selectedId && gone.has(this.selectedId)) {
      const next = this.rows[Math.min(selectedIndex, this.rows.length - 1)];
      this.selectedId = next ? next.id : null;
    }
  }

  clear(): void {
    this.win.clear();
    this.sync();
    this.selectedId = null;
  }

  indexOf(id: string): number {
    return this.rows.findIndex((r) => r.id === id);
  }

  get selected(): RequestSummary | null {
    return this.selectedId ? (this.rows.find((r) => r.id === this.selectedId) ?? null) : null;
  }

  /**
   * Moves the selection by `delta` rows (down is +1: older); selects the first row when none is,
   * or when the focused row is no longer kept.
   */
  move(delta: number): string | null {
    if (this.rows.length === 0) return null;
    const current = this.selectedId ? this.indexOf(this.selectedId) : -1;
    const index = current < 0 ? 0 : Math.max(0, Math.min(this.rows.length - 1, current + delta));
    this.selectedId = this.rows[index].id;
    return this.selectedId;
  }
}
