import { describe, expect, it } from 'vitest';
import type { BulkProgress, BulkSummary, ChaosPlan } from './bindings';
import {
  addProgress,
  bulkOptionsFrom,
  chaosOptionsFrom,
  duplicatedText,
  emptyChaosForm,
  emptyTally,
  failureText,
  orderText,
  planSeedText,
  planSends,
  summaryText,
  tallyOfSummary,
  tallyText,
  type ChaosForm,
} from './bulkReplay';

const progress = (done: number, status: number | null, error: string | null = null): BulkProgress => ({
  done,
  total: 4,
  request_id: `id${done}`,
  status,
  error,
});

const summary = (extra: Partial<BulkSummary>): BulkSummary => ({
  sent: 0,
  success: 0,
  non_success: 0,
  errors: 0,
  failures: [],
  cancelled: false,
  not_sent: 0,
  plan: null,
  ...extra,
});

describe('bulk replay form', () => {
  it('turns the fields into the command options', () => {
    const { options, error } = bulkOptionsFrom({ target: ' http://127.0.0.1:9/in ', concurrency: '8', rate: '2.5', resign: true });
    expect(error).toBeNull();
    expect(options).toEqual({
      concurrency: 8,
      rate_per_second: 2.5,
      replay: { target: 'http://127.0.0.1:9/in', kind: 'replay', edit: { method: null, url: null, headers: null, body: null }, resign: true },
      chaos: null,
    });
    expect(bulkOptionsFrom({ target: 'http://h', concurrency: '1', rate: ' ', resign: false }).options?.rate_per_second).toBeNull();
  });

  it('says what is wrong', () => {
    expect(bulkOptionsFrom({ target: 'ftp://h', concurrency: '1', rate: '', resign: false }).error).toContain('not an http');
    expect(bulkOptionsFrom({ target: 'http://h', concurrency: '0', rate: '', resign: false }).error).toContain('Concurrency');
    expect(bulkOptionsFrom({ target: 'http://h', concurrency: '2.5', rate: '', resign: false }).error).toContain('Concurrency');
    expect(bulkOptionsFrom({ target: 'http://h', concurrency: '4', rate: '-1', resign: false }).error).toContain('Rate');
    expect(bulkOptionsFrom({ target: 'http://h', concurrency: '4', rate: 'fast', resign: false }).error).toContain('Rate');
  });
});

describe('bulk replay progress and summary', () => {
  it('tallies 2xx, non-2xx and errors as events arrive', () => {
    let tally = emptyTally();
    expect(tallyText(tally)).toBe('0 sent · 0 2xx · 0 non-2xx · 0 errors');
    for (const p of [progress(1, 200), progress(3, 500), progress(2, null, 'connection refused'), progress(4, 204)]) {
      tally = addProgress(tally, p);
    }
    expect(tally).toEqual({ done: 4, total: 4, success: 2, nonSuccess: 1, errors: 1 });
    expect(tallyText(tally)).toBe('4 of 4 sent · 2 2xx · 1 non-2xx · 1 errors');
  });

  it('takes the final counts from the summary, whatever progress events arrived', () => {
    // A cancelled run whose last event came after the answer: the tally had seen none.
    const cancelled = summary({ sent: 2, success: 1, errors: 1, cancelled: true, not_sent: 2 });
    expect(tallyText(tallyOfSummary(cancelled))).toBe('2 of 4 sent · 1 2xx · 0 non-2xx · 1 errors');
    // A request deleted before the run is an error without an attempt: done, but not sent.
    const missing = summary({ sent: 2, success: 1, non_success: 1, errors: 1 });
    expect(tallyOfSummary(missing)).toEqual({ done: 3, total: 3, success: 1, nonSuccess: 1, errors: 1 });
  });

  it('says what was sent, what failed and what a cancel left out', () => {
    expect(summaryText(summary({ sent: 3, success: 2, non_success: 1 }))).toBe('Sent 3: 2 2xx, 1 non-2xx, 0 errors.');
    expect(summaryText(summary({ sent: 1, success: 1, cancelled: true, not_sent: 4 }))).toBe(
      'Sent 1: 1 2xx, 0 non-2xx, 0 errors. Cancelled: 4 not sent.',
    );
    expect(summaryText(summary({}))).toBe('Nothing matched: no request was sent.');
    expect(failureText({ request_id: 'a', delivery_id: 'd', status: 503, error: null })).toBe('answered 503');
    expect(failureText({ request_id: 'a', delivery_id: 'd', status: null, error: 'connection refused' })).toBe('connection refused');
    expect(failureText({ request_id: 'a', delivery_id: null, status: null, error: null })).toBe('no answer');
  });
});

const chaos = (extra: Partial<ChaosForm>): ChaosForm => ({ ...emptyChaosForm(), enabled: true, ...extra });
const noSeed = () => {
  throw new Error('no seed should be picked');
};

describe('chaos replay options', () => {
  it('sends the chaos group only when it is enabled', () => {
    const base = { target: 'http://h', concurrency: '4', rate: '', resign: false };
    expect(bulkOptionsFrom({ ...base, chaos: { ...chaos({ seed: '7' }), enabled: false } }, noSeed).options?.chaos).toBeNull();
    const { options, seedPicked } = bulkOptionsFrom({ ...base, chaos: chaos({ seed: ' 7 ', duplicate: '0.25', jitter: '40' }) }, noSeed);
    expect(options?.chaos).toEqual({ shuffle: true, seed: 7, duplicate: 0.25, jitter_ms: 40 });
    expect(seedPicked).toBe(false);
  });

  it('ignores the concurrency and rate fields of a chaos replay, which sends one at a time', () => {
    const form = { target: 'http://h', concurrency: 'many', rate: 'fast', resign: true, chaos: chaos({ seed: '3' }) };
    const { options, error } = bulkOptionsFrom(form, noSeed);
    expect(error).toBeNull();
    expect(options).toMatchObject({ concurrency: 1, rate_per_second: null, replay: { resign: true }, chaos: { seed: 3 } });
  });

  it('picks a seed the window can show when none is given, and says so', () => {
    expect(chaosOptionsFrom(chaos({ seed: '', shuffle: false }), () => 123)).toEqual({
      chaos: { shuffle: false, seed: 123, duplicate: 0, jitter_ms: 0 },
      seedPicked: true,
      error: null,
    });
    expect(chaosOptionsFrom(chaos({ duplicate: '', jitter: '' }), () => 5).chaos).toMatchObject({ duplicate: 0, jitter_ms: 0 });
  });

  it('says which chaos field is wrong', () => {
    expect(chaosOptionsFrom(chaos({ seed: 'abc' }), noSeed).error).toBe("Seed: 'abc' is not a whole number");
    expect(chaosOptionsFrom(chaos({ seed: '-1' }), noSeed).error).toContain('Seed');
    expect(chaosOptionsFrom(chaos({ seed: '18446744073709551615' }), noSeed).error).toContain('too large');
    expect(chaosOptionsFrom(chaos({ seed: '1', duplicate: '1.5' }), noSeed).error).toContain('Duplicate');
    expect(chaosOptionsFrom(chaos({ seed: '1', duplicate: '-0.1' }), noSeed).error).toContain('Duplicate');
    expect(chaosOptionsFrom(chaos({ seed: '1', duplicate: 'some' }), noSeed).error).toContain('Duplicate');
    expect(chaosOptionsFrom(chaos({ seed: '1', jitter: '2.5' }), noSeed).error).toBe("Jitter: '2.5' is not a whole number of milliseconds");
    const base = { target: 'http://h', concurrency: '4', rate: '', resign: false };
    expect(bulkOptionsFrom({ ...base, chaos: chaos({ seed: '1', jitter: 'x' }) }, noSeed)).toEqual({
      options: null,
      error: "Jitter: 'x' is not a whole number of milliseconds",
      seedPicked: false,
    });
  });
});

const plan = (extra: Partial<ChaosPlan>): ChaosPlan => ({
  seed: 7,
  seed_was_chosen: false,
  sends: [
    { request_id: 'b', duplicate: false, delay_ms: 0 },
    { request_id: 'a', duplicate: false, delay_ms: 3 },
    { request_id: 'b', duplicate: true, delay_ms: 1 },
  ],
  duplicated: ['b'],
  ...extra,
});

describe('chaos replay summary', () => {
  it('gives the seed that repeats the run', () => {
    expect(planSeedText(plan({}), false)).toBe('Seed 7: enter it again, with the same requests and options, to repeat this order.');
    expect(planSeedText(plan({}), true)).toContain('Seed 7 (picked at random)');
    expect(planSeedText(plan({ seed_was_chosen: true }), false)).toContain('(picked at random)');
    expect(planSeedText(plan({ seed: 2 ** 60 }), false)).toContain('too large to show exactly');
  });

  it('lists the order used and what was sent twice', () => {
    expect(planSends(plan({})).sends.map((s) => `${s.n}:${s.request_id}${s.duplicate ? '+' : ''}`)).toEqual(['1:b', '2:a', '3:b+']);
    expect(planSends(plan({}), 2)).toMatchObject({ more: 1 });
    expect(orderText(plan({}))).toBe('b\na\nb (again)');
    expect(duplicatedText(plan({}))).toBe('Sent twice (1):');
    expect(duplicatedText(plan({ duplicated: [] }))).toBe('No request was sent twice.');
  });
});
