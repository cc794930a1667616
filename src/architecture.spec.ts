import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFiles } from '../test/support/source-files';

/**
 * What the import rules (.dependency-cruiser.cjs, `npm run deps:check`) cannot see: SQL text. The
 * assessment module reads accounting through its door (accounting/runs/published-gep.ts) and
 * names none of accounting's tables in its own queries.
 */
const ACCOUNTING_TABLES =
  /\b(accounting_runs|accounting_results|methodologies|survey_forms|survey_values|parcel_[a-z_]+|load_rows)\b/;

/** SQL naming the region table: only the regions folder does (its repository and SQL conditions). */
const REGION_TABLE = /\b(from|join|into|update)\s+regions\b|'regions\s+[a-z]+'/i;

const linesMatching = (files: string[], pattern: RegExp) =>
  files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .map((line, i) => ({ f, line: i + 1, text: line }))
      .filter((l) => pattern.test(l.text)),
  );

describe('architecture', () => {
  it('assessment names no accounting table', () => {
    const files = sourceFiles(join('src', 'assessment'));
    expect(files.length).toBeGreaterThan(20);
    expect(linesMatching(files, ACCOUNTING_TABLES)).toEqual([]);
  });

  it('only the regions folder queries the region table', () => {
    const files = sourceFiles('src').filter(
      (f) => !f.startsWith(join('src', 'regions')) && !f.endsWith('.spec.ts'),
    );
    expect(files.length).toBeGreaterThan(200);
    expect(linesMatching(files, REGION_TABLE)).toEqual([]);
  });

  it('the rule sees a table name in a query', () => {
    expect(ACCOUNTING_TABLES.test('SELECT status FROM accounting_runs WHERE id = $1')).toBe(true);
    expect(ACCOUNTING_TABLES.test('SELECT * FROM compensation_runs')).toBe(false);
    expect(REGION_TABLE.test('SELECT name FROM regions WHERE code = $1')).toBe(true);
    expect(REGION_TABLE.test('f JOIN regions g ON g.code = f.region_code')).toBe(true);
    expect(REGION_TABLE.test('const regions = await RegionsRepository.names(m, codes)')).toBe(
      false,
    );
  });
});
