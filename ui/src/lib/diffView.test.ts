import { describe, expect, it } from 'vitest';
import { bodyChangeLine, diffPair, diffSummary, headerLines, requestLineChange, valueText } from './diffView';
import { summaryRow } from './summaryRow.test-fixture';

describe('diffPair', () => {
  const rows = [summaryRow(9), summaryRow(4), summaryRow(2)];
  it('puts the older request first whatever the selection order', () => {
    expect(diffPair(['id9', 'id4'], rows)).toEqual({ before: 'id4', after: 'id9' });
    expect(diffPair(['id2', 'id9'], rows)).toEqual({ before: 'id2', after: 'id9' });
  });
  it('needs exactly two', () => {
    expect(diffPair(['id9'], rows)).toBeNull();
    expect(diffPair(['id9', 'id4', 'id2'], rows)).toBeNull();
  });
  it('keeps the selection order for rows not loaded', () => {
    expect(diffPair(['gone', 'id2'], rows)).toEqual({ before: 'gone', after: 'id2' });
  });
});

describe('change lines', () => {
  it('shows JSON values as JSON text and absent ones as a dash', () => {
    expect(valueText('cus_1')).toBe('"cus_1"');
    expect(valueText({ a: [1, null] })).toBe('{"a":[1,null]}');
    expect(valueText(undefined)).toBe('—');
    expect(valueText(null)).toBe('null');
  });

  it('names JSON changes by pointer', () => {
    expect(bodyChangeLine({ op: 'changed', path: '/data/object/amount', before: 100, after: 200 }, 'json')).toEqual({
      op: 'changed',
      where: '/data/object/amount',
      before: '100',
      after: '200',
    });
    expect(bodyChangeLine({ op: 'added', path: '/x' , after: '<b>' }, 'json')).toMatchObject({ before: '—', after: '"<b>"' });
    expect(bodyChangeLine({ op: 'changed', path: '', before: 1, after: 'a' }, 'json').where).toBe('(whole body)');
  });

  it('names text changes by line and byte changes by offset', () => {
    expect(bodyChangeLine({ op: 'removed', line: 3, before: 'a=1' }, 'text')).toEqual({ op: 'removed', where: 'line 3', before: 'a=1', after: '—' });
    expect(bodyChangeLine({ op: 'changed', offset: 16, before_size: 20, after_size: 21 }, 'bytes')).toEqual({
      op: 'changed',
      where: 'byte 16',
      before: '20 bytes',
      after: '21 bytes',
    });
  });

  it('shows the request line parts unquoted', () => {
    expect(requestLineChange({ op: 'changed', path: 'target', before: '/a', after: '/b' })).toEqual({ op: 'changed', where: 'target', before: '/a', after: '/b' });
  });

  it('hides equal headers unless asked, keeping order and duplicates', () => {
    const headers = [
      { op: 'equal' as const, name: 'host', before: 'h', after: 'h' },
      { op: 'changed' as const, name: 'x-a', before: '1', after: '2' },
      { op: 'added' as const, name: 'x-a', after: '3' },
    ];
    expect(headerLines(headers, false).map((l) => `${l.op} ${l.where} ${l.before} ${l.after}`)).toEqual(['changed x-a 1 2', 'added x-a — 3']);
    expect(headerLines(headers, true)).toHaveLength(3);
  });

  it('counts differences and hidden ones', () => {
    const headers = [{ op: 'equal' as const, name: 'host' }, { op: 'removed' as const, name: 'x' }];
    expect(diffSummary(headers, [{ op: 'changed', path: '/a' }], 0, 2)).toBe('2 differences (2 volatile hidden)');
    expect(diffSummary([], [], 0, 0)).toBe('No differences');
    expect(diffSummary([], [], 1, 0)).toBe('1 difference');
  });
});
