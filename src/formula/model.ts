import {
  CompiledFormula,
  EvaluationError,
  IndexSet,
  isVec,
  SymbolInfo,
  Value,
  Vec,
} from './compile';
import { D, Dec, decimalOf, isOne, plusOf, timesOf } from '../common/decimal';
import { FormulaSyntaxError, parseFormula } from './parse';
import { dividedByFactor, formatDims, parseUnit, sameDims, Unit, UnitError } from './units';
import { zhEn } from '../common/i18n/text';
import { atCharacter, compileField } from './formula-problems';

/** A quantity an indicator formula may use that comes from outside: survey data or a parameter. */
export interface InputDefinition {
  code: string;
  unit: string;
  /** Code of the index set the input is given over (e.g. `ecosystem`), if any. */
  index?: string | null;
}

export interface IndicatorDefinition {
  code: string;
  /** Physical quantity (实物量); optional for indicators valued directly (e.g. output value from statistics). */
  quantity?: { formula: string; unit: string } | null;
  /** Value (价值量); must come out in a currency unit. `Q` in it is this indicator's own quantity. */
  value: { formula: string; unit: string };
  /** The code of the method the formulas above are; needed when there are alternatives. */
  method?: string | null;
  /**
   * Other methods for the same indicator (e.g. 固定二氧化碳 by fixation rate or by NEP), tried in
   * this order after the main one: the first whose inputs are all reported is used, unless the
   * caller names the method. Same units and shape as the main method.
   */
  alternatives?: MethodDefinition[];
}

/** One way of computing an indicator: its formulas under a method code. */
export interface MethodDefinition {
  code: string;
  quantity?: { formula: string; unit: string } | null;
  value: { formula: string; unit: string };
}

export interface ModelDefinition {
  indexSets: IndexSet[];
  variables: InputDefinition[];
  parameters: InputDefinition[];
  indicators: IndicatorDefinition[];
}

/** A problem with the model, located by a path such as `indicators[3].value.formula`. */
export interface ModelProblem {
  path: string;
  message: string;
}

/** A formula problem with the character it is at, when known. */
export class ModelError extends Error {
  constructor(readonly problems: ModelProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

/** Physical constants formulas may use; converting carbon to CO₂ needs them explicitly. */
export const CONSTANTS: Record<string, { value: Dec; unit: string; description: string }> = {
  CO2_PER_C: {
    value: new D(44).div(12),
    unit: 'tCO2/tC',
    description: 'molar mass ratio CO₂ : C = 44/12',
  },
  C_PER_CO2: {
    value: new D(12).div(44),
    unit: 'tC/tCO2',
    description: 'molar mass ratio C : CO₂ = 12/44',
  },
  O2_PER_C: {
    value: new D(32).div(12),
    unit: 't/tC',
    description: 'molar mass ratio O₂ : C = 32/12',
  },
};

/** `Q` in a value formula is the indicator's own physical quantity; `<code>_value` is an indicator's value. */
export const SELF_QUANTITY = 'Q';
export const VALUE_SUFFIX = '_value';
const CODE = /^[A-Za-z][A-Za-z0-9_]*$/;

export interface CompiledMethod {
  /** The method's code (undefined for an indicator with one unnamed method). */
  method?: string;
  quantity?: { formula: CompiledFormula; unit: Unit };
  value: { formula: CompiledFormula; unit: Unit };
}

interface CompiledIndicator extends CompiledMethod {
  code: string;
  /** The other methods, in the order they are tried after the main one. */
  alternatives: CompiledMethod[];
}

export interface CompiledModel {
  /** Indicators in evaluation order (dependencies first). */
  order: string[];
  indicators: Map<string, CompiledIndicator>;
  inputs: Map<string, { kind: 'variable' | 'parameter'; unit: Unit; index?: IndexSet }>;
}

/** An input value as given: a number (decimal string) or one per index item; null = not reported. */
export type InputValue = string | Dec | Record<string, string | Dec | null> | null;

export interface InputSource {
  value: InputValue;
  /** The unit the value is given in; defaults to the declared unit. Must be compatible with it. */
  unit?: string;
  /** Where the value came from, carried into the trace (a survey record, a parameter citation…). */
  source?: string;
}

export interface Amount {
  /** In the indicator's declared unit, unrounded. */
  total: Dec;
  unit: string;
  /** Per index item (e.g. per ecosystem type) when the formula is indexed; sums to `total`. */
  byIndex?: Record<string, Dec>;
  /** The index set of `byIndex`. */
  index?: string;
}

export interface TraceInput {
  name: string;
  kind: 'variable' | 'parameter' | 'indicator' | 'constant' | 'self';
  value: string | Record<string, string>;
  unit: string;
  source?: string;
}

export interface IndicatorResult {
  code: string;
  /** The method that gave the result (or that was required), for an indicator with alternatives. */
  method?: string;
  quantity: Amount | null;
  value: Amount | null;
  /** Why the result is null: inputs not reported, or a data error. */
  missing?: string[];
  error?: string;
  trace: {
    /** For an indicator with alternatives: the method used, and why (see `methods`). */
    method?: string;
    /** Each method considered, in order, with the inputs it lacked (none for the one used). */
    methods?: { method: string; chosen: boolean; missing: string[]; required?: boolean }[];
    quantityFormula?: string;
    valueFormula: string;
    inputs: TraceInput[];
  };
}

/** Finds a cycle in `edges` (node → nodes it uses), returned as a path a → b → … → a. */
function findCycle(nodes: string[], edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const dfs = (n: string): string[] | undefined => {
    state.set(n, 'active');
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'active') return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = dfs(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of nodes) {
    if (!state.has(n)) {
      const c = dfs(n);
      if (c) return c;
    }
  }
  return undefined;
}

/**
 * Validates and compiles a whole model: units parse, codes are unique, every formula is allowed,
 * refers only to known identifiers, is dimensionally consistent with its declared unit (values in
 * currency), and indicators do not depend on each other in a cycle. Throws ModelError with every
 * problem found, each with its path.
 */
export function compileModel(def: ModelDefinition): CompiledModel {
  const problems: ModelProblem[] = [];
  const unitOf = (text: string, path: string): Unit | undefined => {
    try {
      return parseUnit(text);
    } catch (e) {
      if (e instanceof UnitError) {
        problems.push({ path, message: e.message });
        return undefined;
      }
      throw e;
    }
  };

  const indexSets = new Map<string, IndexSet>();
  def.indexSets.forEach((s, i) => {
    if (indexSets.has(s.code))
      problems.push({
        path: `indexSets[${i}].code`,
        message: zhEn(`指标集 ${s.code} 重复`, `duplicate index set ${s.code}`),
      });
    if (new Set(s.items).size !== s.items.length)
      problems.push({
        path: `indexSets[${i}].items`,
        message: zhEn(`${s.code} 中有重复的项`, `${s.code} lists an item twice`),
      });
    if (s.items.length === 0 || s.items.length > 1000)
      problems.push({
        path: `indexSets[${i}].items`,
        message: zhEn(`${s.code} 应有 1 至 1000 项`, `${s.code} must have 1 to 1000 items`),
      });
    indexSets.set(s.code, s);
  });

  const seen = new Map<string, string>();
  const claim = (code: string, path: string) => {
    if (!CODE.test(code))
      problems.push({
        path,
        message: zhEn(
          `代码 ${code} 应以字母开头，只含字母、数字和 _`,
          `code ${code} must start with a letter and use only letters, digits and _`,
        ),
      });
    else if (code === SELF_QUANTITY || code in CONSTANTS)
      problems.push({ path, message: zhEn(`${code} 是保留字`, `${code} is reserved`) });
    else if (code.endsWith(VALUE_SUFFIX))
      problems.push({
        path,
        message: zhEn(
          `代码不能以 ${VALUE_SUFFIX} 结尾（保留给指标价值）`,
          `codes may not end in ${VALUE_SUFFIX} (reserved for indicator values)`,
        ),
      });
    if (seen.has(code))
      problems.push({
        path,
        message: zhEn(
          `代码 ${code} 已在 ${seen.get(code)} 使用`,
          `code ${code} is already used at ${seen.get(code)}`,
        ),
      });
    else seen.set(code, path);
  };

  const inputs = new Map<
    string,
    { kind: 'variable' | 'parameter'; unit: Unit; index?: IndexSet }
  >();
  for (const [kind, list] of [
    ['variable', def.variables],
    ['parameter', def.parameters],
  ] as const) {
    list.forEach((v, i) => {
      const path = `${kind === 'variable' ? 'variables' : 'parameters'}[${i}]`;
      claim(v.code, `${path}.code`);
      const unit = unitOf(v.unit, `${path}.unit`);
      let index: IndexSet | undefined;
      if (v.index) {
        index = indexSets.get(v.index);
        if (!index)
          problems.push({
            path: `${path}.index`,
            message: zhEn(`未知的指标集 ${v.index}`, `unknown index set ${v.index}`),
          });
      }
      if (unit) inputs.set(v.code, { kind, unit, index });
    });
  }

  const byCode = new Map<string, { def: IndicatorDefinition; path: string }>();
  def.indicators.forEach((ind, i) => {
    claim(ind.code, `indicators[${i}].code`);
    byCode.set(ind.code, { def: ind, path: `indicators[${i}]` });
  });

  // Dependencies between indicators, from the identifiers their formulas use.
  const edges = new Map<string, string[]>();
  const parsedOk = new Set<string>();
  for (const [code, { def: ind, path }] of byCode) {
    const ids: string[] = [];
    let ok = true;
    const methods = [
      { m: ind as MethodDefinition, at: path },
      ...(ind.alternatives ?? []).map((m, k) => ({ m, at: `${path}.alternatives[${k}]` })),
    ];
    for (const { m, at } of methods)
      for (const [part, f] of [
        ['quantity', m.quantity?.formula],
        ['value', m.value.formula],
      ] as const) {
        if (f === undefined) continue;
        try {
          ids.push(...parseFormula(f).identifiers);
        } catch (e) {
          ok = false;
          if (!(e instanceof FormulaSyntaxError)) throw e;
          for (const p of e.problems) {
            problems.push({
              path: `${at}.${part}.formula`,
              message: atCharacter(p),
            });
          }
        }
      }
    if (ind.alternatives?.length) {
      const codes = [ind.method, ...ind.alternatives.map((a) => a.code)];
      if (!ind.method)
        problems.push({
          path: `${path}.method`,
          message: zhEn(
            `${code} 有备选方法，请为主方法命名（method）`,
            `${code} has alternative methods: name its main method (method)`,
          ),
        });
      codes.forEach((c, k) => {
        if (c && codes.indexOf(c) !== k)
          problems.push({
            path: `${path}.alternatives[${k - 1}].code`,
            message: zhEn(`方法代码 ${c} 重复`, `method code ${c} is used twice`),
          });
      });
    }
    if (ok) parsedOk.add(code);
    edges.set(
      code,
      [
        ...new Set(
          ids.map((id) => (id.endsWith(VALUE_SUFFIX) ? id.slice(0, -VALUE_SUFFIX.length) : id)),
        ),
      ].filter((id) => byCode.has(id) && id !== code),
    );
  }
  const cycle = findCycle([...byCode.keys()], edges);
  if (cycle) {
    problems.push({
      path: byCode.get(cycle[0])!.path,
      message: zhEn(
        `指标之间循环依赖：${cycle.join(' → ')}`,
        `indicators depend on each other in a cycle: ${cycle.join(' → ')}`,
      ),
    });
    throw new ModelError(problems);
  }

  // Topological order, then compile each indicator knowing the types of what it uses.
  const order: string[] = [];
  const placed = new Set<string>();
  const place = (c: string) => {
    if (placed.has(c)) return;
    placed.add(c);
    for (const d of edges.get(c) ?? []) place(d);
    order.push(c);
  };
  for (const c of byCode.keys()) place(c);

  const compiled = new Map<string, CompiledIndicator>();
  const types = new Map<string, SymbolInfo>();
  const names = () => [...Object.keys(CONSTANTS), ...inputs.keys(), ...byCode.keys()];
  for (const code of order) {
    const { def: ind, path } = byCode.get(code)!;
    if (!parsedOk.has(code)) continue;
    const env =
      (self?: SymbolInfo) =>
      (name: string): SymbolInfo | undefined => {
        if (name === SELF_QUANTITY) return self;
        const c = CONSTANTS[name];
        if (c) return { kind: 'constant', unit: parseUnit(c.unit) };
        const input = inputs.get(name);
        if (input)
          return {
            kind: input.kind === 'variable' ? 'variable' : 'parameter',
            unit: input.unit,
            index: input.index,
          };
        return types.get(name);
      };
    const compileMethod = (
      m: MethodDefinition,
      at: string,
      isMain: boolean,
    ): CompiledMethod | undefined => {
      let quantity: CompiledMethod['quantity'];
      if (m.quantity) {
        const unit = unitOf(m.quantity.unit, `${at}.quantity.unit`);
        const f = compileField(m.quantity.formula, env(), `${at}.quantity.formula`, problems, {
          names,
        });
        if (!unit || !f) return undefined;
        if (!sameDims(f.type.dims, unit.dims)) {
          problems.push({
            path: `${at}.quantity.formula`,
            message: zhEn(
              `公式得出 ${formatDims(f.type.dims)}，但实物量声明的单位是 ${m.quantity.unit}（${formatDims(unit.dims)}）`,
              `the formula gives ${formatDims(f.type.dims)} but the quantity is declared in ${m.quantity.unit} (${formatDims(unit.dims)})`,
            ),
          });
          return undefined;
        }
        quantity = { formula: f, unit };
        if (isMain) types.set(code, { kind: 'indicator', unit, index: f.type.index ?? undefined });
      }
      const valueUnit = unitOf(m.value.unit, `${at}.value.unit`);
      if (valueUnit && !sameDims(valueUnit.dims, parseUnit('元').dims)) {
        problems.push({
          path: `${at}.value.unit`,
          message: zhEn(
            `价值量的单位应为货币单位（元、万元、亿元），而不是 ${m.value.unit}`,
            `a value must be in a currency unit (元, 万元, 亿元), not ${m.value.unit}`,
          ),
        });
        return undefined;
      }
      const self = quantity
        ? {
            kind: 'indicator' as const,
            unit: quantity.unit,
            index: quantity.formula.type.index ?? undefined,
          }
        : undefined;
      const vf = compileField(m.value.formula, env(self), `${at}.value.formula`, problems, {
        names,
      });
      if (!valueUnit || !vf) return undefined;
      if (!sameDims(vf.type.dims, valueUnit.dims)) {
        problems.push({
          path: `${at}.value.formula`,
          message: zhEn(
            `价值公式得出 ${formatDims(vf.type.dims)}，不是货币；请检查各项的单位`,
            `the value formula gives ${formatDims(vf.type.dims)}, not a currency; check the units of its terms`,
          ),
        });
        return undefined;
      }
      return {
        method: 'code' in m ? m.code : undefined,
        quantity,
        value: { formula: vf, unit: valueUnit },
      };
    };
    const main = compileMethod(ind, path, true);
    if (!main) continue;
    const shape = (m: CompiledMethod) => ({
      quantity: m.quantity
        ? `${m.quantity.unit.text}|${m.quantity.formula.type.index?.code ?? ''}`
        : null,
      value: `${m.value.unit.text}|${m.value.formula.type.index?.code ?? ''}`,
    });
    const alternatives: CompiledMethod[] = [];
    (ind.alternatives ?? []).forEach((alt, k) => {
      const at = `${path}.alternatives[${k}]`;
      const m = compileMethod(alt, at, false);
      if (!m) return;
      const [a, b] = [shape(main), shape(m)];
      if (a.quantity !== b.quantity || a.value !== b.value) {
        problems.push({
          path: at,
          message: zhEn(
            `备选方法 ${alt.code} 应与主方法给出相同单位、相同分项的实物量和价值量（主方法：${main.quantity ? `实物量 ${main.quantity.unit.text}，` : '无实物量，'}价值量 ${main.value.unit.text}）`,
            `alternative method ${alt.code} must give the quantity and value in the main method's units and breakdown (${main.quantity ? `quantity ${main.quantity.unit.text}, ` : 'no quantity, '}value ${main.value.unit.text})`,
          ),
        });
        return;
      }
      alternatives.push({ ...m, method: alt.code });
    });
    types.set(`${code}${VALUE_SUFFIX}`, {
      kind: 'indicator',
      unit: main.value.unit,
      index: main.value.formula.type.index ?? undefined,
    });
    compiled.set(code, { ...main, code, method: ind.method ?? undefined, alternatives });
  }
  if (problems.length > 0) throw new ModelError(problems);
  return { order, indicators: compiled, inputs };
}

/**
 * A base-unit value in `unit`. Dividing by a factor of exactly 1 only rounds to the working
 * precision, so it is skipped for a value already within it (every computed one is).
 */
const fromBase = (x: Dec, unit: Unit): Dec =>
  isOne(unit.factor) && x.sd() <= PRECISION ? x : dividedByFactor(x, unit.factor);

const PRECISION = D.precision;

/** The base unit of money. */
const YUAN = parseUnit('元');

/**
 * A decimal string exactly as decimal.js writes it (no sign but minus, no leading or trailing
 * zeros, no exponent, within the plain-notation range): `new D(s).toString()` would return it
 * unchanged, so the trace keeps it without parsing it.
 */
const CANONICAL = /^(-?[1-9]\d{0,38}|-?0(?=\.)|0)(\.\d{0,27}[1-9])?$/;

const toPlain = (v: Value, unit: Unit): string | Record<string, string> =>
  isVec(v)
    ? Object.fromEntries(v.index.items.map((k, i) => [k, fromBase(v.values[i], unit).toString()]))
    : fromBase(v as Dec, unit).toString();

/** An amount as {@link toPlain} writes its value: per item when it has them, else its total. */
const plainAmount = (a: Amount): string | Record<string, string> =>
  a.byIndex
    ? Object.fromEntries(Object.entries(a.byIndex).map(([k, x]) => [k, x.toString()]))
    : a.total.toString();

/** `new D(x).toString()`, without parsing a string that is already written that way. */
export const decimalText = (x: string | Dec): string =>
  typeof x === 'string' ? (CANONICAL.test(x) ? x : decimalOf(x).toString()) : x.toString();

/**
 * An input's value as it was given (a cited 0.53 stays 0.53), when it was given in the unit the
 * trace shows; undefined otherwise (the value is then shown from base units).
 */
const asGiven = (
  src: InputSource | undefined,
  unit: Unit,
): string | Record<string, string> | undefined => {
  if (!src || src.value === null || (src.unit !== undefined && src.unit !== unit.text))
    return undefined;
  const v = src.value;
  if (typeof v === 'string' || v instanceof D) return decimalText(v);
  if (Object.values(v).some((x) => x === null)) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decimalText(x!)]));
};

function amount(v: Value, unit: Unit): Amount {
  if (isVec(v)) {
    const byIndex = Object.fromEntries(
      v.index.items.map((k, i) => [k, fromBase(v.values[i], unit)]),
    );
    const total = fromBase(v.values.reduce(plusOf, new D(0)), unit);
    return { total, unit: unit.text, byIndex, index: v.index.code };
  }
  return { total: fromBase(v as Dec, unit), unit: unit.text };
}

/**
 * Evaluates every indicator. Inputs are converted from their given unit to base units once;
 * results are returned in each indicator's declared unit, unrounded. An indicator whose inputs
 * are not all reported (null or absent) has a null result naming them — never a zero.
 */
export function evaluateModel(
  model: CompiledModel,
  given: Record<string, InputSource | undefined>,
  /** The method an indicator with alternatives must use here (a methodology's rule); else by data. */
  methodFor: (indicator: string) => string | undefined = () => undefined,
  /** Filled with the working values and the method each computed indicator used (see {@link reevaluate}). */
  keep?: KeptEvaluation,
  /**
   * Values in 元, not in each indicator's declared currency unit: for a caller that stores 元
   * (a run), which would otherwise have each figure converted to 万元 and straight back. Traces
   * are unchanged (an indicator's value used by another is shown in its declared unit).
   */
  valuesInYuan = false,
): Map<string, IndicatorResult> {
  const base = new Map<string, Value>();
  const missingInputs = new Set<string>();
  const inputProblems = new Map<string, string>();
  for (const [code, spec] of model.inputs) {
    const src = given[code];
    if (!src || src.value === null || src.value === undefined) {
      missingInputs.add(code);
      continue;
    }
    try {
      const unit = src.unit ? parseUnit(src.unit) : spec.unit;
      if (!sameDims(unit.dims, spec.unit.dims)) {
        throw new UnitError(
          zhEn(
            `${code} 以 ${unit.text} 填报，但声明的单位是 ${spec.unit.text}`,
            `${code} is given in ${unit.text} but is declared in ${spec.unit.text}`,
          ),
        );
      }
      // times 1 only rounds to the working precision: not needed for a string of ≤ 50 characters
      const one = isOne(unit.factor);
      const toBase = (x: string | Dec) =>
        typeof x === 'string'
          ? x.length <= PRECISION && one
            ? decimalOf(x)
            : timesOf(decimalOf(x), unit.factor)
          : timesOf(x, unit.factor);
      if (spec.index) {
        if (typeof src.value !== 'object' || src.value instanceof D)
          throw new UnitError(
            zhEn(
              `${code} 应为 ${spec.index.code} 的每一项给出一个值`,
              `${code} needs one value per ${spec.index.code} item`,
            ),
          );
        const map = src.value;
        const absent = spec.index.items.filter((k) => map[k] === null || map[k] === undefined);
        if (absent.length) {
          missingInputs.add(code);
          continue;
        }
        const extra = Object.keys(map).filter((k) => !spec.index!.items.includes(k));
        if (extra.length)
          throw new UnitError(
            zhEn(
              `${code} 有 ${spec.index.code} 中不存在的项：${extra.join('、')}`,
              `${code} has values for unknown ${spec.index.code} items: ${extra.join(', ')}`,
            ),
          );
        base.set(code, {
          index: spec.index,
          values: spec.index.items.map((k) => toBase(map[k]!)),
        } satisfies Vec);
      } else {
        if (typeof src.value === 'object' && !(src.value instanceof D))
          throw new UnitError(
            zhEn(`${code} 是单一值，不分项`, `${code} is a single value, not one per item`),
          );
        base.set(code, toBase(src.value));
      }
    } catch (e) {
      inputProblems.set(code, e instanceof Error ? e.message : String(e));
    }
  }
  for (const [name, c] of Object.entries(CONSTANTS))
    base.set(name, c.value.times(parseUnit(c.unit).factor));

  const results = new Map<string, IndicatorResult>();
  const unavailable = new Map<string, string[]>();
  /**
   * Each input, constant and indicator as the traces show it, made once per evaluation and
   * shared by every trace that uses it (frozen, as they share it); an indicator's figure is
   * written from its result's amount, not converted from base units again. The same traces as
   * before, digit for digit; a province's `computeRun` went from 3.64–3.90 s to 3.11–3.16 s
   * (`npm run bench`, alternating).
   */
  const traced = new Map<string, TraceInput>();
  const traceInput = (u: string): TraceInput => {
    const known = traced.get(u);
    if (known) return known;
    const unit =
      model.inputs.get(u)?.unit ??
      (CONSTANTS[u]
        ? parseUnit(CONSTANTS[u].unit)
        : u.endsWith(VALUE_SUFFIX)
          ? model.indicators.get(u.slice(0, -VALUE_SUFFIX.length))!.value.unit
          : model.indicators.get(u)!.quantity!.unit);
    // an indicator's figure as its result gives it (the same conversion, not done twice), when
    // given in the unit shown
    const result = model.indicators.has(u)
      ? results.get(u)?.quantity
      : u.endsWith(VALUE_SUFFIX)
        ? results.get(u.slice(0, -VALUE_SUFFIX.length))?.value
        : undefined;
    const dep = result?.unit === unit.text ? result : undefined;
    const entry: TraceInput = Object.freeze({
      name: u,
      kind: CONSTANTS[u] ? 'constant' : (model.inputs.get(u)?.kind ?? 'indicator'),
      value: asGiven(given[u], unit) ?? (dep ? plainAmount(dep) : toPlain(base.get(u)!, unit)),
      unit: unit.text,
      source: given[u]?.source,
    });
    traced.set(u, entry);
    return entry;
  };
  /** What a method needs that is missing, broken or failed; all empty when it can run. */
  const needs = (m: CompiledMethod) => {
    const uses = [
      ...new Set([...(m.quantity?.formula.identifiers ?? []), ...m.value.formula.identifiers]),
    ];
    const missing = uses.flatMap((u) => {
      const dep = u.endsWith(VALUE_SUFFIX) ? u.slice(0, -VALUE_SUFFIX.length) : u;
      if (missingInputs.has(u)) return [u];
      return unavailable.has(dep) ? unavailable.get(dep)! : [];
    });
    const broken = uses.filter((u) => inputProblems.has(u));
    // A dependency that failed on its data (no input missing) leaves nothing to compute from.
    const failedDeps = uses
      .map((u) => (u.endsWith(VALUE_SUFFIX) ? u.slice(0, -VALUE_SUFFIX.length) : u))
      .filter((d) => unavailable.get(d)?.length === 0);
    return { uses, missing: [...new Set(missing)], broken, failedDeps };
  };
  for (const code of model.order) {
    const indicator = model.indicators.get(code)!;
    // The main method, then the alternatives in order: the first that can run is used, unless
    // the methodology requires one here (then that one, or nothing).
    const all = [indicator as CompiledMethod, ...indicator.alternatives];
    const required = indicator.alternatives.length ? methodFor(code) : undefined;
    const candidates = required ? all.filter((m) => m.method === required) : all;
    const checked = candidates.map((m) => ({ m, ...needs(m) }));
    const pick =
      checked.find((c) => !c.missing.length && !c.broken.length && !c.failedDeps.length) ??
      checked[0];
    const ind = pick.m;
    const { uses, missing, broken, failedDeps } = pick;
    const trace: IndicatorResult['trace'] = {
      ...(indicator.alternatives.length
        ? {
            method: ind.method,
            methods: all.map((m) => {
              const c = checked.find((x) => x.m === m);
              return {
                method: m.method!,
                chosen: m === ind,
                missing: c ? [...c.missing, ...c.broken, ...c.failedDeps] : [],
                ...(required ? { required: m.method === required } : {}),
              };
            }),
          }
        : {}),
      quantityFormula: ind.quantity?.formula.text,
      valueFormula: ind.value.formula.text,
      inputs: [],
    };
    const method = indicator.alternatives.length ? { method: ind.method } : {};
    if (missing.length || broken.length) {
      const names = [...new Set(missing)];
      unavailable.set(code, names.length ? names : broken);
      results.set(code, {
        code,
        ...method,
        quantity: null,
        value: null,
        missing: names.length ? names : undefined,
        error: broken.length ? broken.map((b) => inputProblems.get(b)).join('; ') : undefined,
        trace,
      });
      continue;
    }
    if (failedDeps.length) {
      unavailable.set(code, []);
      results.set(code, {
        code,
        ...method,
        quantity: null,
        value: null,
        error: zhEn(
          `依赖的 ${[...new Set(failedDeps)].join('、')} 无法计算`,
          `depends on ${[...new Set(failedDeps)].join(', ')}, which could not be computed`,
        ),
        trace,
      });
      continue;
    }
    try {
      const q = ind.quantity?.formula.run((n) => base.get(n)!);
      if (q !== undefined) base.set(code, q);
      const v = ind.value.formula.run((n) => (n === SELF_QUANTITY ? q! : base.get(n)!));
      base.set(`${code}${VALUE_SUFFIX}`, v);
      const quantity = q !== undefined ? amount(q, ind.quantity!.unit) : null;
      for (const u of uses)
        trace.inputs.push(
          u === SELF_QUANTITY
            ? {
                name: u,
                kind: 'self',
                value: asGiven(given[u], ind.quantity!.unit) ?? plainAmount(quantity!),
                unit: quantity!.unit,
                source: given[u]?.source,
              }
            : traceInput(u),
        );
      const value = amount(v, valuesInYuan ? YUAN : ind.value.unit);
      results.set(code, { code, ...method, quantity, value, trace });
      keep?.methods.set(code, ind);
    } catch (e) {
      if (!(e instanceof EvaluationError)) throw e;
      unavailable.set(code, []);
      results.set(code, { code, ...method, quantity: null, value: null, error: e.message, trace });
    }
  }
  if (keep) for (const [k, v] of base) keep.values.set(k, v);
  return results;
}

/**
 * One region's evaluation kept for evaluating again with a few inputs changed (the uncertainty
 * draws): the working values in base units, and the method each computed indicator used.
 */
export interface KeptEvaluation {
  values: Map<string, Value>;
  methods: Map<string, CompiledMethod>;
}

export const keptEvaluation = (): KeptEvaluation => ({ values: new Map(), methods: new Map() });

const usesOf = (m: CompiledMethod) => [
  ...(m.quantity?.formula.identifiers ?? []),
  ...m.value.formula.identifiers,
];

/**
 * The indicators whose quantity or value depends, directly or through other indicators, on any
 * of `inputs` under any of their methods, in evaluation order.
 */
export function dependents(model: CompiledModel, inputs: Set<string>): string[] {
  const reached = new Set(inputs);
  return model.order.filter((code) => {
    const ind = model.indicators.get(code)!;
    const hit = [ind, ...ind.alternatives].some((m) =>
      usesOf(m).some((u) =>
        reached.has(u.endsWith(VALUE_SUFFIX) ? u.slice(0, -VALUE_SUFFIX.length) : u),
      ),
    );
    if (hit) reached.add(code);
    return hit;
  });
}

/**
 * Evaluates `indicators` (from {@link dependents}) again over a kept evaluation, with the inputs
 * in `changed` (base units) replacing the kept ones, by the methods the kept evaluation used: the
 * new value of each (base units), or null where the kept evaluation had no result. A quantity
 * that uses nothing changed is taken as it was. Throws {@link EvaluationError} like the formulas.
 */
export function reevaluate(
  kept: KeptEvaluation,
  changed: Map<string, Value>,
  indicators: string[],
): Map<string, Value | null> {
  const now = new Map(changed);
  const get = (n: string) => now.get(n) ?? kept.values.get(n)!;
  const out = new Map<string, Value | null>();
  for (const code of indicators) {
    const m = kept.methods.get(code);
    if (!m) {
      out.set(code, null);
      continue;
    }
    let q = kept.values.get(code);
    if (m.quantity && m.quantity.formula.identifiers.some((u) => now.has(u))) {
      q = m.quantity.formula.run(get);
      now.set(code, q);
    }
    const v = m.value.formula.run((n) => (n === SELF_QUANTITY ? q! : get(n)));
    now.set(`${code}${VALUE_SUFFIX}`, v);
    out.set(code, v);
  }
  return out;
}
