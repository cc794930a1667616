import { MathNode } from 'mathjs';
import { zhEn } from '../common/i18n/text';
import { D } from '../common/decimal';
import { checkCall } from './compile-functions';
import {
  Built,
  Checker,
  CompiledFormula,
  FormulaType,
  FormulaTypeError,
  IndexSet,
  SymbolInfo,
} from './compile-core';
import { checkOperator } from './compile-operators';
import { fieldsOf, FormulaProblem, ParsedFormula } from './parse';
import { DIMENSIONLESS, Dims, distance, formatDims, sameDims } from './units';

export {
  EvaluationError,
  FormulaTypeError,
  isVec,
  type CompiledFormula,
  type FormulaType,
  type IndexSet,
  type SymbolInfo,
  type Value,
  type Vec,
} from './compile-core';

/** Checks one formula's nodes, recording every problem; the node families report through it. */
class FormulaChecker implements Checker {
  readonly problems: FormulaProblem[] = [];

  constructor(
    readonly parsed: ParsedFormula,
    private readonly env: (name: string) => SymbolInfo | undefined,
    private readonly names?: () => Iterable<string>,
  ) {}

  fail(message: string, token?: string): Built {
    const position = token ? this.parsed.text.indexOf(token) : -1;
    this.problems.push(position >= 0 ? { message, position } : { message });
    return { t: null, run: () => new D(0) };
  }

  scalar(dims: Dims): FormulaType {
    return { dims, index: null, boolean: false };
  }

  sameIndex(ts: FormulaType[], what: string): IndexSet | null | 'mismatch' {
    const indexes = ts.map((t) => t.index).filter((i): i is IndexSet => i !== null);
    if (indexes.length === 0) return null;
    if (indexes.some((i) => i.code !== indexes[0].code)) {
      this.problems.push({
        message: zhEn(
          `${what}组合了按不同指标集（${[...new Set(indexes.map((i) => i.code))].join(' 和 ')}）分项的数值`,
          `${what} combines values indexed by ${[...new Set(indexes.map((i) => i.code))].join(' and ')}`,
        ),
      });
      return 'mismatch';
    }
    return indexes[0];
  }

  describe(t: FormulaType): string {
    return `${formatDims(t.dims)}${t.index ? ` per ${t.index.code}` : ''}`;
  }

  build(node: MathNode): Built {
    const n = fieldsOf(node);
    switch (n.type) {
      case 'ConstantNode': {
        const v = new D(String(n.value));
        return { t: this.scalar(DIMENSIONLESS), run: () => v, literal: v };
      }
      case 'SymbolNode': {
        const name = n.name!;
        const info = this.env(name);
        if (!info) {
          const near = this.names ? nearestNames(name, this.names()) : [];
          return this.fail(
            zhEn(
              `未知的名称 ${name}（不是本方法的变量、参数或指标）${near.length ? `；是否指 ${near.join('、')}？` : ''}`,
              `unknown identifier ${name}${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
            ),
            name,
          );
        }
        return {
          t: { dims: info.unit.dims, index: info.index ?? null, boolean: false },
          run: (lookup) => lookup(name),
          label: `${name} (${info.unit.text})`,
        };
      }
      case 'ParenthesisNode':
        return this.build(n.content!);
      case 'ConditionalNode': {
        const c = this.build(n.condition!);
        const a = this.build(n.trueExpr!);
        const b = this.build(n.falseExpr!);
        if (!c.t || !a.t || !b.t) return { t: null, run: () => new D(0) };
        if (!c.t.boolean || c.t.index)
          return this.fail(
            zhEn(
              '?: 的条件应为单个比较，例如 x > 0',
              'the condition of ?: must be a single comparison, e.g. x > 0',
            ),
          );
        if (a.t.boolean || b.t.boolean || !sameDims(a.t.dims, b.t.dims)) {
          return this.fail(
            zhEn(
              `?: 的两个分支单位不同：${this.describe(a.t)} 和 ${this.describe(b.t)}`,
              `the two branches of ?: have different units: ${this.describe(a.t)} and ${this.describe(b.t)}`,
            ),
          );
        }
        const index = this.sameIndex([a.t, b.t], 'the two branches of ?:');
        if (index === 'mismatch') return { t: null, run: () => new D(0) };
        return {
          t: { dims: a.t.dims, index: a.t.index ?? b.t.index, boolean: false },
          run: (l) => (c.run(l) === true ? a.run(l) : b.run(l)),
        };
      }
      case 'OperatorNode':
        return checkOperator(this, String(n.fn), n.op ?? '', n.args ?? [], node);
      case 'FunctionNode': {
        const fn = (n.fn as MathNode & { name?: string }).name!;
        return checkCall(this, fn, n.args ?? []);
      }
      default:
        return this.fail(zhEn(`不允许使用 ${n.type}`, `${n.type} is not allowed`));
    }
  }
}

/**
 * Type-checks a parsed formula against the symbols it may use (units, indexes) and compiles it
 * into closures over decimal arithmetic. Throws FormulaTypeError listing every problem:
 * unknown identifiers, unit mismatches (both units shown), misuse of indexed values. The node
 * families live beside it: operators and powers (compile-operators.ts), functions
 * (compile-functions.ts).
 */
export function compileFormula(
  parsed: ParsedFormula,
  env: (name: string) => SymbolInfo | undefined,
  /** The names `env` knows, to suggest the nearest for an unknown one. */
  names?: () => Iterable<string>,
): CompiledFormula {
  const checker = new FormulaChecker(parsed, env, names);
  const problems = checker.problems;
  const root = checker.build(parsed.ast);
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

/** The known names nearest in spelling to an unknown one (at most three, closest first). */
export function nearestNames(unknown: string, names: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(unknown.length / 3));
  return [...new Set(names)]
    .map((n) => ({ n, d: distance(unknown.toLowerCase(), n.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((x) => x.n);
}
