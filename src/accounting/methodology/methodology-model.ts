import { ruleProblems } from '../survey/form-checks';
import { parcelProblems } from '../parcels/parcel-model';
import { D, Dec } from '../../common/decimal';
import { formatDims, parseUnit } from '../../formula/units';
import {
  compileModel,
  CompiledModel,
  evaluateModel,
  IndicatorResult,
  InputSource,
  ModelError,
  ModelProblem,
} from '../../formula/model';
import {
  CATEGORIES,
  Category,
  DEDUCTION,
  MethodologyContent,
  ParameterValueContent,
  REGION_FIGURES,
  RegionFigure,
} from './methodology-content';
import { toModelDefinition } from './model-definition';
import { zhEn } from '../../common/i18n/text';

/** A decimal as the package writes one: digits, an optional fraction, an optional exponent. */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * Checks a methodology as a whole and returns every problem with its path: structure (unique
 * codes, known services and index sets, a source for every parameter value) and the formulas
 * (allow-list, identifiers, units, cycles). An empty list means it can be published.
 */
export function validateMethodology(content: MethodologyContent): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const dup = (list: { code: string }[], path: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.code))
        problems.push({
          path: `${path}[${i}].code`,
          message: zhEn(`代码 ${x.code} 重复`, `duplicate code ${x.code}`),
        });
      seen.add(x.code);
    });
  };
  dup(content.services, 'services');
  content.indexSets.forEach((s, i) => dup(s.items, `indexSets[${i}].items`));
  const services = new Set(content.services.map((s) => s.code));
  const indicators = new Set(content.indicators.map((s) => s.code));
  const indexItems = new Map(content.indexSets.map((s) => [s.code, s.items.map((x) => x.code)]));
  content.indicators.forEach((ind, i) => {
    if (!services.has(ind.service))
      problems.push({
        path: `indicators[${i}].service`,
        message: zhEn(`未知的服务 ${ind.service}`, `unknown service ${ind.service}`),
      });
    for (const o of ind.overlaps ?? []) {
      if (!indicators.has(o))
        problems.push({
          path: `indicators[${i}].overlaps`,
          message: zhEn(`未知的指标 ${o}`, `unknown indicator ${o}`),
        });
    }
    const methods = [ind.method?.code, ...(ind.alternatives ?? []).map((m) => m.code)].filter(
      Boolean,
    );
    (ind.methodRules ?? []).forEach((r, k) => {
      const at = `indicators[${i}].methodRules[${k}]`;
      if (!ind.alternatives?.length)
        problems.push({
          path: at,
          message: zhEn(
            `${ind.code} 只有一种方法，不需要方法规则`,
            `${ind.code} has one method; method rules apply to alternatives only`,
          ),
        });
      else if (!methods.includes(r.method))
        problems.push({
          path: `${at}.method`,
          message: zhEn(
            `${ind.code} 没有方法 ${r.method}（可用：${methods.join('、')}）`,
            `${ind.code} has no method ${r.method} (its methods: ${methods.join(', ')})`,
          ),
        });
      if (r.validFrom != null && r.validTo != null && r.validFrom > r.validTo)
        problems.push({
          path: `${at}.validTo`,
          message: zhEn(
            '有效期止（validTo）早于有效期起（validFrom）',
            'validTo is before validFrom',
          ),
        });
    });
  });
  if (content.requireOutOfRegionDeduction) {
    const deductions = new Set(
      content.services.filter((x) => x.category === DEDUCTION).map((x) => x.code),
    );
    if (!content.indicators.some((i) => i.counted && deductions.has(i.service)))
      problems.push({
        path: 'requireOutOfRegionDeduction',
        message: zhEn(
          '要求扣减区域外生态产品价值，但没有计入的“区域外生态产品”（out_of_region）类指标',
          'the out-of-region deduction is required, but no counted indicator is in an out_of_region service',
        ),
      });
  }
  const decimal = (x: unknown): x is string => typeof x === 'string' && DECIMAL_TEXT.test(x);
  content.parameters.forEach((p, i) => {
    const name = p.nameZh ? `${p.nameZh}（${p.code}）` : p.code; // people read names
    if (p.values.length === 0)
      problems.push({
        path: `parameters[${i}].values`,
        message: zhEn(`参数${name}没有取值`, `parameter ${p.code} has no value`),
      });
    p.values.forEach((v, j) => {
      const path = `parameters[${i}].values[${j}]`;
      if (!v.source || !v.source.trim())
        problems.push({
          path: `${path}.source`,
          message: zhEn(
            `${name}的一个取值没有注明来源`,
            `a value of ${p.code} has no source citation`,
          ),
        });
      const items = p.index ? indexItems.get(p.index) : undefined;
      if (p.index && items) {
        if (typeof v.value !== 'object')
          problems.push({
            path: `${path}.value`,
            message: zhEn(
              `${name}应为 ${p.index} 的每一项给出一个值`,
              `${p.code} needs one value per ${p.index} item`,
            ),
          });
        else {
          const missing = items.filter((k) => !(k in (v.value as object)));
          const extra = Object.keys(v.value).filter((k) => !items.includes(k));
          if (missing.length)
            problems.push({
              path: `${path}.value`,
              message: zhEn(
                `${name}缺少 ${missing.join('、')} 的值`,
                `${p.code} has no value for ${missing.join(', ')}`,
              ),
            });
          if (extra.length)
            problems.push({
              path: `${path}.value`,
              message: zhEn(
                `${name}有未知项 ${extra.join('、')} 的值`,
                `${p.code} has values for unknown items ${extra.join(', ')}`,
              ),
            });
        }
      } else if (!p.index && typeof v.value !== 'string') {
        problems.push({
          path: `${path}.value`,
          message: zhEn(
            `${name}不分项：请给出单一值`,
            `${p.code} is not indexed: give a single value`,
          ),
        });
      }
      for (const [k, x] of Object.entries(
        typeof v.value === 'string' ? { value: v.value } : v.value,
      )) {
        if (!DECIMAL_TEXT.test(x))
          problems.push({
            path: `${path}.value`,
            message: zhEn(`${k}：“${x}”不是十进制数`, `${k}: "${x}" is not a decimal number`),
          });
      }
      // a range is the uncertainty of the value used: low ≤ value ≤ high (drawn by the
      // uncertainty job as triangular(low, value, high))
      if (typeof v.value === 'string' && decimal(v.value)) {
        const value = new D(v.value);
        if (decimal(v.low) && new D(v.low).gt(value))
          problems.push({
            path: `${path}.low`,
            message: zhEn(
              `${name}的下限 ${v.low} 大于采用值 ${v.value}`,
              `${p.code}: low ${v.low} is above the value ${v.value}`,
            ),
          });
        if (decimal(v.high) && new D(v.high).lt(value))
          problems.push({
            path: `${path}.high`,
            message: zhEn(
              `${name}的上限 ${v.high} 小于采用值 ${v.value}`,
              `${p.code}: high ${v.high} is below the value ${v.value}`,
            ),
          });
      }
      if (v.validFrom != null && v.validTo != null && v.validFrom > v.validTo) {
        problems.push({
          path: `${path}.validTo`,
          message: zhEn(
            '有效期止（validTo）早于有效期起（validFrom）',
            'validTo is before validFrom',
          ),
        });
      }
    });
    // Two values for the same region with overlapping periods would make the choice ambiguous.
    p.values.forEach((a, j) =>
      p.values.slice(j + 1).forEach((b, k) => {
        const overlap =
          (a.validFrom ?? -Infinity) <= (b.validTo ?? Infinity) &&
          (b.validFrom ?? -Infinity) <= (a.validTo ?? Infinity);
        if ((a.region ?? null) === (b.region ?? null) && overlap) {
          problems.push({
            path: `parameters[${i}].values[${j + k + 1}]`,
            message: zhEn(
              `${name}在${a.region ?? '全国默认值'}的重叠期间有两个取值`,
              `${p.code} has two values for ${a.region ?? 'the national default'} in overlapping periods`,
            ),
          });
        }
      }),
    );
  });
  problems.push(...ruleProblems(content));
  problems.push(...parcelProblems(content));
  problems.push(...regionFigureProblems(content));
  try {
    compileModel(toModelDefinition(content));
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    problems.push(...e.problems);
  }
  return problems;
}

/**
 * The method each indicator with alternatives must use in a region and accounting year, from its
 * `methodRules`: among the rules valid in `year`, the one whose region is deepest in `lineage`.
 * Indicators without an applicable rule are absent: they take the first method whose inputs are
 * all reported.
 */
export function resolveMethods(
  content: MethodologyContent,
  lineage: string[],
  year: number,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const ind of content.indicators) {
    if (!ind.alternatives?.length || !ind.methodRules?.length) continue;
    const rank = (r: { region?: string | null }) =>
      r.region == null ? 0 : lineage.indexOf(r.region) + 1;
    const rule = ind.methodRules
      .filter((r) => (r.validFrom ?? -Infinity) <= year && year <= (r.validTo ?? Infinity))
      .filter((r) => r.region == null || lineage.includes(r.region))
      .sort((a, b) => rank(b) - rank(a))[0];
    if (rule) out.set(ind.code, rule.method);
  }
  return out;
}

/**
 * Picks each parameter's value for a region and accounting year: among the values valid in
 * `year`, the one whose region is deepest in `lineage` (the region and its ancestors, top
 * first); a national value (region null) applies everywhere.
 */
export function resolveParameters(
  content: MethodologyContent,
  lineage: string[],
  year: number,
): Record<string, InputSource & { chosen: ParameterValueContent | null }> {
  const rank = (v: ParameterValueContent) => (v.region == null ? 0 : lineage.indexOf(v.region) + 1);
  const out: Record<string, InputSource & { chosen: ParameterValueContent | null }> = {};
  for (const p of content.parameters) {
    const candidates = p.values
      .filter((v) => (v.validFrom ?? -Infinity) <= year && year <= (v.validTo ?? Infinity))
      .filter((v) => v.region == null || lineage.includes(v.region))
      .sort((a, b) => rank(b) - rank(a));
    const chosen = candidates[0] ?? null;
    out[p.code] = {
      value: chosen ? chosen.value : null,
      unit: p.unit,
      source: chosen
        ? `${chosen.source}${chosen.priceYear ? ` (price year ${chosen.priceYear})` : ''}`
        : undefined,
      chosen,
    };
  }
  return out;
}

/**
 * GEP of a region summed up the service → category → GEP tree. Missing is never zero: a total
 * (GEP, a category, a service) is null as soon as one counted indicator under it has no result,
 * so a partial sum can never be presented as a total.
 */
export interface GepSummary {
  /** 元, unrounded; null when any counted indicator has no result. */
  total: Dec | null;
  /**
   * Null for a category with a counted indicator without a result. `out_of_region` (the
   * deduction, positive, already subtracted from `total`) only when the methodology has it.
   */
  byCategory: Record<Category, Dec | null>;
  /** Null for a service with a counted indicator without a result. */
  byService: Record<string, Dec | null>;
  /** Counted indicators without a result (inputs not reported or a data error). */
  incomplete: string[];
}

/**
 * Sums counted indicators' values (元, from `valueOf`); a total with a gap under it is null. The
 * out-of-region category (when the methodology has one) is subtracted from GEP and kept as its
 * own, positive line.
 */
export function sumCounted(
  content: MethodologyContent,
  valueOf: (indicator: string) => Dec | null,
): GepSummary {
  const present = CATEGORIES.filter(
    (c) => c !== DEDUCTION || content.services.some((s) => s.category === c),
  );
  const byCategory = Object.fromEntries(present.map((c) => [c, new D(0)])) as Record<
    Category,
    Dec | null
  >;
  const byService: Record<string, Dec | null> = {};
  const incomplete: string[] = [];
  const category = new Map(content.services.map((s) => [s.code, s.category]));
  let total: Dec | null = new D(0);
  for (const ind of content.indicators.filter((i) => i.counted)) {
    const yuan = valueOf(ind.code);
    const c = category.get(ind.service)!;
    if (yuan === null) {
      incomplete.push(ind.code);
      byService[ind.service] = null;
      byCategory[c] = null;
      total = null;
      continue;
    }
    if (byService[ind.service] !== null)
      byService[ind.service] = (byService[ind.service] ?? new D(0)).plus(yuan);
    byCategory[c] = byCategory[c]?.plus(yuan) ?? null;
    total = (c === DEDUCTION ? total?.minus(yuan) : total?.plus(yuan)) ?? null;
  }
  return { total, byCategory, byService, incomplete };
}

/** GEP from a model evaluation (values in each indicator's unit, converted to 元). */
export function summarize(
  content: MethodologyContent,
  results: Map<string, IndicatorResult>,
): GepSummary {
  return sumCounted(content, (code) => {
    const r = results.get(code);
    return r?.value ? r.value.total.times(parseUnit(r.value.unit).factor) : null;
  });
}

export function compileMethodology(content: MethodologyContent): CompiledModel {
  return compileModel(toModelDefinition(content));
}

export { evaluateModel };

/** What each region figure must measure: its base unit's dimensions. */
const FIGURE_DIMS: Record<RegionFigure, { dims: string; zh: string; en: string }> = {
  area: { dims: formatDims(parseUnit('km²').dims), zh: '面积', en: 'an area' },
  population: { dims: formatDims(parseUnit('人').dims), zh: '人数', en: 'a count of people' },
  gdp: { dims: formatDims(parseUnit('元').dims), zh: '货币金额', en: 'a currency amount' },
};

/** The region figures name declared region variables of the right kind. */
function regionFigureProblems(content: MethodologyContent): ModelProblem[] {
  const problems: ModelProblem[] = [];
  for (const figure of REGION_FIGURES) {
    const code = content.regionFigures?.[figure];
    if (code === undefined) continue;
    const path = `regionFigures.${figure}`;
    const v = content.variables.find((x) => x.code === code);
    if (!v) {
      problems.push({ path, message: zhEn(`未知的变量 ${code}`, `unknown variable ${code}`) });
      continue;
    }
    let dims: string;
    try {
      dims = formatDims(parseUnit(v.unit).dims);
    } catch {
      continue; // the variable's own unit is reported where it is declared
    }
    const want = FIGURE_DIMS[figure];
    if (dims !== want.dims)
      problems.push({
        path,
        message: zhEn(
          `${code} 的单位是 ${v.unit}，不是${want.zh}`,
          `${code} is in ${v.unit}, not ${want.en}`,
        ),
      });
  }
  return problems;
}
