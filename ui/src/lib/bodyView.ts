// Choices the Body tab makes about the engine's rendering of a body (`BodyView` from
// hookscope::body::render): which view shows it and what the notices above it say.

import type { BodyContent, BodyView } from './bindings';
import { formatSize } from './bytes';

/** The view a body is shown in; HTML is text whose view says it is never rendered. */
export type ShownKind = BodyContent['kind'] | 'html';

export function shownKind(content: BodyContent): ShownKind {
  return content.kind === 'text' && content.syntax === 'html' ? 'html' : content.kind;
}

/** Bytes `text` takes in UTF-8, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one code point of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** "gzip: 1.2 KB decoded to 40 KB" when a content-encoding was undone. */
export function encodingNote(view: BodyView): string | null {
  if (!view.contentEncodings.length || view.decodedSize === null) return null;
  return `${view.contentEncodings.join(', ')}: ${formatSize(view.totalSize)} decoded to ${formatSize(view.decodedSize)}`;
}

/** What a cut preview leaves out, in words; null when the whole body is shown. */
export function previewNote(view: BodyView): string | null {
  if (!view.previewTruncated) return null;
  const size = formatSize(view.decodedSize ?? view.totalSize);
  const c = view.content;
  switch (c.kind) {
    case 'json':
      return `showing the first ${formatSize(utf8Length(c.original))} of ${size}; save for the whole`;
    case 'xml':
    case 'text':
      return `showing the first ${formatSize(utf8Length(c.text))} of ${size}; save for the whole`;
    case 'form':
      return `showing the first ${c.fields.length} fields of ${size}; save for the whole`;
    case 'multipart':
      return `showing the first ${c.parts.length} parts of ${size}; save for the whole`;
    case 'image':
      return `a ${size} image is too large to preview; save it to view`;
    case 'binary': {
      const lines = c.hexDump ? c.hexDump.split('\n').length : 0;
      return `showing the first ${formatSize(lines * 16)} of ${size} in hex; save for the whole`;
    }
    default:
      return null;
  }
}

/** The text "Copy" puts on the clipboard for this content, or null when it has none. */
export function copyableText(content: BodyContent): string | null {
  switch (content.kind) {
    case 'json':
      return content.pretty;
    case 'xml':
    case 'text':
      return content.text;
    case 'form':
      return content.fields.map((f) => `${f.name}=${f.value}`).join('\n');
    case 'binary':
      return content.hexDump;
    default:
      return null;
  }
}

/** A file name to suggest when saving a part: its own (without directories) or `ID-part2.1`. */
export function partFileName(requestId: string, path: number[], filename: string | null): string {
  const own = filename?.split(/[/\\]/).pop()?.trim();
  return own || `${requestId}-part${path.map((i) => i + 1).join('.')}`;
}
