import { describe, expect, it } from 'vitest';
import type { BulkProgress, BulkSummary } from './bindings';
import { addProgress, bulkOptionsFrom, emptyTally, failureText, summaryText, tallyText } from './bulkReplay';

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
