import { randomFillSync } from 'node:crypto';

/** The millisecond the last id was made in (ids never go back, even if the clock does). */
let lastMs = 0;

/**
 * `n` new RFC 9562 version-7 UUIDs, in ascending order: 48 bits of Unix time in milliseconds, a
 * 12-bit sequence, then 62 random bits. Ids made one after another sort in the order they were
 * made, so the rows a bulk load creates — and the rows keyed by them — go to the right-hand end of
 * their B-tree indexes instead of a random page each (a 1,000,000-row survey load: 1.3–1.7 s less
 * of PostgreSQL's CPU, see `openForms` in the bulk load). More than 4,096 ids in a millisecond
 * borrow the milliseconds after it. Not a secret, like any version-7 id: it tells when it was
 * made, to the millisecond.
 */
export function timeOrderedIds(n: number): string[] {
  const random = randomFillSync(Buffer.alloc(8 * n));
  const ids: string[] = new Array<string>(n);
  let ms = Math.max(Date.now(), lastMs + 1);
  let seq = 0;
  for (let i = 0; i < n; i++) {
    if (seq === 4096) {
      ms++;
      seq = 0;
    }
    const b = Buffer.alloc(16);
    b.writeUIntBE(ms, 0, 6);
    b.writeUInt16BE(0x7000 | seq++, 6);
    random.copy(b, 8, 8 * i, 8 * i + 8);
    b[8] = 0x80 | (b[8] & 0x3f);
    const h = b.toString('hex');
    ids[i] =
      `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  lastMs = ms;
  return ids;
}
