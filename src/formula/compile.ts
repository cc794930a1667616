import { zhEn } from '../common/i18n/text';
import { MathNode } from 'mathjs';
import { D, Dec } from '../common/decimal';
import { fieldsOf, FormulaProblem, ParsedFormula } from './parse';
import {
  DIMENSIONLESS,
  Dims,
  divDims,
  formatDims,
  isDimensionless,
  mulDims,
  sameDims,
  scaleDims,
  Unit,
} from './units';

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

type Run = (lookup: (name: string) => Value) => Value;
interface Built {
  t: FormulaType | null; // null: an error was already reported below
  run: Run;
  literal?: Dec;
  /** How to name the operand in a message: `d (tCO2)` for a symbol, its base unit otherwise. */
  label?: string;
}

const MAX_DYNAMIC_EXPONENT = 1000;
const isVec = (v: Value): v is Vec => typeof v === 'object' && v !== null && 'index' in v;

function num(v: Value, what: string): Dec | Vec {
  if (typeof v === 'boolean')
    throw new EvaluationError(
      zhEn(`${what}：应为数值，得到的是真假值`, `${what}: expected a number, got a truth value`),
    );
  return v;
}

/** Applies `f` element-wise, broadcasting scalars over vectors. */
function lift(args: (Dec | Vec)[], f: (...xs: Dec[]) => Dec): Dec | Vec {
  const vec = args.find(isVec);
  if (!vec) return f(...(args as Dec[]));
  return {
    index: vec.index,
    values: vec.values.map((_, i) => f(...args.map((a) => (isVec(a) ? a.values[i] : a)))),
  };
}

const constantsOnly = (node: MathNode): Dec | undefined => {
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

/**
 * Type-checks a parsed formula against the symbols it may use (units, indexes) and compiles it
 * into closures over decimal arithmetic. Throws FormulaTypeError listing every problem:
 * unknown identifiers, unit mismatches (both units shown), misuse of indexed values.
 */
export function compileFormula(
  parsed: ParsedFormula,
  env: (name: string) => SymbolInfo | undefined,
): CompiledFormula {
  const problems: FormulaProblem[] = [];
  const fail = (message: string, token?: string): Built => {
    const position = token ? parsed.text.indexOf(token) : -1;
    problems.push(position >= 0 ? { message, position } : { message });
    return { t: null, run: () => new D(0) };
  };
  const scalar = (dims: Dims): FormulaType => ({ dims, index: null, boolean: false });

  const sameIndex = (ts: FormulaType[], what: string): IndexSet | null | 'mismatch' => {
    const indexes = ts.map((t) => t.index).filter((i): i is IndexSet => i !== null);
    if (indexes.length === 0) return null;
    if (indexes.some((i) => i.code !== indexes[0].code)) {
      problems.push({
        message: zhEn(
          `${what}组合了按不同指标集（${[...new Set(indexes.map((i) => i.code))].join(' 和 ')}）分项的数值`,
          `${what} combines values indexed by ${[...new Set(indexes.map((i) => i.code))].join(' and ')}`,
        ),
      });
      return 'mismatch';
    }
    return indexes[0];
  };

  const describe = (t: FormulaType) =>
    `${formatDims(t.dims)}${t.index ? ` per ${t.index.code}` : ''}`;

  const build = (node: MathNode): Built => {
    const n = fieldsOf(node);
    switch (n.type) {
      case 'ConstantNode': {
        const v = new D(String(n.value));
        return { t: scalar(DIMENSIONLESS), run: () => v, literal: v };
      }
      case 'SymbolNode': {
        const name = n.name!;
        const info = env(name);
        if (!info)
          return fail(
            zhEn(
              `未知的名称 ${name}（不是本方法的变量、参数或指标）`,
              `unknown identifier ${name}`,
            ),
            name,
          );
        return {
          t: { dims: info.unit.dims, index: info.index ?? null, boolean: false },
          run: (lookup) => lookup(name),
          label: `${name} (${info.unit.text})`,
        };
      }
      case 'ParenthesisNode':
        return build(n.content!);
      case 'ConditionalNode': {
        const c = build(n.condition!);
        const a = build(n.trueExpr!);
        const b = build(n.falseExpr!);
        if (!c.t || !a.t || !b.t) return { t: null, run: () => new D(0) };
        if (!c.t.boolean || c.t.index)
          return fail(
            zhEn(
              '?: 的条件应为单个比较，例如 x > 0',
              'the condition of ?: must be a single comparison, e.g. x > 0',
            ),
          );
        if (a.t.boolean || b.t.boolean || !sameDims(a.t.dims, b.t.dims)) {
          return fail(
            zhEn(
              `?: 的两个分支单位不同：${describe(a.t)} 和 ${describe(b.t)}`,
              `the two branches of ?: have different units: ${describe(a.t)} and ${describe(b.t)}`,
            ),
          );
        }
        const index = sameIndex([a.t, b.t], 'the two branches of ?:');
        if (index === 'mismatch') return { t: null, run: () => new D(0) };
        return {
          t: { dims: a.t.dims, index: a.t.index ?? b.t.index, boolean: false },
          run: (l) => (c.run(l) === true ? a.run(l) : b.run(l)),
        };
      }
      case 'OperatorNode':
        return operator(String(n.fn), n.op ?? '', n.args ?? [], node);
      case 'FunctionNode': {
        const fn = (n.fn as MathNode & { name?: string }).name!;
        return call(fn, n.args ?? []);
      }
      default:
        return fail(zhEn(`不允许使用 ${n.type}`, `${n.type} is not allowed`));
    }
  };

  const operator = (fn: string, op: string, argNodes: MathNode[], node: MathNode): Built => {
    const args = argNodes.map(build);
    if (args.some((a) => !a.t)) return { t: null, run: () => new D(0) };
    const ts = args.map((a) => a.t!);
    const [a, b] = args;
    switch (fn) {
      case 'unaryMinus':
      case 'unaryPlus': {
        if (ts[0].boolean) return fail(zhEn(`${op} 需要数值`, `${op} needs a number`));
        const neg = fn === 'unaryMinus';
        const lit = a.literal && (neg ? a.literal.neg() : a.literal);
        return {
          t: ts[0],
          run: (l) => (neg ? lift([num(a.run(l), op)], (x) => x.neg()) : a.run(l)),
          literal: lit,
        };
      }
      case 'add':
      case 'subtract': {
        if (ts.some((t) => t.boolean))
          return fail(zhEn(`${op} 的两边应为数值`, `${op} needs numbers`));
        if (!sameDims(ts[0].dims, ts[1].dims)) {
          return fail(
            zhEn(
              `${a.label ?? formatDims(ts[0].dims)} 与 ${b.label ?? formatDims(ts[1].dims)} 不能${fn === 'add' ? '相加' : '相减'}：${formatDims(ts[0].dims)} 和 ${formatDims(ts[1].dims)} 是不同的量`,
              `cannot ${fn === 'add' ? 'add' : 'subtract'} ${b.label ?? formatDims(ts[1].dims)} ${fn === 'add' ? 'to' : 'from'} ${a.label ?? formatDims(ts[0].dims)}: ${formatDims(ts[1].dims)} and ${formatDims(ts[0].dims)} are different quantities`,
            ),
            op,
          );
        }
        const index = sameIndex(ts, op);
        if (index === 'mismatch') return { t: null, run: () => new D(0) };
        const f = fn === 'add' ? (x: Dec, y: Dec) => x.plus(y) : (x: Dec, y: Dec) => x.minus(y);
        return {
          t: { dims: ts[0].dims, index, boolean: false },
          run: (l) => lift([num(a.run(l), op), num(b.run(l), op)], f),
        };
      }
      case 'multiply':
      case 'dotMultiply':
      case 'divide':
      case 'dotDivide': {
        if (ts.some((t) => t.boolean)) return fail(zhEn(`${op} 需要数值`, `${op} needs numbers`));
        const elementwise = fn.startsWith('dot');
        if (!elementwise && ts[0].index && ts[1].index) {
          return fail(
            zhEn(
              `两个分项数值之间的 ${op}：逐项${fn === 'multiply' ? '相乘' : '相除'}请用 .${op}`,
              `${op} between two indexed values: use .${op} for element-wise ${fn === 'multiply' ? 'multiplication' : 'division'}`,
            ),
            op,
          );
        }
        const index = sameIndex(ts, op);
        if (index === 'mismatch') return { t: null, run: () => new D(0) };
        const mul = fn === 'multiply' || fn === 'dotMultiply';
        const dims = mul ? mulDims(ts[0].dims, ts[1].dims) : divDims(ts[0].dims, ts[1].dims);
        const f = mul
          ? (x: Dec, y: Dec) => x.times(y)
          : (x: Dec, y: Dec) => {
              if (y.isZero())
                throw new EvaluationError(
                  zhEn(`${parsed.text} 中除数为零`, `division by zero in ${parsed.text}`),
                );
              return x.div(y);
            };
        const literal =
          a.literal &&
          b.literal &&
          (mul
            ? a.literal.times(b.literal)
            : b.literal.isZero()
              ? undefined
              : a.literal.div(b.literal));
        return {
          t: { dims, index, boolean: false },
          run: (l) => lift([num(a.run(l), op), num(b.run(l), op)], f),
          literal,
        };
      }
      case 'pow':
      case 'dotPow':
        return power(a, b, (node as MathNode & { args: MathNode[] }).args[1], op);
      case 'equal':
      case 'unequal':
      case 'smaller':
      case 'larger':
      case 'smallerEq':
      case 'largerEq': {
        if (ts.some((t) => t.boolean || t.index))
          return fail(zhEn(`${op} 只能比较两个单一数值`, `${op} compares two single numbers`), op);
        if (!sameDims(ts[0].dims, ts[1].dims)) {
          return fail(
            zhEn(
              `${a.label ?? formatDims(ts[0].dims)} 与 ${b.label ?? formatDims(ts[1].dims)} 量纲不同，不能比较`,
              `cannot compare ${a.label ?? formatDims(ts[0].dims)} with ${b.label ?? formatDims(ts[1].dims)}`,
            ),
            op,
          );
        }
        const cmp: Record<string, (c: number) => boolean> = {
          equal: (c) => c === 0,
          unequal: (c) => c !== 0,
          smaller: (c) => c < 0,
          larger: (c) => c > 0,
          smallerEq: (c) => c <= 0,
          largerEq: (c) => c >= 0,
        };
        const test = cmp[fn];
        return {
          t: { dims: DIMENSIONLESS, index: null, boolean: true },
          run: (l) => test((a.run(l) as Dec).cmp(b.run(l) as Dec)),
        };
      }
      case 'and':
      case 'or':
      case 'not': {
        if (ts.some((t) => !t.boolean))
          return fail(zhEn(`${op} 组合的是比较`, `${op} combines comparisons`), op);
        const run: Run =
          fn === 'not'
            ? (l) => a.run(l) !== true
            : fn === 'and'
              ? (l) => a.run(l) === true && b.run(l) === true
              : (l) => a.run(l) === true || b.run(l) === true;
        return { t: { dims: DIMENSIONLESS, index: null, boolean: true }, run };
      }
      default:
        return fail(zhEn(`不允许使用运算符 ${op}`, `operator ${op} is not allowed`), op);
    }
  };

  const power = (a: Built, b: Built, exponentNode: MathNode, op: string): Built => {
    const ta = a.t!;
    const tb = b.t!;
    if (ta.boolean || tb.boolean) return fail(zhEn(`${op} 需要数值`, `${op} needs numbers`));
    if (!isDimensionless(tb.dims) || tb.index)
      return fail(
        zhEn(
          `${op} 的指数应为单一的无量纲数`,
          `the exponent of ${op} must be a single dimensionless number`,
        ),
        op,
      );
    const lit = constantsOnly(exponentNode);
    let dims = DIMENSIONLESS;
    if (!isDimensionless(ta.dims)) {
      if (!lit)
        return fail(
          zhEn(
            `单位为 ${formatDims(ta.dims)} 的量只能取常数次幂`,
            `a quantity in ${formatDims(ta.dims)} can only be raised to a constant power`,
          ),
          op,
        );
      const scaled = ta.dims.map((d) => lit.times(d));
      if (scaled.some((d) => !d.isInteger()))
        return fail(
          zhEn(
            `${formatDims(ta.dims)} 的 ${lit.toString()} 次幂不是有效单位`,
            `${formatDims(ta.dims)} to the power ${lit.toString()} is not a unit`,
          ),
          op,
        );
      dims = scaleDims(ta.dims, lit.toNumber());
    }
    if (lit && lit.abs().gt(64))
      return fail(
        zhEn(
          `指数 ${lit.toString()} 过大（常数指数最多 64）`,
          `exponent ${lit.toString()} is too large (at most 64 for a constant)`,
        ),
        op,
      );
    const f = (x: Dec, y: Dec) => {
      if (y.abs().gt(MAX_DYNAMIC_EXPONENT))
        throw new EvaluationError(
          zhEn(
            `${parsed.text} 中指数 ${y.toString()} 过大`,
            `exponent ${y.toString()} is too large in ${parsed.text}`,
          ),
        );
      if (x.isZero() && y.isNeg())
        throw new EvaluationError(
          zhEn(
            `${parsed.text} 中除数为零（0 的负数次幂）`,
            `division by zero (0 to a negative power) in ${parsed.text}`,
          ),
        );
      if (x.isNeg() && !y.isInteger())
        throw new EvaluationError(
          zhEn(
            `${parsed.text} 中负数取分数次幂`,
            `negative number to a fractional power in ${parsed.text}`,
          ),
        );
      const result = x.pow(y);
      // a tower of constant powers, each ≤ 64, can still leave decimal.js's range
      if (!result.isFinite())
        throw new EvaluationError(
          zhEn(
            `${parsed.text} 中 ${op} 的结果过大`,
            `the result of ${op} is too large in ${parsed.text}`,
          ),
        );
      return result;
    };
    return {
      t: { dims, index: ta.index, boolean: false },
      run: (l) => lift([num(a.run(l), op), num(b.run(l), op)], f),
    };
  };

  const call = (fn: string, argNodes: MathNode[]): Built => {
    const args = argNodes.map(build);
    if (args.some((a) => !a.t)) return { t: null, run: () => new D(0) };
    const ts = args.map((a) => a.t!);
    if (ts.some((t) => t.boolean))
      return fail(
        zhEn(`${fn}() 的参数应为数值，不能是比较`, `${fn}() takes numbers, not comparisons`),
        fn,
      );
    const arity = (min: number, max: number) =>
      args.length < min || args.length > max
        ? fail(
            `${fn}() takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`,
            fn,
          )
        : undefined;
    const dimensionlessArgs = () =>
      ts.some((t) => !isDimensionless(t.dims))
        ? fail(
            zhEn(
              `${fn}() 的参数应无量纲；实际为 ${ts.map(describe).join('、')}`,
              `${fn}() needs dimensionless arguments; got ${ts.map(describe).join(', ')}`,
            ),
            fn,
          )
        : undefined;
    switch (fn) {
      case 'sum':
      case 'min':
      case 'max': {
        const bad = arity(1, 64);
        if (bad) return bad;
        if (ts.some((t) => !sameDims(t.dims, ts[0].dims)))
          return fail(
            zhEn(
              `${fn}() 的参数单位不同：${ts.map(describe).join('、')}`,
              `${fn}() of different units: ${ts.map(describe).join(', ')}`,
            ),
            fn,
          );
        const pick =
          fn === 'sum'
            ? (xs: Dec[]) => xs.reduce((s, x) => s.plus(x), new D(0))
            : fn === 'min'
              ? (xs: Dec[]) => D.min(...xs)
              : (xs: Dec[]) => D.max(...xs);
        if (args.length === 1) {
          if (!ts[0].index)
            return fn === 'sum' ? { t: ts[0], run: args[0].run } : { t: ts[0], run: args[0].run };
          return {
            t: scalar(ts[0].dims),
            run: (l) => {
              const v = num(args[0].run(l), fn);
              return isVec(v)
                ? v.values.length
                  ? pick(v.values)
                  : fn === 'sum'
                    ? new D(0)
                    : (() => {
                        throw new EvaluationError(
                          zhEn(`${fn}() 作用于空的分项`, `${fn}() of an empty index`),
                        );
                      })()
                : v;
            },
          };
        }
        const index = sameIndex(ts, `${fn}()`);
        if (index === 'mismatch') return { t: null, run: () => new D(0) };
        return {
          t: { dims: ts[0].dims, index, boolean: false },
          run: (l) =>
            lift(
              args.map((a) => num(a.run(l), fn)),
              (...xs) => pick(xs),
            ),
        };
      }
      case 'prod': {
        const bad = arity(1, 64) ?? dimensionlessArgs();
        if (bad) return bad;
        if (args.length === 1 && ts[0].index) {
          return {
            t: scalar(DIMENSIONLESS),
            run: (l) =>
              (num(args[0].run(l), fn) as Vec).values.reduce((p, x) => p.times(x), new D(1)),
          };
        }
        const index = sameIndex(ts, 'prod()');
        if (index === 'mismatch') return { t: null, run: () => new D(0) };
        return {
          t: { dims: DIMENSIONLESS, index, boolean: false },
          run: (l) =>
            lift(
              args.map((a) => num(a.run(l), fn)),
              (...xs) => xs.reduce((p, x) => p.times(x), new D(1)),
            ),
        };
      }
      case 'abs':
        return (
          arity(1, 1) ?? { t: ts[0], run: (l) => lift([num(args[0].run(l), fn)], (x) => x.abs()) }
        );
      case 'sqrt': {
        const bad = arity(1, 1);
        if (bad) return bad;
        if (ts[0].dims.some((d) => d % 2 !== 0))
          return fail(
            zhEn(
              `${formatDims(ts[0].dims)} 开平方不是有效单位`,
              `sqrt() of ${formatDims(ts[0].dims)} is not a unit`,
            ),
            fn,
          );
        return {
          t: { dims: scaleDims(ts[0].dims, 0.5), index: ts[0].index, boolean: false },
          run: (l) =>
            lift([num(args[0].run(l), fn)], (x) => {
              if (x.isNeg())
                throw new EvaluationError(
                  zhEn(
                    `${parsed.text} 中对负数开平方`,
                    `sqrt() of a negative number in ${parsed.text}`,
                  ),
                );
              return x.sqrt();
            }),
        };
      }
      case 'exp':
      case 'log':
      case 'round':
      case 'floor':
      case 'ceil': {
        const bad = arity(1, fn === 'log' || fn === 'round' ? 2 : 1) ?? dimensionlessArgs();
        if (bad) return bad;
        if (args.length === 2 && ts[1].index)
          return fail(
            zhEn(
              `${fn}() 的第二个参数应为单一数值`,
              `the second argument of ${fn}() must be a single number`,
            ),
            fn,
          );
        const f: Record<string, (x: Dec, y?: Dec) => Dec> = {
          exp: (x) => {
            if (x.gt(1000))
              throw new EvaluationError(
                zhEn(
                  `${parsed.text} 中 exp() 的参数过大`,
                  `exp() argument too large in ${parsed.text}`,
                ),
              );
            return x.exp();
          },
          log: (x, base) => {
            // decimal.js counts 0 as positive (isPos), so compare: log(0) is not -Infinity
            if (x.lte(0) || (base && (base.lte(0) || base.eq(1))))
              throw new EvaluationError(
                zhEn(
                  `${parsed.text} 中 log() 的参数不是正数`,
                  `log() of a non-positive number in ${parsed.text}`,
                ),
              );
            return base ? x.ln().div(base.ln()) : x.ln();
          },
          round: (x, digits) => {
            const n = digits ? digits.toNumber() : 0;
            if (!Number.isInteger(n) || n < 0 || n > 30)
              throw new EvaluationError(
                zhEn(
                  `${parsed.text} 中 round() 的小数位数应为 0 至 30`,
                  `round() takes 0 to 30 decimals in ${parsed.text}`,
                ),
              );
            return x.toDecimalPlaces(n, D.ROUND_HALF_UP);
          },
          floor: (x) => x.floor(),
          ceil: (x) => x.ceil(),
        };
        const g = f[fn];
        return {
          t: { dims: DIMENSIONLESS, index: ts[0].index, boolean: false },
          run: (l) => {
            const second = args[1] ? (num(args[1].run(l), fn) as Dec) : undefined;
            return lift([num(args[0].run(l), fn)], (x) => g(x, second));
          },
        };
      }
      case 'pow': {
        const bad = arity(2, 2);
        if (bad) return bad;
        return power(args[0], args[1], argNodes[1], 'pow()');
      }
      default:
        return fail(zhEn(`不允许使用函数 ${fn}`, `function ${fn} is not allowed`), fn);
    }
  };

  const root = build(parsed.ast);
  if (root.t?.boolean)
    problems.push({
      message: zhEn(
        '公式是一个比较，应得出数值',
        'the formula is a comparison; it must give a number',
      ),
    });
  if (problems.length > 0 || !root.t) throw new FormulaTypeError(problems);
  return { text: parsed.text, identifiers: parsed.identifiers, type: root.t, run: root.run };
}

export { isVec };
