// Chooses how a body is shown, from its bytes first and its content type second.

import { charsetOf, decodeText } from './bytes';
import { boundaryOf } from './multipart';

export type BodyKind = 'empty' | 'json' | 'xml' | 'html' | 'form' | 'multipart' | 'image' | 'text' | 'binary';

export interface Detected {
  kind: BodyKind;
  /** The decoded text, for every kind shown as text. */
  text: string | null;
  /** MIME type of an image preview. */
  imageType: string | null;
  /** The multipart boundary. */
  boundary: string | null;
}

/** The image type named by the first bytes (never by the content type alone). */
export function sniffImage(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50)
    return 'image/webp';
  return null;
}

/** True when the bytes look like text: no NUL, few control characters. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control <= sample.length / 100;
}

function isJson(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

const FORM_PAIR = /^[^=&\s]+(=[^&\s]*)?(&[^=&\s]+(=[^&\s]*)?)*$/;

/** Detects a body's kind from its (already content-decoded) bytes and its content type. */
export function detectBody(bytes: Uint8Array, contentType: string | null | undefined): Detected {
  const type = (contentType ?? '').toLowerCase();
  const result = (kind: BodyKind, text: string | null = null): Detected => ({
    kind,
    text,
    imageType: null,
    boundary: null,
  });
  if (bytes.length === 0) return result('empty', '');
  const image = sniffImage(bytes);
  if (image) return { ...result('image'), imageType: image };
  const boundary = boundaryOf(contentType);
  if (boundary) return { ...result('multipart'), boundary };
  const charset = charsetOf(contentType);
  if (!charset && !looksLikeText(bytes)) return result('binary');
  let text: string;
  try {
    text = decodeText(bytes, charset, !charset);
  } catch {
    return result('binary');
  }
  if (isJson(text)) return result('json', text);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    const html = type.includes('html') || /^<(!doctype html|html|head|body|script|img|div|p)\b/i.test(trimmed);
    return result(html ? 'html' : 'xml', text);
  }
  if (type.includes('x-www-form-urlencoded') || (FORM_PAIR.test(text.trim()) && text.includes('='))) return result('form', text);
  return result('text', text);
}

/**
 * Re-indents JSON text without parsing numbers, so that every value is shown exactly as sent
 * (JSON.parse would round large integers). Assumes `text` is valid JSON.
 */
export function prettyJson(text: string, indent = '  '): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  const newline = () => '\n' + indent.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[': {
        // Keep empty containers on one line.
        let j = i + 1;
        while (j < text.length && /\s/.test(text[j])) j++;
        if (text[j] === (c === '{' ? '}' : ']')) {
          out += c + text[j];
          i = j;
        } else {
          depth++;
          out += c + newline();
        }
        break;
      }
      case '}':
      case ']':
        depth--;
        out += newline() + c;
        break;
      case ',':
        out += ',' + newline();
        break;
      case ':':
        out += ': ';
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

/** Name/value pairs of a URL-encoded form or query string, decoded, in order. */
export function parseForm(text: string): { name: string; value: string }[] {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return text
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: decode(pair), value: '' } : { name: decode(pair.slice(0, eq)), value: decode(pair.slice(eq + 1)) };
    });
}

export type Encoding = 'gzip' | 'deflate' | 'br';

/** The content-codings to undo, outermost last as listed in Content-Encoding. */
export function encodingsOf(contentEncoding: string | null | undefined): string[] {
  return (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
}

/** Thrown when decoding would produce more than the cap: a compression bomb, or just huge. */
export class DecodedTooLarge extends Error {}

/**
 * Undoes gzip or deflate with the platform's DecompressionStream, stopping at `cap` bytes of
 * output so that a compression bomb shows an error instead of filling memory.
 */
export async function decompress(bytes: Uint8Array, encoding: string, cap: number): Promise<Uint8Array> {
  let format: CompressionFormat;
  if (encoding === 'gzip' || encoding === 'x-gzip') format = 'gzip';
  else if (encoding === 'deflate') format = bytes[0] === 0x78 ? 'deflate' : ('deflate-raw' as CompressionFormat);
  else throw new Error(`${encoding} is not decoded in this view`);
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream(format));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      throw new DecodedTooLarge(`decoded body is larger than ${cap} bytes; stopped (compression bomb?)`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
