import { parse as parseCsv } from 'csv-parse/sync';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { QueryRunner } from 'typeorm';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { Progress } from '../../jobs/progress';
import { copyField, copyIn } from '../../database/copy';
import { toUtf8 } from '../../common/text-encoding';
import { MAX_LISTED_PROBLEMS } from '../survey/bulk-load';
import { areaHa, bboxOf, Boundary, checkBoundary } from '../../common/geometry/geometry';
import { D, Dec } from '../../common/decimal';
import { sqlNumber, sqlText } from '../../formula/sql';
import { formatDims, parseUnit, sameDims, Unit, UnitError } from '../../formula/units';
import { ParcelModel, PARCEL_AREA_UNIT } from './parcel-model';
import { zhEn } from '../../common/i18n/text';

/** Columns every parcel row has, besides the per-parcel variables. */
export const PARCEL_COLUMNS = ['parcel_id', 'township', 'ecosystem', 'area'] as const;
const OPTIONAL_COLUMNS = ['lon', 'lat'] as const;

export interface ParcelFileColumn {
  /** `parcel_id`, `township`, `ecosystem`, `area`, `lon`, `lat` or a variable code. */
  name: string;
  /** For `area` and variables: the unit values are given in, and the factor to the stored unit. */
  unit?: Unit;
  factor?: Dec;
}

export interface LoadTarget {
  setId: string;
  regionCode: string;
  /** The county's townships: code and name. */
  townships: { code: string; name: string }[];
  model: ParcelModel;
}

export interface LoadOutcome {
  parcels: number;
  totalAreaHa: string;
  inputsGiven: string[];
}

const bad = (problems: FieldProblem[], message: string): never => {
  throw new DomainError('VALIDATION_FAILED', message, problems);
};

/**
 * Reads a column heading: `precipitation`, `precipitation[mm]`, `area (亩)` or `area（亩）`. The
 * unit must be of the same kind as the declared one; values are converted to it once, on load.
 */
export function parseHeader(cells: string[], model: ParcelModel): ParcelFileColumn[] {
  const problems: FieldProblem[] = [];
  const variables = new Map(
    model.parcel.variables.map((c, i) => [c, model.variableUnits[i]] as const),
  );
  const seen = new Set<string>();
  const columns = cells.map((raw, i): ParcelFileColumn => {
    const at = `header[${i}]`;
    const m = /^\s*([^[(（\s]+)\s*(?:[[(（]\s*(.+?)\s*[\])）])?\s*$/.exec(raw);
    if (!m) {
      problems.push({
        path: at,
        message: zhEn(`第 ${i + 1} 列没有列名`, `column ${i + 1} has no name`),
      });
      return { name: '' };
    }
    const [, name, unitText] = m;
    if (seen.has(name))
      problems.push({
        path: at,
        message: zhEn(`列 ${name} 重复`, `column ${name} is given twice`),
      });
    seen.add(name);
    const declared = name === 'area' ? parseUnit(PARCEL_AREA_UNIT) : variables.get(name);
    if (!declared) {
      if ((PARCEL_COLUMNS as readonly string[]).includes(name) || name === 'lon' || name === 'lat')
        return unitText
          ? (problems.push({
              path: at,
              message: zhEn(`${name} 不带单位`, `${name} takes no unit`),
            }),
            { name })
          : { name };
      problems.push({
        path: at,
        message: zhEn(
          `未知的列 ${name}：应为 ${[...PARCEL_COLUMNS, ...OPTIONAL_COLUMNS].join('、')}，或核算方法的图斑变量（${model.parcel.variables.join('、')}）`,
          `unknown column ${name}: expected ${[...PARCEL_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')} or a per-parcel variable of the methodology (${model.parcel.variables.join(', ')})`,
        ),
      });
      return { name };
    }
    if (!unitText) return { name, unit: declared, factor: new D(1) };
    let unit: Unit;
    try {
      unit = parseUnit(unitText);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      problems.push({ path: at, message: `${name}: ${e.message}` });
      return { name };
    }
    if (!sameDims(unit.dims, declared.dims)) {
      problems.push({
        path: at,
        message: zhEn(
          `${name} 的单位是 ${unit.text}（${formatDims(unit.dims)}），但核算方法声明的单位是 ${declared.text}（${formatDims(declared.dims)}）`,
          `${name} is given in ${unit.text} (${formatDims(unit.dims)}) but the methodology declares it in ${declared.text} (${formatDims(declared.dims)})`,
        ),
      });
      return { name };
    }
    return { name, unit, factor: unit.factor.div(declared.factor) };
  });
  for (const required of PARCEL_COLUMNS)
    if (!seen.has(required))
      problems.push({
        path: 'header',
        message: zhEn(`缺少列 ${required}`, `the column ${required} is missing`),
      });
  if (seen.has('lon') !== seen.has('lat'))
    problems.push({
      path: 'header',
      message: zhEn('经度 lon 和纬度 lat 应同时给出或都不给', 'give both lon and lat, or neither'),
    });
  if (problems.length)
    bad(
      problems,
      zhEn(
        `表头有 ${problems.length} 处问题；未保存任何内容`,
        `${problems.length} problem(s) in the header; nothing was stored`,
      ),
    );
  return columns;
}

/** The first line of a CSV file (BOM stripped), parsed. */
export async function readCsvHeader(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    const line = end < 0 ? text : text.slice(0, end);
    if (!line.trim())
      bad(
        [{ path: 'line 1', message: zhEn('第 1 行：表头为空', 'line 1: the header is empty') }],
        zhEn('文件没有表头', 'the file has no header'),
      );
    const rows: string[][] = parseCsv(line);
    return rows[0] ?? [];
  } finally {
    await handle.close();
  }
}

/**
 * Loads parcels into `target.setId`, set-based, on the caller's transaction: the file is streamed
 * into a temporary table (COPY), checked with a few SQL passes — every problem listed with its
 * line (CSV) or feature (GeoJSON) and field, up to {@link MAX_LISTED_PROBLEMS} — and only then
 * inserted into `parcels`, converting units once. Any problem: nothing is written.
 */
export async function loadParcels(
  runner: QueryRunner,
  target: LoadTarget,
  file: { path: string; sizeBytes: number; format: 'csv' | 'geojson' },
  progress: Progress,
): Promise<LoadOutcome> {
  const staged = await stageFile(runner, target, file, progress);
  progress.report('checking', 45);
  const [{ rows }] = await runner.manager.query<{ rows: number }[]>(
    'SELECT count(*)::int AS rows FROM parcel_load',
  );
  if (rows === 0)
    bad(
      [{ path: 'file', message: zhEn('文件中没有图斑', 'the file has no parcels') }],
      zhEn('文件中没有图斑', 'the file has no parcels'),
    );
  await runner.query('ANALYZE parcel_load');

  // Lookup table: township and type by code, or by name where the name is unambiguous.
  const keys = (kind: 't' | 'e', items: { code: string; name: string }[]) => {
    const byName = new Map<string, string[]>();
    for (const i of items) byName.set(i.name, [...(byName.get(i.name) ?? []), i.code]);
    const codes = new Set(items.map((i) => i.code));
    return [
      ...items.map((i) => [kind, i.code, i.code]),
      ...[...byName]
        .filter(([name, cs]) => cs.length === 1 && !codes.has(name))
        .map(([name, [code]]) => [kind, name, code]),
    ];
  };
  const lookup = [...keys('t', target.townships), ...keys('e', target.model.types)];
  await runner.query(
    `CREATE TEMP TABLE parcel_keys ON COMMIT DROP AS
     SELECT kind, key, code FROM unnest($1::text[], $2::text[], $3::text[]) u(kind, key, code)`,
    [lookup.map((k) => k[0]), lookup.map((k) => k[1]), lookup.map((k) => k[2])],
  );

  await refuseProblems(runner, staged, parcelChecks(staged, target), file.format);
  return insertParcels(runner, staged, target, rows, progress);
}

/**
 * SQL: text that reads as a decimal (digits, one point, a sign, an exponent — not NaN, Infinity,
 * 1_000, 0x1F) within numeric's range, so its cast cannot fail. A pattern, so it runs on every
 * supported PostgreSQL (pg_input_is_valid needs 16).
 */
export const isDecimal = (x: string): string =>
  `(length(${x}) <= 1000 AND ${x} ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,4})?$')`;
const blank = (x: string) => `(${x} IS NULL OR ${x}::text = '')`;
const quoted = (x: string) => `'"' || left(coalesce(${x}, ''), 40) || '"'`;
/** A two-language message built in SQL (see zhEn): each side an SQL text expression. */
const bilingual = (zh: string, en: string) => `(chr(2) || ${zh} || chr(31) || ${en} || chr(3))`;
const EMPTY = bilingual(`'为空'`, `'is empty'`);

/** The staged file as the checks and the insert read it: its columns and how each is typed. */
interface StagedFile {
  columns: ParcelFileColumn[];
  /** Index of a column by its name (−1 when the file does not have it). */
  at: (name: string) => number;
  /** SQL of a column's value in `parcel_load l`: numeric when COPY parsed it, else trimmed text. */
  col: (name: string) => string;
  /** Whether COPY parsed the column as numeric. */
  isNumeric: (name: string) => boolean;
}

/**
 * Phase 1: the header checked against the model and the file streamed into `parcel_load`. Fast
 * path: numbers straight into numeric columns, parsed by COPY itself. A value COPY cannot read (or
 * a malformed line) rolls back to the savepoint, and the file is staged again as text so that the
 * checks can name every bad value, not just the first.
 */
async function stageFile(
  runner: QueryRunner,
  target: LoadTarget,
  file: { path: string; sizeBytes: number; format: 'csv' | 'geojson' },
  progress: Progress,
): Promise<StagedFile> {
  const geo = file.format === 'geojson' ? await readGeoJson(file.path) : null;
  const columns = parseHeader(
    geo ? geoJsonHeader(geo) : await readCsvHeader(file.path),
    target.model,
  );
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  const staged = columns.map((_, i) => `c${i}`);
  const numeric = (c: ParcelFileColumn) =>
    c.unit !== undefined || c.name === 'lon' || c.name === 'lat';
  await runner.query('SAVEPOINT parcel_stage');
  let typed = true;
  try {
    await stage(runner, file, geo, columns, staged, numeric, progress);
  } catch (e) {
    if (!isDataError(e)) throw e;
    await runner.query('ROLLBACK TO SAVEPOINT parcel_stage');
    typed = false;
    await stage(runner, file, geo, columns, staged, () => false, progress);
  }
  await runner.query('RELEASE SAVEPOINT parcel_stage');
  const col = (name: string) => {
    const c = `l.${staged[at(name)]}`;
    return typed && numeric(columns[at(name)]) ? c : `trim(${c})`;
  };
  const isNumeric = (name: string) => typed && numeric(columns[at(name)]);
  return { columns, at, col, isNumeric };
}

/** A check of every staged row: the field, when it fails (SQL boolean, safe on any text) and what to say. */
interface RowCheck {
  field: string;
  fails: string;
  message: string;
}

/** Phase 2: the checks of every row — ids, township, type, area, centroid, the model's ranges. */
function parcelChecks(staged: StagedFile, target: LoadTarget): RowCheck[] {
  const { columns, at, col, isNumeric } = staged;
  const checks: RowCheck[] = [];
  const check = (field: string, fails: string, message: string) =>
    checks.push({ field, fails, message });
  const number = (name: string, required: boolean, rule?: { fails: string; message: string }) => {
    const x = col(name);
    if (required) check(name, `${x} IS NULL`, EMPTY);
    if (isNumeric(name)) {
      // COPY has parsed it; NaN and ±Infinity are numerics too, but not quantities
      check(
        name,
        `${x} IN ('NaN', 'Infinity', '-Infinity')`,
        bilingual(`'不是有限数值：' || ${x}::text`, `'is not a finite number: ' || ${x}::text`),
      );
      if (rule)
        check(
          name,
          `(CASE WHEN ${x} IN ('NaN', 'Infinity', '-Infinity') THEN false ELSE ${rule.fails.replace(/\$x/g, x)} END)`,
          rule.message,
        );
      return;
    }
    if (required) check(name, `${x} = ''`, EMPTY);
    check(
      name,
      `(NOT ${blank(x)} AND NOT ${isDecimal(x)})`,
      bilingual(`'不是十进制数：' || ${quoted(x)}`, `'is not a decimal number: ' || ${quoted(x)}`),
    );
    if (rule)
      check(
        name,
        `(CASE WHEN ${isDecimal(x)} THEN ${rule.fails.replace(/\$x/g, `(${x})::numeric`)} ELSE false END)`,
        rule.message,
      );
  };
  check('parcel_id', blank(col('parcel_id')), EMPTY);
  check(
    'parcel_id',
    `length(${col('parcel_id')}) > 64`,
    bilingual(`'超过 64 个字符'`, `'is longer than 64 characters'`),
  );
  check(
    'township',
    't.code IS NULL',
    bilingual(
      `'不是 ${target.regionCode} 的乡镇：' || ${quoted(col('township'))} || '（图斑不在本行政区内）'`,
      `'is not a township of ${target.regionCode}: ' || ${quoted(col('township'))} || ' (the parcel is outside the region)'`,
    ),
  );
  check(
    'ecosystem',
    'e.code IS NULL',
    bilingual(
      `'不是 ${target.model.parcel.indexSet} 的类型：' || ${quoted(col('ecosystem'))} || ${sqlText(`（应为 ${target.model.types.map((x) => x.code).join('、')}）`)}`,
      `'is not a type of ${target.model.parcel.indexSet}: ' || ${quoted(col('ecosystem'))} || ${sqlText(` (expected ${target.model.types.map((x) => x.code).join(', ')})`)}`,
    ),
  );
  number('area', true, {
    fails: '$x <= 0',
    message: bilingual(`'应大于 0'`, `'must be greater than 0'`),
  });
  if (at('lon') >= 0) {
    number('lon', true, {
      fails: 'abs($x) > 180',
      message: bilingual(`'应在 -180 至 180 之间'`, `'must be between -180 and 180'`),
    });
    number('lat', true, {
      fails: 'abs($x) > 90',
      message: bilingual(`'应在 -90 至 90 之间'`, `'must be between -90 and 90'`),
    });
  }
  const rules = (target.model.content.validationRules ?? []).filter(
    (r) => r.kind === 'range' && r.severity === 'error',
  );
  target.model.parcel.variables.forEach((v, i) => {
    if (at(v) < 0) return;
    const factor = columns[at(v)].factor!;
    const bounds = rules
      .filter((r) => r.variable === v)
      .flatMap((r) => [
        r.min != null ? `$x * ${sqlNumber(factor)} < ${sqlNumber(new D(r.min))}` : null,
        r.max != null ? `$x * ${sqlNumber(factor)} > ${sqlNumber(new D(r.max))}` : null,
      ])
      .filter((x): x is string => x !== null);
    const range = rules
      .filter((r) => r.variable === v)
      .map(
        (r) =>
          `${r.min ?? '−∞'}–${r.max ?? '∞'} ${target.model.variableUnits[i].text}${r.message ? ` (${r.message})` : ''}`,
      )
      .join('; ');
    number(
      v,
      false,
      bounds.length
        ? {
            fails: bounds.join(' OR '),
            message: sqlText(zhEn(`超出 ${range}`, `is outside ${range}`)),
          }
        : undefined,
    );
  });

  return checks;
}

/** Phase 3: one cheap pass over the staged rows; if anything fails, every problem listed (422), nothing written. */
async function refuseProblems(
  runner: QueryRunner,
  staged: StagedFile,
  checks: RowCheck[],
  format: 'csv' | 'geojson',
): Promise<void> {
  const { col } = staged;
  const joins = `FROM parcel_load l
      LEFT JOIN parcel_keys t ON t.kind = 't' AND t.key = ${col('township')}
      LEFT JOIN parcel_keys e ON e.kind = 'e' AND e.key = ${col('ecosystem')}`;
  const anyFails = checks.map((c) => c.fails).join(' OR ');
  // One cheap pass decides whether there is anything to list; the listing reads only bad rows.
  const [{ bad: badRows, dup }] = await runner.manager.query<{ bad: number; dup: number }[]>(
    `SELECT (SELECT count(*)::int ${joins} WHERE ${anyFails}) AS bad,
            (SELECT count(*)::int FROM (SELECT 1 FROM parcel_load l WHERE NOT ${blank(col('parcel_id'))}
               GROUP BY ${col('parcel_id')} HAVING count(*) > 1) d) AS dup`,
  );
  if (badRows > 0 || dup > 0) {
    const listed = await runner.manager.query<
      { line: number; field: string; message: string; total: number }[]
    >(
      `WITH found AS (
         SELECT l.line, v.field, v.message
           ${joins}
           CROSS JOIN LATERAL (VALUES ${checks
             .map((c) => `(${sqlText(c.field)}, CASE WHEN ${c.fails} THEN ${c.message} END)`)
             .join(', ')}) v(field, message)
          WHERE (${anyFails}) AND v.message IS NOT NULL
         UNION ALL
         SELECT line, 'parcel_id', ${bilingual(`'重复（首次出现于 ' || first || '）：'`, `'is given twice (first on ' || first || '): '`)} || '"' || left(id, 40) || '"'
           FROM (SELECT l.line, ${col('parcel_id')} AS id, min(l.line) OVER (PARTITION BY ${col('parcel_id')}) AS first
                   FROM parcel_load l
                  WHERE ${col('parcel_id')} IN (SELECT ${col('parcel_id')} FROM parcel_load l
                                                GROUP BY 1 HAVING count(*) > 1)) d
          WHERE line > first AND id <> '')
       SELECT line, field, message, count(*) OVER ()::int AS total FROM found
        ORDER BY line, field LIMIT ${MAX_LISTED_PROBLEMS}`,
    );
    const name = (line: number) => (format === 'csv' ? `line ${line}` : `features[${line - 2}]`);
    const nameZh = (line: number) => (format === 'csv' ? `第 ${line} 行` : `features[${line - 2}]`);
    const total = listed[0].total;
    bad(
      listed.map((p) => {
        const message = p.message
          .replace(/\(first on (\d+)\)/, (_, l: string) => `(first on ${name(Number(l))})`)
          .replace(/（首次出现于 (\d+)）/, (_, l: string) => `（首次出现于${nameZh(Number(l))}）`);
        return {
          path: `${name(p.line)}.${p.field}`,
          message: zhEn(
            `${nameZh(p.line)} ${p.field}：${message}`,
            `${name(p.line)}, ${p.field}: ${message}`,
          ),
        };
      }),
      zhEn(
        `文件有 ${total} 处问题；未保存任何内容${total > listed.length ? `（列出前 ${listed.length} 处）` : ''}`,
        `${total} problem(s) in the file; nothing was stored${total > listed.length ? ` (the first ${listed.length} are listed)` : ''}`,
      ),
    );
  }
}

/** Phase 4: the parcels inserted with their units converted once; the set's total area. */
async function insertParcels(
  runner: QueryRunner,
  staged: StagedFile,
  target: LoadTarget,
  rows: number,
  progress: Progress,
): Promise<LoadOutcome> {
  const { columns, at, col, isNumeric } = staged;
  progress.report('writing', 60, { parcels: rows });
  const value = (name: string) =>
    isNumeric(name) ? col(name) : `(NULLIF(${col(name)}, ''))::numeric`;
  const input = (code: string) => {
    const i = at(code);
    if (i < 0) return 'NULL::numeric';
    return converted(value(code), columns[i].factor!);
  };
  const areaFactor = columns[at('area')].factor!;
  const hasCentroid = at('lon') >= 0;
  await runner.query(
    `INSERT INTO parcels (region_code, set_id, parcel_id, township_code, ecosystem, area_ha, lon, lat, inputs)
     SELECT $1, $2, ${col('parcel_id')}, t.code, e.code,
            ${converted(value('area'), areaFactor)},
            ${hasCentroid ? `${value('lon')}, ${value('lat')}` : 'NULL, NULL'},
            ARRAY[${target.model.parcel.variables.map(input).join(', ')}]::numeric[]
       FROM parcel_load l
       JOIN parcel_keys t ON t.kind = 't' AND t.key = ${col('township')}
       JOIN parcel_keys e ON e.kind = 'e' AND e.key = ${col('ecosystem')}`,
    [target.regionCode, target.setId],
  );
  progress.report('writing', 95, { parcels: rows });
  await runner.query('ANALYZE parcels'); // a run plans its scan of the new rows with fresh statistics
  const [{ total }] = await runner.manager.query<{ total: string }[]>(
    'SELECT sum(area_ha)::text AS total FROM parcels WHERE region_code = $1 AND set_id = $2',
    [target.regionCode, target.setId],
  );
  return {
    parcels: rows,
    totalAreaHa: total,
    inputsGiven: target.model.parcel.variables.filter((v) => at(v) >= 0),
  };
}

/** A PostgreSQL data exception (class 22: bad input syntax, numeric overflow…). */
export const isDataError = (e: unknown): boolean => /^22/.test((e as { code?: string }).code ?? '');

/** Streams the file into a new `parcel_load` (numeric columns where `numeric` says, text elsewhere). */
async function stage(
  runner: QueryRunner,
  file: { path: string; sizeBytes: number; format: 'csv' | 'geojson' },
  geo: GeoJsonParcels | null,
  columns: ParcelFileColumn[],
  staged: string[],
  numeric: (c: ParcelFileColumn) => boolean,
  progress: Progress,
): Promise<void> {
  await runner.query(
    `CREATE TEMP TABLE parcel_load (line integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2), ${staged.map((c, i) => `${c} ${numeric(columns[i]) ? 'numeric' : 'text'}`).join(', ')}) ON COMMIT DROP`,
  );
  const client = (await runner.connect()) as PoolClient;
  if (geo) return stageGeoJson(client, geo, columns, progress);
  let read = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _e, done) {
      read += chunk.length;
      progress.report('reading', (40 * read) / Math.max(1, file.sizeBytes), {
        bytesRead: read,
        bytesTotal: file.sizeBytes,
      });
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      createReadStream(file.path),
      meter,
      toUtf8(), // GBK from Excel on Chinese Windows is read too
      client.query(
        copyFrom(
          `COPY parcel_load (${staged.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`,
        ),
      ),
    );
  } catch (e) {
    if (!isDataError(e) || columns.some(numeric)) throw e; // typed: let the caller retry as text
    const pg = e as { where?: string; message?: string };
    const line = /line (\d+)/.exec(pg.where ?? '')?.[1];
    const where = line ? `line ${line}` : 'file';
    const whereZh = line ? `第 ${line} 行` : '文件';
    const detail = pg.message ?? 'malformed CSV';
    bad(
      [{ path: where, message: zhEn(`${whereZh}：${detail}`, `${where}: ${detail}`) }],
      zhEn(
        '文件不是与其表头相符的有效 CSV；未保存任何内容',
        'the file is not valid CSV for the header it has; nothing was stored',
      ),
    );
  }
}

/**
 * Decimal places a value converted to its declared unit is rounded to: 亩 → hm² has a
 * non-terminating factor (1/15), so 15 亩 becomes exactly 1 hm², not 1.000…0005.
 */
export const CONVERTED_DECIMALS = 10;

const converted = (sql: string, factor: Dec) =>
  factor.eq(1) ? sql : `round(${sql} * ${factor.toFixed()}::numeric, ${CONVERTED_DECIMALS})`;

/**
 * GeoJSON parcels: a FeatureCollection whose features carry the CSV columns as properties
 * (`area` optional: the geodesic area of the geometry, in hm², when absent) and, optionally, a
 * Polygon/MultiPolygon geometry (its bounding-box centre becomes the centroid used to select
 * parcels by a project polygon). Units other than the declared ones go in a top-level member
 * `"units": {"area": "亩", "precipitation": "mm"}`.
 */
interface GeoJsonParcels {
  features: unknown[];
  units: Record<string, string>;
}

async function readGeoJson(path: string): Promise<GeoJsonParcels> {
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    bad(
      [
        {
          path: 'file',
          message: zhEn(
            `文件不是 JSON：${e instanceof Error ? e.message : String(e)}`,
            `the file is not JSON: ${e instanceof Error ? e.message : String(e)}`,
          ),
        },
      ],
      zhEn(
        '文件不是有效的 GeoJSON；未保存任何内容',
        'the file is not valid GeoJSON; nothing was stored',
      ),
    );
  }
  const fc = parsed as { type?: unknown; features?: unknown; units?: unknown } | null;
  if (
    typeof fc !== 'object' ||
    fc === null ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  )
    bad(
      [
        {
          path: 'type',
          message: zhEn(
            '应为含 features 数组的 GeoJSON FeatureCollection',
            'must be a GeoJSON FeatureCollection with a features array',
          ),
        },
      ],
      zhEn(
        '文件不是 GeoJSON FeatureCollection；未保存任何内容',
        'the file is not a GeoJSON FeatureCollection; nothing was stored',
      ),
    );
  const units: Record<string, string> = {};
  if (typeof fc!.units === 'object' && fc!.units !== null)
    for (const [k, v] of Object.entries(fc!.units)) if (typeof v === 'string') units[k] = v;
  return { features: fc!.features as unknown[], units };
}

/** The columns a GeoJSON file has: every property name seen, plus lon/lat when features have geometry. */
function geoJsonHeader(doc: GeoJsonParcels): string[] {
  const names = new Set<string>(PARCEL_COLUMNS);
  let centroids = false;
  for (const f of doc.features) {
    const { properties, geometry } = (f ?? {}) as { properties?: unknown; geometry?: unknown };
    if (typeof properties === 'object' && properties !== null)
      for (const k of Object.keys(properties)) names.add(k);
    if (geometry) centroids = true;
  }
  if (centroids) names.add('lon').add('lat');
  return [...names].map((n) => (doc.units[n] ? `${n}[${doc.units[n]}]` : n));
}

const cellText = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
};

/** Streams the features into the staging table (line = feature index + 2), checking geometry on the way. */
async function stageGeoJson(
  client: PoolClient,
  doc: GeoJsonParcels,
  columns: ParcelFileColumn[],
  progress: Progress,
): Promise<void> {
  const problems: FieldProblem[] = [];
  const areaFactor = columns.find((c) => c.name === 'area')!.factor!;
  function* lines(): Iterable<string> {
    let chunk = '';
    for (let i = 0; i < doc.features.length; i++) {
      const f = doc.features[i] as { type?: unknown; properties?: unknown; geometry?: unknown };
      const path = `features[${i}]`;
      if (typeof f !== 'object' || f === null || f.type !== 'Feature') {
        problems.push({
          path,
          message: zhEn(`${path}：应为 GeoJSON Feature`, `${path}: must be a GeoJSON Feature`),
        });
        continue;
      }
      const props = (
        typeof f.properties === 'object' && f.properties !== null ? f.properties : {}
      ) as Record<string, unknown>;
      let area = cellText(props.area);
      let lon: string | null = null;
      let lat: string | null = null;
      if (f.geometry) {
        const found = checkBoundary(f.geometry, `${path}.geometry`);
        if (found.length) {
          problems.push(
            ...found.map((p) => ({ path: p.path, message: `${p.path}: ${p.message}` })),
          );
          continue;
        }
        const [w, s, e, n] = bboxOf(f.geometry as Boundary);
        lon = String((w + e) / 2);
        lat = String((s + n) / 2);
        // the geometry's area, in the unit the file declares for area
        area ??= areaHa(f.geometry as Boundary)
          .div(areaFactor)
          .toString();
      }
      const values = columns.map((c) =>
        c.name === 'lon'
          ? lon
          : c.name === 'lat'
            ? lat
            : c.name === 'area'
              ? area
              : cellText(props[c.name]),
      );
      chunk += [String(i + 2), ...values.map(copyField)].join('\t') + '\n';
      if (chunk.length > 65536) {
        yield chunk;
        chunk = '';
        progress.report('reading', (40 * i) / doc.features.length, { features: i });
      }
    }
    if (chunk) yield chunk;
  }
  await copyIn(
    client,
    `COPY parcel_load (line, ${columns.map((_, i) => `c${i}`).join(', ')}) FROM STDIN`,
    lines(),
  );
  if (problems.length)
    bad(
      problems.slice(0, MAX_LISTED_PROBLEMS),
      zhEn(
        `文件有 ${problems.length} 处问题；未保存任何内容`,
        `${problems.length} problem(s) in the file; nothing was stored`,
      ),
    );
}
