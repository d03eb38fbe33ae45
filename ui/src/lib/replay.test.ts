import { describe, expect, it } from 'vitest';
import type { CapturedRequest } from './bindings';
import {
  DEFAULT_TARGET,
  editFrom,
  formFrom,
  headersFromText,
  loadResign,
  loadTarget,
  replayOptions,
  saveResign,
  saveTarget,
  targetProblem,
  utf8ToBase64,
} from './replay';

function memory() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

const captured = {
  method: 'POST',
  headers: [
    { name: 'Content-Type', value: 'application/json' },
    { name: 'X-Dup', value: 'a' },
    { name: 'X-Dup', value: 'b' },
  ],
} as CapturedRequest;

describe('the remembered target', () => {
  it('starts at the local default and then remembers the last one used', () => {
    const storage = memory();
    expect(loadTarget(storage)).toBe(DEFAULT_TARGET);
    saveTarget(storage, '  http://localhost:4000/hooks ');
    expect(loadTarget(storage)).toBe('http://localhost:4000/hooks');
    expect(loadResign(storage)).toBe(false);
    saveResign(storage, true);
    expect(loadResign(storage)).toBe(true);
  });

  it('accepts only http(s) URLs with a host', () => {
    expect(targetProblem('http://127.0.0.1:3000')).toBeNull();
    expect(targetProblem('https://example.com/x?y=1')).toBeNull();
    expect(targetProblem('')).toMatch(/Enter a target/);
    expect(targetProblem('localhost:3000')).toMatch(/not an http/);
    expect(targetProblem('http://')).toMatch(/not an http/);
    expect(targetProblem('http://a b')).toMatch(/spaces/);
  });
});

describe('the replay dialog', () => {
  it('sends nothing but the target when nothing was changed', () => {
    const form = formFrom(captured, '{"a":1}');
    const { edit, error } = editFrom(form, { ...form });
    expect(error).toBeNull();
    expect(edit).toEqual({ method: null, url: null, headers: null, body: null });
    expect(replayOptions(' http://t ', true, edit)).toEqual({ target: 'http://t', kind: 'replay', edit, resign: true });
  });

  it('keeps duplicate headers in order and sends the changed parts only', () => {
    const form = formFrom(captured, '{"a":1}');
    expect(form.headers).toBe('Content-Type: application/json\nX-Dup: a\nX-Dup: b');
    const changed = { ...form, method: 'put', headers: form.headers + '\nX-New:  yes ', body: '{"a":"é"}' };
    const { edit, error } = editFrom(form, changed);
    expect(error).toBeNull();
    expect(edit.method).toBe('PUT');
    expect(edit.url).toBeNull();
    expect(edit.headers).toEqual([...captured.headers, { name: 'X-New', value: 'yes' }]);
    expect(atob(edit.body!)).toBe(String.fromCharCode(...new TextEncoder().encode('{"a":"é"}')));
  });

  it('refuses a bad method, URL or header line with a message', () => {
    const form = formFrom(captured, null);
    expect(editFrom(form, { ...form, method: 'PO ST' }).error).toMatch(/not an HTTP method/);
    expect(editFrom(form, { ...form, url: 'ftp://x' }).error).toMatch(/not an http/);
    expect(editFrom(form, { ...form, headers: 'Content-Type application/json' }).error).toMatch(/Line 1/);
    expect(editFrom(form, { ...form, url: 'http://h/p?q' }).edit.url).toBe('http://h/p?q');
  });

  it('parses header text, skipping blank lines and keeping colons in values', () => {
    expect(headersFromText('A: 1\n\nB: http://x:2\r\n')).toEqual({
      headers: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'http://x:2' },
      ],
      error: null,
    });
  });

  it('encodes an edited body as UTF-8 base64', () => {
    expect(utf8ToBase64('hello')).toBe('aGVsbG8=');
    expect(utf8ToBase64('€')).toBe('4oKs');
  });
});
