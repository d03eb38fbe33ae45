// The bulk replay dialog's logic: its form turned into the command's options, the live tally of
// progress events, and the summary in words. Everything here is plain text: the dialog shows it
// with text interpolation only.

import type { BulkFailure, BulkProgress, BulkReplayOptions, BulkSummary } from './bindings';
import { replayOptions, targetProblem } from './replay';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;

/** What the dialog's fields hold (as typed). */
export type BulkForm = { target: string; concurrency: string; rate: string; resign: boolean };

/** The command's options, or what is wrong with the form. */
export function bulkOptionsFrom(form: BulkForm): { options: BulkReplayOptions | null; error: string | null } {
  const problem = targetProblem(form.target);
  if (problem) return { options: null, error: problem };
  const concurrency = Number(form.concurrency.trim());
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    return { options: null, error: `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}` };
  }
  let rate: number | null = null;
  if (form.rate.trim() !== '') {
    rate = Number(form.rate.trim());
    if (!Number.isFinite(rate) || rate <= 0) {
      return { options: null, error: 'Rate must be a number of requests per second above 0, or empty for no limit' };
    }
  }
  return {
    options: { concurrency, rate_per_second: rate, replay: replayOptions(form.target, form.resign), chaos: null },
    error: null,
  };
}

/** The live counts: sent of total, 2xx, non-2xx, errors. */
export type Tally = { done: number; total: number | null; success: number; nonSuccess: number; errors: number };

export const emptyTally = (): Tally => ({ done: 0, total: null, success: 0, nonSuccess: 0, errors: 0 });

/** Adds one progress event (events may arrive in any order; `done` only grows). */
export function addProgress(tally: Tally, progress: BulkProgress): Tally {
  const next = { ...tally, done: Math.max(tally.done, progress.done), total: progress.total };
  if (progress.status === null) next.errors += 1;
  else if (progress.status >= 200 && progress.status < 300) next.success += 1;
  else next.nonSuccess += 1;
  return next;
}

export function tallyText(tally: Tally): string {
  const of = tally.total === null ? '' : ` of ${tally.total}`;
  return `${tally.done}${of} sent · ${tally.success} 2xx · ${tally.nonSuccess} non-2xx · ${tally.errors} errors`;
}

/** The summary's first line. */
export function summaryText(summary: BulkSummary): string {
  if (summary.sent === 0 && summary.errors === 0 && summary.not_sent === 0) return 'Nothing matched: no request was sent.';
  const parts = [`Sent ${summary.sent}`, `${summary.success} 2xx`, `${summary.non_success} non-2xx`, `${summary.errors} errors`];
  const cancelled = summary.cancelled ? ` Cancelled: ${summary.not_sent} not sent.` : '';
  return `${parts[0]}: ${parts.slice(1).join(', ')}.${cancelled}`;
}

/** One failure in words: the status answered, or the error. */
export function failureText(failure: BulkFailure): string {
  if (failure.status !== null) return `answered ${failure.status}`;
  return failure.error ?? 'no answer';
}

/** A name for one run, so its events can be told from another window's. */
export function newRunId(): string {
  return `bulk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
