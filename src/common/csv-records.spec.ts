import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvRecord, csvRecords, CsvSyntaxError } from './csv-records';
import { inLanguage } from './i18n/text';

/** Our reader over `bytes` cut into chunks at `cuts` (byte offsets, possibly inside a character). */
async function ours(bytes: Buffer, cuts: number[] = []): Promise<CsvRecord[]> {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    if (c > from) chunks.push(bytes.subarray(from, c));
    from = Math.max(from, c);
  }
  const out: CsvRecord[] = [];
  for await (const r of csvRecords(chunks)) out.push(r);
  return out;
}

/** csv-parse as the bulk load used it (relaxed column count, empty lines skipped, BOM), with lines. */
function reference(bytes: Buffer): CsvRecord[] {
  const rows = parse(bytes, {
    bom: true,
    relax_column_count: true,
    info: true,
    skip_empty_lines: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return rows.map(({ record, info }) => ({ line: info.lines, fields: record }));
}

/**
 * Field text. A CRLF inside quotes is left out: csv-parse counts it as two lines (a record after
 * `"x⏎y"` on lines 1–2 is "line 4" to it); this reader counts the lines an editor shows (below).
 */
const field = fc.oneof(
  fc.constantFrom('', 'a', '中文', ' 12.5 ', '1,234', 'say "hi"', 'two\nlines', '"'),
  fc.string({ unit: fc.constantFrom('a', 'b', '中', ' ', ',', '"', '\n', '1', '.') }),
);
const quoteIfNeeded = (f: string, always: boolean) =>
  always || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;

/** A well-formed CSV file: records (maybe with empty lines between), LF or CRLF, maybe a BOM. */
const csvFile = fc
  .record({
    records: fc.array(
      fc.record({
        fields: fc.array(field, { minLength: 1, maxLength: 5 }),
        quoteAll: fc.boolean(),
        emptyBefore: fc.nat(2),
      }),
      { maxLength: 12 },
    ),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .map(({ records, eol, bom, finalEol }) => {
    const lines = records.map(
      (r) =>
        eol.repeat(r.emptyBefore) + r.fields.map((f) => quoteIfNeeded(f, r.quoteAll)).join(','),
    );
    return (bom ? '\ufeff' : '') + lines.join(eol) + (finalEol && lines.length ? eol : '');
  });

describe('csvRecords (the bulk loads’ CSV reader)', () => {
  it('reads well-formed files as csv-parse does — records and line numbers — however the bytes arrive', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, fc.array(fc.nat(), { maxLength: 6 }), async (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(await ours(bytes, cuts)).toEqual(reference(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('refuses exactly the files csv-parse refuses (stray, unclosed or misplaced quotes)', async () => {
    const broken = fc
      .tuple(csvFile, fc.nat(), fc.constantFrom('"', 'x"', '"x', '" ', ' "'))
      .map(([text, at, insert]) => {
        const p = at % (text.length + 1);
        return text.slice(0, p) + insert + text.slice(p);
      });
    await fc.assert(
      fc.asyncProperty(broken, fc.array(fc.nat(), { maxLength: 4 }), async (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        let expected: CsvRecord[] | 'refused';
        try {
          expected = reference(bytes);
        } catch {
          expected = 'refused';
        }
        let got: CsvRecord[] | 'refused';
        try {
          got = await ours(bytes, cuts);
        } catch (e) {
          if (!(e instanceof CsvSyntaxError)) throw e;
          got = 'refused';
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('names the line and the problem in Chinese (English on request)', async () => {
    const problem = async (text: string, lang: 'zh' | 'en' = 'zh') => {
      try {
        await ours(Buffer.from(text));
      } catch (e) {
        const { line, reason } = e as CsvSyntaxError;
        return { line, reason: inLanguage(reason, lang) };
      }
      throw new Error('not refused');
    };
    const stray = await problem('a,b\nc,d"e\n');
    expect(stray.line).toBe(2);
    expect(stray.reason).toMatch(/^第 2 行：第 2 个字段中有双引号/);
    const open = await problem('a,b\n"c\nd,e\n');
    expect(open.line).toBe(2);
    expect(open.reason).toContain('直到文件末尾都没有结束');
    const after = await problem('"a"b,c\n');
    expect(after.reason).toMatch(/^第 1 行：第 1 个字段的右双引号后还有字符/);
    const english = await problem('x"y\n', 'en');
    expect(english.reason).toBe(
      'line 1: field 1 holds a quote but does not begin with one (a field with commas, line breaks or quotes is quoted whole)',
    );
  });

  it('counts a CRLF inside quotes as one line, as an editor shows it', async () => {
    const bytes = Buffer.from('a,"x\r\ny"\r\nb\r\n"\r\n"\r\nc');
    for (let cut = 0; cut <= bytes.length; cut++)
      expect(await ours(bytes, [cut, cut + 1])).toEqual([
        { line: 2, fields: ['a', 'x\r\ny'] },
        { line: 3, fields: ['b'] },
        { line: 5, fields: ['\r\n'] },
        { line: 6, fields: ['c'] },
      ]);
  });

  it('takes a lone CR as a line break, and a UTF-8 character split across chunks whole', async () => {
    expect(await ours(Buffer.from('a,b\rc,d\r'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ]);
    const bytes = Buffer.from('名称,数值\r\n林地,1\r\n');
    for (let cut = 0; cut <= bytes.length; cut++)
      expect(await ours(bytes, [cut])).toEqual([
        { line: 1, fields: ['名称', '数值'] },
        { line: 2, fields: ['林地', '1'] },
      ]);
  });
});
