import { copyField, CopyText } from './copy';

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
});
