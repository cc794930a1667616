import { EntityManager } from 'typeorm';
import { AuditLogEntry } from '../../src/audit-log/audit-log.entity';
import { Methodology } from '../../src/accounting/methodology/methodology.entity';
import { buildRunSnapshot, insertRun } from '../../src/accounting/runs/run-snapshot';
import { demoFormRows, demoNationalInputs } from './national-inputs';

/**
 * DEMO DATA — synthetic survey values for the townships of 婺源县, 2019–2022, under the national
 * methodology: plausible magnitudes, not official figures. Every value's source says so.
 */
export const DEMO_YEARS = [2019, 2020, 2021, 2022];
const STANDARD = 'ndrc-nbs-2022-trial';
const COUNTY = '361130';
const ACTOR = 'system:seed';
const SOURCE = '演示数据（虚构，非官方统计）';

/** Varies the demo inputs by township and year, deterministically. */
const variation = (township: number, year: number) =>
  ((township * 37 + (year - 2019) * 11) % 100) / 100;

/**
 * Approved forms for every township, department and demo year, and a published county run per
 * year. Only what is missing is created: forms by their natural key, runs when the year has no
 * published run. Returns what was created.
 */
export async function seedDemoSurveyAndRuns(
  manager: EntityManager,
): Promise<{ forms: number; runs: number }> {
  const methodology = await manager.findOne(Methodology, {
    where: { standardId: STANDARD, status: 'published' },
    order: { version: 'DESC' },
  });
  if (!methodology) return { forms: 0, runs: 0 };
  const townships: { code: string }[] = await manager.query(
    'SELECT code FROM regions WHERE parent_code = $1 ORDER BY code',
    [COUNTY],
  );
  const departments = [
    ...new Set(methodology.content.variables.map((v) => v.department ?? '未指定')),
  ];
  let forms = 0;
  // After the first boot every demo form exists: one count instead of a query per form.
  const [{ n }]: { n: string }[] = await manager.query(
    'SELECT count(*) AS n FROM survey_forms WHERE standard_id = $1 AND year = ANY($2) AND region_code = ANY($3)',
    [STANDARD, DEMO_YEARS, townships.map((t) => t.code)],
  );
  const complete = Number(n) >= DEMO_YEARS.length * townships.length * departments.length;
  for (const year of complete ? [] : DEMO_YEARS) {
    for (const [i, { code }] of townships.entries()) {
      const inputs = demoNationalInputs(variation(i, year), 1 / townships.length);
      for (const department of departments) {
        const created: { id: string }[] = await manager.query(
          `INSERT INTO survey_forms (standard_id, department, region_code, year, created_by)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT ON CONSTRAINT survey_forms_instance_key DO NOTHING RETURNING id`,
          [STANDARD, department, code, year, ACTOR],
        );
        if (created.length === 0) continue;
        const formId = created[0].id;
        const rows = demoFormRows(methodology.content, inputs, department).map((r) => [
          r.variable,
          r.item,
          r.value,
          r.unit,
        ]);
        const params = rows.flatMap((r) => [formId, ...r, SOURCE, ACTOR]);
        const tuples = rows.map(
          (_, j) =>
            `($${j * 7 + 1}, $${j * 7 + 2}, $${j * 7 + 3}, $${j * 7 + 4}::numeric, $${j * 7 + 5}, $${j * 7 + 6}, $${j * 7 + 7})`,
        );
        await manager.query(
          `INSERT INTO survey_values (form_id, variable, item, value, unit, source, updated_by) VALUES ${tuples.join(', ')}`,
          params,
        );
        await manager.query(
          `UPDATE survey_forms SET status = 'approved', submitted_by = $2, submitted_at = now(), reviewed_by = $2, reviewed_at = now(), revision = 3
            WHERE id = $1`,
          [formId, ACTOR],
        );
        await manager.insert(AuditLogEntry, {
          actorUsername: ACTOR,
          action: 'survey_form.create',
          entityType: 'survey_form',
          entityId: formId,
          after: {
            standardId: STANDARD,
            department,
            regionCode: code,
            year,
            status: 'approved',
            values: rows.length,
            demo: true,
          },
        });
        forms++;
      }
    }
  }
  let runs = 0;
  for (const year of DEMO_YEARS) {
    const exists: unknown[] = await manager.query(
      `SELECT 1 FROM accounting_runs WHERE standard_id = $1 AND root_region_code = $2 AND year = $3 AND status = 'published'`,
      [STANDARD, COUNTY, year],
    );
    if (exists.length) continue;
    const runId = await insertRun(
      manager,
      methodology,
      await buildRunSnapshot(manager, methodology, COUNTY, year),
      ACTOR,
    );
    await manager.query(
      `UPDATE accounting_runs SET status = 'published', published_by = $2, published_at = now() WHERE id = $1`,
      [runId, ACTOR],
    );
    await manager.insert(AuditLogEntry, {
      actorUsername: ACTOR,
      action: 'accounting_run.publish',
      entityType: 'accounting_run',
      entityId: runId,
      after: { year, demo: true },
    });
    runs++;
  }
  return { forms, runs };
}
