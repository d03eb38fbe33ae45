// The list as the window keeps it live: loading it under the current filters, paging older rows,
// applying captured rows as they arrive, and the stored-request count. Reloads are numbered so
// that a slow, outdated answer never replaces a newer one.

import type { RequestSummary } from './bindings';
import { countRequests, listRequests } from './api';
import { RequestList, emptyFilters, matchesFilters, toRequestFilter, type ListFilters } from './listStore.svelte';

/** Rows asked for per page. */
export const PAGE = 200;

/** The two engine reads the list needs (the real commands unless a test passes its own). */
export interface ListSource {
  listRequests: typeof listRequests;
  countRequests: typeof countRequests;
}

export class LiveList {
  /** The rows shown and the focused row. */
  readonly list = new RequestList();
  filters: ListFilters = $state(emptyFilters());
  /** Requests in the store (the status bar's count). */
  total = $state(0);
  /** Whether any filter is set. */
  readonly filtering = $derived(Object.values(this.filters).some((v) => v.trim() !== ''));

  private generation = 0;
  private loadingMore = false;
  private pending: RequestSummary[] = [];
  private frame = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly source: ListSource = { listRequests, countRequests }) {}

  /** The command arguments for the first page under the current filters. */
  firstPageFilter() {
    return toRequestFilter(this.filters, PAGE, null);
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
      this.list.reset(rows, PAGE);
      this.total = count;
    } catch (e) {
      console.error(e);
    }
  }

  /** Loads the next older page, once at a time. */
  async loadMore(): Promise<void> {
    if (this.loadingMore || !this.list.hasMore) return;
    this.loadingMore = true;
    const mine = this.generation;
    try {
      const rows = await this.source.listRequests(toRequestFilter(this.filters, PAGE, this.list.lastSeq));
      if (mine === this.generation) this.list.appendPage(rows, PAGE);
    } finally {
      this.loadingMore = false;
    }
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

  /** Captured rows arrive in bursts; they are applied once per frame. */
  captured(row: RequestSummary): void {
    this.total += 1;
    this.pending.push(row);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const rows = this.pending;
    this.pending = [];
    const accepted: RequestSummary[] = [];
    let unknown = false;
    for (const row of rows) {
      const match = matchesFilters(row, this.filters);
      if (match === true) accepted.push(row);
      else if (match === null) unknown = true;
    }
    this.list.addCaptured(accepted);
    // A capture that lands while a reload is in flight can be counted by neither; re-read the
    // stored count once a burst is over so the status bar settles on the truth.
    clearTimeout(this.countTimer);
    this.countTimer = setTimeout(async () => {
      const mine = this.generation;
      const count = await this.source.countRequests();
      if (mine === this.generation) this.total = count;
    }, 300);
    if (unknown && !this.reloadTimer) {
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
    this.list.clear();
    this.total = 0;
  }

  /** Stops the timers and the pending frame. */
  dispose(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.reloadTimer);
    clearTimeout(this.countTimer);
    clearTimeout(this.filterTimer);
  }
}
