// What the panel does to captured strings before showing them: escapes for invisible characters, URL parts.
import { describe, expect, it } from 'vitest';
import { segments, urlParts, visible } from '../../src/panel/format.ts';

describe('visible', () => {
  it('escapes controls, DEL, C1, bidi and zero-width characters, separators, BOM and lone surrogates', () => {
    expect(visible('a\u0000b\tc\r\nd\u007f\u0085\u200b\u202e\u2066\u2028\ufeff')).toBe(
      'a\\u0000b\\u0009c\\u000d\\u000ad\\u007f\\u0085\\u200b\\u202e\\u2066\\u2028\\ufeff',
    );
    expect(visible('x\ud800y\udc00')).toBe('x\\ud800y\\udc00');
  });

  it('leaves printable text alone, astral characters included', () => {
    expect(visible('<img src=x> é 日本 😀')).toBe('<img src=x> é 日本 😀');
  });
});

describe('segments', () => {
  it('splits text and escapes so the escapes can be styled', () => {
    expect(segments('a\u0000\u0001b')).toEqual([
      { text: 'a', escaped: false },
      { text: '\\u0000', escaped: true },
      { text: '\\u0001', escaped: true },
      { text: 'b', escaped: false },
    ]);
  });
});

describe('urlParts', () => {
  it('splits host from path and query, and keeps an unparsable URL whole', () => {
    expect(urlParts('http://127.0.0.1:8080/a/b?c=1')).toEqual({ host: '127.0.0.1:8080', path: '/a/b?c=1' });
    expect(urlParts('not a url')).toEqual({ host: '', path: 'not a url' });
  });
});
