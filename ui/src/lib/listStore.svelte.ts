// The request list shown on the left: newest first, paged by `seq` (keyset), updated live.

import type { RequestFilter, RequestSummary } from './bindings';

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

export class RequestList {
  rows: RequestSummary[] = $state([]);
  /** More, older rows exist in the store beyond the last loaded one. */
  hasMore = $state(false);
  selectedId: string | null = $state(null);

  /** Replaces the rows with a first page. */
  reset(rows: RequestSummary[], pageSize: number): void {
    this.rows = rows;
    this.hasMore = rows.length >= pageSize;
    if (this.selectedId && !rows.some((r) => r.id === this.selectedId)) this.selectedId = null;
  }

  /** The `seq` to ask the next page before. */
  get lastSeq(): number | null {
    return this.rows.length ? this.rows[this.rows.length - 1].seq : null;
  }

  /** Appends an older page (rows already shown are skipped). */
  appendPage(rows: RequestSummary[], pageSize: number): void {
    const last = this.lastSeq;
    const older = last === null ? rows : rows.filter((r) => r.seq < last);
    this.rows = [...this.rows, ...older];
    this.hasMore = rows.length >= pageSize;
  }

  /** Puts newly captured rows on top, newest first, skipping ones already shown. */
  addCaptured(rows: RequestSummary[]): void {
    if (rows.length === 0) return;
    const newest = this.rows.length ? this.rows[0].seq : -Infinity;
    const known = new Set(this.rows.map((r) => r.seq));
    const fresh = rows.filter((r) => !known.has(r.seq));
    if (fresh.length === 0) return;
    fresh.sort((a, b) => b.seq - a.seq);
    if (fresh[fresh.length - 1].seq > newest) {
      this.rows = [...fresh, ...this.rows];
    } else {
      this.rows = [...fresh, ...this.rows].sort((a, b) => b.seq - a.seq);
    }
  }

  /** Removes rows by id; a removed selection moves to the row that took its place. */
  remove(ids: string[]): void {
    const gone = new Set(ids);
    const selectedIndex = this.selectedId ? this.indexOf(this.selectedId) : -1;
    this.rows = this.rows.filter((r) => !gone.has(r.id));
    if (this.selectedId && gone.has(this.selectedId)) {
      const next = this.rows[Math.min(selectedIndex, this.rows.length - 1)];
      this.selectedId = next ? next.id : null;
    }
  }

  clear(): void {
    this.rows = [];
    this.hasMore = false;
    this.selectedId = null;
  }

  indexOf(id: string): number {
    return this.rows.findIndex((r) => r.id === id);
  }

  get selected(): RequestSummary | null {
    return this.selectedId ? (this.rows.find((r) => r.id === this.selectedId) ?? null) : null;
  }

  /** Moves the selection by `delta` rows (down is +1: older); selects the first row when none is. */
  move(delta: number): string | null {
    if (this.rows.length === 0) return null;
    const current = this.selectedId ? this.indexOf(this.selectedId) : -1;
    const index = current < 0 ? 0 : Math.max(0, Math.min(this.rows.length - 1, current + delta));
    this.selectedId = this.rows[index].id;
    return this.selectedId;
  }
}
