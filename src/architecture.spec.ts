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

describe('architecture', () => {
  it('assessment names no accounting table', () => {
    const files = sourceFiles(join('src', 'assessment'));
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f, line: i + 1, text: line }))
        .filter((l) => ACCOUNTING_TABLES.test(l.text)),
    );
    expect(offending).toEqual([]);
  });

  it('the rule sees a table name in a query', () => {
    expect(ACCOUNTING_TABLES.test('SELECT status FROM accounting_runs WHERE id = $1')).toBe(true);
    expect(ACCOUNTING_TABLES.test('SELECT * FROM compensation_runs')).toBe(false);
  });
});
