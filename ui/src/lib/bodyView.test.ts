import { describe, expect, it } from 'vitest';
import type { BodyContent, BodyView } from './bindings';
import { copyableText, encodingNote, partFileName, previewNote, shownKind, utf8Length } from './bodyView';

const text = (t: string, syntax: 'plain' | 'html' = 'plain'): BodyContent => ({
  kind: 'text',
  text: t,
  syntax,
  charset: 'UTF-8',
  hadInvalidBytes: false,
});

const view = (content: BodyContent, more: Partial<BodyView> = {}): BodyView => ({
  totalSize: 100,
  declaredType: null,
  contentEncodings: [],
  decodedSize: null,
  decodeError: null,
  previewTruncated: false,
  content,
  ...more,
});

describe('shownKind', () => {
  it('shows HTML text in the html view (as text) and other kinds as themselves', () => {
    expect(shownKind(text('<b>x</b>', 'html'))).toBe('html');
    expect(shownKind(text('plain'))).toBe('text');
    expect(shownKind({ kind: 'xml', text: '<svg/>', charset: 'UTF-8', hadInvalidBytes: false, svg: true })).toBe('xml');
    expect(shownKind({ kind: 'empty' })).toBe('empty');
  });
});

describe('utf8Length', () => {
  it('counts bytes of one-, two-, three- and four-byte characters', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('✓')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('a😀é')).toBe(new TextEncoder().encode('a😀é').length);
  });
});

describe('encodingNote', () => {
  it('names the undone encodings and both sizes', () => {
    const v = view(text('x'), { contentEncodings: ['gzip', 'br'], totalSize: 2048, decodedSize: 10 * 1024 * 1024 });
    expect(encodingNote(v)).toBe('gzip, br: 2.0 KB decoded to 10 MB');
  });

  it('says nothing when nothing was decoded or decoding failed', () => {
    expect(encodingNote(view(text('x')))).toBeNull();
    expect(encodingNote(view(text('x'), { contentEncodings: ['gzip'], decodeError: 'corrupt' }))).toBeNull();
  });
});

describe('previewNote', () => {
  it('says how much of a cut text body is shown', () => {
    const shown = 'a'.repeat(1024 * 1024);
    const v = view(text(shown), { totalSize: 3 * 1024 * 1024, previewTruncated: true });
    expect(previewNote(v)).toBe('showing the first 1.0 MB of 3.0 MB; save for the whole');
  });

  it('measures a cut JSON body by its original text and a decoded body by its decoded size', () => {
    const content: BodyContent = { kind: 'json', pretty: '[\n  1\n]', original: '[1]', charset: 'UTF-8', hadInvalidBytes: false };
    const v = view(content, { totalSize: 10, decodedSize: 4096, contentEncodings: ['gzip'], previewTruncated: true });
    expect(previewNote(v)).toBe('showing the first 3 B of 4.0 KB; save for the whole');
  });

  it('counts parts of a cut multipart body and is silent for a whole body', () => {
    const content: BodyContent = { kind: 'multipart', subtype: 'mixed', boundary: 'b', parts: [], error: null };
    expect(previewNote(view(content, { previewTruncated: true }))).toBe('showing the first 0 parts of 100 B; save for the whole');
    expect(previewNote(view(content))).toBeNull();
  });
});

describe('copyableText', () => {
  it('copies pretty JSON, form fields as lines and the hex dump; nothing for images', () => {
    expect(copyableText({ kind: 'json', pretty: '{\n  "a": 1\n}', original: '{"a":1}', charset: 'UTF-8', hadInvalidBytes: false })).toBe(
      '{\n  "a": 1\n}',
    );
    expect(copyableText({ kind: 'form', fields: [{ name: 'a', value: '1' }, { name: 'b', value: 'x y' }] })).toBe('a=1\nb=x y');
    expect(copyableText({ kind: 'binary', mime: null, hexDump: '00000000  00' })).toBe('00000000  00');
    expect(copyableText({ kind: 'image', mime: 'image/png', base64: 'AA==' })).toBeNull();
  });
});

describe('partFileName', () => {
  it("keeps the part's file name without directories", () => {
    expect(partFileName('r1', [0], '../../etc/passwd')).toBe('passwd');
    expect(partFileName('r1', [0], 'C:\\x\\report.pdf')).toBe('report.pdf');
  });

  it('names an unnamed part by its position, nested parts dotted', () => {
    expect(partFileName('r1', [2, 0], null)).toBe('r1-part3.1');
    expect(partFileName('r1', [1], '  ')).toBe('r1-part2');
  });
});
