import { MathNode } from 'mathjs';
import { D, Dec } from '../common/decimal';
import { fieldsOf, ParsedFormula } from './parse';

/**
 * The set-based back end of the formula engine: a formula that `compileFormula` has accepted
 * (allow-list, identifiers, units) is translated into one PostgreSQL expression over `numeric`,
 * to be evaluated for many rows in one statement instead of once per row.
 *
 * Unit conversions are folded in: every operand carries a constant `scale` such that
 * `sql × scale` is its value in base units. Products multiply scales, quotients divide them; a
 * scale is applied only where the arithmetic needs it (adding, comparing, min/max, functions of
 * dimensionless numbers), so an expression over inputs in their declared units costs no
 * per-row conversion beyond one multiplication at the end.
 *
 * Semantics follow the decimal evaluator: a data error (division by zero, log of a non-positive
 * number, a fractional power of a negative number…) makes the result NULL — never zero — and the
 * NULL propagates like the evaluator's exception, except through the branch of `?:`, `and` or
 * `or` that is not taken. Literals are emitted as `numeric`, never as SQL integers (whose division
 * truncates).
 */
export interface SqlOperand {
  /** A `numeric` (or, for comparisons, boolean) SQL expression. */
  sql: string;
  /** `sql × scale` is the value in base units. */
  scale: Dec;
}

/** An SQL numeric literal of exactly this decimal. */
export const sqlNumber = (x: Dec): string =>
  x.isNeg() ? `(${x.toFixed()}::numeric)` : `${x.toFixed()}::numeric`;

/** An SQL string literal. */
export const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const ONE = new D(1);

/** The operand's SQL in base units. */
export function inBase(o: SqlOperand): string {
  return o.scale.eq(ONE) ? o.sql : `(${o.sql} * ${sqlNumber(o.scale)})`;
}

/** `b` expressed at `a`'s scale (for adding and comparing). */
const alignedTo = (a: SqlOperand, b: SqlOperand): string =>
  b.scale.eq(a.scale) ? b.sql : `(${b.sql} * ${sqlNumber(b.scale.div(a.scale))})`;

const COMPARISON_SQL = {
  equal: '=',
  unequal: '<>',
  smaller: '<',
  larger: '>',
  smallerEq: '<=',
  largerEq: '>=',
} as const;

const MAX_DYNAMIC_EXPONENT = 1000;
const MAX_EXP_ARGUMENT = 1000;

/** NULL when any of `parts` is NULL, else `expr` (PostgreSQL's LEAST/GREATEST skip NULLs). */
const strict = (parts: string[], expr: string) =>
  `(CASE WHEN ${parts.map((p) => `${p} IS NULL`).join(' OR ')} THEN NULL ELSE ${expr} END)`;

/**
 * Translates a parsed, type-checked formula. `symbol` gives the SQL of each identifier the
 * formula uses (an input column, a parameter literal, another result). Throws if the formula
 * uses something `compileFormula` would have refused — callers compile it first.
 */
export function formulaToSql(
  parsed: ParsedFormula,
  symbol: (name: string) => SqlOperand,
): SqlOperand {
  const build = (node: MathNode): SqlOperand => {
    const n = fieldsOf(node);
    switch (n.type) {
      case 'ConstantNode':
        return { sql: sqlNumber(new D(String(n.value))), scale: ONE };
      case 'SymbolNode':
        return symbol(n.name!);
      case 'ParenthesisNode':
        return build(n.content!);
      case 'ConditionalNode': {
        const c = build(n.condition!).sql;
        const a = build(n.trueExpr!);
        const b = build(n.falseExpr!);
        return {
          sql: `(CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} THEN ${a.sql} ELSE ${alignedTo(a, b)} END)`,
          scale: a.scale,
        };
      }
      case 'OperatorNode':
        return operator(String(n.fn), n.args ?? []);
      case 'FunctionNode':
        return call((n.fn as MathNode & { name?: string }).name!, n.args ?? []);
      default:
        throw new Error(`${n.type} cannot be translated to SQL`);
    }
  };

  const operator = (fn: string, argNodes: MathNode[]): SqlOperand => {
    const args = argNodes.map(build);
    const [a, b] = args;
    switch (fn) {
      case 'unaryMinus':
        return { sql: `(-${a.sql})`, scale: a.scale };
      case 'unaryPlus':
        return a;
      case 'add':
      case 'subtract':
        return {
          sql: `(${a.sql} ${fn === 'add' ? '+' : '-'} ${alignedTo(a, b)})`,
          scale: a.scale,
        };
      case 'multiply':
      case 'dotMultiply':
        return { sql: `(${a.sql} * ${b.sql})`, scale: a.scale.times(b.scale) };
      case 'divide':
      case 'dotDivide':
        return { sql: `(${a.sql} / NULLIF(${b.sql}, 0))`, scale: a.scale.div(b.scale) };
      case 'pow':
      case 'dotPow':
        return power(a, b);
      case 'equal':
      case 'unequal':
      case 'smaller':
      case 'larger':
      case 'smallerEq':
      case 'largerEq': {
        const op = COMPARISON_SQL[fn];
        return { sql: `(${a.sql} ${op} ${alignedTo(a, b)})`, scale: ONE };
      }
      case 'and':
        return {
          sql: `(CASE WHEN ${a.sql} IS NULL THEN NULL WHEN NOT ${a.sql} THEN false ELSE ${b.sql} END)`,
          scale: ONE,
        };
      case 'or':
        return {
          sql: `(CASE WHEN ${a.sql} IS NULL THEN NULL WHEN ${a.sql} THEN true ELSE ${b.sql} END)`,
          scale: ONE,
        };
      case 'not':
        return { sql: `(NOT ${a.sql})`, scale: ONE };
      default:
        throw new Error(`operator ${fn} cannot be translated to SQL`);
    }
  };

  /** x^y with x and y in base units; NULL where the decimal evaluator reports a data error. */
  const power = (a: SqlOperand, b: SqlOperand): SqlOperand => {
    const x = inBase(a);
    const y = inBase(b);
    return {
      sql: `(CASE WHEN abs(${y}) > ${MAX_DYNAMIC_EXPONENT} OR (${x} = 0 AND ${y} < 0) OR (${x} < 0 AND ${y} <> trunc(${y})) THEN NULL ELSE power(${x}, ${y}) END)`,
      scale: ONE,
    };
  };

  const call = (fn: string, argNodes: MathNode[]): SqlOperand => {
    const args = argNodes.map(build);
    const [a, b] = args;
    switch (fn) {
      case 'sum':
        return args.length === 1
          ? a
          : {
              sql: `(${[a.sql, ...args.slice(1).map((x) => alignedTo(a, x))].join(' + ')})`,
              scale: a.scale,
            };
      case 'min':
      case 'max': {
        if (args.length === 1) return a;
        const parts = [a.sql, ...args.slice(1).map((x) => alignedTo(a, x))];
        return {
          sql: strict(parts, `${fn === 'min' ? 'LEAST' : 'GREATEST'}(${parts.join(', ')})`),
          scale: a.scale,
        };
      }
      case 'prod':
        return {
          sql: `(${args.map((x) => x.sql).join(' * ')})`,
          scale: args.reduce((s, x) => s.times(x.scale), ONE),
        };
      case 'abs':
        return { sql: `abs(${a.sql})`, scale: a.scale };
      case 'sqrt': {
        const x = inBase(a);
        return { sql: `(CASE WHEN ${x} < 0 THEN NULL ELSE sqrt(${x}) END)`, scale: ONE };
      }
      case 'exp': {
        const x = inBase(a);
        return {
          sql: `(CASE WHEN ${x} > ${MAX_EXP_ARGUMENT} THEN NULL ELSE exp(${x}) END)`,
          scale: ONE,
        };
      }
      case 'log': {
        const x = inBase(a);
        if (!b) return { sql: `(CASE WHEN ${x} <= 0 THEN NULL ELSE ln(${x}) END)`, scale: ONE };
        const base = inBase(b);
        return {
          sql: `(CASE WHEN ${x} <= 0 OR ${base} <= 0 OR ${base} = 1 THEN NULL ELSE ln(${x}) / ln(${base}) END)`,
          scale: ONE,
        };
      }
      case 'round': {
        const x = inBase(a);
        if (!b) return { sql: `round(${x})`, scale: ONE };
        const digits = inBase(b);
        return {
          sql: `(CASE WHEN ${digits} < 0 OR ${digits} > 30 OR ${digits} <> trunc(${digits}) THEN NULL ELSE round(${x}, (${digits})::integer) END)`,
          scale: ONE,
        };
      }
      case 'floor':
      case 'ceil':
        return { sql: `${fn}(${inBase(a)})`, scale: ONE };
      case 'pow':
        return power(a, b);
      default:
        throw new Error(`function ${fn} cannot be translated to SQL`);
    }
  };

  return build(parsed.ast);
}
