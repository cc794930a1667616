import { D, Dec } from '../../common/decimal';
import { convert, parseUnit, sameDims } from '../../formula/units';
import { MethodologyContent, ValidationRuleContent } from '../methodology/methodology-content';
import { zhEn } from '../../common/i18n/text';

/** A stored value as the checks see it. */
export interface CheckValue {
  variable: string;
  item: string;
  value: Dec | null;
  unit: string;
}

export interface CheckFailure {
  rule: string;
  severity: 'error' | 'warning';
  variable: string;
  message: string;
}

/**
 * Runs the methodology's validation rules that concern a form's variables against its values
 * (and, for year-on-year rules, the previous year's approved values). Each failure names the
 * region, year, variable and rule.
 */
export function checkForm(
  content: MethodologyContent,
  formVariables: string[],
  where: { region: string; year: number },
  values: CheckValue[],
  previous: CheckValue[] | null,
): CheckFailure[] {
  const declared = new Map(content.variables.map((v) => [v.code, v]));
  const items = new Map(content.indexSets.map((s) => [s.code, s.items.map((i) => i.code)]));
  const onForm = new Set(formVariables);
  const inUnit = (v: CheckValue): Dec | null =>
    v.value === null
      ? null
      : convert(v.value, parseUnit(v.unit), parseUnit(declared.get(v.variable)!.unit));
  /** Values of a variable per item ('' for a scalar), in its unit; undefined = not entered. */
  const cells = (list: CheckValue[], variable: string) =>
    new Map(list.filter((v) => v.variable === variable).map((v) => [v.item, inUnit(v)]));
  const expected = (variable: string) => {
    const v = declared.get(variable)!;
    return v.index ? (items.get(v.index) ?? []) : [''];
  };
  /** The total of a variable when every cell is reported, else null. */
  const total = (list: CheckValue[], variable: string): Dec | null => {
    const c = cells(list, variable);
    const xs = expected(variable).map((k) => c.get(k) ?? null);
    return xs.every((x) => x !== null) ? xs.reduce<Dec>((s, x) => s.plus(x), new D(0)) : null;
  };
  const label = (variable: string, item = '') =>
    `${where.region} ${where.year} ${variable}${item ? `[${item}]` : ''}`;
  const failures: CheckFailure[] = [];
  const fail = (r: ValidationRuleContent, message: string) =>
    failures.push({
      rule: r.code,
      severity: r.severity,
      variable: r.variable,
      message: zhEn(
        `${message}（校核规则 ${r.code}${r.message ? `：${r.message}` : ''}）`,
        `${message} (rule ${r.code}${r.message ? `: ${r.message}` : ''})`,
      ),
    });

  for (const r of content.validationRules ?? []) {
    const involved = [r.variable, ...(r.parts ?? []), ...(r.other ? [r.other] : [])];
    if (!involved.every((v) => onForm.has(v) && declared.has(v))) continue;
    const unit = declared.get(r.variable)!.unit;
    switch (r.kind) {
      case 'required': {
        const c = cells(values, r.variable);
        const missing = expected(r.variable).filter(
          (k) => c.get(k) === undefined || c.get(k) === null,
        );
        if (missing.length)
          fail(
            r,
            zhEn(
              `${label(r.variable)} 为必填${missing[0] ? `（缺少：${missing.join('、')}）` : ''}`,
              `${label(r.variable)} is required${missing[0] ? ` (missing: ${missing.join(', ')})` : ''}`,
            ),
          );
        break;
      }
      case 'range':
        for (const [item, x] of cells(values, r.variable)) {
          if (x === null || x === undefined) continue;
          if ((r.min != null && x.lt(r.min)) || (r.max != null && x.gt(r.max))) {
            fail(
              r,
              zhEn(
                `${label(r.variable, item)} = ${x.toString()} ${unit}，超出 ${r.min ?? '−∞'}…${r.max ?? '∞'} ${unit}`,
                `${label(r.variable, item)} = ${x.toString()} ${unit} is outside ${r.min ?? '−∞'}…${r.max ?? '∞'} ${unit}`,
              ),
            );
          }
        }
        break;
      case 'yoy_change': {
        if (!previous) break;
        const now = total(values, r.variable);
        const before = total(previous, r.variable);
        if (now === null || before === null || before.isZero()) break;
        const pct = now.minus(before).div(before).abs().times(100);
        if (pct.gt(r.maxChangePercent ?? '0')) {
          fail(
            r,
            zhEn(
              `${label(r.variable)} 比 ${where.year - 1} 年变化 ${pct.toDecimalPlaces(1).toString()} %（${before.toString()} → ${now.toString()} ${unit}）；预期最多 ${r.maxChangePercent} %`,
              `${label(r.variable)} changed by ${pct.toDecimalPlaces(1).toString()} % from ${where.year - 1} (${before.toString()} → ${now.toString()} ${unit}); at most ${r.maxChangePercent} % expected`,
            ),
          );
        }
        break;
      }
      case 'parts_sum': {
        const whole = total(values, r.variable);
        const parts = (r.parts ?? []).map((p) => total(values, p));
        if (whole === null || parts.some((p) => p === null)) break;
        const sum = parts.reduce<Dec>((s, p) => s.plus(p!), new D(0));
        if (!sum.eq(whole))
          fail(
            r,
            zhEn(
              `${label(r.variable)} = ${whole.toString()} ${unit}，但其分项 ${(r.parts ?? []).join(' + ')} 合计 ${sum.toString()} ${unit}`,
              `${label(r.variable)} = ${whole.toString()} ${unit} but its parts ${(r.parts ?? []).join(' + ')} add up to ${sum.toString()} ${unit}`,
            ),
          );
        break;
      }
      case 'compare': {
        const a = total(values, r.variable);
        const b = total(values, r.other!);
        if (a === null || b === null) break;
        const c = a.cmp(b);
        const ok = { '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '==': c === 0 }[
          r.op ?? '<='
        ];
        if (!ok)
          fail(
            r,
            zhEn(
              `${label(r.variable)} = ${a.toString()} 应 ${r.op} ${r.other} = ${b.toString()} ${unit}`,
              `${label(r.variable)} = ${a.toString()} must be ${r.op} ${r.other} = ${b.toString()} ${unit}`,
            ),
          );
        break;
      }
    }
  }
  return failures;
}

/** Problems with the rules themselves, for methodology validation. */
export function ruleProblems(content: MethodologyContent): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const declared = new Map(content.variables.map((v) => [v.code, v]));
  const seen = new Set<string>();
  const dims = (code: string) => {
    try {
      return parseUnit(declared.get(code)!.unit).dims;
    } catch {
      return undefined;
    }
  };
  (content.validationRules ?? []).forEach((r, i) => {
    const at = (f: string) => `validationRules[${i}].${f}`;
    if (seen.has(r.code))
      problems.push({
        path: at('code'),
        message: zhEn(`校核规则代码 ${r.code} 重复`, `duplicate rule code ${r.code}`),
      });
    seen.add(r.code);
    for (const [field, code] of [
      ['variable', r.variable],
      ...(r.parts ?? []).map((p) => ['parts', p]),
      ...(r.other ? [['other', r.other]] : []),
    ] as [string, string][]) {
      if (!declared.has(code))
        problems.push({
          path: at(field),
          message: zhEn(`未知的变量 ${code}`, `unknown variable ${code}`),
        });
    }
    const need = (ok: boolean, field: string, message: string) =>
      ok || problems.push({ path: at(field), message });
    switch (r.kind) {
      case 'range':
        need(r.min != null || r.max != null, 'min', 'a range rule needs min or max');
        break;
      case 'yoy_change':
        need(
          r.maxChangePercent != null,
          'maxChangePercent',
          'a yoy_change rule needs maxChangePercent',
        );
        break;
      case 'parts_sum':
        need((r.parts ?? []).length > 0, 'parts', 'a parts_sum rule needs parts');
        break;
      case 'compare':
        need(!!r.other && !!r.op, 'other', 'a compare rule needs op and other');
        break;
      case 'required':
        break;
    }
    for (const other of [...(r.parts ?? []), ...(r.other ? [r.other] : [])]) {
      const a = declared.has(r.variable) ? dims(r.variable) : undefined;
      const b = declared.has(other) ? dims(other) : undefined;
      if (a && b && !sameDims(a, b))
        problems.push({
          path: at(r.kind === 'compare' ? 'other' : 'parts'),
          message: zhEn(
            `${other} 的单位不能与 ${r.variable} 比较`,
            `${other} is not in a unit comparable with ${r.variable}`,
          ),
        });
    }
    for (const [field, v] of [
      ['min', r.min],
      ['max', r.max],
      ['maxChangePercent', r.maxChangePercent],
    ] as const) {
      if (v != null && !/^-?\d+(\.\d+)?$/.test(v))
        problems.push({
          path: at(field),
          message: zhEn(`${field} 应为十进制数字符串`, `${field} must be a decimal string`),
        });
    }
  });
  return problems;
}
