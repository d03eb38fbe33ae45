// The bulk replay dialog's logic: its form turned into the command's options, the live tally of
// progress events, and the summary in words. Everything here is plain text: the dialog shows it
// with text interpolation only.

import type { BulkFailure, BulkProgress, BulkReplayOptions, BulkSummary, ChaosOptions, ChaosPlan, PlannedSend } from './bindings';
import { replayOptions, targetProblem } from './replay';
import { parseSeed, randomSeed } from './seed';

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;

/** The Chaos group's fields (as typed): a random but repeatable order, some requests twice, delays. */
export type ChaosForm = { enabled: boolean; shuffle: boolean; seed: string; duplicate: string; jitter: string };

export const emptyChaosForm = (): ChaosForm => ({ enabled: false, shuffle: true, seed: '', duplicate: '0', jitter: '0' });

/** What the dialog's fields hold (as typed); no `chaos`, or chaos not enabled, replays in capture order. */
export type BulkForm = { target: string; concurrency: string; rate: string; resign: boolean; chaos?: ChaosForm };

/**
 * The chaos options, or what is wrong with them. A seed left empty is picked here by
 * `chooseSeed` (`seedPicked` then says so), so that the summary can show it exactly.
 */
export function chaosOptionsFrom(
  form: ChaosForm,
  chooseSeed: () => number = randomSeed,
): { chaos: ChaosOptions; seedPicked: boolean; error: null } | { chaos: null; seedPicked: false; error: string } {
  const fail = (error: string) => ({ chaos: null, seedPicked: false, error }) as const;
  let seed: number;
  const seedPicked = form.seed.trim() === '';
  if (seedPicked) seed = chooseSeed();
  else {
    const parsed = parseSeed(form.seed);
    if (typeof parsed === 'string') return fail(`Seed: ${parsed}`);
    seed = parsed;
  }
  const duplicate = form.duplicate.trim() === '' ? 0 : Number(form.duplicate.trim());
  if (!Number.isFinite(duplicate) || duplicate < 0 || duplicate > 1) {
    return fail(`Duplicate: '${form.duplicate.trim()}' is not a fraction from 0 to 1 (0.1 sends one request in ten twice)`);
  }
  const jitterText = form.jitter.trim();
  if (jitterText !== '' && !/^\d+$/.test(jitterText)) return fail(`Jitter: '${jitterText}' is not a whole number of milliseconds`);
  const jitter = jitterText === '' ? 0 : Number(jitterText);
  if (!Number.isSafeInteger(jitter)) return fail(`Jitter: ${jitterText} is too large`);
  return { chaos: { shuffle: form.shuffle, seed, duplicate, jitter_ms: jitter }, seedPicked, error: null };
}

/** The command's options, or what is wrong with the form; `seedPicked`: the chaos seed was picked here. */
export function bulkOptionsFrom(
  form: BulkForm,
  chooseSeed: () => number = randomSeed,
): { options: BulkReplayOptions | null; error: string | null; seedPicked: boolean } {
  const fail = (error: string) => ({ options: null, error, seedPicked: false });
  const problem = targetProblem(form.target);
  if (problem) return fail(problem);
  if (form.chaos?.enabled) {
    // One at a time, paced by the plan: the concurrency and rate fields are not used.
    const parsed = chaosOptionsFrom(form.chaos, chooseSeed);
    if (parsed.error !== null) return fail(parsed.error);
    return {
      options: { concurrency: 1, rate_per_second: null, replay: replayOptions(form.target, form.resign), chaos: parsed.chaos },
      error: null,
      seedPicked: parsed.seedPicked,
    };
  }
  const concurrency = Number(form.concurrency.trim());
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    return fail(`Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  let rate: number | null = null;
  if (form.rate.trim() !== '') {
    rate = Number(form.rate.trim());
    if (!Number.isFinite(rate) || rate <= 0) {
      return fail('Rate must be a number of requests per second above 0, or empty for no limit');
    }
  }
  return {
    options: { concurrency, rate_per_second: rate, replay: replayOptions(form.target, form.resign), chaos: null },
    error: null,
    seedPicked: false,
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

/**
 * The final counts, from the summary: every request the run finished counts once as 2xx,
 * non-2xx or error, and the rest were not sent. Progress events travel apart from the command's
 * answer and the last ones can arrive after it, so the finished dialog shows these.
 */
export function tallyOfSummary(summary: BulkSummary): Tally {
  const done = summary.success + summary.non_success + summary.errors;
  return { done, total: done + summary.not_sent, success: summary.success, nonSuccess: summary.non_success, errors: summary.errors };
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

/** The chaos plan's seed in words: what to enter to repeat the run. */
export function planSeedText(plan: ChaosPlan, seedPicked: boolean): string {
  if (!Number.isSafeInteger(plan.seed)) {
    return `Seed: about ${plan.seed}, too large to show exactly here; enter a seed of your own to make a run repeatable.`;
  }
  const picked = plan.seed_was_chosen || seedPicked ? ' (picked at random)' : '';
  return `Seed ${plan.seed}${picked}: enter it again, with the same requests and options, to repeat this order.`;
}

/** Which requests were sent twice, in words. */
export function duplicatedText(plan: ChaosPlan): string {
  const n = plan.duplicated.length;
  return n === 0 ? 'No request was sent twice.' : `Sent twice (${n}):`;
}

/** The sends to list (at most `max`), numbered from 1, and how many were left out. */
export function planSends(plan: ChaosPlan, max = 1000): { sends: (PlannedSend & { n: number })[]; more: number } {
  const sends = plan.sends.slice(0, max).map((send, i) => ({ ...send, n: i + 1 }));
  return { sends, more: Math.max(0, plan.sends.length - max) };
}

/** The order as text to copy: one id a line, a second send marked. */
export function orderText(plan: ChaosPlan): string {
  return plan.sends.map((send) => (send.duplicate ? `${send.request_id} (again)` : send.request_id)).join('\n');
}

/** A name for one run, so its events can be told from another window's. */
export function newRunId(): string {
  return `bulk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
