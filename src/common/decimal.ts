import Decimal from 'decimal.js';

/**
 * The decimal type of all accounting arithmetic: 50 significant digits, half-even rounding of
 * intermediate results beyond that. Deterministic on every machine (decimal.js is pure JS).
 * Results are rounded once, for publication, by the caller.
 */
export const D = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Dec = InstanceType<typeof D>;
