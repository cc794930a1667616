import { D, Dec } from '../../common/decimal';
import {
  CompiledModel,
  compileModel,
  CONSTANTS,
  evaluateModel,
  IndicatorResult,
  InputSource,
  ModelDefinition,
  ModelError,
  ModelProblem,
  SELF_QUANTITY,
  VALUE_SUFFIX,
} from '../../formula/model';
import { parseFormula } from '../../formula/parse';
import { formulaToSql, SqlOperand, sqlNumber, sqlText } from '../../formula/sql';
import { parseUnit, sameDims, Unit } from '../../formula/units';
import { MethodologyContent, ParcelContent } from '../methodology/methodology-content';
import { toModelDefinition } from '../methodology/model-definition';
import { zhEn } from '../../common/i18n/text';

/** Parcels carry their area in hm² (ha), whatever unit the methodology's area variable has. */
export const PARCEL_AREA_UNIT = 'hm2';
/**
 * Stored precision of per-parcel results: 6 decimal places of the indicator's quantity unit and
 * of 元 for values, rounded half away from zero once, when stored. Township and county
 * aggregates are exact sums of the stored values.
 */
export const PARCEL_STORED_DECIMALS = 6;

/** A methodology's parcel-level model, checked and compiled. */
export interface ParcelModel {
  content: MethodologyContent;
  parcel: ParcelContent;
  /** The parcel indicators compiled as scalars (dependencies first in `order`). */
  compiled: CompiledModel;
  /** Parcel indicators in evaluation order. */
  indicators: string[];
  /** Items of the parcel index set (the valid parcel types). */
  types: { code: string; name: string }[];
  /** Declared unit of each per-parcel variable, in `parcel.variables` order. */
  variableUnits: Unit[];
  areaUnit: Unit;
}

const baseOf = (u: string) => (u.endsWith(VALUE_SUFFIX) ? u.slice(0, -VALUE_SUFFIX.length) : u);

/**
 * The formula-engine view of the parcel model: per-parcel variables and the area as single
 * numbers, parameters indexed by the parcel type as single numbers (the parcel's type's value),
 * only the parcel indicators. Variables that are not per-parcel inputs are absent, so a formula
 * using one fails to compile — that is what makes an indicator not parcel-capable.
 */
export function parcelModelDefinition(
  content: MethodologyContent,
  parcel: ParcelContent,
): ModelDefinition {
  const def = toModelDefinition(content);
  const perParcel = new Set([parcel.areaVariable, ...parcel.variables]);
  const wanted = new Set(parcel.indicators);
  return {
    indexSets: def.indexSets.filter((s) => s.code !== parcel.indexSet),
    variables: def.variables
      .filter((v) => perParcel.has(v.code))
      .map((v) => ({ ...v, index: null })),
    parameters: def.parameters.map((p) =>
      p.index === parcel.indexSet ? { ...p, index: null } : p,
    ),
    indicators: def.indicators.filter((i) => wanted.has(i.code)),
  };
}

/**
 * Checks a methodology's parcel declaration and returns every problem with its path (empty when
 * there is none or it is sound): known index set, an area variable in an area unit, per-parcel
 * variables that are single values or per parcel type, and indicators whose formulas use only
 * per-parcel inputs, parameters that are single values or per parcel type, constants and other
 * parcel indicators, each giving one number per parcel.
 */
export function parcelProblems(content: MethodologyContent): ModelProblem[] {
  const parcel = content.parcel;
  if (!parcel) return [];
  const problems: ModelProblem[] = [];
  const push = (path: string, message: string) =>
    problems.push({ path: `parcel.${path}`, message });
  const sets = new Map(content.indexSets.map((s) => [s.code, s]));
  const variables = new Map(content.variables.map((v) => [v.code, v]));
  const parameters = new Map(content.parameters.map((p) => [p.code, p]));
  const indicators = new Map(content.indicators.map((i) => [i.code, i]));
  if (!sets.has(parcel.indexSet))
    push(
      'indexSet',
      zhEn(`未知的指标集 ${parcel.indexSet}`, `unknown index set ${parcel.indexSet}`),
    );
  const area = variables.get(parcel.areaVariable);
  if (!area)
    push(
      'areaVariable',
      zhEn(`未知的变量 ${parcel.areaVariable}`, `unknown variable ${parcel.areaVariable}`),
    );
  else {
    let ok = false;
    try {
      ok = sameDims(parseUnit(area.unit).dims, parseUnit(PARCEL_AREA_UNIT).dims);
    } catch {
      ok = false; // the variable's own unit problem is reported with the variables
    }
    if (!ok)
      push(
        'areaVariable',
        zhEn(
          `${area.code} 的单位是 ${area.unit}，不是面积单位`,
          `${area.code} is in ${area.unit}, not an area unit`,
        ),
      );
    if (area.index && area.index !== parcel.indexSet)
      push(
        'areaVariable',
        zhEn(
          `${area.code} 按 ${area.index} 分项，而不是按 ${parcel.indexSet}`,
          `${area.code} is indexed by ${area.index}, not by ${parcel.indexSet}`,
        ),
      );
  }
  const seenVariables = new Set<string>();
  parcel.variables.forEach((code, i) => {
    const v = variables.get(code);
    if (seenVariables.has(code))
      push(`variables[${i}]`, zhEn(`${code} 列了两次`, `${code} is listed twice`));
    seenVariables.add(code);
    if (!v) push(`variables[${i}]`, zhEn(`未知的变量 ${code}`, `unknown variable ${code}`));
    else if (code === parcel.areaVariable)
      push(
        `variables[${i}]`,
        zhEn(
          `${code} 是面积变量；图斑本身带有面积，不必再列`,
          `${code} is the area variable; parcels carry their area anyway`,
        ),
      );
    else if (v.index && v.index !== parcel.indexSet)
      push(
        `variables[${i}]`,
        zhEn(
          `${code} 按 ${v.index} 分项填报；每个图斑的变量只有一个值`,
          `${code} is given per ${v.index}; a parcel has a single value per variable`,
        ),
      );
  });
  if (parcel.indicators.length === 0)
    push('indicators', zhEn('至少列出一个指标', 'list at least one indicator'));
  const listed = new Set<string>();
  const perParcel = new Set([parcel.areaVariable, ...parcel.variables]);
  parcel.indicators.forEach((code, i) => {
    const ind = indicators.get(code);
    if (listed.has(code))
      push(`indicators[${i}]`, zhEn(`${code} 列了两次`, `${code} is listed twice`));
    listed.add(code);
    if (!ind) {
      push(`indicators[${i}]`, zhEn(`未知的指标 ${code}`, `unknown indicator ${code}`));
      return;
    }
    if (ind.alternatives?.length) {
      push(
        `indicators[${i}]`,
        zhEn(
          `${code} 有备选方法，地块级核算只能用单一方法的指标`,
          `${code} has alternative methods; parcel accounting takes single-method indicators only`,
        ),
      );
      return;
    }
    const ids = new Set<string>();
    for (const f of [ind.quantity?.formula, ind.value.formula]) {
      if (!f) continue;
      try {
        parseFormula(f).identifiers.forEach((x) => ids.add(x));
      } catch {
        return; // the formula's own problem is reported with the indicators
      }
    }
    for (const id of ids) {
      const dep = baseOf(id);
      if (variables.has(id) && !perParcel.has(id))
        push(
          `indicators[${i}]`,
          zhEn(
            `${code} 用到 ${id}，它不是逐图斑的输入（请列入 parcel.variables，或不在图斑级计算 ${code}）`,
            `${code} uses ${id}, which is not a per-parcel input (list it in parcel.variables, or leave ${code} out)`,
          ),
        );
      const p = parameters.get(id);
      if (p?.index && p.index !== parcel.indexSet)
        push(
          `indicators[${i}]`,
          zhEn(
            `${code} 用到按 ${p.index} 分项的参数 ${id}；图斑级公式只能用单一值或按 ${parcel.indexSet} 分项的参数`,
            `${code} uses ${id}, a parameter per ${p.index}; per-parcel formulas take parameters that are single values or per ${parcel.indexSet}`,
          ),
        );
      if (indicators.has(dep) && dep !== code && !parcel.indicators.includes(dep))
        push(
          `indicators[${i}]`,
          zhEn(
            `${code} 用到指标 ${dep}，而 ${dep} 不在图斑级计算`,
            `${code} uses indicator ${dep}, which is not computed per parcel`,
          ),
        );
    }
  });
  if (problems.length) return problems;
  try {
    const model = compileModel(parcelModelDefinition(content, parcel));
    for (const code of model.order) {
      const ind = model.indicators.get(code)!;
      const at = `indicators[${parcel.indicators.indexOf(code)}]`;
      if (ind.quantity?.formula.type.index || ind.value.formula.type.index)
        push(
          at,
          zhEn(
            `${code} 按 ${(ind.quantity?.formula.type.index ?? ind.value.formula.type.index)!.code} 分项给出结果；图斑的结果应为单一数值`,
            `${code} gives one value per ${(ind.quantity?.formula.type.index ?? ind.value.formula.type.index)!.code}; a parcel result must be a single number`,
          ),
        );
    }
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    for (const p of e.problems) {
      const m = /^indicators\[(\d+)\]/.exec(p.path);
      const code = m
        ? content.indicators.filter((x) => parcel.indicators.includes(x.code))[Number(m[1])]?.code
        : undefined;
      push(
        code ? `indicators[${parcel.indicators.indexOf(code)}]` : 'indicators',
        `${code ? zhEn(`${code}（逐图斑）：`, `${code}, per parcel: `) : ''}${p.message}`,
      );
    }
  }
  return problems;
}

/** Compiles a methodology's parcel model; throws ModelError when it has none or it is unsound. */
export function compileParcelModel(content: MethodologyContent): ParcelModel {
  const parcel = content.parcel;
  if (!parcel)
    throw new ModelError([
      {
        path: 'parcel',
        message: zhEn(
          '核算方法没有声明图斑级指标',
          'the methodology declares no parcel-level indicators',
        ),
      },
    ]);
  const problems = parcelProblems(content);
  if (problems.length) throw new ModelError(problems);
  const compiled = compileModel(parcelModelDefinition(content, parcel));
  const variables = new Map(content.variables.map((v) => [v.code, v]));
  return {
    content,
    parcel,
    compiled,
    indicators: compiled.order,
    types: content.indexSets.find((s) => s.code === parcel.indexSet)!.items,
    variableUnits: parcel.variables.map((c) => parseUnit(variables.get(c)!.unit)),
    areaUnit: parseUnit(PARCEL_AREA_UNIT),
  };
}

/** Resolved parameter values (see `resolveParameters`), by code. */
export type ResolvedParameters = Record<string, InputSource>;

/** One parcel's inputs: its type, area in hm², and each per-parcel variable in its declared unit (null = not reported). */
export interface ParcelInputs {
  ecosystem: string;
  areaHa: string;
  inputs: Record<string, string | null>;
}

/**
 * The decimal reference: evaluates one parcel with the formula engine (50-digit decimals),
 * exactly as a region would be evaluated, with the parcel type's parameter values.
 */
export function evaluateParcel(
  pm: ParcelModel,
  params: ResolvedParameters,
  parcel: ParcelInputs,
): Map<string, IndicatorResult> {
  const given: Record<string, InputSource> = {};
  for (const [code, p] of Object.entries(params)) {
    const v = p.value;
    given[code] =
      v !== null && typeof v === 'object' && !(v instanceof D) && pm.compiled.inputs.get(code)
        ? pm.compiled.inputs.get(code)!.index
          ? p
          : { ...p, value: v[parcel.ecosystem] ?? null }
        : p;
  }
  given[pm.parcel.areaVariable] = { value: parcel.areaHa, unit: PARCEL_AREA_UNIT };
  for (const code of pm.parcel.variables) given[code] = { value: parcel.inputs[code] ?? null };
  return evaluateModel(pm.compiled, given);
}

/** Where the parcels of one statement come from, as SQL. */
export interface ParcelSqlSource {
  /** Columns carried to the result, e.g. `p.parcel_id`, each aliased. */
  carry: string[];
  /** The parcel's type (an item code of the parcel index set). */
  ecosystem: string;
  /** The parcel's area in hm². */
  area: string;
  /** A per-parcel variable in its declared unit (`NULL::numeric` when not given). */
  input(code: string, position: number): string;
  /** `FROM … WHERE …` selecting the parcels. */
  from: string;
}

/**
 * One SELECT computing every parcel indicator for every parcel of `source`, set-based: the
 * compiled formulas as SQL over `numeric`, unit conversions folded in, parameters as literals
 * (per parcel type as a CASE). Indicators that use other indicators are computed in nested
 * levels. Result columns: the carried ones, `ecosystem`, `quantities` and `values` (numeric[] in
 * `pm.indicators` order: quantities in each indicator's unit, values in 元, rounded to
 * {@link PARCEL_STORED_DECIMALS}) and `failed` (1-based positions of indicators whose inputs
 * were all reported but whose formula hit a data error; NULL when none).
 *
 * An indicator whose inputs are not all reported is NULL — never zero — as in the decimal
 * evaluator.
 */
export function parcelSelectSql(
  pm: ParcelModel,
  params: ResolvedParameters,
  source: ParcelSqlSource,
): string {
  const { compiled, parcel } = pm;
  const inputColumn = new Map(parcel.variables.map((c, i) => [c, `p.in_${i}`]));
  const areaScale = pm.areaUnit.factor;
  const cellOf = new Map<string, { column: string; scale: Dec; level: number }>();
  const levels: string[][] = [];
  /** Per indicator: the per-parcel inputs it needs, directly or through other indicators. */
  const needs = new Map<string, Set<string>>();
  /** Per indicator: parameters it needs that have no value for the region and year. */
  const missingParams = new Map<string, Set<string>>();

  const parameterSql = (code: string, unit: Unit): SqlOperand => {
    const v = params[code]?.value ?? null;
    if (v === null) return { sql: 'NULL::numeric', scale: unit.factor };
    if (typeof v === 'string' || v instanceof D)
      return { sql: sqlNumber(new D(v)), scale: unit.factor };
    const cases = pm.types
      .filter((t) => v[t.code] !== null && v[t.code] !== undefined)
      .map((t) => `WHEN ${sqlText(t.code)} THEN ${sqlNumber(new D(v[t.code]!))}`);
    return {
      sql: cases.length ? `(CASE p.ecosystem ${cases.join(' ')} END)` : 'NULL::numeric',
      scale: unit.factor,
    };
  };

  for (const code of compiled.order) {
    const ind = compiled.indicators.get(code)!;
    const need = new Set<string>();
    const paramMissing = new Set<string>();
    const formulaCell = (
      text: string,
      selfCell: { column: string; scale: Dec; level: number } | undefined,
      key: string,
    ) => {
      const usedCells: { column: string; level: number }[] = [];
      const symbol = (name: string): SqlOperand => {
        if (name === SELF_QUANTITY) {
          usedCells.push(selfCell!);
          return { sql: selfCell!.column, scale: selfCell!.scale };
        }
        if (name === parcel.areaVariable) return { sql: 'p.area_ha', scale: areaScale };
        const col = inputColumn.get(name);
        if (col) {
          need.add(name);
          return { sql: col, scale: compiled.inputs.get(name)!.unit.factor };
        }
        const constant = CONSTANTS[name];
        if (constant)
          return { sql: sqlNumber(constant.value), scale: parseUnit(constant.unit).factor };
        const input = compiled.inputs.get(name);
        if (input) {
          if ((params[name]?.value ?? null) === null) paramMissing.add(name);
          return parameterSql(name, input.unit);
        }
        const cell = cellOf.get(name.endsWith(VALUE_SUFFIX) ? name : `${name}|q`);
        const dep = baseOf(name);
        for (const n of needs.get(dep) ?? []) need.add(n);
        for (const n of missingParams.get(dep) ?? []) paramMissing.add(n);
        usedCells.push(cell!);
        return { sql: cell!.column, scale: cell!.scale };
      };
      const op = formulaToSql(parseFormula(text), symbol);
      const level = usedCells.reduce((l, c) => Math.max(l, c.level + 1), 0);
      const column = `c_${cellOf.size}`;
      const guarded = usedCells.length
        ? `CASE WHEN ${[...new Set(usedCells.map((c) => c.column))].map((c) => `${c} IS NOT NULL`).join(' AND ')} THEN ${op.sql} END`
        : op.sql;
      (levels[level] ??= []).push(`${guarded} AS ${column}`);
      const cell = { column: `p.${column}`, scale: op.scale, level };
      cellOf.set(key, cell);
      return cell;
    };
    const q = ind.quantity ? formulaCell(ind.quantity.formula.text, undefined, `${code}|q`) : null;
    formulaCell(ind.value.formula.text, q ?? undefined, `${code}${VALUE_SUFFIX}`);
    needs.set(code, need);
    missingParams.set(code, paramMissing);
  }

  const present = (code: string): string => {
    if (missingParams.get(code)!.size) return 'false';
    const cols = [...needs.get(code)!].map((n) => `${inputColumn.get(n)} IS NOT NULL`);
    return cols.length ? cols.join(' AND ') : 'true';
  };
  const scaled = (column: string, factor: Dec) =>
    `round(${factor.eq(1) ? column : `${column} * ${sqlNumber(factor)}`}, ${PARCEL_STORED_DECIMALS})`;
  const quantities: string[] = [];
  const values: string[] = [];
  const failed: string[] = [];
  pm.indicators.forEach((code, i) => {
    const ind = compiled.indicators.get(code)!;
    const ok = present(code);
    const q = cellOf.get(`${code}|q`);
    const v = cellOf.get(`${code}${VALUE_SUFFIX}`)!;
    quantities.push(
      q
        ? `CASE WHEN ${ok} THEN ${scaled(q.column, q.scale.div(ind.quantity!.unit.factor))} END`
        : 'NULL::numeric',
    );
    values.push(`CASE WHEN ${ok} THEN ${scaled(v.column, v.scale)} END`);
    failed.push(`CASE WHEN ${ok} AND ${v.column} IS NULL THEN ${i + 1} END`);
  });

  const inputs = parcel.variables.map((c, i) => `${source.input(c, i)} AS in_${i}`);
  let sql = `SELECT ${[...source.carry, `${source.ecosystem} AS ecosystem`, `${source.area} AS area_ha`, ...inputs].join(', ')} ${source.from}`;
  // OFFSET 0 keeps PostgreSQL from flattening the levels: flattened, every reference to a cell
  // would recompute its expression (a value's quantity several times over).
  for (const cells of levels) sql = `SELECT p.*, ${cells.join(', ')} FROM (${sql} OFFSET 0) p`;
  const carried = source.carry.map(
    (c) => `p.${/ AS (\w+)$/.exec(c)?.[1] ?? c.replace(/^\w+\./, '')}`,
  );
  return `SELECT ${[
    ...carried,
    'p.ecosystem',
    'p.area_ha',
    `ARRAY[${quantities.join(', ')}]::numeric[] AS quantities`,
    `ARRAY[${values.join(', ')}]::numeric[] AS values`,
    `NULLIF(array_remove(ARRAY[${failed.join(', ')}]::smallint[], NULL), '{}') AS failed`,
  ].join(', ')} FROM (${sql} OFFSET 0) p`;
}
