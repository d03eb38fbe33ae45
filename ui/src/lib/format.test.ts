import { describe, expect, it } from 'vitest';
import { DecodedTooLarge, decompress, detectBody, parseForm, prettyJson } from './format';
import { parseMultipart } from './multipart';

async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('detectBody', () => {
  it('finds JSON by content even when the content type says text/plain', () => {
    expect(detectBody(bytes(' {"a": [1, 2]}\n'), 'text/plain').kind).toBe('json');
  });

  it('does not call invalid JSON json', () => {
    expect(detectBody(bytes('{"a": '), 'application/json').kind).toBe('text');
  });

  it('recognises images by their magic bytes, not the content type', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const found = detectBody(png, 'application/octet-stream');
    expect(found.kind).toBe('image');
    expect(found.imageType).toBe('image/png');
    expect(detectBody(bytes('not a png'), 'image/png').kind).toBe('text');
  });

  it('shows binary data as binary', () => {
    expect(detectBody(new Uint8Array([0, 1, 2, 3, 255, 254]), null).kind).toBe('binary');
  });

  it('treats invalid UTF-8 without a charset as binary, and honours a declared charset', () => {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]); // "café" in ISO-8859-1
    expect(detectBody(latin1, 'text/plain').kind).toBe('binary');
    const found = detectBody(latin1, 'text/plain; charset=ISO-8859-1');
    expect(found.kind).toBe('text');
    expect(found.text).toBe('café');
  });

  it('marks hostile HTML as html so it is shown as text', () => {
    const found = detectBody(bytes('<img src=x onerror="alert(1)"><script>x=1</script>'), 'text/plain');
    expect(found.kind).toBe('html');
    expect(found.text).toContain('<script>');
  });

  it('tells XML from HTML', () => {
    expect(detectBody(bytes('<?xml version="1.0"?><a/>'), 'application/xml').kind).toBe('xml');
  });

  it('recognises url-encoded forms without a content type', () => {
    expect(detectBody(bytes('a=1&b=two+words'), null).kind).toBe('form');
    expect(detectBody(bytes('just a sentence'), null).kind).toBe('text');
  });

  it('takes multipart from the content type boundary', () => {
    const found = detectBody(bytes('--xyz\r\n\r\nhi\r\n--xyz--'), 'multipart/form-data; boundary=xyz');
    expect(found.kind).toBe('multipart');
    expect(found.boundary).toBe('xyz');
  });

  it('says empty for no bytes', () => {
    expect(detectBody(new Uint8Array(), 'application/json').kind).toBe('empty');
  });
});

describe('prettyJson', () => {
  it('indents and keeps numbers exactly as sent', () => {
    expect(prettyJson('{"id":12345678901234567890,"a":[1,{}],"s":"x, {y}: \\"z\\""}')).toBe(
      '{\n  "id": 12345678901234567890,\n  "a": [\n    1,\n    {}\n  ],\n  "s": "x, {y}: \\"z\\""\n}',
    );
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
});

describe('parseMultipart', () => {
  it('splits parts with their headers and exact bytes', () => {
    const body = bytes(
      '--b1\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n' +
        '--b1\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\u0001\u0002\r\n' +
        '--b1--\r\n',
    );
    const parts = parseMultipart(body, 'b1')!;
    expect(parts).toHaveLength(2);
    expect(parts[0].name).toBe('note');
    expect(new TextDecoder().decode(parts[0].body)).toBe('hello');
    expect(parts[1].filename).toBe('a.bin');
    expect(parts[1].contentType).toBe('application/octet-stream');
    expect(Array.from(parts[1].body)).toEqual([1, 2]);
    expect(Array.from(body.subarray(parts[1].offset, parts[1].offset + 2))).toEqual([1, 2]);
    expect(new TextDecoder().decode(body.subarray(parts[0].offset, parts[0].offset + 5))).toBe('hello');
  });

  it('returns null when the boundary never appears', () => {
    expect(parseMultipart(bytes('nothing here'), 'b1')).toBeNull();
  });
});

describe('decompress', () => {
  it('decodes gzip', async () => {
    const out = await decompress(await gzip(bytes('{"zipped":true}')), 'gzip', 1024);
    expect(new TextDecoder().decode(out)).toBe('{"zipped":true}');
  });

  it('stops a gzip bomb at the cap with an error', async () => {
    const bomb = await gzip(new Uint8Array(5 * 1024 * 1024));
    await expect(decompress(bomb, 'gzip', 1024 * 1024)).rejects.toBeInstanceOf(DecodedTooLarge);
  });
});
