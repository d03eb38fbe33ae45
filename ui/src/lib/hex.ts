// The hex dump of binary bodies: offset, 16 bytes in hex, the same bytes as ASCII.

export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

export const BYTES_PER_LINE = 16;

/** Lines `from`..`to` (line numbers, end exclusive) of the dump of `bytes`. */
export function hexLines(bytes: Uint8Array, from = 0, to = Math.ceil(bytes.length / BYTES_PER_LINE)): HexLine[] {
  const lines: HexLine[] = [];
  const last = Math.min(to, Math.ceil(bytes.length / BYTES_PER_LINE));
  for (let line = Math.max(0, from); line < last; line++) {
    const start = line * BYTES_PER_LINE;
    const chunk = bytes.subarray(start, start + BYTES_PER_LINE);
    const hex: string[] = [];
    let ascii = '';
    for (let i = 0; i < BYTES_PER_LINE; i++) {
      if (i < chunk.length) {
        hex.push(chunk[i].toString(16).padStart(2, '0'));
        ascii += chunk[i] >= 0x20 && chunk[i] < 0x7f ? String.fromCharCode(chunk[i]) : '.';
      } else {
        hex.push('  ');
      }
    }
    lines.push({
      offset: start.toString(16).padStart(8, '0'),
      hex: hex.slice(0, 8).join(' ') + '  ' + hex.slice(8).join(' '),
      ascii,
    });
  }
  return lines;
}

/** The whole dump as text (for copying). */
export function hexDump(bytes: Uint8Array): string {
  return hexLines(bytes)
    .map((l) => `${l.offset}  ${l.hex}  |${l.ascii}|`)
    .join('\n');
}
