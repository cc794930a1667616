import { CompiledFormula } from '../../formula/compile';
import { D, Dec } from '../../common/decimal';
import { DIMENSIONLESS, formatDims, sameDims } from '../../formula/units';
import { FieldProblem } from '../../common/errors/domain-error';
import { compileFigureFormula, MissingFiguresContent } from './scheme-content';
import { zhEn } from '../../common/i18n/text';

export const CLASS_EFFECTS = ['reward', 'deduction', 'suspend', 'none'] as const;
export type ClassEffect = (typeof CLASS_EFFECTS)[number];

/** A change class: applies when `above` < measure ≤ `upTo` (a missing bound is open). */
export interface ChangeClassContent {
  /** e.g. 明显变好, 基本稳定, 明显变差. */
  label: string;
  above?: string | null;
  upTo?: string | null;
  /** reward or deduction: a fixed `amount` (元) or a `percent` of the base; suspend: nothing is paid. */
  effect: ClassEffect;
  amount?: string | null;
  percent?: string | null;
}

/**
 * Reward / deduction by change class (compensation.md §2.6: the KEFZ transfer moves with the county
 * ecological-quality change — rewarded when it improves, deducted when it worsens, suspended after a
 * serious decline): each sub-region's regular transfer `base` is adjusted by the class its
 * `measure` falls in, e.g. `gep_real_change` classed at −5 %, 0, +5 %. Amounts never go below 0.
 */
export interface RewardDeductionContent {
  standardId: string;
  missingFigures?: MissingFiguresContent | null;
  /** Dimensionless formula over the per-region figures, e.g. `gep_real_change`. */
  measure: string;
  /** 元: each region's regular transfer before the adjustment. */
  base: string;
  /** In order, each starting where the one before ends. */
  classes: ChangeClassContent[];
  source: string;
  description?: string | null;
}

/** Compiles the measure and checks the classes; every problem with its path. */
export function compileRewardDeduction(c: RewardDeductionContent): {
  measure: CompiledFormula | null;
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const measure = compileFigureFormula('measure', c.measure, false, problems);
  if (c.missingFigures && c.missingFigures.rule !== 'keep_base')
    problems.push({
      path: 'missingFigures.rule',
      message: zhEn(
        '奖惩方案对缺失数据只能规定 keep_base（按基数拨付，不作调整）',
        'a reward or deduction scheme can only keep the base for a region whose figures are missing (rule keep_base)',
      ),
    });
  if (measure && !sameDims(measure.type.dims, DIMENSIONLESS))
    problems.push({
      path: 'measure',
      message: zhEn(
        `考核指标应为比值或指数（无量纲），不能是 ${formatDims(measure.type.dims)}`,
        `the measure must be a ratio or index (dimensionless), not ${formatDims(measure.type.dims)}`,
      ),
    });
  c.classes.forEach((k, i) => {
    const at = `classes[${i}]`;
    const prev = c.classes[i - 1];
    if (i > 0 && (prev.upTo == null || k.above == null || !new D(prev.upTo).eq(k.above)))
      problems.push({
        path: `${at}.above`,
        message: zhEn(
          `档次应首尾相接：此档起于 ${k.above ?? '无下限'}，上一档止于 ${prev.upTo ?? '无上限'}`,
          `classes must follow each other: this one starts at ${k.above ?? 'no bound'}, the one before ends at ${prev.upTo ?? 'no bound'}`,
        ),
      });
    if (k.above != null && k.upTo != null && new D(k.upTo).lte(k.above))
      problems.push({
        path: `${at}.upTo`,
        message: zhEn(`此档的终点不高于起点`, `the class ends at or below where it starts`),
      });
    const moneyEffect = k.effect === 'reward' || k.effect === 'deduction';
    if (moneyEffect && (k.amount == null) === (k.percent == null))
      problems.push({
        path: at,
        message: zhEn(
          `${k.effect === 'reward' ? '奖励' : '扣减'}档次应填写金额（元）或基数的百分比，二者选一`,
          `a ${k.effect} class needs either an amount (元) or a percent of the base`,
        ),
      });
    if (!moneyEffect && (k.amount != null || k.percent != null))
      problems.push({
        path: at,
        message: zhEn(
          `${k.effect === 'reward' ? '奖励' : k.effect === 'deduction' ? '扣减' : k.effect}档没有金额或比例`,
          `a ${k.effect} class has no amount or percent`,
        ),
      });
  });
  if (c.classes.length && c.classes[0].above != null)
    problems.push({
      path: 'classes[0].above',
      message: zhEn(
        '第一档应无下限（不填 `above`），使每个数值都有所属档次',
        'the first class must be open below (no `above`), so that every value has a class',
      ),
    });
  const last = c.classes[c.classes.length - 1];
  if (last && last.upTo != null)
    problems.push({
      path: `classes[${c.classes.length - 1}].upTo`,
      message: zhEn(
        '最后一档应无上限（不填 `upTo`），使每个数值都有所属档次',
        'the last class must be open above (no `upTo`), so that every value has a class',
      ),
    });
  return { measure, problems };
}

/** The class of a measured value and the amount it gives, to the fen (rounded once, half up). */
export function applyClass(
  c: RewardDeductionContent,
  value: Dec,
): { class: ChangeClassContent; adjustment: Dec; amount: Dec; suspended: boolean } {
  const k = c.classes.find(
    (x) => (x.above == null || value.gt(x.above)) && (x.upTo == null || value.lte(x.upTo)),
  )!;
  const base = new D(c.base);
  const size = k.amount != null ? new D(k.amount) : base.mul(k.percent ?? 0).div(100);
  const adjustment =
    k.effect === 'reward' ? size : k.effect === 'deduction' ? size.neg() : new D(0);
  const suspended = k.effect === 'suspend';
  const amount = suspended
    ? new D(0)
    : D.max(base.plus(adjustment), 0).toDecimalPlaces(2, D.ROUND_HALF_UP);
  return { class: k, adjustment, amount, suspended };
}
