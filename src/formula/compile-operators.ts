import { MathNode } from 'mathjs';
import { zhEn } from '../common/i18n/text';
import { D, Dec, plusOf, timesOf } from '../common/decimal';
import {
  Built,
  Checker,
  constantsOnly,
  EvaluationError,
  lift,
  MAX_DYNAMIC_EXPONENT,
  num,
  remembered,
  Run,
} from './compile-core';
import {
  DIMENSIONLESS,
  divDims,
  formatDims,
  isDimensionless,
  mulDims,
  sameDims,
  scaleDims,
} from './units';

/** The formula compiler's operators (+ − × ÷, comparisons, logic) and powers. */

export function checkOperator(
  c: Checker,
  fn: string,
  op: string,
  argNodes: MathNode[],
  node: MathNode,
): Built {
  const args = argNodes.map((n) => c.build(n));
  if (args.some((a) => !a.t)) return { t: null, run: () => new D(0) };
  const ts = args.map((a) => a.t!);
  const [a, b] = args;
  switch (fn) {
    case 'unaryMinus':
    case 'unaryPlus': {
      if (ts[0].boolean) return c.fail(zhEn(`${op} 需要数值`, `${op} needs a number`));
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
        return c.fail(zhEn(`${op} 的两边应为数值`, `${op} needs numbers`));
      if (!sameDims(ts[0].dims, ts[1].dims)) {
        return c.fail(
          zhEn(
            `${a.label ?? formatDims(ts[0].dims)} 与 ${b.label ?? formatDims(ts[1].dims)} 不能${fn === 'add' ? '相加' : '相减'}：${formatDims(ts[0].dims)} 和 ${formatDims(ts[1].dims)} 是不同的量`,
            `cannot ${fn === 'add' ? 'add' : 'subtract'} ${b.label ?? formatDims(ts[1].dims)} ${fn === 'add' ? 'to' : 'from'} ${a.label ?? formatDims(ts[0].dims)}: ${formatDims(ts[1].dims)} and ${formatDims(ts[0].dims)} are different quantities`,
          ),
          op,
        );
      }
      const index = c.sameIndex(ts, op);
      if (index === 'mismatch') return { t: null, run: () => new D(0) };
      const f = fn === 'add' ? plusOf : (x: Dec, y: Dec) => x.minus(y);
      return {
        t: { dims: ts[0].dims, index, boolean: false },
        run: (l) => lift([num(a.run(l), op), num(b.run(l), op)], f),
      };
    }
    case 'multiply':
    case 'dotMultiply':
    case 'divide':
    case 'dotDivide': {
      if (ts.some((t) => t.boolean)) return c.fail(zhEn(`${op} 需要数值`, `${op} needs numbers`));
      const elementwise = fn.startsWith('dot');
      if (!elementwise && ts[0].index && ts[1].index) {
        return c.fail(
          zhEn(
            `两个分项数值之间的 ${op}：逐项${fn === 'multiply' ? '相乘' : '相除'}请用 .${op}`,
            `${op} between two indexed values: use .${op} for element-wise ${fn === 'multiply' ? 'multiplication' : 'division'}`,
          ),
          op,
        );
      }
      const index = c.sameIndex(ts, op);
      if (index === 'mismatch') return { t: null, run: () => new D(0) };
      const mul = fn === 'multiply' || fn === 'dotMultiply';
      const dims = mul ? mulDims(ts[0].dims, ts[1].dims) : divDims(ts[0].dims, ts[1].dims);
      const f = mul
        ? timesOf
        : (x: Dec, y: Dec) => {
            if (y.isZero())
              throw new EvaluationError(
                zhEn(`${c.parsed.text} 中除数为零`, `division by zero in ${c.parsed.text}`),
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
      return checkPower(c, a, b, (node as MathNode & { args: MathNode[] }).args[1], op);
    case 'equal':
    case 'unequal':
    case 'smaller':
    case 'larger':
    case 'smallerEq':
    case 'largerEq': {
      if (ts.some((t) => t.boolean || t.index))
        return c.fail(zhEn(`${op} 只能比较两个单一数值`, `${op} compares two single numbers`), op);
      if (!sameDims(ts[0].dims, ts[1].dims)) {
        return c.fail(
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
        return c.fail(zhEn(`${op} 组合的是比较`, `${op} combines comparisons`), op);
      const run: Run =
        fn === 'not'
          ? (l) => a.run(l) !== true
          : fn === 'and'
            ? (l) => a.run(l) === true && b.run(l) === true
            : (l) => a.run(l) === true || b.run(l) === true;
      return { t: { dims: DIMENSIONLESS, index: null, boolean: true }, run };
    }
    default:
      return c.fail(zhEn(`不允许使用运算符 ${op}`, `operator ${op} is not allowed`), op);
  }
}

export function checkPower(
  c: Checker,
  a: Built,
  b: Built,
  exponentNode: MathNode,
  op: string,
): Built {
  const ta = a.t!;
  const tb = b.t!;
  if (ta.boolean || tb.boolean) return c.fail(zhEn(`${op} 需要数值`, `${op} needs numbers`));
  if (!isDimensionless(tb.dims) || tb.index)
    return c.fail(
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
      return c.fail(
        zhEn(
          `单位为 ${formatDims(ta.dims)} 的量只能取常数次幂`,
          `a quantity in ${formatDims(ta.dims)} can only be raised to a constant power`,
        ),
        op,
      );
    const scaled = ta.dims.map((d) => lit.times(d));
    if (scaled.some((d) => !d.isInteger()))
      return c.fail(
        zhEn(
          `${formatDims(ta.dims)} 的 ${lit.toString()} 次幂不是有效单位`,
          `${formatDims(ta.dims)} to the power ${lit.toString()} is not a unit`,
        ),
        op,
      );
    dims = scaleDims(ta.dims, lit.toNumber());
  }
  if (lit && lit.abs().gt(64))
    return c.fail(
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
          `${c.parsed.text} 中指数 ${y.toString()} 过大`,
          `exponent ${y.toString()} is too large in ${c.parsed.text}`,
        ),
      );
    if (x.isZero() && y.isNeg())
      throw new EvaluationError(
        zhEn(
          `${c.parsed.text} 中除数为零（0 的负数次幂）`,
          `division by zero (0 to a negative power) in ${c.parsed.text}`,
        ),
      );
    if (x.isNeg() && !y.isInteger())
      throw new EvaluationError(
        zhEn(
          `${c.parsed.text} 中负数取分数次幂`,
          `negative number to a fractional power in ${c.parsed.text}`,
        ),
      );
    // an integer power is a few products; a fractional one exp(y·ln x), worth remembering
    const result = y.isInteger()
      ? x.pow(y)
      : remembered(`pow ${x.toString()} ${y.toString()}`, () => x.pow(y));
    // a tower of constant powers, each ≤ 64, can still leave decimal.js's range
    if (!result.isFinite())
      throw new EvaluationError(
        zhEn(
          `${c.parsed.text} 中 ${op} 的结果过大`,
          `the result of ${op} is too large in ${c.parsed.text}`,
        ),
      );
    return result;
  };
  return {
    t: { dims, index: ta.index, boolean: false },
    run: (l) => lift([num(a.run(l), op), num(b.run(l), op)], f),
  };
}
