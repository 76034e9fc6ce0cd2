import { expect } from 'chai';
import { firstInvalidUtf8 } from '@hcingest/shared';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('producer/file/utf8 firstInvalidUtf8', () => {
  it('returns -1 for empty input and plain ASCII', () => {
    expect(firstInvalidUtf8(new Uint8Array(0))).to.equal(-1);
    expect(firstInvalidUtf8(Buffer.from('Name,Age\r\nBobby,30\n'))).to.equal(-1);
  });

  it('returns -1 for valid 2-, 3- and 4-byte sequences', () => {
    expect(firstInvalidUtf8(Buffer.from('Désirée O’Brien 😀 中文', 'utf8'))).to.equal(-1);
  });

  it('accepts the boundary code points U+0080, U+07FF, U+0800, U+FFFF, U+10000 and U+10FFFF', () => {
    const text = '\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}';
    expect(firstInvalidUtf8(Buffer.from(text, 'utf8'))).to.equal(-1);
  });

  it('points at a lone 0xFF', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0x62, 0xff, 0x63))).to.equal(2);
  });

  it('points at a stray continuation byte', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0x80))).to.equal(1);
  });

  it('points at the lead byte of a 2-byte sequence cut short by the end', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0x62, 0xc3))).to.equal(2);
  });

  it('points at the lead byte of a 2-byte sequence whose continuation is missing', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0xc3, 0x41, 0x42))).to.equal(1);
  });

  it('points at an overlong encoding', () => {
    expect(firstInvalidUtf8(bytes(0x41, 0xc0, 0x80))).to.equal(1);
    expect(firstInvalidUtf8(bytes(0x41, 0x42, 0xe0, 0x80, 0xaf))).to.equal(2);
    expect(firstInvalidUtf8(bytes(0xf0, 0x8f, 0xbf, 0xbf))).to.equal(0);
  });

  it('points at an encoded UTF-16 surrogate', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0xed, 0xa0, 0x80))).to.equal(1);
    expect(firstInvalidUtf8(bytes(0xed, 0xbf, 0xbf))).to.equal(0);
  });

  it('points at a code point above U+10FFFF', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0xf4, 0x90, 0x80, 0x80))).to.equal(1);
    expect(firstInvalidUtf8(bytes(0xf5, 0x80, 0x80, 0x80))).to.equal(0);
  });

  it('reports the first of several invalid bytes', () => {
    expect(
      firstInvalidUtf8(Buffer.concat([Buffer.from('é ok '), bytes(0xfe), Buffer.from(' '), bytes(0xff)])),
    ).to.equal(6);
  });

  it('does not report a sequence cut by the end when the input is not final', () => {
    const smiley = Buffer.from('a😀', 'utf8');
    for (let cut = 2; cut < smiley.length; cut++) {
      expect(firstInvalidUtf8(smiley.subarray(0, cut), 0, false), `cut ${cut}`).to.equal(-1);
      expect(firstInvalidUtf8(smiley.subarray(0, cut), 0, true), `cut ${cut}`).to.equal(1);
    }
  });

  it('skips continuation bytes among the first `skipLeading` bytes, the tail of an already validated sequence', () => {
    const smiley = Buffer.from('😀b', 'utf8');
    const cut = smiley.subarray(2); // two continuation bytes, then "b"
    expect(firstInvalidUtf8(cut)).to.equal(0);
    expect(firstInvalidUtf8(cut, 2)).to.equal(-1);
    expect(firstInvalidUtf8(Buffer.concat([cut, bytes(0xff)]), 2)).to.equal(3);
  });

  it('does not skip continuation bytes beyond `skipLeading`', () => {
    expect(firstInvalidUtf8(bytes(0x80, 0x80, 0x80, 0x61), 2)).to.equal(2);
  });

  it('does not skip a non-continuation byte among the first `skipLeading` bytes', () => {
    expect(firstInvalidUtf8(bytes(0xff, 0x61), 3)).to.equal(0);
    expect(firstInvalidUtf8(bytes(0x61, 0x80, 0x61), 3)).to.equal(1);
  });
});
