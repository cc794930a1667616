import { D, Dec } from '../../common/decimal';
import { zhEn } from '../../common/i18n/text';

/** One region (or other recipient) of a budget allocation. */
export interface AllocationClaim {
  code: string;
  /** Result of the scheme's weight formula (GEP, real GEP change × area…); ≥ 0. */
  weight: Dec;
  /** Least amount if eligible, 元 to the fen; 0 by default. */
  floor?: Dec;
  /** Most amount, 元 to the fen; none by default. */
  cap?: Dec;
  /** An ineligible recipient gets nothing; `reason` says why. */
  eligible?: boolean;
  reason?: string;
}

export interface AllocatedAmount {
  code: string;
  /** 元, exactly two decimals. */
  amount: Dec;
  /** The exact share before rounding to the fen: clamp(λ × weight, floor, cap). */
  exact: Dec;
  /** Which bound decided the amount, if any. */
  bound: 'floor' | 'cap' | 'ineligible' | null;
  /** 0.01 when this recipient received one of the leftover fen (largest remainder), else 0. */
  roundingFen: Dec;
  reason?: string;
}

export interface Allocation {
  /** Budget per unit of weight for recipients no bound holds. */
  lambda: Dec;
  amounts: AllocatedAmount[];
}

/** Why an allocation cannot be made, with the field at fault. */
export class AllocationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const FEN = new D('0.01');
const isFen = (x: Dec) => x.mul(100).isInteger();

/**
 * Splits `budget` over the claims in proportion to their weights, within each claim's floor and
 * cap, exactly to the fen:
 *
 * 1. the exact amounts are xᵢ = clamp(λ·wᵢ, floorᵢ, capᵢ) with the one λ ≥ 0 for which they sum to
 *    the budget (found exactly: the sum is piecewise linear in λ between the breakpoints
 *    floorᵢ/wᵢ and capᵢ/wᵢ);
 * 2. each xᵢ is cut down to the fen, and the fen left over go one each to the largest cut-off
 *    remainders (ties: the smaller code first) — largest-remainder (Hamilton) rounding, so the
 *    amounts add up to the budget exactly and stay within floors and caps.
 *
 * Refused: a negative budget or weight, amounts not in whole fen, a floor above its cap, floors
 * that together exceed the budget, caps that together cannot take it, weights all zero.
 */
export function allocate(budget: Dec, claims: AllocationClaim[]): Allocation {
  if (budget.isNegative())
    throw new AllocationError(
      'budget',
      zhEn(`预算 ${budget.toString()} 为负数`, `the budget ${budget.toString()} is negative`),
    );
  if (!isFen(budget))
    throw new AllocationError(
      'budget',
      zhEn(
        `预算 ${budget.toString()} 未精确到分（0.01 元）`,
        `the budget ${budget.toString()} is not in whole fen (0.01 元)`,
      ),
    );
  const seen = new Set<string>();
  claims.forEach((c, i) => {
    const at = (f: string) => `recipients[${i}].${f}`;
    if (seen.has(c.code))
      throw new AllocationError(
        at('code'),
        zhEn(`${c.code} 重复列出`, `${c.code} is listed twice`),
      );
    seen.add(c.code);
    // an ineligible recipient takes nothing, whatever its weight (a weight of GEP change is
    // negative where GEP fell; the caller has said why it does not take part)
    if (c.weight.isNegative() && c.eligible !== false)
      throw new AllocationError(
        at('weight'),
        zhEn(
          `${c.code} 的权重为负数（${c.weight.toString()}）`,
          `the weight of ${c.code} is negative (${c.weight.toString()})`,
        ),
      );
    if (c.floor && (c.floor.isNegative() || !isFen(c.floor)))
      throw new AllocationError(
        at('floor'),
        zhEn(
          `${c.code} 的保底金额应 ≥ 0 且精确到分`,
          `the floor of ${c.code} must be ≥ 0 and in whole fen`,
        ),
      );
    if (c.cap && (c.cap.isNegative() || !isFen(c.cap)))
      throw new AllocationError(
        at('cap'),
        zhEn(
          `${c.code} 的封顶金额应 ≥ 0 且精确到分`,
          `the cap of ${c.code} must be ≥ 0 and in whole fen`,
        ),
      );
    if (c.floor && c.cap && c.floor.gt(c.cap))
      throw new AllocationError(
        at('floor'),
        zhEn(
          `${c.code} 的保底金额（${c.floor.toString()}）高于封顶金额（${c.cap.toString()}）`,
          `the floor of ${c.code} (${c.floor.toString()}) is above its cap (${c.cap.toString()})`,
        ),
      );
  });
  const eligible = claims.filter((c) => c.eligible !== false);
  const floor = (c: AllocationClaim) => c.floor ?? new D(0);
  const floors = eligible.reduce((s, c) => s.plus(floor(c)), new D(0));
  if (floors.gt(budget))
    throw new AllocationError(
      'budget',
      zhEn(
        `符合条件的受偿方保底金额合计 ${floors.toString()} 元，超过预算 ${budget.toString()} 元`,
        `the floors of the eligible recipients add up to ${floors.toString()} 元, more than the budget ${budget.toString()} 元`,
      ),
    );
  const weighted = eligible.filter((c) => !c.weight.isZero());
  if (weighted.length === 0 && budget.gt(floors))
    throw new AllocationError(
      'weights',
      zhEn(
        '符合条件的受偿方权重全为零：无法按权重分配预算',
        'the weights of the eligible recipients are all zero: nothing to allocate the budget by',
      ),
    );
  // the most the recipients can take: caps of weighted ones (unbounded without), floors of the rest
  if (weighted.every((c) => c.cap !== undefined)) {
    const capacity = eligible.reduce(
      (s, c) => s.plus(c.weight.isZero() ? floor(c) : c.cap!),
      new D(0),
    );
    if (capacity.lt(budget))
      throw new AllocationError(
        'budget',
        zhEn(
          `符合条件的受偿方封顶金额合计 ${capacity.toString()} 元，低于预算 ${budget.toString()} 元`,
          `the caps of the eligible recipients add up to ${capacity.toString()} 元, less than the budget ${budget.toString()} 元`,
        ),
      );
  }

  const lambda = solveLambda(budget, eligible);
  const exact = new Map(eligible.map((c) => [c.code, clamped(lambda, c)]));

  // largest remainder to the fen
  const cut = eligible.map((c) => {
    const { x } = exact.get(c.code)!;
    const down = x.toDecimalPlaces(2, D.ROUND_DOWN);
    return { code: c.code, down, remainder: x.minus(down) };
  });
  const allotted = cut.reduce((s, c) => s.plus(c.down), new D(0));
  const leftover = budget.minus(allotted).div(FEN).toDecimalPlaces(0, D.ROUND_HALF_UP).toNumber();
  const order = [...cut].sort(
    (a, b) => b.remainder.comparedTo(a.remainder) || (a.code < b.code ? -1 : 1),
  );
  const plusOne = new Set(order.slice(0, Math.max(0, leftover)).map((c) => c.code));
  const byCode = new Map(cut.map((c) => [c.code, c]));

  return {
    lambda,
    amounts: claims.map((c) => {
      if (c.eligible === false)
        return {
          code: c.code,
          amount: new D(0),
          exact: new D(0),
          bound: 'ineligible',
          roundingFen: new D(0),
          ...(c.reason ? { reason: c.reason } : {}),
        };
      const { x, bound } = exact.get(c.code)!;
      const extra = plusOne.has(c.code) ? FEN : new D(0);
      return {
        code: c.code,
        amount: byCode.get(c.code)!.down.plus(extra),
        exact: x,
        bound,
        roundingFen: extra,
      };
    }),
  };
}

/** clamp(λ·w, floor, cap) and which bound, if any, held it. */
function clamped(lambda: Dec, c: AllocationClaim): { x: Dec; bound: 'floor' | 'cap' | null } {
  const x = lambda.mul(c.weight);
  if (c.cap && x.gte(c.cap)) return { x: c.cap, bound: 'cap' };
  if (c.floor && x.lte(c.floor)) return { x: c.floor, bound: 'floor' };
  return { x, bound: null };
}

/**
 * The λ for which Σ clamp(λ·wᵢ, floorᵢ, capᵢ) = budget. The sum is continuous and non-decreasing
 * in λ and linear between the breakpoints floorᵢ/wᵢ and capᵢ/wᵢ: find the segment where it reaches
 * the budget, then solve the linear equation on it.
 */
function solveLambda(budget: Dec, claims: AllocationClaim[]): Dec {
  const sumAt = (lambda: Dec) => claims.reduce((s, c) => s.plus(clamped(lambda, c).x), new D(0));
  const points = claims
    .filter((c) => !c.weight.isZero())
    .flatMap((c) =>
      [c.floor, c.cap].filter((b): b is Dec => b !== undefined).map((b) => b.div(c.weight)),
    )
    .sort((a, b) => a.comparedTo(b));
  if (sumAt(new D(0)).gte(budget)) return new D(0);
  // binary search for the first breakpoint where the sum reaches the budget
  let first = 0;
  let last = points.length;
  while (first < last) {
    const mid = (first + last) >> 1;
    if (sumAt(points[mid]).gte(budget)) last = mid;
    else first = mid + 1;
  }
  const lo = first > 0 ? points[first - 1] : new D(0);
  const hi: Dec | null = first < points.length ? points[first] : null;
  // inside (lo, hi) every claim is either held by a bound (a constant) or free (slope wᵢ)
  const inside = hi ? lo.plus(hi).div(2) : lo.plus(1);
  let constant = new D(0);
  let slope = new D(0);
  for (const c of claims) {
    const { x, bound } = clamped(inside, c);
    if (bound || c.weight.isZero()) constant = constant.plus(x);
    else slope = slope.plus(c.weight);
  }
  return slope.isZero() ? lo : budget.minus(constant).div(slope);
}
