import { zhEn } from '../common/i18n/text';
import { all, create, MathNode } from 'mathjs';

/**
 * The formula language: mathjs expression syntax, parsed by a private mathjs instance and then
 * checked against an allow-list. Formulas are never evaluated by mathjs: the syntax tree is
 * compiled by this library into decimal arithmetic, so no expression can reach JavaScript.
 *
 * Following mathjs's security guidance the instance's `import`, `createUnit`, `evaluate`,
 * `parse`, `simplify`, `derivative`, `resolve` and `reviver` are replaced by functions that throw,
 * so that even a future code path calling into the instance could not use them.
 */
const math = create(all, { number: 'BigNumber', precision: 64 });
const mathParse = math.parse.bind(math);
const disabled = (name: string) => () => {
  throw new Error(`${name} is disabled`);
};
math.import(
  Object.fromEntries(
    [
      'import',
      'createUnit',
      'evaluate',
      'parse',
      'simplify',
      'derivative',
      'resolve',
      'reviver',
      'compile',
    ].map((n) => [n, disabled(n)]),
  ),
  { override: true },
);

/** Functions a formula may call. */
export const ALLOWED_FUNCTIONS = [
  'min',
  'max',
  'abs',
  'sqrt',
  'exp',
  'log',
  'pow',
  'round',
  'floor',
  'ceil',
  'sum',
  'prod',
] as const;
export type AllowedFunction = (typeof ALLOWED_FUNCTIONS)[number];

/** Operators a formula may use (mathjs function names). */
const ALLOWED_OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'unaryMinus',
  'unaryPlus',
  'dotMultiply',
  'dotDivide',
  'dotPow',
  'equal',
  'unequal',
  'smaller',
  'larger',
  'smallerEq',
  'largerEq',
  'and',
  'or',
  'not',
]);

export const LIMITS = { length: 4000, nodes: 1000, depth: 64 };

export interface FormulaProblem {
  /** 0-based character offset in the formula text, where known. */
  position?: number;
  message: string;
}

export class FormulaSyntaxError extends Error {
  constructor(readonly problems: FormulaProblem[]) {
    super(
      problems
        .map((p) => (p.position === undefined ? p.message : `${p.message} (at ${p.position})`))
        .join('; '),
    );
  }
}

export interface ParsedFormula {
  text: string;
  ast: MathNode;
  /** Identifiers the formula refers to (variables, parameters, indicators, constants). */
  identifiers: string[];
}

/** The fields of the mathjs node types the formula language uses. */
export type NodeFields = MathNode & {
  type: string;
  value?: unknown;
  name?: string;
  fn?: unknown;
  op?: string;
  args?: MathNode[];
  content?: MathNode;
  condition?: MathNode;
  trueExpr?: MathNode;
  falseExpr?: MathNode;
};
export const fieldsOf = (node: MathNode): NodeFields => node;

const locate = (text: string, token: string): number | undefined => {
  const i = text.indexOf(token);
  return i >= 0 ? i : undefined;
};

const NODE_DESCRIPTIONS: Record<string, string> = {
  AssignmentNode: zhEn('不允许赋值（=）', 'assignment (=) is not allowed'),
  FunctionAssignmentNode: zhEn('不允许定义函数', 'defining functions is not allowed'),
  AccessorNode: zhEn('不允许取属性或下标', 'property or index access is not allowed'),
  IndexNode: zhEn('不允许取属性或下标', 'property or index access is not allowed'),
  ArrayNode: zhEn(
    '不允许写数组；请使用分项变量',
    'array literals are not allowed; use an indexed variable',
  ),
  ObjectNode: zhEn('不允许写对象', 'object literals are not allowed'),
  RangeNode: zhEn('不允许写区间（a:b）', 'ranges (a:b) are not allowed'),
  BlockNode: zhEn(
    '只能写一个表达式，不能写多条语句',
    'several statements are not allowed; write one expression',
  ),
  RelationalNode: zhEn(
    '不允许连续比较；请用 and 连接多个比较',
    'chained comparisons are not allowed; combine comparisons with and',
  ),
};

/** Parses and checks a formula's syntax against the allow-list; throws FormulaSyntaxError listing every problem. */
export function parseFormula(text: string): ParsedFormula {
  if (text.length > LIMITS.length) {
    throw new FormulaSyntaxError([
      {
        message: zhEn(
          `公式超过 ${LIMITS.length} 个字符`,
          `the formula is longer than ${LIMITS.length} characters`,
        ),
      },
    ]);
  }
  if (text.trim() === '')
    throw new FormulaSyntaxError([
      { position: 0, message: zhEn('公式为空', 'the formula is empty') },
    ]);
  let ast: MathNode;
  try {
    ast = mathParse(text);
  } catch (e) {
    const err = e as Error & { char?: number };
    throw new FormulaSyntaxError([
      {
        position: err.char,
        message: zhEn(
          `公式语法错误（第 ${(err.char ?? 0) + 1} 个字符处）：${err.message.replace(/ \(char \d+\)$/, '')}`,
          `syntax error: ${err.message.replace(/ \(char \d+\)$/, '')}`,
        ),
      },
    ]);
  }
  const problems: FormulaProblem[] = [];
  const identifiers = new Set<string>();
  let nodes = 0;
  const visit = (node: MathNode, depth: number): void => {
    nodes++;
    if (depth > LIMITS.depth) {
      if (!problems.some((p) => p.message.includes('nested'))) {
        problems.push({
          message: zhEn(
            `公式嵌套超过 ${LIMITS.depth} 层`,
            `the formula is nested more than ${LIMITS.depth} levels deep`,
          ),
        });
      }
      return;
    }
    const n = fieldsOf(node);
    switch (n.type) {
      case 'ConstantNode': {
        const v = n.value as { isBigNumber?: boolean } | undefined;
        if (!v?.isBigNumber) {
          const shown = typeof n.value === 'string' ? `"${n.value}"` : String(n.value);
          problems.push({
            position: locate(text, shown.replace(/"/g, '')),
            message: zhEn(
              `常数只能是数字，不能是 ${shown}`,
              `only numbers are allowed as constants, not ${shown}`,
            ),
          });
        }
        return;
      }
      case 'SymbolNode':
        identifiers.add(n.name!);
        return;
      case 'ParenthesisNode':
        return visit(n.content!, depth + 1);
      case 'ConditionalNode':
        visit(n.condition!, depth + 1);
        visit(n.trueExpr!, depth + 1);
        return visit(n.falseExpr!, depth + 1);
      case 'OperatorNode':
        if (!ALLOWED_OPERATORS.has(String(n.fn))) {
          problems.push({
            position: locate(text, n.op ?? ''),
            message: zhEn(
              `不允许使用运算符 ${n.op ?? String(n.fn)}`,
              `operator ${n.op ?? String(n.fn)} is not allowed`,
            ),
          });
        }
        for (const a of n.args ?? []) visit(a, depth + 1);
        return;
      case 'FunctionNode': {
        const fn = n.fn as MathNode & { type: string; name?: string };
        if (fn.type !== 'SymbolNode') {
          problems.push({
            message: zhEn('只能调用有名称的函数', 'only named functions may be called'),
          });
        } else if (!(ALLOWED_FUNCTIONS as readonly string[]).includes(fn.name!)) {
          problems.push({
            position: locate(text, `${fn.name}(`) ?? locate(text, fn.name!),
            message: zhEn(
              `不允许使用函数 ${fn.name}（可用：${ALLOWED_FUNCTIONS.join('、')}）`,
              `function ${fn.name} is not allowed (allowed: ${ALLOWED_FUNCTIONS.join(', ')})`,
            ),
          });
        }
        for (const a of n.args ?? []) visit(a, depth + 1);
        return;
      }
      default:
        problems.push({
          message:
            NODE_DESCRIPTIONS[n.type] ?? zhEn(`不允许 ${n.type}`, `${n.type} is not allowed`),
        });
    }
  };
  visit(ast, 0);
  if (nodes > LIMITS.nodes)
    problems.push({
      message: zhEn(
        `公式超过 ${LIMITS.nodes} 项`,
        `the formula has more than ${LIMITS.nodes} terms`,
      ),
    });
  if (problems.length > 0) throw new FormulaSyntaxError(problems);
  return { text, ast, identifiers: [...identifiers].sort() };
}
