import { describe, expect, it } from 'vitest';
import { hexDump, hexLines } from './hex';

describe('hexLines', () => {
  it('shows offset, two groups of eight bytes and printable ASCII', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('Hello, world!'), 0, 0xff, 0x7f, 0x41]);
    const [line] = hexLines(bytes);
    expect(line.offset).toBe('00000000');
    expect(line.hex).toBe('48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 00 ff 7f');
    expect(line.ascii).toBe('Hello, world!...');
    expect(hexLines(bytes)[1]).toEqual({
      offset: '00000010',
      hex: '41                                              ',
      ascii: 'A',
    });
  });

  it('returns only the requested range of lines', () => {
    const bytes = new Uint8Array(100);
    const lines = hexLines(bytes, 2, 4);
    expect(lines.map((l) => l.offset)).toEqual(['00000020', '00000030']);
    expect(hexLines(bytes, 6, 100)).toHaveLength(1);
  });

  it('dumps nothing for no bytes', () => {
    expect(hexDump(new Uint8Array())).toBe('');
  });
});
