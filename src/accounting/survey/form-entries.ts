import { FieldProblem } from '../../common/errors/domain-error';
import { zhEn } from '../../common/i18n/text';
import { readNumber } from '../../common/number-reading';
import { formatDims, parseUnit, sameDims, UnitError } from '../../formula/units';
import {
  IndexSetContent,
  MethodologyContent,
  VariableContent,
} from '../methodology/methodology-content';

/** A variable as a report form asks for it, with its index items (ecosystem types…). */
export interface FormVariable extends VariableContent {
  items?: IndexSetContent['items'];
}

/** One value as entered on a form, in a template or in a bulk-load row. */
export interface ValueEntry {
  variable: string;
  item?: string;
  /** Decimal string; null = not reported. */
  value: string | null;
  /** Defaults to the variable's unit; any compatible unit is accepted (亿m³ for m³). */
  unit?: string;
  source?: string;
  note?: string;
}

export interface CheckedRow {
  entry: ValueEntry;
  item: string;
  unit: string;
}

export const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
/** Far beyond any survey quantity, well inside what PostgreSQL's numeric holds. */
const MAX_EXPONENT = 1000;

/**
 * A value as a person wrote it, read by the one number rule of every entry path
 * ({@link readNumber}): blank is not reported; a % is read as shown for a variable in %; a
 * negative is refused for a non-negative variable. An unknown variable's value passes through
 * (the variable is the problem, reported by {@link entryProblems}).
 */
export function readValue(
  v: FormVariable | undefined,
  raw: string | null,
): { value: string | null } | { problem: string } {
  if (raw === null || raw.normalize('NFKC').trim() === '') return { value: null };
  if (!v) return { value: raw };
  return readNumber(raw, { percent: v.unit.trim() === '%', nonNegative: v.nonNegative === true });
}

/** The variables a department reports under a methodology, with their index items. */
export function formVariables(content: MethodologyContent, department: string): FormVariable[] {
  const sets = new Map(content.indexSets.map((s) => [s.code, s]));
  return content.variables
    .filter((v) => (v.department ?? '未指定') === department)
    .map((v) => ({ ...v, ...(v.index ? { items: sets.get(v.index)?.items ?? [] } : {}) }));
}

/** Unit verdicts by declared and given unit: a bulk load asks the same question a million times. */
const unitVerdicts = new Map<
  string,
  { message: string; aboutVariable: false } | { dims: [string, string]; aboutVariable: true } | null
>();

/** Why `unit` cannot be used for a variable (named `name`) declared in `declared`; null when it can. */
function unitProblem(
  variable: string,
  name: string,
  declared: string,
  unit: string,
): string | null {
  const key = `${declared}\u0000${unit}`;
  let verdict = unitVerdicts.get(key);
  if (verdict === undefined) {
    try {
      const given = parseUnit(unit);
      const want = parseUnit(declared);
      verdict = sameDims(given.dims, want.dims)
        ? null
        : { dims: [formatDims(want.dims), formatDims(given.dims)], aboutVariable: true };
    } catch (err) {
      if (!(err instanceof UnitError)) throw err;
      verdict = { message: err.message, aboutVariable: false };
    }
    if (unitVerdicts.size > 10_000) unitVerdicts.clear();
    unitVerdicts.set(key, verdict);
  }
  if (verdict === null) return null;
  if (!verdict.aboutVariable) return verdict.message;
  const [want, given] = verdict.dims;
  return zhEn(
    `${name}的单位是 ${declared}，填写的 ${unit} 量纲不同（${given} 与 ${want}），不能换算`,
    `${variable} is in ${declared} (${want}); ${unit} (${given}) is not compatible`,
  );
}

/**
 * What is wrong with one entry on a form (field and message): a variable not on the form, an item
 * not in its index, an incompatible unit, a value that is not a decimal. Duplicates are the
 * caller's to find.
 */
export function entryProblems(
  form: { standardId: string; department: string },
  variables: Map<string, FormVariable>,
  e: ValueEntry,
): { field: string; message: string }[] {
  const v = variables.get(e.variable);
  if (!v) {
    return [
      {
        field: 'variable',
        message: zhEn(
          `“${e.variable}”不是 ${form.department} 报表（${form.standardId}）中的指标`,
          `${e.variable} is not on the ${form.department} form of ${form.standardId}`,
        ),
      },
    ];
  }
  const problems: { field: string; message: string }[] = [];
  const item = e.item ?? '';
  if (v.items && !v.items.some((x) => x.code === item)) {
    problems.push({
      field: 'item',
      message: zhEn(
        `${v.nameZh}按分项填报，分项应为：${v.items.map((x) => `${x.name}（${x.code}）`).join('、')}`,
        `${e.variable} is given per ${v.index}: item must be one of ${v.items.map((x) => x.code).join(', ')}`,
      ),
    });
  } else if (!v.items && item !== '') {
    problems.push({
      field: 'item',
      message: zhEn(
        `${v.nameZh}只有一个数值，不填分项`,
        `${e.variable} is a single value; give no item`,
      ),
    });
  }
  const unit = unitProblem(e.variable, v.nameZh, v.unit, e.unit ?? v.unit);
  if (unit) problems.push({ field: 'unit', message: unit });
  if (e.value !== null && !DECIMAL.test(e.value)) {
    problems.push({
      field: 'value',
      message: zhEn(
        `“${e.value}”不是数值；未填报请留空`,
        `"${e.value}" is not a decimal number (use null for not reported)`,
      ),
    });
  } else if (
    e.value !== null &&
    Math.abs(Number(/[eE]([-+]?\d+)$/.exec(e.value)?.[1] ?? 0)) > MAX_EXPONENT
  ) {
    problems.push({
      field: 'value',
      message: zhEn(
        `“${e.value}”超出范围（指数至多 ±${MAX_EXPONENT}）`,
        `"${e.value}" is out of range (the exponent may be at most ±${MAX_EXPONENT})`,
      ),
    });
  }
  return problems;
}

/** Checks the entries of one form save: every entry as {@link entryProblems}, and no cell twice. */
export function checkEntries(
  form: { standardId: string; department: string },
  variableList: FormVariable[],
  entries: ValueEntry[],
): { problems: FieldProblem[]; rows: CheckedRow[] } {
  const variables = new Map(variableList.map((v) => [v.code, v]));
  const problems: FieldProblem[] = [];
  const rows: CheckedRow[] = [];
  const seen = new Set<string>();
  entries.forEach((given, i) => {
    // a value that cannot be read is one problem; the entry's other checks still run
    const read = readValue(variables.get(given.variable), given.value);
    if ('problem' in read) problems.push({ path: `values[${i}].value`, message: read.problem });
    const e = { ...given, value: 'value' in read ? read.value : null };
    const found = entryProblems(form, variables, e);
    problems.push(...found.map((p) => ({ path: `values[${i}].${p.field}`, message: p.message })));
    if (found.some((p) => p.field === 'variable')) return;
    const item = e.item ?? '';
    const key = `${e.variable}\u0000${item}`;
    if (seen.has(key))
      problems.push({
        path: `values[${i}].variable`,
        message: zhEn(
          `${variables.get(e.variable)!.nameZh}${item ? `（${item}）` : ''}填写了两次`,
          `${e.variable}${item ? ` [${item}]` : ''} is given twice`,
        ),
      });
    seen.add(key);
    rows.push({ entry: e, item, unit: e.unit ?? variables.get(e.variable)!.unit });
  });
  return { problems, rows };
}
