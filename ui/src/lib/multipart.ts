// Splits a multipart body into its parts, each with its headers and exact bytes.

import { decodeText } from './bytes';

export interface MultipartPart {
  headers: { name: string; value: string }[];
  /** The form field name from Content-Disposition, if any. */
  name: string | null;
  filename: string | null;
  contentType: string | null;
  body: Uint8Array;
  /** Where `body` starts in the multipart body, in bytes. */
  offset: number;
}

/** The boundary parameter of a multipart content type. */
export function boundaryOf(contentType: string | null | undefined): string | null {
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

function param(value: string, key: string): string | null {
  const match = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(value);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/** Parses the parts; returns null when the body does not contain the boundary at all. */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] | null {
  const encoder = new TextEncoder();
  const delimiter = encoder.encode(`--${boundary}`);
  let position = indexOf(body, delimiter, 0);
  if (position < 0) return null;
  const parts: MultipartPart[] = [];
  while (position >= 0) {
    let start = position + delimiter.length;
    // "--" after the delimiter closes the body.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    if (body[start] === 0x0d) start++;
    if (body[start] === 0x0a) start++;
    const next = indexOf(body, delimiter, start);
    let end = next < 0 ? body.length : next;
    // The CRLF before the next delimiter belongs to the delimiter.
    if (next >= 0 && body[end - 1] === 0x0a) end--;
    if (next >= 0 && body[end - 1] === 0x0d) end--;
    const part = body.subarray(start, end);
    let headerEnd = indexOf(part, encoder.encode('\r\n\r\n'), 0);
    let bodyStart = headerEnd + 4;
    if (headerEnd < 0) {
      headerEnd = indexOf(part, encoder.encode('\n\n'), 0);
      bodyStart = headerEnd + 2;
    }
    const headerText = headerEnd < 0 ? '' : decodeText(part.subarray(0, headerEnd));
    const headers = headerText
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => {
        const colon = line.indexOf(':');
        return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
      });
    const header = (n: string) => headers.find((h) => h.name.toLowerCase() === n)?.value ?? null;
    const disposition = header('content-disposition') ?? '';
    parts.push({
      headers,
      name: param(disposition, 'name'),
      filename: param(disposition, 'filename'),
      contentType: header('content-type'),
      body: headerEnd < 0 ? part : part.subarray(bodyStart),
      offset: start + (headerEnd < 0 ? 0 : bodyStart),
    });
    if (next < 0) break;
    position = next;
  }
  return parts;
}
