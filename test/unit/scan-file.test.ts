import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { scanFile } from '@hcingest/shared';

describe('producer/file/scanFile', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'hc-scan-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const text = Buffer.from('Name,Age\nDésirée,30\n中文,40\n😀,50\n', 'utf8');

  it('accepts multi-byte characters cut by every read-piece boundary and hashes the whole file', async () => {
    const path = write('ok.csv', text);
    const sha256 = createHash('sha256').update(text).digest('hex');
    // Read sizes 1..7 put a piece boundary inside each 2-, 3- and 4-byte sequence.
    for (let size = 1; size <= 7; size++) {
      expect(await scanFile(path, 'utf8', size), `read size ${size}`).to.deep.equal({
        name: 'ok.csv',
        bytes: text.length,
        sha256,
        contentSha256: sha256,
      });
    }
  });

  it('names the byte offset of a bad sequence whatever the piece boundaries', async () => {
    const bad = Buffer.concat([text.subarray(0, 12), Buffer.from([0xe4, 0xb8, 0x41]), text.subarray(12)]);
    const path = write('bad.csv', bad);
    for (let size = 1; size <= 7; size++) {
      const err = await scanFile(path, 'utf8', size).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message, `read size ${size}`).to.match(
        /not valid UTF-8 text: first bad byte sequence at byte offset 12;/,
      );
    }
  });

  it('refuses a file that ends inside a multi-byte sequence, at its offset', async () => {
    const path = write('cut.csv', Buffer.concat([text, Buffer.from([0xf0, 0x9f, 0x98])]));
    for (const size of [1, 2, 1 << 20]) {
      await scanFile(path, 'utf8', size).then(
        () => expect.fail('accepted'),
        (e: Error) => expect(e.message).to.contain(`byte offset ${text.length};`),
      );
    }
  });

  it('reports whichever of a NUL byte and a bad UTF-8 sequence comes first', async () => {
    const badFirst = write('bad-first.csv', Buffer.from([0x61, 0xff, 0x62, 0x00]));
    const nulFirst = write('nul-first.csv', Buffer.from([0x61, 0x00, 0x62, 0xff]));
    await scanFile(badFirst).then(
      () => expect.fail('accepted'),
      (e: Error) => expect(e.message).to.contain('first bad byte sequence at byte offset 1;'),
    );
    await scanFile(nulFirst).then(
      () => expect.fail('accepted'),
      (e: Error) => expect(e.message).to.contain('NUL byte at offset 1'),
    );
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('accepted'),
      (e: Error) => e.message,
    );

  it('names the likely encoding of a file that is not UTF-8, from the byte found', async () => {
    const excel = write('excel.csv', Buffer.from([0x4f, 0x92, 0x4e, 0x0a])); // O’N in Windows-1252
    expect(await failure(scanFile(excel)))
      .to.include('byte 0x92 is "’" in Windows-1252')
      .and.to.include('--encoding windows-1252 (encodings: utf8, windows-1252, latin1)');
    const accent = write('accent.csv', Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x0a])); // José in either
    expect(await failure(scanFile(accent))).to.include('byte 0xE9 is "é" in Windows-1252 and Latin-1');
  });

  it('names what a file is when it is not CSV text at all, before any encoding or NUL complaint', async () => {
    // gzip is read (fileForms.test.ts); these four bytes are only the start of one.
    expect(await failure(scanFile(write('a.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00]))))).to.include(
      'gzip-compressed but cannot be decompressed',
    );
    expect(await failure(scanFile(write('a.xlsx', Buffer.from('PK\x03\x04rest', 'latin1'))))).to.include('ZIP');
    expect(await failure(scanFile(write('u16.csv', Buffer.from([0xff, 0xfe, 0x41, 0x00]))))).to.include('UTF-16');
    // Only at the start of the file: the same bytes later are judged as text.
    const later = await failure(scanFile(write('later.csv', Buffer.from([0x41, 0x0a, 0x1f, 0x8b]))));
    expect(later).to.not.include('gzip');
  });

  it('refuses in Latin-1 the bytes 0x80-0x9F (control characters there), at their offset, whatever the pieces', async () => {
    const bytes = Buffer.from([0x5a, 0x6f, 0xeb, 0x20, 0x4f, 0x92, 0x4e, 0x0a]); // Zoë O’N
    const path = write('cp.csv', bytes);
    for (const size of [1, 2, 3, 1 << 20]) {
      const message = await failure(scanFile(path, 'latin1', size));
      expect(message, `read size ${size}`).to.include('byte 0x92').and.to.include('(byte offset 5)');
      expect(message).to.include('--encoding windows-1252');
    }
    expect((await scanFile(path, 'windows-1252')).bytes).to.equal(bytes.length);
  });

  it('refuses in Windows-1252 only the five bytes it leaves undefined', async () => {
    const defined = Buffer.from([0x80, 0x82, 0x8a, 0x92, 0x96, 0x9f, 0x0a]);
    expect((await scanFile(write('def.csv', defined), 'windows-1252')).bytes).to.equal(defined.length);
    for (const b of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
      const message = await failure(scanFile(write(`u${b}.csv`, Buffer.from([0x41, b])), 'windows-1252'));
      expect(message).to.include(`byte 0x${b.toString(16).toUpperCase()} is not a character in Windows-1252`);
      expect(message).to.include('(byte offset 1)');
    }
  });

  it('accepts any byte above 0x9F as latin1 but still refuses NUL with its offset', async () => {
    const latin = write('latin.csv', Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0xe9, 0xff, 0x0a]));
    expect((await scanFile(latin, 'latin1', 3)).bytes).to.equal(8);
    const nul = write('nul.csv', Buffer.from('Name\nab\0c\n'));
    await scanFile(nul, 'latin1', 2).then(
      () => expect.fail('accepted'),
      (e: Error) => expect(e.message).to.contain('NUL byte at offset 7'),
    );
  });
});
