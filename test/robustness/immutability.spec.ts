import { GUARDED_TABLES } from '../../migrations/1795396500000-TruncateGuards';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * What is published, approved or recorded cannot be changed behind the service's back: direct SQL
 * on the demo data (which has a published county run, approved survey forms, an approved
 * compensation run with fund movements, a registry ledger and an audit log) is refused by the
 * database itself. Each attempt runs in a transaction that is rolled back either way.
 */
interface Case {
  what: string;
  table: string;
  /** Selects the protected rows (a boolean SQL condition over the table, aliased `r`). */
  where: string;
  /** A real change to one of them. */
  set: string;
  /** Adds such rows where the demo data has none. */
  setup?: string;
}

const CASES: Case[] = [
  {
    what: 'a published accounting run',
    table: 'accounting_runs',
    where: `r.status = 'published'`,
    set: `year = year + 1`,
  },
  {
    what: 'results of a published run',
    table: 'accounting_results',
    where: `r.run_id IN (SELECT id FROM accounting_runs WHERE status = 'published')`,
    set: `value = value + 1`,
  },
  {
    what: 'approved survey values',
    table: 'survey_values',
    where: `r.form_id IN (SELECT id FROM survey_forms WHERE status = 'approved')`,
    set: `value = value + 1`,
  },
  {
    what: 'a published methodology',
    table: 'methodologies',
    where: `r.status = 'published'`,
    set: `name = name || ' (edited)'`,
  },
  {
    what: 'the audit log',
    table: 'audit_log',
    where: 'true',
    set: `actor_username = 'someone else'`,
  },
  {
    what: 'registry ledger entries',
    table: 'registry_entries',
    where: 'true',
    set: `effective_date = effective_date - 1`,
  },
  {
    what: 'registration unit history',
    table: 'registration_unit_versions',
    where: 'true',
    set: `name = name || ' (edited)'`,
  },
  {
    what: 'a published compensation scheme',
    table: 'compensation_schemes',
    where: `r.status = 'published'`,
    set: `name = name || ' (edited)'`,
  },
  {
    what: 'an approved compensation run',
    table: 'compensation_runs',
    where: `r.status = 'approved'`,
    set: `budget = budget + 1`,
  },
  {
    what: 'amounts of an approved compensation run',
    table: 'compensation_amounts',
    where: `r.run_id IN (SELECT id FROM compensation_runs WHERE status = 'approved')`,
    set: `amount = amount + 1`,
  },
  {
    what: 'compensation fund movements',
    table: 'compensation_fund_events',
    where: 'true',
    set: `amount = amount + 1`,
    setup: `INSERT INTO compensation_fund_events (run_id, region_code, state, amount, document, recorded_by)
      SELECT run_id, region_code, 'paid', amount, '拨付凭证', 'wuyuan.finance' FROM compensation_amounts
       WHERE run_id IN (SELECT id FROM compensation_runs WHERE status = 'approved') AND amount > 0 LIMIT 1`,
  },
];

const REFUSED = /cannot be changed|locked|append-only|not allowed|registry history/;

describe('immutability enforced by the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Runs `sql` in a transaction rolled back afterwards: the database's refusal, or what changed. */
  async function attempt(sql: string): Promise<string> {
    await t.db.query('BEGIN');
    try {
      const { rowCount } = await t.db.query(sql);
      return `changed ${rowCount} rows`;
    } catch (e) {
      return (e as Error).message;
    } finally {
      await t.db.query('ROLLBACK');
    }
  }

  it.each(CASES)('refuses UPDATE and DELETE of $what', async ({ table, where, set, setup }) => {
    if (setup) await t.db.query(setup);
    const { rows } = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${table} r WHERE ${where}`,
    );
    expect(Number(rows[0].n)).toBeGreaterThan(0); // the demo data has such rows
    const one = `ctid = (SELECT ctid FROM ${table} r WHERE ${where} LIMIT 1)`;
    expect(await attempt(`UPDATE ${table} SET ${set} WHERE ${one}`)).toMatch(REFUSED);
    expect(await attempt(`DELETE FROM ${table} WHERE ${one}`)).toMatch(REFUSED);
  });

  it.each([...GUARDED_TABLES, 'audit_log'])('refuses TRUNCATE of %s', async (table) => {
    expect(await attempt(`TRUNCATE ${table} CASCADE`)).toMatch(/TRUNCATE is not allowed/);
  });

  it('still lets drafts change: the guards are about state, not tables', async () => {
    // the demo forms are all approved: a form reopened (as a correction does) takes changes again
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM survey_forms WHERE status = 'approved' AND id IN (SELECT form_id FROM survey_values) LIMIT 1`,
    );
    await t.db.query('BEGIN');
    try {
      await t.db.query(`UPDATE survey_forms SET status = 'draft' WHERE id = $1`, [rows[0].id]);
      const { rowCount } = await t.db.query(
        `UPDATE survey_values SET value = value + 1 WHERE form_id = $1`,
        [rows[0].id],
      );
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await t.db.query('ROLLBACK');
    }
  });
});
