import { COPY_PIECE_BYTES, copyField, CopyPieces, CopyText } from './copy';

describe('CopyText', () => {
  it('holds the UTF-8 of the rows added, in order, across pieces and rows longer than a piece', () => {
    const rows: string[] = [];
    for (let i = 0; i < 40_000; i++)
      rows.push(`${i}\t${copyField(`林业局\t第${i}行`)}\t${'碳'.repeat(i % 50)}\n`);
    rows.splice(20_000, 0, `${'x'.repeat(3 << 20)}\n`); // 3 MiB: bigger than a piece
    const text = new CopyText();
    for (const r of rows) text.add(r);
    const pieces = text.bytes();
    expect(pieces.length).toBeGreaterThan(2);
    expect(Buffer.concat(pieces).equals(Buffer.from(rows.join(''), 'utf8'))).toBe(true);
  });

  it('has no piece when nothing was added', () => {
    expect(new CopyText().bytes()).toEqual([]);
  });

  it('fills the pieces it is given, and makes its own only for a row longer than a piece', () => {
    const given: Buffer[] = [];
    const filled: Buffer[] = [];
    const text = new CopyText(
      (p) => filled.push(p),
      () => {
        given.push(Buffer.alloc(COPY_PIECE_BYTES));
        return given[given.length - 1];
      },
    );
    const row = `${'森'.repeat(1000)}\n`;
    for (let i = 0; i < 1000; i++) text.add(row);
    text.add(`${'x'.repeat(COPY_PIECE_BYTES)}\n`);
    const pieces = [...filled, ...text.bytes()];
    expect(Buffer.concat(pieces).toString()).toBe(
      row.repeat(1000) + `${'x'.repeat(COPY_PIECE_BYTES)}\n`,
    );
    expect(given.length).toBe(pieces.length - 1);
    pieces.slice(0, -1).forEach((p, i) => expect(p.buffer).toBe(given[i].buffer));
    expect(given.some((g) => g.buffer === pieces[pieces.length - 1].buffer)).toBe(false);
  });
});

describe('CopyPieces', () => {
  it('gives a written piece out again, and takes back none but its own, up to what it keeps', () => {
    const pieces = new CopyPieces(2);
    const [a, b, c] = [pieces.take(), pieces.take(), pieces.take()];
    expect(new Set([a.buffer, b.buffer, c.buffer]).size).toBe(3);
    expect(a.length).toBe(COPY_PIECE_BYTES);
    pieces.written(Buffer.allocUnsafe(COPY_PIECE_BYTES)); // not one of its own
    pieces.written(Buffer.from('a string made into bytes by the stream'));
    pieces.written(a.subarray(0, 10)); // as copyIn reports it: the part of the piece written
    pieces.written(b.subarray(0, 20));
    pieces.written(c.subarray(0, 30)); // one more than it keeps
    const again = [pieces.take(), pieces.take()];
    expect(again[0].buffer).not.toBe(again[1].buffer);
    expect(again.every((p) => p.buffer === a.buffer || p.buffer === b.buffer)).toBe(true);
    expect(again.every((p) => p.length === COPY_PIECE_BYTES)).toBe(true);
    const fresh = pieces.take().buffer;
    expect([a.buffer, b.buffer, c.buffer].some((x) => x === fresh)).toBe(false);
  });

  it('takes a piece handed back from elsewhere if it is a piece’s size, and lets them go', () => {
    const pieces = new CopyPieces(2);
    const back = new ArrayBuffer(COPY_PIECE_BYTES);
    pieces.handedBack(new ArrayBuffer(100)); // not a piece
    pieces.handedBack(back);
    expect(pieces.take().buffer).toBe(back);
    pieces.handedBack(back);
    pieces.clear();
    expect(pieces.take().buffer).not.toBe(back);
  });
});
