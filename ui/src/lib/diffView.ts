// The diff dialog's words: which two requests a selection compares, and each change of a
// RequestDiff as plain text lines (values as JSON text, never markup). Pure, for tests.

import type { BodyChange, BodyKind, ChangeOp, HeaderLineChange, RequestSummary } from './bindings';

/** The two requests to compare, the older as `before`; null unless exactly two are given. */
export function diffPair(ids: readonly string[], rows: readonly RequestSummary[]): { before: string; after: string } | null {
  if (ids.length !== 2) return null;
  const [a, b] = ids;
  const seqOf = (id: string) => rows.find((r) => r.id === id)?.seq;
  const sa = seqOf(a);
  const sb = seqOf(b);
  // Unknown order (a row no longer loaded): as selected.
  if (sa === undefined || sb === undefined || sa <= sb) return { before: a, after: b };
  return { before: b, after: a };
}

/** A JSON value (or a text line) as text; `undefined` (absent on that side) as an em dash. */
export function valueText(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** A text line as it was, not quoted. */
const lineText = (value: unknown): string => (value === undefined || value === null ? '—' : String(value));

/** One change as the dialog lists it. */
export interface ChangeLine {
  op: ChangeOp;
  /** Where: a JSON pointer (`(whole body)` for ""), "line N", "byte N", or a header name. */
  where: string;
  before: string;
  after: string;
}

/** A body (or request line) change in words, by the body's kind. */
export function bodyChangeLine(change: BodyChange, kind: BodyKind): ChangeLine {
  if (kind === 'bytes') {
    const size = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n} bytes`);
    return {
      op: change.op,
      where: change.offset !== null && change.offset !== undefined ? `byte ${change.offset}` : 'body',
      before: size(change.before_size),
      after: size(change.after_size),
    };
  }
  if (kind === 'text' && change.line !== null && change.line !== undefined) {
    return { op: change.op, where: `line ${change.line}`, before: lineText(change.before), after: lineText(change.after) };
  }
  const path = change.path ?? '';
  return { op: change.op, where: path === '' ? '(whole body)' : path, before: valueText(change.before), after: valueText(change.after) };
}

/** A request line change: `path` names the part (method or target), shown unquoted. */
export function requestLineChange(change: BodyChange): ChangeLine {
  return { op: change.op, where: change.path ?? 'request line', before: lineText(change.before), after: lineText(change.after) };
}

/** A header line in words; equal lines are left out unless `showEqual`. */
export function headerLines(headers: readonly HeaderLineChange[], showEqual: boolean): ChangeLine[] {
  return headers
    .filter((h) => showEqual || h.op !== 'equal')
    .map((h) => ({ op: h.op, where: h.name, before: h.before ?? '—', after: h.after ?? '—' }));
}

/** The summary under the title: how many changes, and how many were hidden as volatile. */
export function diffSummary(headers: readonly HeaderLineChange[], body: readonly BodyChange[], lineChanges: number, hidden: number): string {
  const headerChanges = headers.filter((h) => h.op !== 'equal').length;
  const total = headerChanges + body.length + lineChanges;
  const words = total === 0 ? 'No differences' : `${total} difference${total === 1 ? '' : 's'}`;
  return hidden > 0 ? `${words} (${hidden} volatile hidden)` : words;
}
