/**
 * Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1.
 * The first `skipLeading` bytes may be the tail of a sequence the caller already validated:
 * continuation bytes among them are skipped. With final=false, a sequence cut by the end is not an error.
 */
export function firstInvalidUtf8(buf: Uint8Array, skipLeading = 0, final = true): number {
  let i = 0;
  while (i < buf.length && i < skipLeading && (buf[i]! & 0xc0) === 0x80) i++;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined) return final ? i : -1;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
