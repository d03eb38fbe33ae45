import { describe, expect, it } from 'vitest';
import { attemptTag, eventSearch, foldRetries, moveAmong } from './retries';
import { summaryRow } from './summaryRow.test-fixture';

const stripe = (seq: number, delivery: string | null, attempt: number | null) =>
  summaryRow(seq, { signature_provider: 'stripe', endpoint_name: 'stripe', delivery_id: delivery, attempt });

describe('foldRetries', () => {
  it('keeps the newest attempt of each event, in order, with the count', () => {
    const rows = [stripe(5, 'evt_a', 3), stripe(4, 'evt_b', 1), stripe(3, 'evt_a', 2), stripe(2, 'evt_a', 1)];
    const folded = foldRetries(rows);
    expect(folded.map((f) => [f.row.id, f.attempts])).toEqual([
      ['id5', 3],
      ['id4', 1],
    ]);
  });

  it('never folds rows without a delivery id', () => {
    const rows = [stripe(3, null, null), stripe(2, null, null), summaryRow(1)];
    expect(foldRetries(rows).map((f) => f.attempts)).toEqual([1, 1, 1]);
  });

  it('keeps the same delivery id of two providers apart', () => {
    const rows = [stripe(2, 'x1', 1), summaryRow(1, { signature_provider: 'github', delivery_id: 'x1', attempt: 1 })];
    expect(foldRetries(rows)).toHaveLength(2);
  });

  it('does not change the rows it is given', () => {
    const rows = [stripe(2, 'evt_a', 2), stripe(1, 'evt_a', 1)];
    foldRetries(rows);
    expect(rows.map((r) => r.id)).toEqual(['id2', 'id1']);
  });
});

describe('attemptTag', () => {
  it('names retries from the second attempt on, and folded counts', () => {
    expect(attemptTag(stripe(1, 'e', 1), null)).toBe('');
    expect(attemptTag(stripe(1, 'e', 2), null)).toBe('attempt 2');
    expect(attemptTag(stripe(1, 'e', 3), 3)).toBe('3 attempts');
    expect(attemptTag(stripe(1, 'e', 2), 1)).toBe('attempt 2');
    expect(attemptTag(summaryRow(1), null)).toBe('');
  });
});

describe('eventSearch', () => {
  it('is the search box syntax', () => {
    expect(eventSearch('invoice.paid')).toBe('event:invoice.paid');
  });
});

describe('moveAmong', () => {
  it('moves over the rows shown only, clamped at both ends', () => {
    const ids = ['id5', 'id4', 'id1'];
    expect(moveAmong(ids, 'id5', 1)).toBe('id4');
    expect(moveAmong(ids, 'id4', 1)).toBe('id1');
    expect(moveAmong(ids, 'id1', 1)).toBe('id1');
    expect(moveAmong(ids, 'id5', -1)).toBe('id5');
  });
  it('starts at the first row when the focused one is hidden or none is', () => {
    expect(moveAmong(['a', 'b'], 'hidden', 1)).toBe('a');
    expect(moveAmong(['a', 'b'], null, 1)).toBe('a');
    expect(moveAmong([], 'a', 1)).toBeNull();
  });
});
