// The list as the window keeps it live: loading it under the current filters, paging older and
// newer rows as the view moves, applying captured rows once per frame, and the stored-request
// count. Reloads are numbered so that a slow, outdated answer never replaces a newer one.

import type { RequestSummary } from './bindings';
import { countRequests, listRequests } from './api';
import { messageOf } from './commandError';
import { FrameBatch, type FrameBatchOptions } from './frameBatch';
import { MOST_CAPTURES, capturesWanted, type WindowLimits } from './listWindow';
import { RequestList, emptyFilters, matchesFilters, toRequestFilter, type ListFilters } from './listStore.svelte';

/** Where the list's view is, as the list component reports it on scroll. */
export interface ViewPosition {
  /** The first row is in view: captured rows may go straight in. */
  atTop: boolean;
  /** Within a few pages' worth of rows from the first kept row. */
  nearTop: boolean;
  /** Within a few pages' worth of rows from the last kept row. */
  nearBottom: boolean;
}

/** The two engine reads the list needs (the real commands unless a test passes its own). */
export interface ListSource {
  listRequests: typeof listRequests;
  countRequests: typeof countRequests;
}

export class LiveList {
  /** The rows shown and the focused row. */
  readonly list: RequestList;
  filters: ListFilters = $state(emptyFilters());
  /** Requests in the store (the status bar's count). */
  total = $state(0);
  /** Why the last reload failed (an invalid pointer in the search, ...); null when it did not. */
  error: string | null = $state(null);
  /** Whether any filter is set. */
  readonly filtering = $derived(Object.values(this.filters).some((v) => v.trim() !== ''));

  private generation = 0;
  /** Captures the engine left out of the next captured message (older than its rows). */
  private leftOutAnnounced = 0;
  /** Captures left out or dropped before the rows waiting in the frame batch (older than them). */
  private leftOutWaiting = 0;
  /** A page is being read (older or newer, one at a time, so that the kept rows stay one run). */
  private paging = false;
  private readonly batch: FrameBatch<RequestSummary>;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly source: ListSource = { listRequests, countRequests },
    options: { limits?: WindowLimits; pacing?: FrameBatchOptions } = {},
  ) {
    this.list = new RequestList(options.limits);
    this.batch = new FrameBatch((rows) => this.apply(rows), options.pacing);
  }

  private get pageSize(): number {
    return this.list.limits.pageSize;
  }

  /** The command arguments for the first page under the current filters. */
  firstPageFilter() {
    return toRequestFilter(this.filters, this.pageSize, null);
  }

  /** Reads the first page and the count again. */
  async reload(): Promise<void> {
    const mine = ++this.generation;
    try {
      const [rows, count] = await Promise.all([
        this.source.listRequests(this.firstPageFilter()),
        this.source.countRequests(),
      ]);
      if (mine !== this.generation) return;
      this.list.reset(rows, this.pageSize);
      this.total = count;
      this.error = null;
    } catch (e) {
      if (mine !== this.generation) return;
      // The rows shown no longer answer the search: empty, with the reason in words instead.
      this.list.reset([], this.pageSize);
      this.error = messageOf(e);
    }
  }

  /** Loads the next older page, once at a time. */
  async loadMore(): Promise<void> {
    if (this.paging || !this.list.hasMore) return;
    this.paging = true;
    const mine = this.generation;
    try {
      const rows = await this.source.listRequests(toRequestFilter(this.filters, this.pageSize, this.list.lastSeq));
      if (mine === this.generation) this.list.appendPage(rows, this.pageSize);
    } finally {
      this.paging = false;
    }
  }

  /** Reads back the nearest page trimmed from the top, once at a time. */
  async loadNewer(): Promise<void> {
    if (this.paging || !this.list.hasNewer) return;
    const anchor = this.list.takeNewerAnchor();
    if (anchor === null) return;
    this.paging = true;
    const mine = this.generation;
    try {
      const rows = await this.source.listRequests(toRequestFilter(this.filters, this.pageSize, anchor));
      if (mine === this.generation) this.list.prependNewer(rows);
    } catch (e) {
      if (mine === this.generation) this.list.returnNewerAnchor(anchor);
      console.error(e);
    } finally {
      this.paging = false;
    }
  }

  /**
   * The view moved: pages come in at either end as it nears them, and captured rows are held
   * while it is away from the top and shown when it is back.
   */
  scrolled(view: ViewPosition): void {
    if (view.nearBottom) this.loadMore();
    if (view.nearTop && this.list.hasNewer) this.loadNewer();
    if (!view.atTop) {
      this.list.stopFollowing();
      return;
    }
    if (this.list.follow() === 'reload') this.reload();
  }

  /** The "N new" pill: back to the newest rows (a reload when the ones in between were dropped). */
  jumpToNewest(): void {
    if (this.list.hasNewer || this.list.follow() === 'reload') this.reload();
  }

  /** A filter was edited: reload once typing pauses. */
  filtersChanged(): void {
    clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => this.reload(), 150);
  }

  /** Clears every filter and reloads. */
  clearFilters(): void {
    this.filters = emptyFilters();
    this.reload();
  }

  /**
   * How many captures of a burst to take at most, for a list at most `viewportPx` tall: what
   * fills it (see capturesWanted), unless a filter is set: the list then matches captured rows
   * itself and reloads for those it could not see, so it takes as many as the shell keeps.
   */
  capturesWanted(viewportPx: number): number {
    return this.filtering ? MOST_CAPTURES : capturesWanted(viewportPx);
  }

  /**
   * During a burst the engine sends only the newest captures of each message: this many older
   * ones were left out of the captured message that comes next.
   */
  capturesLeftOut(count: number): void {
    this.leftOutAnnounced += count;
  }

  /** Captured rows arrive in bursts: they wait for the next frame and are applied together. */
  captured(rows: RequestSummary[]): void {
    if (this.leftOutAnnounced > 0) {
      // The rows still waiting are older than the gap: below it they would hide it, so they are
      // only counted, and read from the store like the rows left out.
      this.leftOutWaiting += this.batch.size + this.leftOutAnnounced;
      this.leftOutAnnounced = 0;
      this.batch.discard();
    }
    this.batch.push(rows);
  }

  /** Applies one frame's captured rows and the count in one step. */
  private apply(rows: RequestSummary[]): void {
    const leftOut = this.leftOutWaiting;
    this.leftOutWaiting = 0;
    this.total += rows.length + leftOut;
    const accepted: RequestSummary[] = [];
    let unknown = 0;
    for (const row of rows) {
      const match = matchesFilters(row, this.filters);
      if (match === true) accepted.push(row);
      else if (match === null) unknown += 1;
    }
    // Under a filter, only the store can tell which of the rows left out match: the list reloads
    // (away from the top, the gap already counts them and reloads on return).
    if (this.filtering && this.list.following) unknown += leftOut;
    this.list.addCapturedAfterGap(accepted, leftOut);
    // A capture that lands while a reload is in flight can be counted by neither; re-read the
    // stored count once a burst is over so the status bar settles on the truth.
    clearTimeout(this.countTimer);
    this.countTimer = setTimeout(async () => {
      const mine = this.generation;
      const count = await this.source.countRequests();
      if (mine === this.generation) this.total = count;
    }, 300);
    if (unknown === 0) return;
    if (!this.list.following) {
      // Only the store can tell whether they match; they are read when the view is back on top.
      this.list.capturedUnknown(unknown);
    } else if (!this.reloadTimer) {
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = undefined;
        this.reload();
      }, 100);
    }
  }

  /** Rows deleted in the store: removed here and from the count. */
  deleted(ids: string[]): void {
    this.list.remove(ids);
    this.total = Math.max(0, this.total - ids.length);
  }

  /** Every request was deleted. */
  cleared(): void {
    this.batch.discard();
    this.leftOutAnnounced = 0;
    this.leftOutWaiting = 0;
    this.list.clear();
    this.total = 0;
  }

  /** Stops the timers and the pending frame. */
  dispose(): void {
    this.batch.discard();
    clearTimeout(this.reloadTimer);
    clearTimeout(this.countTimer);
    clearTimeout(this.filterTimer);
  }
}
