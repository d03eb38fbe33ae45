// The part of the request list kept in memory: a contiguous run of rows, newest first, that the
// person can see plus a bounded margin. Rows beyond the cap are dropped and read back from the
// store by keyset paging (`before_seq`) when the view goes there, so memory stays flat however
// many requests arrive while the window is open. Plain TypeScript with no framework, so that
// every move can be tested directly.

import type { RequestSummary } from './bindings';

/** How much of the list is kept: the knobs to tune memory against paging. */
export interface WindowLimits {
  /** Rows read per page from the store. */
  pageSize: number;
  /**
   * Most rows kept in memory, at least two pages: the shown window, and separately the rows
   * held back while the view is away from the top.
   */
  cap: number;
}

/** A page of 200 rows; at most 3,000 rows (15 pages) kept, about 5 MB in WebKit. */
export const DEFAULT_LIMITS: WindowLimits = { pageSize: 200, cap: 3000 };

/** The height of a row of the list, in CSS pixels. */
export const ROW_PX = 30;
/** How close (in rows) to either end of the kept rows the list asks for the next page. */
export const EDGE_ROWS = 20;
/** The most captures the shell hands over at once (src-tauri/src/events.rs KEEP_CAPTURES). */
export const MOST_CAPTURES = 100;

/**
 * How many of a burst's captures the window asks for: enough to fill a list as tall as
 * `viewportPx` with a few rows to spare, never more than the shell keeps. Older rows are paged
 * from the store when the view scrolls there (the list checks its edges on scroll, not when rows
 * arrive). Every row taken is parsed into the page's heap, so a burst costs memory in
 * proportion to this.
 */
export function capturesWanted(viewportPx: number): number {
  const fit = Math.ceil(Math.max(0, viewportPx) / ROW_PX) + 5;
  return Math.min(MOST_CAPTURES, fit);
}

/** What returning to the top needs: nothing, or a reload because the rows held back are incomplete. */
export type FollowOutcome = 'following' | 'reload';

const newestFirst = (a: RequestSummary, b: RequestSummary) => b.seq - a.seq;

/**
 * Merges `incoming` into `rows` (both newest first), skipping rows already there by id or seq.
 * Returns the same array when nothing is new.
 */
export function mergeNewestFirst(rows: RequestSummary[], incoming: RequestSummary[]): RequestSummary[] {
  if (incoming.length === 0) return rows;
  const newest = rows.length ? rows[0].seq : -Infinity;
  const oldest = rows.length ? rows[rows.length - 1].seq : Infinity;
  // The common case, a burst of new captures, is all newer than every kept row: only the
  // incoming rows need checking against each other (the store gives one id one seq).
  const allNewer = incoming.every((r) => r.seq > newest);
  const seqs = new Set<number>();
  const ids = new Set<string>();
  if (!allNewer) {
    for (const r of rows) {
      seqs.add(r.seq);
      ids.add(r.id);
    }
  }
  const fresh: RequestSummary[] = [];
  for (const r of incoming) {
    if (seqs.has(r.seq) || ids.has(r.id)) continue;
    seqs.add(r.seq);
    ids.add(r.id);
    fresh.push(r);
  }
  if (fresh.length === 0) return rows;
  fresh.sort(newestFirst);
  if (fresh[fresh.length - 1].seq > newest) return [...fresh, ...rows];
  if (fresh[0].seq < oldest) return [...rows, ...fresh];
  return [...fresh, ...rows].sort(newestFirst);
}

/**
 * The rows kept for the list and the state of the rest: older rows in the store (`hasOlder`),
 * newer rows trimmed from the top (`newerAnchors`, one `before_seq` per trimmed page), and rows
 * captured while the view was away from the top (`held`), shown when it returns.
 */
export class RowWindow {
  /** The rows kept, newest first, no two with the same id or seq. */
  rows: RequestSummary[] = [];
  /** Older rows exist in the store beyond the last kept one. */
  hasOlder = false;
  /** The view is at the top and the window holds the newest rows: captured rows go straight in. */
  following = true;
  /** Captured rows not shown yet (newest first, at most `cap`). */
  held: RequestSummary[] = [];
  /** How many captured rows arrived while away from the top (the "N new" count). */
  heldCount = 0;
  /** Held rows were dropped, or rows arrived that only the store can match: returning reloads. */
  heldStale = false;
  /** For each page trimmed from the top, the `before_seq` that reads it back; the last is nearest. */
  private newerAnchors: number[] = [];

  constructor(readonly limits: WindowLimits = DEFAULT_LIMITS) {}

  /** Rows newer than the first kept one were trimmed and must be paged back in before following. */
  get hasNewer(): boolean {
    return this.newerAnchors.length > 0;
  }

  /** The `seq` to ask the next older page before. */
  get lastSeq(): number | null {
    return this.rows.length ? this.rows[this.rows.length - 1].seq : null;
  }

  /** Replaces everything with the newest page; the view is expected back at the top. */
  reset(rows: RequestSummary[], pageSize = this.limits.pageSize): void {
    this.rows = mergeNewestFirst([], rows);
    this.hasOlder = rows.length >= pageSize;
    this.newerAnchors = [];
    this.following = true;
    this.dropHeld();
    this.trimOldest();
  }

  /** Appends an older page (rows already kept are skipped); trims from the top beyond the cap. */
  appendOlder(rows: RequestSummary[], pageSize = this.limits.pageSize): void {
    const last = this.lastSeq;
    const older = last === null ? rows : rows.filter((r) => r.seq < last);
    this.rows = mergeNewestFirst(this.rows, older);
    this.hasOlder = rows.length >= pageSize;
    this.trimNewest();
  }

  /** The `before_seq` of the nearest page trimmed from the top, taken off the stack; null when none. */
  takeNewerAnchor(): number | null {
    return this.newerAnchors.pop() ?? null;
  }

  /** Puts back an anchor whose page could not be read (so it is tried again). */
  returnNewerAnchor(anchor: number): void {
    this.newerAnchors.push(anchor);
  }

  /** Prepends a newer page read back through an anchor; trims from the bottom beyond the cap. */
  prependNewer(rows: RequestSummary[]): void {
    this.rows = mergeNewestFirst(this.rows, rows);
    this.trimOldest();
  }

  /**
   * Captured rows: shown at once while following (the oldest kept rows give way beyond the cap),
   * else held back and counted so that the view does not move under the person.
   */
  addCaptured(rows: RequestSummary[]): void {
    if (rows.length === 0) return;
    if (this.following) {
      this.rows = mergeNewestFirst(this.rows, rows);
      this.trimOldest();
      return;
    }
    const before = this.held.length;
    this.held = mergeNewestFirst(this.held, rows);
    this.heldCount += this.held.length - before;
    if (this.held.length > this.limits.cap) {
      this.held = this.held.slice(0, this.limits.cap);
      this.heldStale = true;
    }
  }

  /**
   * Captured rows that came after `leftOut` captures the window was not sent (a burst: the engine
   * sends only the newest): while following, these rows are shown and every older row is paged
   * from the store; away from the top, they are counted and the list reloads on return.
   */
  addCapturedAfterGap(rows: RequestSummary[], leftOut: number): void {
    if (leftOut === 0) return this.addCaptured(rows);
    if (this.following) {
      this.rows = mergeNewestFirst([], rows);
      this.hasOlder = true;
      this.trimOldest();
      return;
    }
    this.held = [];
    this.heldCount += rows.length + leftOut;
    this.heldStale = true;
  }

  /** Captured rows arrived that only the store can match (search, header filter). */
  capturedUnknown(count: number): void {
    if (this.following || count === 0) return;
    this.heldCount += count;
    this.heldStale = true;
  }

  /** The view left the top: captured rows are held from now on. */
  stopFollowing(): void {
    this.following = false;
  }

  /**
   * The view is back at the top. With trimmed newer pages it cannot follow yet (they are paged in
   * first, so this returns null); otherwise the held rows are shown, or a reload is asked for
   * when they are incomplete.
   */
  follow(): FollowOutcome | null {
    if (this.following) return 'following';
    if (this.hasNewer) return null;
    const stale = this.heldStale;
    if (!stale) this.rows = mergeNewestFirst(this.rows, this.held);
    this.following = true;
    this.dropHeld();
    this.trimOldest();
    return stale ? 'reload' : 'following';
  }

  /** Removes rows by id, kept or held. */
  remove(ids: string[]): void {
    const gone = new Set(ids);
    this.rows = this.rows.filter((r) => !gone.has(r.id));
    this.held = this.held.filter((r) => !gone.has(r.id));
  }

  /** Forgets every row: the store is empty. */
  clear(): void {
    this.rows = [];
    this.hasOlder = false;
    this.newerAnchors = [];
    this.following = true;
    this.dropHeld();
  }

  private dropHeld(): void {
    this.held = [];
    this.heldCount = 0;
    this.heldStale = false;
  }

  /** Beyond the cap, the oldest rows go: they are read back with `before_seq = lastSeq`. */
  private trimOldest(): void {
    if (this.rows.length <= this.limits.cap) return;
    this.rows = this.rows.slice(0, this.limits.cap);
    this.hasOlder = true;
  }

  /**
   * Beyond the cap, whole pages go from the top; each leaves the `before_seq` that reads it back
   * (rows with seq up to its first row's, newest first, a page at a time).
   */
  private trimNewest(): void {
    const { cap, pageSize } = this.limits;
    let cut = 0;
    while (this.rows.length - cut > cap) {
      this.newerAnchors.push(this.rows[cut].seq + 1);
      cut += pageSize;
    }
    if (cut === 0) return;
    this.rows = this.rows.slice(cut);
    this.following = false;
  }
}
