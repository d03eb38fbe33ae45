import { describe, expect, it } from 'vitest';
import type { DeliveryAttempt } from './bindings';
import { bodyText, flags, formatDuration, headerValue, newestFirst, outcome } from './deliveries';

function attempt(over: Partial<DeliveryAttempt>): DeliveryAttempt {
  return {
    id: '01A',
    request_id: 'r',
    kind: 'replay',
    target: 'http://localhost:3000',
    started_at_ns: 1,
    duration_us: 1500,
    sent: { method: 'POST', url: 'http://localhost:3000/x', headers: [], body: '' },
    edited: false,
    resigned: false,
    response: null,
    error: null,
    ...over,
  };
}

describe('a delivery attempt in words', () => {
  it('formats durations from microseconds', () => {
    expect(formatDuration(850)).toBe('850 µs');
    expect(formatDuration(12_400)).toBe('12 ms');
    expect(formatDuration(1_450_000)).toBe('1.4 s');
  });

  it('shows the status answered or the failure kind', () => {
    const response = { status: 201, headers: [], body: '', body_size: 0, truncated: false };
    expect(outcome(attempt({ response }))).toEqual({ text: '201', tone: 'ok' });
    expect(outcome(attempt({ response: { ...response, status: 302 } })).tone).toBe('warn');
    expect(outcome(attempt({ response: { ...response, status: 500 } })).tone).toBe('bad');
    const error = { kind: 'connection_refused' as const, message: 'refused' };
    expect(outcome(attempt({ error }))).toEqual({ text: 'connection refused', tone: 'bad' });
  });

  it('names edits, re-signing and automatic forwards', () => {
    expect(flags(attempt({}))).toEqual([]);
    expect(flags(attempt({ kind: 'auto_forward', edited: true, resigned: true }))).toEqual([
      'auto-forward',
      'edited',
      're-signed',
    ]);
  });

  it('shows text bodies as text, in their charset, and binary ones as a note', () => {
    expect(bodyText(btoa('<b>hi</b>'), 'text/html')).toBe('<b>hi</b>');
    expect(bodyText(btoa('caf\xe9'), 'text/plain; charset=iso-8859-1')).toBe('café');
    expect(bodyText(btoa('\x00\x01\x02\xff\xfe'), null)).toBe('[5 B of binary data]');
    expect(bodyText(btoa('abcdef'), null, 4)).toBe('abcd\n[… 2 B more]');
    expect(bodyText('', null)).toBe('');
  });

  it('finds headers by any case and orders attempts newest first', () => {
    expect(headerValue([{ name: 'Content-Type', value: 'a' }], 'content-type')).toBe('a');
    expect(headerValue([], 'x')).toBeNull();
    const list = newestFirst([attempt({ id: '1', started_at_ns: 1 }), attempt({ id: '2', started_at_ns: 2 })]);
    expect(list.map((a) => a.id)).toEqual(['2', '1']);
  });
});
