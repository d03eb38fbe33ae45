import { describe, expect, it } from 'vitest';
import { looksLikeText, parseForm } from './format';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('looksLikeText', () => {
  it('accepts text with tabs and newlines', () => {
    expect(looksLikeText(bytes('line one\n\tline two\r\n'))).toBe(true);
  });

  it('rejects bytes with NUL or many control characters', () => {
    expect(looksLikeText(new Uint8Array([0x61, 0x00, 0x62]))).toBe(false);
    expect(looksLikeText(new Uint8Array([1, 2, 3, 4, 0x61]))).toBe(false);
  });
});

describe('parseForm', () => {
  it('decodes plus signs and percent escapes in order, keeping duplicates', () => {
    expect(parseForm('a=1&b=two+words&a=%E2%9C%93&flag')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'two words' },
      { name: 'a', value: '✓' },
      { name: 'flag', value: '' },
    ]);
  });

  it('keeps a malformed escape as sent', () => {
    expect(parseForm('q=100%')).toEqual([{ name: 'q', value: '100%' }]);
  });
});
