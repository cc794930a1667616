import { inLanguage, zhEn } from '../../common/i18n/text';
import { CompiledFormula, SymbolInfo } from '../../formula/compile';
import { D } from '../../common/decimal';
import { parseUnit } from '../../formula/units';
import { FieldProblem } from '../../common/errors/domain-error';
import { compileField } from '../../formula/formula-problems';

/**
 * A budget-allocation scheme: a pool is split over the sub-regions of a region in proportion to a
 * weight formula over their published GEP figures, within a floor and a cap, for those that meet
 * the eligibility condition (compensation.md §5.1 describes the pattern; no published formula maps
 * ΔGEP to money, so every part is configurable).
 */
export const MISSING_FIGURE_RULES = ['exclude', 'keep_base'] as const;
export type MissingFiguresRule = (typeof MISSING_FIGURE_RULES)[number];

/**
 * A scheme's own rule for a recipient whose figures are missing (a GEP that is incomplete, a
 * population not reported): `exclude` — the region takes no share of an allocation; `keep_base` —
 * a reward/deduction pays the base transfer unadjusted. Without a rule, the recipient is not
 * computable and the run cannot be approved; with one, every explanation cites `basis`.
 */
export interface MissingFiguresContent {
  rule: MissingFiguresRule;
  basis: string;
}

export interface SchemeContent {
  missingFigures?: MissingFiguresContent | null;
  /** Methodology standard whose published GEP runs the scheme reads. */
  standardId: string;
  /** e.g. `gep * (1 + max(gep_real_change, -0.1))`; any unit, evaluated in base units. */
  weight: string;
  /** Optional truth-valued formula, e.g. `gep_real_change >= -0.05`; ineligible regions get 0. */
  eligibility?: string | null;
  /** 元 each eligible region gets at least, to the fen. */
  floor?: string | null;
  /** 元 each region gets at most, to the fen. */
  cap?: string | null;
  /** The policy document the scheme implements. */
  source: string;
  description?: string | null;
}

/**
 * The figures a scheme's formulas may use, per recipient region, read from published GEP runs of
 * the accounting year (and the year before for the change).
 */
export const ALLOCATION_FIGURES: Record<
  string,
  { unit: string; nameZh: string; description: string }
> = {
  gep: { unit: '元', nameZh: 'GEP', description: 'GEP of the accounting year, at its own prices' },
  gep_prev: {
    unit: '元',
    nameZh: '上年 GEP',
    description: 'GEP of the year before, at its own prices',
  },
  gep_real_change: {
    unit: '1',
    nameZh: 'GEP 实际变化',
    description:
      'real GEP change: the year at the previous year’s prices (and method) over the previous year, minus 1',
  },
  area: { unit: 'km²', nameZh: '生态系统面积', description: 'ecosystem area (sum of eco_area)' },
  population: { unit: '人', nameZh: '常住人口', description: 'resident population' },
  gdp: { unit: '元', nameZh: 'GDP', description: 'GDP' },
};

const figureEnv = (name: string): SymbolInfo | undefined => {
  const f = ALLOCATION_FIGURES[name];
  return f ? { kind: 'variable', unit: parseUnit(f.unit) } : undefined;
};

/**
 * Compiles a formula over the per-region figures; problems go to `problems` with `field` as path.
 * The formula language gives numbers; a condition (`truth`) is compiled as `(condition) ? 1 : 0`.
 */
export function compileFigureFormula(
  field: string,
  text: string,
  truth: boolean,
  problems: FieldProblem[],
): CompiledFormula | null {
  const known = Object.keys(ALLOCATION_FIGURES).join(', ');
  const f = compileField(text, figureEnv, field, problems, {
    condition: truth,
    word: (message, finding) =>
      truth && inLanguage(finding.message, 'en').startsWith('the condition of ?:')
        ? zhEn(
            `应为条件（比较式），如 gep_real_change >= -0.05`,
            `${field} must be a condition (a comparison), e.g. gep_real_change >= -0.05`,
          )
        : zhEn(`${message}；可用数据：${known}`, `${message} — figures: ${known}`),
  });
  if (!f) return null;
  if (f.type.index) {
    problems.push({
      path: field,
      message: zhEn(`${field} 应为每个行政区给出一个值`, `${field} must give one value per region`),
    });
    return null;
  }
  return f;
}

export interface CompiledScheme {
  weight: CompiledFormula;
  eligibility: CompiledFormula | null;
}

const FEN = /^\d+(\.\d{1,2})?$/;

/** Checks a scheme's content; returns its compiled formulas, or every problem with its field. */
export function compileScheme(
  content: SchemeContent,
): { compiled: CompiledScheme; problems: [] } | { compiled: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const formula = (field: 'weight' | 'eligibility', text: string, truth: boolean) =>
    compileFigureFormula(field, text, truth, problems);
  const weight = formula('weight', content.weight, false);
  const eligibility = content.eligibility
    ? formula('eligibility', content.eligibility, true)
    : null;
  for (const field of ['floor', 'cap'] as const) {
    const v = content[field];
    if (v != null && !FEN.test(v))
      problems.push({
        path: field,
        message: zhEn(
          `应为以元计的非负金额，最多 2 位小数`,
          `${field} must be 元 ≥ 0 with at most 2 decimals`,
        ),
      });
  }
  if (content.floor && content.cap && new D(content.floor).gt(content.cap))
    problems.push({
      path: 'floor',
      message: zhEn(
        `下限 ${content.floor} 高于上限 ${content.cap}`,
        `floor ${content.floor} is above cap ${content.cap}`,
      ),
    });
  if (content.missingFigures && content.missingFigures.rule !== 'exclude')
    problems.push({
      path: 'missingFigures.rule',
      message: zhEn(
        '预算分配方案对缺失数据只能规定 exclude（该地区不参与分配）',
        'a budget allocation can only exclude a region whose figures are missing (rule exclude)',
      ),
    });
  if (problems.length || !weight) return { compiled: null, problems };
  return { compiled: { weight, eligibility }, problems: [] };
}
