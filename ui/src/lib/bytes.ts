// Byte helpers: base64 from the engine, text decoding with a charset, sizes.

/** Decodes standard base64 (how the engine sends body bytes) into bytes. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The `charset` parameter of a content type, lower-cased, if any. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match ? match[1].toLowerCase() : null;
}

/** Decodes bytes as text in `charset` (UTF-8 when unknown); `fatal` makes bad bytes an error. */
export function decodeText(bytes: Uint8Array, charset: string | null = null, fatal = false): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal });
  } catch {
    decoder = new TextDecoder('utf-8', { fatal });
  }
  return decoder.decode(bytes);
}

/** "1.2 KB"-style size for people. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "4s", "12m", "3h", "2d": how long ago `receivedAtNs` was, at `nowMs`. */
export function formatAge(receivedAtNs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - receivedAtNs / 1e6) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
