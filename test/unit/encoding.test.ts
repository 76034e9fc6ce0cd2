import { expect } from 'chai';
import { decoderFor, parseEncoding } from '@hcingest/shared';

describe('producer/file/encoding', () => {
  it('decodes Windows-1252 bytes 0x80-0x9F as the printable characters Excel wrote', () => {
    const bytes = Buffer.from([0x80, 0x92, 0x93, 0x94, 0x96, 0x97, 0x9c, 0xe9]);
    expect(decoderFor('windows-1252')(bytes)).to.equal('€’“”–—œé');
    // Latin-1 makes the same bytes control characters (which scanFile refuses).
    expect([...decoderFor('latin1')(bytes)].map((c) => c.charCodeAt(0))).to.deep.equal([
      0x80, 0x92, 0x93, 0x94, 0x96, 0x97, 0x9c, 0xe9,
    ]);
  });

  it('decodes a byte range on its own', () => {
    const bytes = Buffer.from('ab\u00e9cd', 'latin1');
    expect(decoderFor('windows-1252')(bytes, 1, 4)).to.equal('b\u00e9c');
    expect(decoderFor('utf8')(Buffer.from('a€b'), 1, 4)).to.equal('€');
  });

  it('knows the usual names of each encoding and lists them when given another', () => {
    for (const name of ['utf8', 'UTF-8']) expect(parseEncoding(name)).to.equal('utf8');
    for (const name of ['windows-1252', 'Windows_1252', 'cp1252', 'CP-1252', 'win1252']) {
      expect(parseEncoding(name), name).to.equal('windows-1252');
    }
    for (const name of ['latin1', 'Latin-1', 'ISO-8859-1']) expect(parseEncoding(name), name).to.equal('latin1');
    expect(() => parseEncoding('utf16')).to.throw('encodings: utf8, windows-1252, latin1');
  });
});
