import { describe, expect, it } from 'vitest';
import { importSummary } from './importReport';

describe('importSummary', () => {
  it('counts the requests and nothing more when every body came over exactly', () => {
    expect(importSummary({ ids: ['a'], notes: [] })).toEqual({ text: 'Imported 1 request', notes: [] });
  });

  it('counts warnings but not unchecked notes, and lists every note for the hover', () => {
    const summary = importSummary({
      ids: ['a', 'b'],
      notes: [
        { entry: 2, request_id: 'b', kind: 'not_exact', message: 'compressed again' },
        { entry: 3, request_id: null, kind: 'skipped', message: 'it holds a response only, no request' },
        { entry: 4, request_id: 'c', kind: 'unchecked', message: 'stored as UTF-8' },
      ],
    });
    expect(summary.text).toBe('Imported 2 requests, 2 warnings (hover)');
    expect(summary.notes).toEqual([
      'entry 2 (b): compressed again',
      'entry 3 skipped: it holds a response only, no request',
      'entry 4 (c): stored as UTF-8',
    ]);
  });
});
