import type { PoolClient } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { Actor, AuthUser } from '../../auth/auth-user';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { copyField, copyIn } from '../../database/copy';
import { zhEn } from '../../common/i18n/text';
import { REGION_CODE, STANDARD_ID } from '../../common/field-validators';
import { Progress } from '../../jobs/progress';
import { MethodologyContent } from '../methodology/methodology-content';
import { entryProblems, formVariables, FormVariable, readValue } from './form-entries';
import { LOAD_COLUMNS, LoadSource, Location } from './load-sources';
import { regionLabel, RegionsRepository } from '../../regions/regions.repository';
import { CHANGE_COLUMNS } from '../../audit-log/change-table';

export interface BulkLoadResult {
  /** Data rows read. */
  rows: number;
  /** Forms (form × region × year) the file touches. */
  forms: number;
  /** Forms the load opened as drafts. */
  formsCreated: number;
  /** Values written; rows equal to what is stored are skipped. */
  valuesChanged: number;
}

/** Problems listed in one answer; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 1000;

const COL = Object.fromEntries(LOAD_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof LOAD_COLUMNS)[number],
  number
>;

class Problems {
  readonly listed: (FieldProblem & { line: number })[] = [];
  count = 0;

  constructor(private readonly source: LoadSource) {}

  add(line: number, column: number | undefined, message: string): void {
    this.count++;
    if (this.listed.length >= MAX_LISTED_PROBLEMS) return;
    const at: Location = this.source.locate(line, column);
    this.listed.push({
      line,
      path: at.path,
      message: zhEn(`${at.label}：${message}`, `${at.label}: ${message}`),
    });
  }

  /** Throws every problem found so far, in file order, as one 422. */
  throwIfAny(): void {
    if (this.count === 0) return;
    const listed = [...this.listed].sort((a, b) => a.line - b.line);
    const more = this.count - listed.length;
    throw new DomainError(
      'VALIDATION_FAILED',
      zhEn(
        `文件中有 ${this.count} 处问题，未保存任何数据${more ? `（列出前 ${listed.length} 处）` : ''}`,
        `${this.count} problem(s) in the file; nothing was stored${more ? ` (the first ${listed.length} are listed)` : ''}`,
      ),
      listed.map(({ path, message }) => ({ path, message })),
    );
  }
}

interface FormShape {
  content: MethodologyContent;
  variables: Map<string, FormVariable>;
}

/**
 * Loads survey values from a CSV or xlsx file into many forms at once, set-based and in one
 * transaction — all or nothing:
 *
 * 1. reading: each row is checked as a form save would check it (known standard, department,
 *    variable and item, compatible unit, decimal or blank) and streamed into a temporary table
 *    with COPY; the file is never held whole;
 * 2. checking: regions exist and are inside the caller's scope, no cell is given twice; every
 *    problem so far is reported with its line (CSV) or cell (xlsx);
 * 3. writing: missing forms are opened as drafts, rows equal to the stored value are skipped, a
 *    changed value on a submitted or approved form is refused (409 — open a correction), the rest
 *    is upserted; each changed form gets its revision bumped and one audit entry listing its
 *    changes (as a table: see {@link CHANGE_COLUMNS}).
 *
 * Loading the same file twice changes nothing the second time.
 */
export async function bulkLoad(
  dataSource: DataSource,
  findPublished: (standardId: string) => Promise<{ content: MethodologyContent } | null>,
  actor: Actor & { user: AuthUser },
  source: LoadSource,
  progress: Progress,
): Promise<BulkLoadResult> {
  const problems = new Problems(source);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const result = await load(runner, findPublished, actor, source, progress, problems);
    await runner.commitTransaction();
    return result;
  } catch (e) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw e;
  } finally {
    await runner.release();
  }
}

/** Rows of a query on the load's connection. */
async function select<T>(runner: QueryRunner, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await runner.query(sql, params)) as T[];
}

async function load(
  runner: QueryRunner,
  findPublished: (standardId: string) => Promise<{ content: MethodologyContent } | null>,
  actor: Actor & { user: AuthUser },
  source: LoadSource,
  progress: Progress,
  problems: Problems,
): Promise<BulkLoadResult> {
  // Rows are staged with the number of their form (k), not its four key columns.
  await runner.query(`CREATE TEMP TABLE load_rows (
      line integer NOT NULL, k integer NOT NULL, variable text NOT NULL, item text NOT NULL,
      value numeric, unit text NOT NULL, source text, note text) ON COMMIT DROP`);

  // 1. reading: check each row, stream it into load_rows; forms, regions and cells tallied here
  const standards = new Map<string, MethodologyContent | null>();
  const shapes = new Map<string, FormShape | null>();
  const reported = new Set<string>();
  /** A problem of a whole standard or department: reported at its first line only. */
  const once = (key: string, line: number, column: number, message: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    problems.add(line, column, message);
  };
  const formIndex = new Map<string, number>();
  const forms: { standardId: string; department: string; regionCode: string; year: number }[] = [];
  const regionFirstLine = new Map<string, number>();
  // Cells seen, for duplicates: a number per (variable, item), and per form a map from it to the
  // cell's first line. Numbers, not a string key per row: a million string keys in one map cost
  // 2.2 s of the reading of a 1,000,000-row file, most of it in the garbage collector.
  const cellNumbers = new Map<string, Map<string, number>>();
  let cellCount = 0;
  const formCells: Map<number, number>[] = [];
  let rows = 0;
  let headerSeen = false;

  async function shapeOf(standardId: string, department: string, line: number) {
    const key = `${standardId}\u0000${department}`;
    if (shapes.has(key)) return shapes.get(key)!;
    if (!standards.has(standardId))
      standards.set(standardId, (await findPublished(standardId))?.content ?? null);
    const content = standards.get(standardId)!;
    let shape: FormShape | null = null;
    if (!content) {
      once(
        `s:${standardId}`,
        line,
        COL.standard_id,
        zhEn(`没有已发布的核算方法 ${standardId}`, `no published methodology ${standardId}`),
      );
    } else {
      const variables = formVariables(content, department);
      if (variables.length === 0)
        once(
          `d:${key}`,
          line,
          COL.department,
          zhEn(
            `${department}在 ${standardId} 中没有要填报的指标`,
            `${department} reports no variable of ${standardId}`,
          ),
        );
      else shape = { content, variables: new Map(variables.map((v) => [v.code, v])) };
    }
    shapes.set(key, shape);
    return shape;
  }

  async function* copyText(): AsyncIterable<string> {
    let chunk = '';
    for await (const { line, fields } of source.records) {
      if (!headerSeen) {
        headerSeen = true;
        const header = fields.map((h) => h.trim());
        if (header.join(',') !== LOAD_COLUMNS.join(',')) {
          problems.add(
            line,
            undefined,
            zhEn(
              `表头应为 ${LOAD_COLUMNS.join(',')}；实际为 ${header.join(',') || '（空）'}`,
              `the header must be exactly ${LOAD_COLUMNS.join(',')}; found ${header.join(',') || '(nothing)'}`,
            ),
          );
          problems.throwIfAny();
        }
        continue;
      }
      rows++;
      if (rows % 5000 === 0) {
        progress.report('reading', (70 * source.bytesRead()) / Math.max(1, source.bytesTotal), {
          rowsRead: rows,
          bytesRead: source.bytesRead(),
          bytesTotal: source.bytesTotal,
        });
      }
      if (source.format === 'xlsx') while (fields.length < LOAD_COLUMNS.length) fields.push('');
      if (fields.length !== LOAD_COLUMNS.length) {
        problems.add(
          line,
          undefined,
          zhEn(
            `应有 ${LOAD_COLUMNS.length} 列，实际 ${fields.length} 列`,
            `expected ${LOAD_COLUMNS.length} fields, found ${fields.length}`,
          ),
        );
        continue;
      }
      const f = fields.map((x) => x.trim());
      const before = problems.count;
      const [standardId, department, regionCode, yearText, variable, item, rawValue, unit] = f;
      if (!STANDARD_ID.test(standardId))
        problems.add(
          line,
          COL.standard_id,
          zhEn(`“${standardId}”不是核算标准编号`, `"${standardId}" is not a standard id`),
        );
      if (!department) problems.add(line, COL.department, zhEn('不能为空', 'is empty'));
      else if (department.length > 100)
        problems.add(
          line,
          COL.department,
          zhEn('超过 100 个字符', 'is longer than 100 characters'),
        );
      if (!REGION_CODE.test(regionCode))
        problems.add(
          line,
          COL.region_code,
          zhEn(
            `“${regionCode}”不是 6、9 或 12 位统计用区划代码`,
            `"${regionCode}" is not a division code of 6, 9 or 12 digits`,
          ),
        );
      const year = Number(yearText);
      if (!/^\d{4}$/.test(yearText) || year < 1949 || year > 2200)
        problems.add(line, COL.year, zhEn(`“${yearText}”不是年份`, `"${yearText}" is not a year`));
      if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(variable))
        problems.add(
          line,
          COL.variable,
          zhEn(`“${variable}”不是指标代码`, `"${variable}" is not a variable code`),
        );
      if (problems.count > before) continue;
      const shape = await shapeOf(standardId, department, line);
      if (!shape) continue;
      // a value that cannot be read is one problem; the row's other checks still run
      const read = readValue(shape.variables.get(variable), rawValue);
      if ('problem' in read) problems.add(line, COL.value, read.problem);
      const value = 'value' in read ? read.value : null;
      const entry = { variable, ...(item ? { item } : {}), value, ...(unit ? { unit } : {}) };
      const found = entryProblems({ standardId, department }, shape.variables, entry);
      for (const p of found) problems.add(line, COL[p.field as keyof typeof COL], p.message);
      if (found.some((p) => p.field === 'variable')) continue;

      const formKey = `${standardId}\u0000${department}\u0000${regionCode}\u0000${year}`;
      let k = formIndex.get(formKey);
      if (k === undefined) {
        k = forms.length;
        formIndex.set(formKey, k);
        forms.push({ standardId, department, regionCode, year });
      }
      if (!regionFirstLine.has(regionCode)) regionFirstLine.set(regionCode, line);
      let byItem = cellNumbers.get(variable);
      if (!byItem) cellNumbers.set(variable, (byItem = new Map<string, number>()));
      let cell = byItem.get(item);
      if (cell === undefined) byItem.set(item, (cell = cellCount++));
      const cells = (formCells[k] ??= new Map<number, number>());
      const first = cells.get(cell);
      if (first !== undefined) {
        problems.add(
          line,
          COL.variable,
          zhEn(
            `${shape.variables.get(variable)?.nameZh ?? variable}${item ? `（${item}）` : ''}填写了两次（首次在${source.locate(first).label}）`,
            `${variable}${item ? ` [${item}]` : ''} is given twice (first on ${source.locate(first).label})`,
          ),
        );
        continue;
      }
      cells.set(cell, line);
      if (problems.count > 0) continue; // nothing will be written: stop staging, keep checking
      const declared = shape.variables.get(variable)!.unit;
      chunk +=
        [
          String(line),
          String(k),
          variable,
          copyField(item),
          value === null ? '\\N' : value,
          copyField(unit || declared),
          copyField(f[COL.source] || null),
          copyField(f[COL.note] || null),
        ].join('\t') + '\n';
      if (chunk.length > 65536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }

  const client = (await runner.connect()) as PoolClient;
  await copyIn(
    client,
    `COPY load_rows (line, k, variable, item, value, unit, source, note) FROM STDIN`,
    copyText(),
  );
  formCells.length = 0;
  if (!headerSeen) problems.add(1, undefined, zhEn('文件是空的', 'the file is empty'));
  progress.report('checking', 72, { rowsRead: rows, forms: forms.length });

  // 2. checking: regions exist and are inside the caller's scope
  await checkRegions(runner, actor, source, problems, regionFirstLine);
  problems.throwIfAny();

  // 3. writing: open missing forms, skip unchanged rows, refuse locked forms, upsert, audit
  return writeRows(runner, actor, source, forms, rows, progress);
}

/** Phase 2: every region of the file exists (a problem per unknown one) and lies in the caller's scope (403). */
async function checkRegions(
  runner: QueryRunner,
  actor: Actor & { user: AuthUser },
  source: LoadSource,
  problems: Problems,
  regionFirstLine: Map<string, number>,
): Promise<void> {
  const regionCodes = [...regionFirstLine.keys()];
  const regions = await RegionsRepository.classify(
    runner.manager,
    regionCodes,
    actor.user.regionCode,
  );
  for (const r of regions.filter((x) => !x.known))
    problems.add(
      regionFirstLine.get(r.code)!,
      COL.region_code,
      zhEn(`行政区 ${r.code} 不存在`, `region ${r.code} does not exist`),
    );
  const outside = regions.find((x) => x.known && !x.inside);
  if (outside) {
    const [region, scope] = await RegionsRepository.labels(runner.manager, [
      outside.code,
      actor.user.regionCode!,
    ]);
    const at = source.locate(regionFirstLine.get(outside.code)!).label;
    throw new DomainError(
      'OUT_OF_REGION_SCOPE',
      zhEn(
        `${at}：行政区 ${region.zh}不在您的地区权限范围（${scope.zh}）内`,
        `${at}: region ${region.en} is outside your scope (${scope.en})`,
      ),
    );
  }
}

/**
 * Phase 3: the staged rows (load_rows) written — missing forms opened as drafts, unchanged rows
 * skipped, a change to a submitted or approved form refused (nothing stored), the rest upserted,
 * each changed form's revision bumped with one audit entry listing its changes.
 */
async function writeRows(
  runner: QueryRunner,
  actor: Actor & { user: AuthUser },
  source: LoadSource,
  forms: { standardId: string; department: string; regionCode: string; year: number }[],
  rows: number,
  progress: Progress,
): Promise<BulkLoadResult> {
  progress.report('writing', 75, { rowsRead: rows, forms: forms.length });
  await runner.query('ANALYZE load_rows');
  await runner.query(
    `CREATE TEMP TABLE load_forms ON COMMIT DROP AS
     SELECT (ord - 1)::int AS k, standard_id, department, region_code, year
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])
            WITH ORDINALITY AS u(standard_id, department, region_code, year, ord)`,
    [
      forms.map((x) => x.standardId),
      forms.map((x) => x.department),
      forms.map((x) => x.regionCode),
      forms.map((x) => x.year),
    ],
  );
  const username = actor.user.username;
  const audit = [actor.user.id, username, actor.requestId ?? null, actor.ip ?? null];
  const created = await select<{ id: string }>(
    runner,
    `WITH created AS (
       INSERT INTO survey_forms (standard_id, department, region_code, year, status, created_by)
       SELECT standard_id, department, region_code, year, 'draft'::survey_form_status, $2
         FROM load_forms ORDER BY k
       ON CONFLICT ON CONSTRAINT survey_forms_instance_key DO NOTHING
       RETURNING *)
     INSERT INTO audit_log (actor_id, actor_username, action, entity_type, entity_id, after, request_id, client_ip)
     SELECT $1, $2, 'survey_form.create', 'survey_form', c.id::text,
            json_build_object('id', c.id, 'standardId', c.standard_id, 'department', c.department,
              'regionCode', c.region_code, 'year', c.year, 'status', c.status, 'revision', c.revision,
              'createdBy', c.created_by, 'via', $5::text),
            $3, $4
       FROM created c RETURNING entity_id AS id`,
    [...audit, `bulk load (${source.format})`],
  );
  // every form of the file, locked until the load commits
  await runner.query(
    `SELECT count(*) FROM (
       SELECT f.id FROM survey_forms f JOIN load_forms l USING (standard_id, department, region_code, year)
        ORDER BY f.id FOR UPDATE OF f) locked`,
  );
  await runner.query(
    `CREATE TEMP TABLE load_form_ids ON COMMIT DROP AS
     SELECT l.k, f.id AS form_id, f.status, f.department, f.region_code, f.year
       FROM load_forms l JOIN survey_forms f USING (standard_id, department, region_code, year)`,
  );
  progress.report('writing', 80, { rowsRead: rows, forms: forms.length });
  // The values the file's forms hold now, read form by form through the cell index: a join of
  // the file's rows with all of survey_values was planned as a hash of the whole table (1.1
  // million rows read for a file of 100,000 into new forms). OFFSET 0 keeps the lookup per form.
  await runner.query(
    `CREATE TEMP TABLE load_existing ON COMMIT DROP AS
     SELECT v.* FROM load_form_ids f
      CROSS JOIN LATERAL (
        SELECT form_id, variable, item, value, unit, source, note
          FROM survey_values WHERE form_id = f.form_id OFFSET 0) v`,
  );
  await runner.query('ANALYZE load_existing');
  await runner.query(
    `CREATE TEMP TABLE load_changes ON COMMIT DROP AS
     SELECT s.line, f.form_id, f.status, s.variable, s.item, s.value, s.unit, s.source, s.note,
            f.department, f.region_code, f.year,
            v.form_id IS NOT NULL AS existed, v.value AS old_value, v.unit AS old_unit
       FROM load_rows s
       JOIN load_form_ids f USING (k)
       LEFT JOIN load_existing v ON v.form_id = f.form_id AND v.variable = s.variable AND v.item = s.item
      WHERE v.form_id IS NULL OR v.value IS DISTINCT FROM s.value OR v.unit <> s.unit
         OR v.source IS DISTINCT FROM s.source OR v.note IS DISTINCT FROM s.note`,
  );
  const locked = await select<{
    line: number;
    department: string;
    region_code: string;
    year: number;
    status: string;
    total: number;
  }>(
    runner,
    `SELECT min(line) AS line, department, region_code, year, status::text AS status,
            (count(*) OVER ())::int AS total
       FROM load_changes WHERE status IN ('submitted', 'approved')
      GROUP BY form_id, department, region_code, year, status
      ORDER BY 1 LIMIT ${MAX_LISTED_PROBLEMS}`,
  );
  if (locked.length) {
    const total = locked[0].total;
    const names = await RegionsRepository.names(
      runner.manager,
      locked.map((l) => l.region_code),
    );
    throw new DomainError(
      'FORM_LOCKED',
      zhEn(
        `文件中有 ${total} 张报表已提交或已审核，其数值会被改变；请先退回修改——未保存任何数据${total > locked.length ? `（列出前 ${locked.length} 张）` : ''}`,
        `${total} form(s) in the file are submitted or approved and their values would change; open a correction first — nothing was stored${total > locked.length ? ` (the first ${locked.length} are listed)` : ''}`,
      ),
      locked.map((l) => {
        const at = source.locate(l.line);
        const region = regionLabel(names.get(l.region_code), l.region_code);
        return {
          path: at.path,
          message: zhEn(
            `${at.label}：${l.department} ${region.zh}${names.has(l.region_code) ? '' : ' '}${l.year} 年报表${l.status === 'approved' ? '已审核' : '已提交'}，数值不能修改`,
            `${at.label}: the form ${l.department} ${region.en} ${l.year} is ${l.status}; its values cannot change`,
          ),
        };
      }),
    );
  }
  progress.report('writing', 85, { rowsRead: rows, forms: forms.length });
  // New cells by a plain INSERT, changed ones by an UPDATE: every form of the file is locked
  // above and every other writer of values locks its form first, so no cell can appear between
  // reading load_existing and here. (An INSERT … ON CONFLICT DO UPDATE of 1,000,000 new cells
  // took 8.9–10.8 s against 6.4–6.9 s for the INSERT: each row was inserted speculatively.)
  // In the key's order, a form's cells go into the primary key together.
  const [{ inserted, toUpdate }] = await select<{ inserted: number; toUpdate: number }>(
    runner,
    `WITH written AS (
       INSERT INTO survey_values (form_id, variable, item, value, unit, source, note, updated_by)
       SELECT form_id, variable, item, value, unit, source, note, $1 FROM load_changes
        WHERE NOT existed
        ORDER BY form_id, variable, item
       RETURNING 1)
     SELECT (SELECT count(*)::int FROM written) AS inserted,
            (SELECT count(*)::int FROM load_changes WHERE existed) AS "toUpdate"`,
    [username],
  );
  // only when there is something to update: with nothing, the UPDATE was planned as a hash of
  // all of survey_values (0.9–1.2 s after a 1,000,000-row load)
  // (load_changes analysed so that a few changed cells go through the index)
  if (toUpdate) await runner.query('ANALYZE load_changes');
  const updated = toUpdate
    ? (
        await select<{ updated: number }>(
          runner,
          `WITH written AS (
             UPDATE survey_values v
                SET value = c.value, unit = c.unit, source = c.source, note = c.note,
                    updated_by = $1, updated_at = now()
               FROM load_changes c
              WHERE c.existed
                AND v.form_id = c.form_id AND v.variable = c.variable AND v.item = c.item
             RETURNING 1)
           SELECT count(*)::int AS updated FROM written`,
          [username],
        )
      )[0].updated
    : 0;
  const changed = inserted + updated;
  progress.report('writing', 95, { rowsRead: rows, forms: forms.length, valuesChanged: changed });
  // A form's change rows as one text array of arrays, made JSON text once (audit entries are
  // json, not jsonb): the same JSON as a jsonb_agg of jsonb_build_array per change, ~2 s less for
  // 1,000,000 changes.
  await runner.query(
    `WITH bumped AS (
       UPDATE survey_forms SET revision = revision + 1, updated_at = now()
        WHERE id IN (SELECT DISTINCT form_id FROM load_changes)
       RETURNING id, revision)
     INSERT INTO audit_log (actor_id, actor_username, action, entity_type, entity_id, after, request_id, client_ip)
     SELECT $1, $2, 'survey_form.save_values', 'survey_form', b.id::text,
            json_build_object('revision', b.revision, 'via', $5::text,
              'changeColumns', $6::json, 'changeRows', c.changes), $3, $4
       FROM bumped b
       JOIN (SELECT form_id, array_to_json(array_agg(ARRAY[variable, item,
                    CASE WHEN existed THEN old_value::text END, CASE WHEN existed THEN old_unit END,
                    value::text, unit, source] ORDER BY line)) AS changes
               FROM load_changes GROUP BY form_id) c ON c.form_id = b.id`,
    [...audit, `bulk load (${source.format})`, JSON.stringify(CHANGE_COLUMNS)],
  );
  progress.report('writing', 99, { rowsRead: rows, forms: forms.length, valuesChanged: changed });
  return { rows, forms: forms.length, formsCreated: created.length, valuesChanged: changed };
}
