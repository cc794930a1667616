import { zhEn } from '../common/i18n/text';
import { MathNode } from 'mathjs';
import { D, Dec } from '../common/decimal';
import { fieldsOf, FormulaProblem, ParsedFormula } from './parse';
import { Dims, Unit } from './units';

/**
 * What the formula compiler's parts share: the public types, the evaluation helpers and the
 * checker the node families (compile-operators.ts, compile-functions.ts) report through.
 */

/** A named list of items a variable can be indexed by: ecosystem types, pollutants, water uses… */
export interface IndexSet {
  code: string;
  items: readonly string[];
}

/** What a formula may refer to: its unit and, for indexed symbols, the index set. */
export interface SymbolInfo {
  kind: 'variable' | 'parameter' | 'indicator' | 'constant';
  unit: Unit;
  index?: IndexSet;
}

/** A value during evaluation, in base units: a decimal, a vector over an index set, or a truth value. */
export type Value = Dec | Vec | boolean;
export interface Vec {
  index: IndexSet;
  values: Dec[];
}

export interface FormulaType {
  dims: Dims;
  index: IndexSet | null;
  boolean: boolean;
}

export class FormulaTypeError extends Error {
  constructor(readonly problems: FormulaProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** A data problem met while evaluating (division by zero, log of a negative number…). */
export class EvaluationError extends Error {}

export interface CompiledFormula {
  text: string;
  identifiers: string[];
  type: FormulaType;
  /** Evaluates with values in base units; `lookup` returns the value of an identifier. */
  run(lookup: (name: string) => Value): Value;
}

export const MAX_DYNAMIC_EXPONENT = 1000;
export const isVec = (v: Value): v is Vec => typeof v === 'object' && v !== null && 'index' in v;

export function num(v: Value, what: string): Dec | Vec {
  if (typeof v === 'boolean')
    throw new EvaluationError(
      zhEn(`${what}：应为数值，得到的是真假值`, `${what}: expected a number, got a truth value`),
    );
  return v;
}

/** Applies `f` element-wise, broadcasting scalars over vectors. */
export function lift(args: (Dec | Vec)[], f: (...xs: Dec[]) => Dec): Dec | Vec {
  const vec = args.find(isVec);
  if (!vec) return f(...(args as Dec[]));
  return {
    index: vec.index,
    values: vec.values.map((_, i) => f(...args.map((a) => (isVec(a) ? a.values[i] : a)))),
  };
}

/**
 * Results of decimal.js's transcendental functions (exp, ln, a power with a fractional
 * exponent), by function and argument. At 50 digits one takes 100–400 µs against ~2 µs for a
 * product, and a run asks for the same ones again and again: `exp(lake_reg_a)` of a parameter is
 * the same number in every township. Exact: decimal.js is deterministic and its numbers
 * immutable, so a remembered result is the digits computing it again would give. Bounded: a
 * full cache is emptied, so a stream of distinct arguments (drawn parameters, a township's own
 * lake area) costs at most the memory of {@link TRANSCENDENTAL_CACHE_SIZE} entries.
 */
const transcendentals = new Map<string, Dec>();
export const TRANSCENDENTAL_CACHE_SIZE = 4096;

/** `compute()`, or what it gave for the same `key` before (see {@link transcendentals}). */
export function remembered(key: string, compute: () => Dec): Dec {
  const known = transcendentals.get(key);
  if (known) return known;
  const result = compute();
  if (transcendentals.size >= TRANSCENDENTAL_CACHE_SIZE) transcendentals.clear();
  transcendentals.set(key, result);
  return result;
}

export const constantsOnly = (node: MathNode): Dec | undefined => {
  const n = fieldsOf(node);
  if (n.type === 'ConstantNode') return new D(String(n.value));
  if (n.type === 'ParenthesisNode') return constantsOnly(n.content!);
  if (n.type === 'OperatorNode' && n.fn === 'unaryMinus') return constantsOnly(n.args![0])?.neg();
  if (n.type === 'OperatorNode' && n.fn === 'divide') {
    const [a, b] = n.args!.map(constantsOnly);
    return a && b && !b.isZero() ? a.div(b) : undefined;
  }
  return undefined;
};

export type Run = (lookup: (name: string) => Value) => Value;

/** A checked node: its type (null when an error was already reported below it) and its closure. */
export interface Built {
  t: FormulaType | null;
  run: Run;
  literal?: Dec;
  /** How to name the operand in a message: `d (tCO2)` for a symbol, its base unit otherwise. */
  label?: string;
}

/** The checker of one formula, as its node families see it. */
export interface Checker {
  readonly parsed: ParsedFormula;
  readonly problems: FormulaProblem[];
  /** Records a problem (at `token`'s position when given) and answers an error node. */
  fail(message: string, token?: string): Built;
  scalar(dims: Dims): FormulaType;
  /** The one index set of the indexed operands, null when none is indexed, 'mismatch' (reported) otherwise. */
  sameIndex(ts: FormulaType[], what: string): IndexSet | null | 'mismatch';
  describe(t: FormulaType): string;
  build(node: MathNode): Built;
}
