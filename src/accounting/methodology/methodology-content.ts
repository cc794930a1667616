/**
 * The content of a methodology version, as stored (jsonb) and as shared in a methodology package
 * file (`docs/methodology-package.md`). Plain data: codes, formulas, units, parameters with
 * sources. Validation is in `validate-methodology.ts`.
 */

export const CATEGORIES = ['provisioning', 'regulating', 'cultural', 'out_of_region'] as const;

/**
 * Ecological products that come from outside the region (upstream inflow counted as local water
 * supply, products brought in): GB/T 46869—2025 defines GEP as the region's products **minus**
 * these. Indicators of services in this category are positive values subtracted from GEP, shown
 * as their own line; a methodology without such a service has no deduction line at all.
 */
export const DEDUCTION = 'out_of_region';

/** The categories as published GEP tables name them. */
export const CATEGORY_ZH: Record<(typeof CATEGORIES)[number], string> = {
  provisioning: '物质产品',
  regulating: '调节服务',
  cultural: '文化服务',
  out_of_region: '减：区域外生态产品价值',
};

/**
 * The counted-or-not indicators of a methodology in the order of a published GEP table: by
 * category, then service (as the methodology lists them), then indicator.
 */
export function tableOrder(content: {
  services: { code: string; category: string }[];
  indicators: { code: string; service: string }[];
}): string[] {
  const cat = (c: string) => CATEGORIES.indexOf(c as (typeof CATEGORIES)[number]);
  const services = [...content.services].sort(
    (a, b) =>
      cat(a.category) - cat(b.category) ||
      content.services.indexOf(a) - content.services.indexOf(b),
  );
  return services.flatMap((s) =>
    content.indicators.filter((i) => i.service === s.code).map((i) => i.code),
  );
}
export type Category = (typeof CATEGORIES)[number];

export const VALUATION_METHODS = [
  'market_value',
  'replacement_cost',
  'shadow_project',
  'avoided_cost',
  'travel_cost',
  'hedonic',
  'contingent_valuation',
  'equivalent_factor',
] as const;
export type ValuationMethod = (typeof VALUATION_METHODS)[number];

/** How well a value is backed, as marked in the domain notes. */
export const EVIDENCE = ['verified', 'secondary', 'unconfirmed'] as const;
export type Evidence = (typeof EVIDENCE)[number];

export interface IndexSetContent {
  code: string;
  name: string;
  items: { code: string; name: string }[];
  /**
   * Whether quantities over the items can be added into one 实物量 (default true). False for
   * different substances (SO₂, NOₓ, dust): a quantity indexed by the set is reported per item
   * only, never as a total; values (元) still add up.
   */
  quantityAdditive?: boolean;
}

export interface ServiceContent {
  code: string;
  category: Category;
  nameZh: string;
  nameEn: string;
  /**
   * The common catalogue entry it is (service-catalogue.ts), for comparing results across
   * standards; by default found from the Chinese name (涵养水源 → 水源涵养…).
   */
  catalogue?: string;
}

export interface VariableContent {
  code: string;
  nameZh: string;
  nameEn?: string;
  unit: string;
  index?: string | null;
  /** Reporting department (统计局, 林业局…), for report forms. */
  department?: string;
  /** The variable cannot be negative (an area, a population): a negative entry is refused. */
  nonNegative?: boolean;
  description?: string;
}

export interface ParameterValueContent {
  /** Decimal string. */
  value: string | Record<string, string>;
  priceYear?: number | null;
  source: string;
  evidence: Evidence;
  /** Division code it applies to; null = national default. The most specific applicable wins. */
  region?: string | null;
  /** Accounting years the value applies to (inclusive); null = open. */
  validFrom?: number | null;
  validTo?: number | null;
  /** Optional uncertainty range, for sensitivity analysis. */
  low?: string | null;
  high?: string | null;
}

export interface ParameterContent {
  code: string;
  nameZh: string;
  nameEn?: string;
  unit: string;
  index?: string | null;
  description?: string;
  values: ParameterValueContent[];
}

export interface IndicatorContent {
  code: string;
  service: string;
  nameZh: string;
  nameEn: string;
  quantity?: { formula: string; unit: string } | null;
  value: { formula: string; unit: string };
  valuationMethod: ValuationMethod;
  documentation?: string;
  citation: string;
  evidence: Evidence;
  /** Indicators this one can count the same benefit as (e.g. water conservation vs water supply). */
  overlaps?: string[];
  /** Whether the methodology counts it in GEP; an uncounted indicator is computed but not summed. */
  counted: boolean;
  /**
   * The method `quantity`/`value` are, named (e.g. 生物量法); needed with `alternatives`. The
   * result and its trace say which method gave each figure.
   */
  method?: MethodNameContent | null;
  /**
   * Other methods for the same indicator, each with its own formulas (same units), tried in this
   * order after the main one: the first whose inputs are all reported is used — unless a
   * `methodRules` entry says which applies for the region and year.
   */
  alternatives?: AlternativeMethodContent[];
  /** Which method applies where and when; the most specific region wins, as for parameter values. */
  methodRules?: MethodRuleContent[];
}

/** An indicator's methods by code → Chinese name (main first); null without alternatives. */
export function methodNamesOf(indicator: IndicatorContent): Record<string, string> | null {
  if (!indicator.alternatives?.length) return null;
  return Object.fromEntries(
    [indicator.method, ...indicator.alternatives]
      .filter((m): m is MethodNameContent => !!m)
      .map((m) => [m.code, m.nameZh]),
  );
}

export interface MethodNameContent {
  code: string;
  nameZh: string;
  nameEn?: string;
}

export interface AlternativeMethodContent extends MethodNameContent {
  quantity?: { formula: string; unit: string } | null;
  value: { formula: string; unit: string };
  citation: string;
  evidence: Evidence;
  documentation?: string;
}

export interface MethodRuleContent {
  method: string;
  /** Division code the rule applies in (and below); null for everywhere. */
  region?: string | null;
  /** Accounting years, inclusive. */
  validFrom?: number | null;
  validTo?: number | null;
  /** Why this method here (e.g. 「该县有森林资源连续清查数据」). */
  note?: string;
}

export const RULE_KINDS = ['range', 'required', 'yoy_change', 'parts_sum', 'compare'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const COMPARISONS = ['<', '<=', '>', '>=', '=='] as const;

/**
 * A check on reported survey data, run when a form is submitted. `error` blocks submission;
 * `warning` needs a written explanation. Values are compared in each variable's declared unit.
 *  - range: every value of `variable` within [min, max]
 *  - required: `variable` reported (every item, for an indexed one)
 *  - yoy_change: `variable` changed by at most `maxChangePercent` % from the previous year's approved value
 *  - parts_sum: the sum of `parts` (variables; indexed ones summed over items) equals `variable`
 *  - compare: `variable` `op` `other` (totals, in the same unit)
 */
export interface ValidationRuleContent {
  code: string;
  kind: RuleKind;
  severity: 'error' | 'warning';
  variable: string;
  min?: string | null;
  max?: string | null;
  maxChangePercent?: string | null;
  parts?: string[];
  op?: (typeof COMPARISONS)[number];
  other?: string;
  message?: string;
}

/**
 * Parcel-level (地块级) accounting: which indicators can be computed for each parcel of a land
 * survey, and from which per-parcel inputs. A parcel has one ecosystem type (an item of
 * `indexSet`); a variable indexed by that set is, for a parcel, the parcel's own value, and a
 * parameter indexed by it takes the parcel's type's value. Model-based regulating services
 * qualify; indicators built on county statistics (tourism, output values, emissions-capped
 * purification) do not and are left out.
 */
export interface ParcelContent {
  /** Index set of parcel types, e.g. `ecosystem`. */
  indexSet: string;
  /** The variable that is a parcel's area (e.g. `eco_area`); parcels carry their area in hm². */
  areaVariable: string;
  /** Variables given per parcel, in their declared units (e.g. precipitation, RUSLE factors). */
  variables: string[];
  /** Indicators computed per parcel. */
  indicators: string[];
}

/**
 * The variables that give a region's ecosystem area, resident population and GDP. GEP per km²,
 * per capita and GEP/GDP, the allocation figures `area`, `population` and `gdp` and an official's
 * resource figures read these and nothing else; a figure the methodology does not name is absent,
 * and the answer says so.
 */
export interface RegionFiguresContent {
  /** An area variable (e.g. `eco_area`, km², may be indexed by ecosystem type: its items are summed). */
  area?: string;
  /** A count of people (e.g. `population`, 人). */
  population?: string;
  /** A currency variable (e.g. `gdp`, 万元). */
  gdp?: string;
}

export const REGION_FIGURES = ['area', 'population', 'gdp'] as const;
export type RegionFigure = (typeof REGION_FIGURES)[number];

export interface MethodologyContent {
  /** Parcel-level accounting (optional). */
  parcel?: ParcelContent | null;
  /** Which variables are a region's area, population and GDP (optional). */
  regionFigures?: RegionFiguresContent | null;
  indexSets: IndexSetContent[];
  services: ServiceContent[];
  variables: VariableContent[];
  parameters: ParameterContent[];
  indicators: IndicatorContent[];
  /** Checks on survey data (optional). */
  validationRules?: ValidationRuleContent[];
  /**
   * Whether a run may be published only with the out-of-region deduction computed for its
   * region (GB/T 46869—2025: a GEP total is published after the deduction). Needs at least one
   * counted indicator in an `out_of_region` service.
   */
  requireOutOfRegionDeduction?: boolean;
}

/** A whole methodology version as a file: metadata plus content. */
export interface MethodologyPackage extends MethodologyContent {
  format: 'gep-methodology/1';
  standardId: string;
  version: number;
  name: string;
  sourceDocument: string;
  description?: string;
}

const pick = <T extends object>(x: T, keys: string[]): T => {
  const src = x as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out as T;
};
const formula = (f: { formula: string; unit: string } | null | undefined) =>
  f ? pick(f, ['formula', 'unit']) : f;

/**
 * The content with every object's keys in reading order (code and names first, sources last), as
 * a package file should show it; the database (jsonb) does not keep key order.
 */
export function inReadingOrder(c: MethodologyContent): MethodologyContent {
  return {
    ...(c.requireOutOfRegionDeduction !== undefined
      ? { requireOutOfRegionDeduction: c.requireOutOfRegionDeduction }
      : {}),
    indexSets: c.indexSets.map((s) => ({
      ...pick(s, ['code', 'name', 'quantityAdditive']),
      items: s.items.map((i) => pick(i, ['code', 'name'])),
    })),
    services: c.services.map((s) => pick(s, ['code', 'category', 'nameZh', 'nameEn', 'catalogue'])),
    variables: c.variables.map((v) =>
      pick(v, [
        'code',
        'nameZh',
        'nameEn',
        'unit',
        'index',
        'department',
        'nonNegative',
        'description',
      ]),
    ),
    parameters: c.parameters.map((p) => ({
      ...pick(p, ['code', 'nameZh', 'nameEn', 'unit', 'index', 'description']),
      values: p.values.map((v) =>
        pick(v, [
          'value',
          'priceYear',
          'source',
          'evidence',
          'region',
          'validFrom',
          'validTo',
          'low',
          'high',
        ]),
      ),
    })),
    ...(c.validationRules?.length
      ? {
          validationRules: c.validationRules.map((r) =>
            pick(r, [
              'code',
              'kind',
              'severity',
              'variable',
              'min',
              'max',
              'maxChangePercent',
              'parts',
              'op',
              'other',
              'message',
            ]),
          ),
        }
      : {}),
    ...(c.parcel
      ? {
          parcel: pick(c.parcel, ['indexSet', 'areaVariable', 'variables', 'indicators']),
        }
      : {}),
    ...(c.regionFigures ? { regionFigures: pick(c.regionFigures, [...REGION_FIGURES]) } : {}),
    indicators: c.indicators.map((i) => ({
      ...pick(i, [
        'code',
        'service',
        'nameZh',
        'nameEn',
        'quantity',
        'value',
        'valuationMethod',
        'documentation',
        'citation',
        'evidence',
        'overlaps',
        'counted',
        'method',
        'alternatives',
        'methodRules',
      ]),
      quantity: formula(i.quantity),
      value: formula(i.value)!,
    })),
  };
}
