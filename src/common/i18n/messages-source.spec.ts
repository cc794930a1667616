import { readFileSync } from 'fs';
import * as ts from 'typescript';
import { sourceFiles } from '../../../test/support/source-files';

/**
 * Every message a user can trigger is written in Chinese and English where it arises (zhEn). This
 * reads the service's source and lists English prose in a message position — an argument of an
 * error the service throws, a `message:` of a problem or a validation decorator, a `message` or
 * `detail` variable — that is not inside zhEn(…).
 */
const PROSE = /[a-z]{2,} [a-z]/;
const CJK = /[\u4e00-\u9fff]/;
/** The text with its Chinese (and bracketed Chinese) taken out, spaces closed up. */
const withoutChinese = (text: string) =>
  text
    .replace(/[(（][^)）]*[\u4e00-\u9fff][^)）]*[)）]/g, ' ')
    .replace(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g, '\u0000')
    .replace(/ +/g, ' ');
const ERRORS = new Set([
  'DomainError',
  'AllocationError',
  'RangeError',
  'EvaluationError',
  'UnitError',
]);
/** Files whose messages no user of the service can trigger. */
const EXEMPT: Record<string, string> = {
  'src/config/app-config.ts': "the operator's environment, checked before the service listens",
  'src/common/clock.ts': 'a fixed clock is set by tests and operators, not by requests',
  'src/registry/registry-rules.ts': 'unit sequences come from the database sequence, not input',
};

const textOf = (n: ts.Node): string | undefined =>
  ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)
    ? n.text
    : ts.isTemplateExpression(n)
      ? [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' … ')
      : undefined;

/** zhEn, and its SQL twin in the parcel load (both sides SQL text expressions). */
const isZhEn = (n: ts.Node) =>
  ts.isCallExpression(n) &&
  ts.isIdentifier(n.expression) &&
  ['zhEn', 'bilingual'].includes(n.expression.text);
/** English fragments substituted into the English side of a two-language message. */
const ENGLISH_SIDE = ['(first on ${name(Number(l))})'];

/**
 * The roots of message positions in one file; with `reasons`, also a `reason:` (an explanation a
 * user reads: a compensation amount's, a gap's — English-only ones are recorded codes, such as a
 * failed login's in the audit log).
 */
function messageRoots(file: ts.SourceFile, reasons = false): ts.Node[] {
  const properties = reasons ? ['message', 'error', 'reason'] : ['message', 'error'];
  const roots: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && ERRORS.has(n.expression.text))
      roots.push(...(n.arguments ?? []));
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.getText(file) === 'DomainError.invalid'
    )
      roots.push(...n.arguments);
    else if (
      // the formula checker's problems (compile*.ts): c.fail(message, token)
      ts.isCallExpression(n) &&
      ['fail', 'this.fail', 'c.fail'].includes(n.expression.getText(file)) &&
      n.arguments.length > 0
    )
      roots.push(n.arguments[0]);
    else if (
      // a local problem collector: push(path, message) (parcel-model.ts)
      ts.isCallExpression(n) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === 'push' &&
      n.arguments.length === 2
    )
      roots.push(n.arguments[1]);
    else if (ts.isPropertyAssignment(n) && properties.includes(n.name.getText(file)))
      roots.push(n.initializer);
    else if (
      ts.isVariableDeclaration(n) &&
      ['message', 'detail'].includes(n.name.getText(file)) &&
      n.initializer
    )
      roots.push(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return roots;
}

/** Chinese in a message position that is not a message in one language only, and why. */
const CHINESE_ALLOWED: Record<string, string> = {
  '（首次出现于${nameZh(Number(l))}）': 'the Chinese side of a two-language message, rewritten',
  '请填写数值（空白表示未填报）': "Excel's own prompt in a cell of the Chinese form template",
  '说明!B1': 'a path: the cell of the Chinese template, as the workbook names it',
  原因: "a label: the Chinese name of the audit-log field `reason` (action-labels.ts's FIELDS)",
};

/**
 * The literals in message positions of a file (outside zhEn(…), where both languages are given)
 * that `wrong` finds in one language only, as `path:line: text`; `reasons` as for
 * {@link messageRoots}.
 */
function oneLanguage(
  path: string,
  text: string,
  reasons: boolean,
  wrong: (text: string, source: string) => boolean,
): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const inspect = (n: ts.Node) => {
    if (isZhEn(n)) return; // both languages given
    const text = textOf(n);
    if (text !== undefined && wrong(text, n.getText(file).slice(1, -1))) {
      const { line } = file.getLineAndCharacterOfPosition(n.getStart(file));
      found.push(`${path}:${line + 1}: ${n.getText(file).slice(0, 80)}`);
      return;
    }
    ts.forEachChild(n, inspect);
  };
  for (const root of messageRoots(file, reasons)) inspect(root);
  return found;
}

/**
 * Chinese in a message position, not inside zhEn(…): a user who asked for English gets it in
 * Chinese (`message: '撤回须写明理由'`).
 */
const chineseOnly = (path: string, text = readFileSync(path, 'utf8')): string[] =>
  oneLanguage(path, text, true, (t, source) => CJK.test(t) && !(source in CHINESE_ALLOWED));

const englishOnly = (path: string, text = readFileSync(path, 'utf8')): string[] =>
  oneLanguage(
    path,
    text,
    false,
    (t, source) =>
      PROSE.test(t) &&
      // a Chinese term in brackets does not make English prose Chinese: 'reason (注销原因) is required'
      (!CJK.test(t) || PROSE.test(withoutChinese(t))) &&
      !ENGLISH_SIDE.includes(source),
  );

describe('messages in the source', () => {
  const files = sourceFiles('src').filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !(f.replace(/\\/g, '/') in EXEMPT),
  );

  it('finds English-only prose where it is written (the check can fail)', () => {
    const probe = (source: string) => englishOnly('probe.ts', source).length;
    expect(probe("throw new DomainError('CONFLICT', 'the form is locked');")).toBe(1);
    expect(probe("problems.push({ path: 'x', message: `${x} is not a number` });")).toBe(1);
    expect(probe("@Matches(/^a$/, { message: 'code must be lower case' })")).toBe(1);
    expect(probe("const message = 'the file is empty';")).toBe(1);
    expect(probe("push('indicators', 'list at least one indicator');")).toBe(1);
    // English prose around a Chinese term is still English to the reader
    expect(probe("@IsNotEmpty({ message: 'reason (注销原因) is required' })")).toBe(1);
    expect(probe('const message = `the amount due is ${x} 元`;')).toBe(1);
    expect(probe("const message = '文件中没有 Polygon 或 MultiPolygon 边界';")).toBe(0);
    expect(probe('return c.fail(`${fn}() needs dimensionless arguments`, fn);')).toBe(1);
    expect(
      probe("throw new DomainError('CONFLICT', zhEn('报表已锁定', 'the form is locked'));"),
    ).toBe(0);
    expect(probe("throw new DomainError('CONFLICT', message, [{ path: 'id', message }]);")).toBe(0);
  });

  it('has no message a user can trigger in English only', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => englishOnly(f))).toEqual([]);
  });

  it('finds Chinese-only text where it is written (the check can fail)', () => {
    const probe = (source: string) => chineseOnly('probe.ts', source).length;
    expect(probe("@IsNotEmpty({ message: '撤回须写明理由' })")).toBe(1);
    expect(probe("throw DomainError.invalid('reason', '撤回须写明理由（至少 4 个字）');")).toBe(1);
    expect(probe("problems.push({ path: 'x', message: `${x} 不是数字` });")).toBe(1);
    expect(
      probe(
        "problems.push({ path: 'x', message: zhEn(`${x} 不是数字`, `${x} is not a number`) });",
      ),
    ).toBe(0);
    expect(probe('const message = `${name}：${reason}`;')).toBe(0);
    expect(probe('return { reason: `${reason}；金额无法计算` };')).toBe(1);
  });

  it('has no message a user can trigger in Chinese only (English on request)', () => {
    expect(files.flatMap((f) => chineseOnly(f))).toEqual([]);
  });
});
