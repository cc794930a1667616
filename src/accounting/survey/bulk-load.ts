import type { PoolClient } from 'pg';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DataSource, QueryRunner } from 'typeorm';
import { Actor, AuthUser } from '../../auth/auth-user';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { copyField, copyIn, CopyText } from '../../database/copy';
import { zhEn } from '../../common/i18n/text';
import { REGION_CODE, STANDARD_ID } from '../../common/field-validators';
import { Progress } from '../../jobs/progress';
import { timeOrderedIds } from '../../common/time-ordered-ids';
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

/** The advisory lock a load holds while it runs (see {@link bulkLoad}). */
const LOAD_LOCK = 'gep:survey-bulk-load';

/**
 * Loads survey values from a CSV or xlsx file into many forms at once, set-based and in one
 * transaction — all or nothing:
 *
 * 1. reading: each row is checked as a form save would check it (known standard, department,
 *    variable and item, compatible unit, decimal or blank) and staged in a temporary table with
 *    COPY, a batch at a time; the file is never held whole;
 * 2. checking: regions exist and are inside the caller's scope, no cell is given twice; every
 *    problem so far is reported with its line (CSV) or cell (xlsx);
 * 3. writing: missing forms are opened as drafts, rows equal to the stored value are skipped, a
 *    changed value on a submitted or approved form is refused (409 — open a correction), the rest
 *    is upserted; each changed form gets its revision bumped and one audit entry listing its
 *    changes (as a table: see {@link CHANGE_COLUMNS}).
 *
 * Reading and writing overlap: batches of up to `batchRows` rows are written (step 3 up to the audit
 * entries, with each form's change rows for its entry, in {@link BatchWriter}) while the next is
 * read — the file is read on the event loop, the batches written by PostgreSQL: two cores. A
 * batch is written only while no problem has been found; a problem found later, anywhere in the
 * file, still stores nothing, as the transaction is rolled back. 1,000,000 rows into new forms,
 * three runs each, alternating, on the 2-core machine: 23.9–25.1 s written in one piece,
 * 18.4–21.9 s in batches of 100,000 (`BENCH_ONLY=bulk npm run bench` prints the figure); later
 * 16.0–17.1 s, and 15.6–15.8 s with the change rows made a batch at a time and two batches
 * queued for the writer (a scratch A/B, each on a fresh copy of one database; the bench itself
 * varies 15.8–21.9 s from run to run). PostgreSQL's core is the busier one: sampled through a
 * load, it ran at 90–100% while the event loop's ran at 40–90% (2026-12-05), so a load goes as
 * fast as PostgreSQL writes. Joining each form's change rows by `string_agg` instead of cutting
 * the brackets off one `array_to_json` (see `load_changed_forms`): 22.0 and 20.6 s → 20.0 and
 * 17.8 s, alternating, on a slower day of the same machine; the audit entries are identical.
 * Then 14.2, 15.2 and 15.8 s against 17.2, 17.8 and 19.3 s (three of each, alternating with the
 * code before, 2026-12-05): time-ordered ids for the forms a load opens, cells inserted in the
 * file's order, no merge join, a first batch of 10,000 rows, the reader yielding to the event
 * loop every 100 rows, COPY text held outside the heap. PostgreSQL's CPU: 13.0–14.4 s of it.
 * Loading the same file twice changes nothing the second time.
 *
 * One load runs at a time, across all instances (a transaction-level advisory lock; a load that
 * has to wait says so, in the phase `waiting`): a load locks its forms a batch at a time, so two
 * at once over the same forms in different orders could each hold what the other waits for, and
 * one would fail. A form saved on its own meanwhile waits for the load, or the load for it.
 */
export async function bulkLoad(
  dataSource: DataSource,
  findPublished: (standardId: string) => Promise<{ content: MethodologyContent } | null>,
  actor: Actor & { user: AuthUser },
  source: LoadSource,
  progress: Progress,
  /** Rows written at a time, while the next are read (`IMPORT_BATCH_ROWS`). */
  batchRows: number,
): Promise<BulkLoadResult> {
  const problems = new Problems(source);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const [{ free }] = await select<{ free: boolean }>(
      runner,
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS free',
      [LOAD_LOCK],
    );
    if (!free) {
      progress.report('waiting', 0); // for another load to finish
      await runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOAD_LOCK]);
    }
    const result = await load(runner, findPublished, actor, source, progress, problems, batchRows);
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
  batchRows: number,
): Promise<BulkLoadResult> {
  const client = (await runner.connect()) as PoolClient;
  const writer = await BatchWriter.start(runner, client, actor, source);

  // 1. reading: check each row, hand the rows to the writer in batches; forms, regions and cells
  // tallied here
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
  const forms: FormKey[] = [];
  const regionFirstLine = new Map<string, number>();
  /** The batch being read: its rows as COPY text, the regions first named in it. */
  let batch = { text: new CopyText(), rows: 0, regions: [] as string[] };
  /**
   * The last batch handed to the writer, written after the one before it (a failure is thrown
   * when awaited).
   */
  let writing: Promise<void> = Promise.resolve();
  /** The batch handed to the writer before it. */
  let previous: Promise<void> = Promise.resolve();
  /**
   * Hands the batch read so far to the writer, to be written after the one before: the reader
   * goes on while two batches are written or waiting, and waits only for the one before those.
   * Waiting for the last one, the reader and the writer each waited for the other whenever a
   * batch took one of them longer than the other.
   */
  const flush = async () => {
    await previous;
    const { text, rows: staged, regions } = batch;
    batch = { text: new CopyText(), rows: 0, regions: [] };
    if (staged === 0 || problems.count > 0 || writer.stopped) return;
    const upTo = forms.length; // forms the reader adds meanwhile are opened with their batch
    previous = writing;
    writing = writing.then(() => writer.write(text.bytes(), forms, upTo, regions));
    writing.catch(() => undefined); // awaited at the next flush; not an unhandled rejection meanwhile
  };
  // Cells seen, for duplicates: a number per (variable, item), and per form a map from it to the
  // cell's first line. Numbers, not a string key per row: a million string keys in one map cost
  // 2.2 s of the reading of a 1,000,000-row file, most of it in the garbage collector.
  const cellNumbers = new Map<string, Map<string, number>>();
  let cellCount = 0;
  const formCells: Map<number, number>[] = [];
  /** The standard and department of the row before, with their form's shape (null: none). */
  let lastShape: { standardId: string | null; department: string; shape: FormShape | null } = {
    standardId: null,
    department: '',
    shape: null,
  };
  /** The form of the row before: rows of a form mostly come together, so its key is rarely built. */
  let last = { standardId: '', department: '', regionCode: '', yearText: '', k: -1 };
  let rows = 0;
  let headerSeen = false;
  /**
   * Rows of the batch being read: the first batches are small, so that PostgreSQL starts writing
   * soon, then each twice the one before, up to `batchRows`. PostgreSQL is the busier of the two
   * cores and was idle while the first 100,000 rows were read (about 1.4 s).
   */
  let batchLimit = Math.min(batchRows, FIRST_BATCH_ROWS);

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

  /** Reads and checks every row; the rows of a file without problems go to the writer. */
  async function read(): Promise<void> {
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
      // Records come a chunk of the file at a time, each read without returning to the event
      // loop; so PostgreSQL's answers waited for the rest of the chunk, and the writer's next
      // statement with them: a TRUNCATE of the staging table took 14 ms a batch, 3 ms since
      if (rows % 100 === 0) await yieldToEventLoop();
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
      // the shape of the row before's form, mostly: no promise to await per row
      if (standardId !== lastShape.standardId || department !== lastShape.department)
        lastShape = { standardId, department, shape: await shapeOf(standardId, department, line) };
      const { shape } = lastShape;
      if (!shape) continue;
      // a value that cannot be read is one problem; the row's other checks still run
      const read = readValue(shape.variables.get(variable), rawValue);
      if ('problem' in read) problems.add(line, COL.value, read.problem);
      const value = 'value' in read ? read.value : null;
      // an empty item or unit is the same as none (one object shape: spreading optional fields
      // took 0.27 s of the reading of 1,000,000 rows)
      const entry = { variable, item, value, unit: unit || undefined };
      const found = entryProblems({ standardId, department }, shape.variables, entry);
      for (const p of found) problems.add(line, COL[p.field as keyof typeof COL], p.message);
      if (found.some((p) => p.field === 'variable')) continue;

      let k = last.k;
      if (
        yearText !== last.yearText ||
        regionCode !== last.regionCode ||
        department !== last.department ||
        standardId !== last.standardId
      ) {
        const formKey = `${standardId}\u0000${department}\u0000${regionCode}\u0000${year}`;
        const known = formIndex.get(formKey);
        if (known === undefined) {
          k = forms.length;
          formIndex.set(formKey, k);
          forms.push({ standardId, department, regionCode, year });
        } else k = known;
        last = { standardId, department, regionCode, yearText, k };
      }
      if (!regionFirstLine.has(regionCode)) {
        regionFirstLine.set(regionCode, line);
        batch.regions.push(regionCode);
      }
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
      batch.text.add(
        [
          String(line),
          String(k),
          variable,
          copyField(item),
          value === null ? '\\N' : value,
          copyField(unit || declared),
          copyField(f[COL.source] || null),
          copyField(f[COL.note] || null),
        ].join('\t') + '\n',
      );
      if (++batch.rows >= batchLimit) {
        await flush();
        batchLimit = Math.min(batchRows, 2 * batchLimit);
      }
    }
    await flush();
    await writing;
  }

  try {
    await read();
  } finally {
    await writing.catch(() => undefined); // nothing left running on the connection
  }
  formCells.length = 0;
  if (!headerSeen) problems.add(1, undefined, zhEn('文件是空的', 'the file is empty'));
  progress.report('checking', 72, { rowsRead: rows, forms: forms.length });

  // 2. checking: regions exist and are inside the caller's scope
  await checkRegions(runner, actor, source, problems, regionFirstLine);
  problems.throwIfAny();
  if (writer.stopped)
    // a batch named a region unknown or outside the scope then, known and inside it now
    throw new DomainError(
      'CONFLICT',
      zhEn(
        '导入期间行政区发生了变化，未保存任何数据；请重新导入',
        'the regions changed during the load; nothing was stored — load the file again',
      ),
    );

  // 3. writing: refuse locked forms, bump revisions, audit
  return writer.finish(rows, forms.length, progress);
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

interface FormKey {
  standardId: string;
  department: string;
  regionCode: string;
  year: number;
}

const LOCKED = `('submitted', 'approved')`;

/** Rows of a load's first batch (see `batchLimit`). */
const FIRST_BATCH_ROWS = 10_000;

/** A submitted or approved form the file would change, with its first line and their count. */
interface LockedForm {
  line: number;
  department: string;
  region_code: string;
  year: number;
  status: string;
  total: number;
}

/**
 * Phase 3, batch by batch: a batch's rows (COPY text, each with the number `k` of its form in the
 * file) are written while the next batch is read — missing forms opened as drafts (and locked
 * with the file's other forms until the load commits), rows equal to the stored value skipped,
 * the rest inserted or updated. Each changed form is noted with the batch's change rows
 * (`load_changed_forms`) for the end ({@link BatchWriter.finish}): a change to a submitted or
 * approved form is refused there (none is written meanwhile), and each changed form gets its
 * revision bumped with one audit entry listing its changes, however many batches they came in.
 */
class BatchWriter {
  /** A batch named a region unknown or outside the scope: nothing more is written. */
  stopped = false;
  private formsWritten = 0;
  private formsCreated = 0;
  private inserted = 0;
  private updated = 0;
  private readonly audit: unknown[];
  private readonly via: string;
  /** Batches written so far (numbering each batch's changes, see `load_changed_forms`). */
  private batches = 0;
  /** Rows in `load_batch_existing` (the cells the last batch's forms held). */
  private existingCells = 0;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly client: PoolClient,
    private readonly actor: Actor & { user: AuthUser },
    private readonly source: LoadSource,
  ) {
    this.audit = [actor.user.id, actor.user.username, actor.requestId ?? null, actor.ip ?? null];
    this.via = `bulk load (${source.format})`;
  }

  /** The load's temporary tables, dropped when it commits or rolls back. */
  static async start(
    runner: QueryRunner,
    client: PoolClient,
    actor: Actor & { user: AuthUser },
    source: LoadSource,
  ): Promise<BatchWriter> {
    // a batch's rows are staged with the number of their form (k), not its four key columns
    await runner.query(`CREATE TEMP TABLE load_batch (
        line integer NOT NULL, k integer NOT NULL, variable text NOT NULL, item text NOT NULL,
        value numeric, unit text NOT NULL, source text, note text) ON COMMIT DROP`);
    // with the id each form gets if the load opens it
    await runner.query(`CREATE TEMP TABLE load_batch_forms (
        k integer NOT NULL, id uuid NOT NULL, standard_id text NOT NULL, department text NOT NULL,
        region_code text NOT NULL, year integer NOT NULL) ON COMMIT DROP`);
    // the file's forms: `created` by this load (at the revision its values give them) or not
    await runner.query(`CREATE TEMP TABLE load_form_ids (
        k integer NOT NULL, form_id uuid NOT NULL, status survey_form_status NOT NULL,
        revision integer NOT NULL, created boolean NOT NULL, department text NOT NULL,
        region_code text NOT NULL, year integer NOT NULL) ON COMMIT DROP`);
    await runner.query(
      `CREATE TEMP TABLE load_batch_existing ON COMMIT DROP AS
       SELECT form_id, variable, item, value, unit, source, note FROM survey_values WITH NO DATA`,
    );
    // a batch's changes to cells that were there, written after its new cells
    await runner.query(`CREATE TEMP TABLE load_batch_updates (
        line integer NOT NULL, form_id uuid NOT NULL, status survey_form_status NOT NULL,
        variable text NOT NULL, item text NOT NULL, value numeric, unit text NOT NULL,
        source text, note text, existed boolean NOT NULL, old_value numeric, old_unit text)
        ON COMMIT DROP`);
    // each batch's changes per form: its first line, its status then, and its change rows as the
    // JSON text of the audit entry's rows without the enclosing brackets (each row's array_to_json
    // joined by commas: the same text as one array_to_json over them all, without the substr of
    // its brackets, which walked every character of ~95 MB of multibyte text), stored as written:
    // a text over ~2 kB (a few dozen rows) was compressed here only to be decompressed at the end
    await runner.query(`CREATE TEMP TABLE load_changed_forms (
        form_id uuid NOT NULL, batch integer NOT NULL, line integer NOT NULL,
        status survey_form_status NOT NULL, change_rows text NOT NULL) ON COMMIT DROP`);
    await runner.query(
      `ALTER TABLE load_changed_forms ALTER COLUMN change_rows SET STORAGE EXTERNAL`,
    );
    // The staging tables are never analysed: the planner, guessing their sizes, sorted both
    // sides of the join of a batch's 100,000 rows with the file's forms for a merge join (0.4–1 s
    // of a 1,000,000-row load) where hashing the forms needs no sort. For this transaction only.
    await runner.query('SET LOCAL enable_mergejoin = off');
    return new BatchWriter(runner, client, actor, source);
  }

  /**
   * Writes a batch: `text` holds its rows, `forms` the forms of the file, of which the batch's
   * rows name only the first `upTo`, `regions` the regions first named in it.
   */
  async write(
    text: Buffer[],
    forms: readonly FormKey[],
    upTo: number,
    regions: string[],
  ): Promise<void> {
    if (this.stopped) return; // a batch before named a region it should not have
    const from = this.formsWritten;
    const opened = forms.slice(from, upTo);
    this.formsWritten = upTo;
    if (regions.length) {
      // a form cannot be opened in a region that is not there, nor should one outside the scope
      // be; the reader reports these at the end (checkRegions), so the batch is just not written
      const classified = await RegionsRepository.classify(
        this.runner.manager,
        regions,
        this.actor.user.regionCode,
      );
      if (classified.some((r) => !r.known || !r.inside)) {
        this.stopped = true;
        return;
      }
    }
    const { runner } = this;
    await runner.query('TRUNCATE load_batch');
    await copyIn(
      this.client,
      `COPY load_batch (line, k, variable, item, value, unit, source, note) FROM STDIN`,
      text,
    );
    if (opened.length) await this.openForms(from, opened);
    // The values the batch's forms hold now, read form by form through the cell index (a join
    // with all of survey_values was planned as a hash of the whole table; OFFSET 0 keeps the
    // lookup per form). Not those of a form this load opened: all its cells are the file's, and
    // the file gives each cell once, so none of them is among this batch's rows (looking them up
    // took 0.4 s of a 1,000,000-row load into new forms).
    if (this.existingCells) await runner.query('TRUNCATE load_batch_existing');
    [{ n: this.existingCells }] = await select<{ n: number }>(
      runner,
      `WITH read AS (
         INSERT INTO load_batch_existing
         SELECT v.* FROM (SELECT DISTINCT k FROM load_batch) b
           JOIN load_form_ids f USING (k)
          CROSS JOIN LATERAL (
            SELECT form_id, variable, item, value, unit, source, note
              FROM survey_values WHERE form_id = f.form_id OFFSET 0) v
          WHERE NOT f.created
         RETURNING 1)
       SELECT count(*)::int AS n FROM read`,
    );
    // New cells by a plain INSERT, changed ones by an UPDATE: every form of the file is locked
    // and every other writer of values locks its form first, so no cell can appear between
    // reading load_batch_existing and here. (An INSERT … ON CONFLICT DO UPDATE of 1,000,000 new
    // cells took 8.9–10.8 s against 6.4–6.9 s for the INSERT: each row was inserted
    // speculatively.) In the file's order: a form's cells come together and its id is about as
    // new as the load (see `openForms`), so they go to one place of the primary key (sorting each
    // batch by the key first gained nothing but the sort).
    // Nothing is written to a submitted or approved form: its changes are noted, and refused at
    // the end. Each form's changes are made into its audit entry's rows here, a batch at a time
    // while the next is read, not all at the end: the end's single statement over 1,000,000
    // changes held the load 3.5–3.9 s after the file was read (see `finish`).
    const [counts] = await select<{ inserted: number; toUpdate: number }>(
      runner,
      `WITH changes AS MATERIALIZED (
         SELECT s.line, f.form_id, f.status, s.variable, s.item, s.value, s.unit, s.source, s.note,
                v.form_id IS NOT NULL AS existed, v.value AS old_value, v.unit AS old_unit
           FROM load_batch s
           JOIN load_form_ids f USING (k)
           LEFT JOIN load_batch_existing v
             ON v.form_id = f.form_id AND v.variable = s.variable AND v.item = s.item
          WHERE v.form_id IS NULL OR v.value IS DISTINCT FROM s.value OR v.unit <> s.unit
             OR v.source IS DISTINCT FROM s.source OR v.note IS DISTINCT FROM s.note),
       noted AS (
         INSERT INTO load_changed_forms
         SELECT form_id, $2::int, min(line), status,
                string_agg(array_to_json(ARRAY[variable, item,
                  CASE WHEN existed THEN old_value::text END,
                  CASE WHEN existed THEN old_unit END,
                  value::text, unit, source])::text, ',' ORDER BY line)
           FROM changes GROUP BY form_id, status),
       inserted AS (
         INSERT INTO survey_values (form_id, variable, item, value, unit, source, note, updated_by)
         SELECT form_id, variable, item, value, unit, source, note, $1 FROM changes
          WHERE NOT existed AND status NOT IN ${LOCKED}
         RETURNING 1),
       updates AS (
         INSERT INTO load_batch_updates
         SELECT * FROM changes WHERE existed AND status NOT IN ${LOCKED}
         RETURNING 1)
       SELECT (SELECT count(*)::int FROM inserted) AS inserted,
              (SELECT count(*)::int FROM updates) AS "toUpdate"`,
      [this.actor.user.username, this.batches++],
    );
    this.inserted += counts.inserted;
    // only when there is something to update: with nothing, the UPDATE was planned as a hash of
    // all of survey_values (0.9–1.2 s after a 1,000,000-row load); analysed so that a few changed
    // cells go through the index
    if (counts.toUpdate) {
      await runner.query('ANALYZE load_batch_updates');
      const [{ updated }] = await select<{ updated: number }>(
        runner,
        `WITH written AS (
           UPDATE survey_values v
              SET value = c.value, unit = c.unit, source = c.source, note = c.note,
                  updated_by = $1, updated_at = now()
             FROM load_batch_updates c
            WHERE v.form_id = c.form_id AND v.variable = c.variable AND v.item = c.item
           RETURNING 1)
         SELECT count(*)::int AS updated FROM written`,
        [this.actor.user.username],
      );
      this.updated += updated;
      await runner.query('TRUNCATE load_batch_updates');
    }
  }

  /**
   * The forms first named in a batch (numbered from `from`): opened as drafts where missing (each
   * audited), then locked, in the order of their ids, until the load commits.
   */
  private async openForms(from: number, forms: FormKey[]): Promise<void> {
    const { runner } = this;
    await runner.query('TRUNCATE load_batch_forms');
    await runner.query(
      `INSERT INTO load_batch_forms
       SELECT ($5 + ord - 1)::int, id, standard_id, department, region_code, year
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $6::uuid[])
              WITH ORDINALITY AS u(standard_id, department, region_code, year, id, ord)`,
      [
        forms.map((x) => x.standardId),
        forms.map((x) => x.department),
        forms.map((x) => x.regionCode),
        forms.map((x) => x.year),
        from,
        timeOrderedIds(forms.length),
      ],
    );
    // A form the load opens is written at the revision its values will give it: every form it
    // opens gets values (each of its rows is a new cell). Bumping it afterwards wrote every form
    // twice: the UPDATE of 56,250 forms alone took 1.9–2.1 s (measured on committed forms; for
    // forms inserted in the same transaction PostgreSQL also re-checks their foreign keys, row by
    // row). Its entry records it as opened at the revision before. Its id is time-ordered (version
    // 7), not random: a random id put each form's cells, and the form, on a random page of each
    // index (1.3–1.7 s more of PostgreSQL's CPU for 56,250 forms and 1,000,000 cells).
    const [{ created }] = await select<{ created: number }>(
      runner,
      `WITH created AS (
         INSERT INTO survey_forms (id, standard_id, department, region_code, year, status, created_by, revision)
         SELECT id, standard_id, department, region_code, year, 'draft'::survey_form_status, $2, 2
           FROM load_batch_forms ORDER BY k
         ON CONFLICT ON CONSTRAINT survey_forms_instance_key DO NOTHING
         RETURNING *),
       logged AS (
         INSERT INTO audit_log (actor_id, actor_username, action, entity_type, entity_id, after, request_id, client_ip)
         SELECT $1, $2, 'survey_form.create', 'survey_form', c.id::text,
                json_build_object('id', c.id, 'standardId', c.standard_id, 'department', c.department,
                  'regionCode', c.region_code, 'year', c.year, 'status', c.status,
                  'revision', c.revision - 1, 'createdBy', c.created_by, 'via', $5::text),
                $3, $4
           FROM created c),
       listed AS (
         INSERT INTO load_form_ids
         SELECT l.k, c.id, c.status, c.revision, true, c.department, c.region_code, c.year
           FROM created c JOIN load_batch_forms l USING (id)
         RETURNING 1)
       SELECT count(*)::int AS created FROM listed`,
      [...this.audit, this.via],
    );
    this.formsCreated += created;
    if (created === forms.length) return;
    // the forms that were there: locked in the order of their ids, then their status read (what
    // a change is checked against at the end)
    const existing = `load_batch_forms l
           JOIN survey_forms f USING (standard_id, department, region_code, year)
          WHERE NOT EXISTS (SELECT 1 FROM load_form_ids x WHERE x.k = l.k)`;
    await runner.query(
      `SELECT count(*) FROM (SELECT f.id FROM ${existing} ORDER BY f.id FOR UPDATE OF f) locked`,
    );
    await runner.query(
      `INSERT INTO load_form_ids
       SELECT l.k, f.id, f.status, f.revision, false, f.department, f.region_code, f.year
         FROM ${existing}`,
    );
  }

  /**
   * After the last batch: a change to a submitted or approved form fails the load (409, nothing
   * stored); otherwise each changed form gets its revision bumped and one audit entry.
   */
  async finish(rows: number, forms: number, progress: Progress): Promise<BulkLoadResult> {
    const { runner } = this;
    progress.report('writing', 85, { rowsRead: rows, forms });
    const locked = await select<LockedForm>(
      runner,
      `SELECT min(c.line) AS line, f.department, f.region_code, f.year, f.status::text AS status,
              (count(*) OVER ())::int AS total
         FROM load_changed_forms c JOIN load_form_ids f USING (form_id)
        WHERE c.status IN ${LOCKED}
        GROUP BY f.form_id, f.department, f.region_code, f.year, f.status
        ORDER BY 1 LIMIT ${MAX_LISTED_PROBLEMS}`,
    );
    if (locked.length) await this.refuseLocked(locked);
    const changed = this.inserted + this.updated;
    progress.report('writing', 90, { rowsRead: rows, forms, valuesChanged: changed });
    // The forms that were there and changed get their revision bumped (those the load opened
    // are at theirs already). A form's change rows are its batches' rows joined in the order of
    // the batches, which is the order of the lines: the JSON text one array_to_json over all its
    // changes gives (audit entries are json, not jsonb; a jsonb_agg of jsonb_build_array per
    // change took ~2 s more for 1,000,000 changes).
    await runner.query(
      `WITH bumped AS (
         UPDATE survey_forms s SET revision = s.revision + 1, updated_at = now()
           FROM load_form_ids f
          WHERE s.id = f.form_id AND NOT f.created
            AND f.form_id IN (SELECT form_id FROM load_changed_forms)
         RETURNING s.id AS form_id, s.revision),
       revised AS (
         SELECT form_id, revision FROM bumped
         UNION ALL SELECT form_id, revision FROM load_form_ids WHERE created)
       INSERT INTO audit_log (actor_id, actor_username, action, entity_type, entity_id, after, request_id, client_ip)
       SELECT $1, $2, 'survey_form.save_values', 'survey_form', r.form_id::text,
              json_build_object('revision', r.revision, 'via', $5::text,
                'changeColumns', $6::json, 'changeRows', c.changes), $3, $4
         FROM revised r
         JOIN (SELECT form_id, ('[' || string_agg(change_rows, ',' ORDER BY batch) || ']')::json AS changes
                 FROM load_changed_forms GROUP BY form_id) c USING (form_id)`,
      [...this.audit, this.via, JSON.stringify(CHANGE_COLUMNS)],
    );
    progress.report('writing', 99, { rowsRead: rows, forms, valuesChanged: changed });
    return { rows, forms, formsCreated: this.formsCreated, valuesChanged: changed };
  }

  /** 409 listing the submitted and approved forms the file would change, by their first line. */
  private async refuseLocked(locked: LockedForm[]): Promise<never> {
    const total = locked[0].total;
    const names = await RegionsRepository.names(
      this.runner.manager,
      locked.map((l) => l.region_code),
    );
    throw new DomainError(
      'FORM_LOCKED',
      zhEn(
        `文件中有 ${total} 张报表已提交或已审核，其数值会被改变；请先退回修改——未保存任何数据${total > locked.length ? `（列出前 ${locked.length} 张）` : ''}`,
        `${total} form(s) in the file are submitted or approved and their values would change; open a correction first — nothing was stored${total > locked.length ? ` (the first ${locked.length} are listed)` : ''}`,
      ),
      locked.map((l) => {
        const at = this.source.locate(l.line);
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
}
