import { MathNode } from 'mathjs';
import { zhEn } from '../common/i18n/text';
import { D, Dec, plusOf, timesOf } from '../common/decimal';
import { Built, Checker, EvaluationError, isVec, lift, num, remembered, Vec } from './compile-core';
import { checkPower } from './compile-operators';
import { DIMENSIONLESS, formatDims, isDimensionless, sameDims, scaleDims } from './units';

/** The formula compiler's functions (sum, min/max, log, exp, sqrt, abs, round, pow…). */

export function checkCall(c: Checker, fn: string, argNodes: MathNode[]): Built {
  const args = argNodes.map((n) => c.build(n));
  if (args.some((a) => !a.t)) return { t: null, run: () => new D(0) };
  const ts = args.map((a) => a.t!);
  if (ts.some((t) => t.boolean))
    return c.fail(
      zhEn(`${fn}() 的参数应为数值，不能是比较`, `${fn}() takes numbers, not comparisons`),
      fn,
    );
  const arity = (min: number, max: number) =>
    args.length < min || args.length > max
      ? c.fail(
          zhEn(
            `${fn}() 需要 ${min === max ? min : `${min} 到 ${max}`} 个参数，实际为 ${args.length} 个`,
            `${fn}() takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`,
          ),
          fn,
        )
      : undefined;
  const dimensionlessArgs = () =>
    ts.some((t) => !isDimensionless(t.dims))
      ? c.fail(
          zhEn(
            `${fn}() 的参数应无量纲；实际为 ${ts.map((t) => c.describe(t)).join('、')}`,
            `${fn}() needs dimensionless arguments; got ${ts.map((t) => c.describe(t)).join(', ')}`,
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
        return c.fail(
          zhEn(
            `${fn}() 的参数单位不同：${ts.map((t) => c.describe(t)).join('、')}`,
            `${fn}() of different units: ${ts.map((t) => c.describe(t)).join(', ')}`,
          ),
          fn,
        );
      const pick =
        fn === 'sum'
          ? (xs: Dec[]) => xs.reduce(plusOf, new D(0))
          : fn === 'min'
            ? (xs: Dec[]) => D.min(...xs)
            : (xs: Dec[]) => D.max(...xs);
      if (args.length === 1) {
        if (!ts[0].index)
          return fn === 'sum' ? { t: ts[0], run: args[0].run } : { t: ts[0], run: args[0].run };
        return {
          t: c.scalar(ts[0].dims),
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
      const index = c.sameIndex(ts, `${fn}()`);
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
          t: c.scalar(DIMENSIONLESS),
          run: (l) => (num(args[0].run(l), fn) as Vec).values.reduce(timesOf, new D(1)),
        };
      }
      const index = c.sameIndex(ts, 'prod()');
      if (index === 'mismatch') return { t: null, run: () => new D(0) };
      return {
        t: { dims: DIMENSIONLESS, index, boolean: false },
        run: (l) =>
          lift(
            args.map((a) => num(a.run(l), fn)),
            (...xs) => xs.reduce(timesOf, new D(1)),
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
        return c.fail(
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
                  `${c.parsed.text} 中对负数开平方`,
                  `sqrt() of a negative number in ${c.parsed.text}`,
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
        return c.fail(
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
                `${c.parsed.text} 中 exp() 的参数过大`,
                `exp() argument too large in ${c.parsed.text}`,
              ),
            );
          return remembered(`exp ${x.toString()}`, () => x.exp());
        },
        log: (x, base) => {
          // decimal.js counts 0 as positive (isPos), so compare: log(0) is not -Infinity
          if (x.lte(0) || (base && (base.lte(0) || base.eq(1))))
            throw new EvaluationError(
              zhEn(
                `${c.parsed.text} 中 log() 的参数不是正数`,
                `log() of a non-positive number in ${c.parsed.text}`,
              ),
            );
          const ln = (y: Dec) => remembered(`ln ${y.toString()}`, () => y.ln());
          return base ? ln(x).div(ln(base)) : ln(x);
        },
        round: (x, digits) => {
          const n = digits ? digits.toNumber() : 0;
          if (!Number.isInteger(n) || n < 0 || n > 30)
            throw new EvaluationError(
              zhEn(
                `${c.parsed.text} 中 round() 的小数位数应为 0 至 30`,
                `round() takes 0 to 30 decimals in ${c.parsed.text}`,
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
      return checkPower(c, args[0], args[1], argNodes[1], 'pow()');
    }
    default:
      return c.fail(zhEn(`不允许使用函数 ${fn}`, `function ${fn} is not allowed`), fn);
  }
}
