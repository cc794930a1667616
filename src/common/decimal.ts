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

/** Digits in one word of decimal.js's internal base (1e7). */
const WORD_DIGITS = 7;

/** Longest text {@link decimalOf} reads itself (anything longer goes to decimal.js). */
const FAST_TEXT_LENGTH = 60;

/**
 * `new D(text)`, the same decimal to the digit, about three times faster for plain decimal text
 * (an optional minus, digits, an optional point followed by digits: how `numeric` columns, survey
 * values and stored results are written); anything else is read by decimal.js. decimal.js parses
 * by slicing strings and its constructor first tests whether its argument is a decimal; a
 * province run reads hundreds of thousands of such texts (inputs converted to base units,
 * results summed up the tree).
 * The instance is made as decimal.js makes it — sign, base-10 exponent of the first significant
 * digit, and the significant digits in words of seven, the last padded with zeros — and a
 * property test holds it equal to decimal.js's own, field by field.
 */
export function decimalOf(text: string): Dec {
  const n = text.length;
  if (n === 0 || n > FAST_TEXT_LENGTH) return new D(text);
  const start = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  let point = -1;
  let first = -1; // the first significant digit
  let last = -1; // the last one
  for (let k = start; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 46) {
      if (point >= 0 || k === start || k === n - 1) return new D(text);
      point = k;
    } else if (c < 48 || c > 57) return new D(text);
    else if (c !== 48) {
      if (first < 0) first = k;
      last = k;
    }
  }
  if (start === n) return new D(text);
  const sign = start ? -1 : 1;
  if (first < 0) return decimalFrom(sign, 0, [0]); // decimal.js keeps the sign of -0
  const end = point < 0 ? n : point; // of the integer part
  const e = first < end ? end - first - 1 : point - first;
  // significant digits in words: the first word holds (e + 1) mod 7 of them (a full 7 when that
  // is 0 and e ≥ 0), as decimal.js counts it; the last word is padded with zeros
  let inWord = (e + 1) % WORD_DIGITS;
  if (e < 0) inWord += WORD_DIGITS;
  if (inWord === 0) inWord = WORD_DIGITS;
  const d: number[] = [];
  let word = 0;
  let filled = 0;
  for (let k = first; k <= last; k++) {
    if (k === point) continue;
    word = word * 10 + (text.charCodeAt(k) - 48);
    if (++filled === inWord) {
      d.push(word);
      word = 0;
      filled = 0;
      inWord = WORD_DIGITS;
    }
  }
  if (filled) {
    for (; filled < inWord; filled++) word *= 10;
    d.push(word);
  }
  return decimalFrom(sign, e, d);
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** `x.eq(1)`, without making a decimal of 1 to compare with (1 is sign 1, exponent 0, word 1). */
export const isOne = (x: Dec): boolean =>
  x.s === 1 && x.e === 0 && x.d !== null && x.d.length === 1 && x.d[0] === 1;

/**
 * A decimal from its sign, base-10 exponent and words, with the fields decimal.js gives one (its
 * constructor, then `s`, `e`, `d`) and its prototype. Made by `new D(0)` and overwritten it took
 * 70–100 ns, most of it the constructor's tests of its argument; this takes ~15.
 */
const decimalFrom = (s: number, e: number, d: number[]): Dec =>
  new (DecimalFields as unknown as new (s: number, e: number, d: number[]) => Dec)(s, e, d);
function DecimalFields(
  this: Writable<Dec> & { constructor: typeof D },
  s: number,
  e: number,
  d: number[],
) {
  this.constructor = D;
  this.s = s;
  this.e = e;
  this.d = d;
}
DecimalFields.prototype = D.prototype;

/** decimal.js's internal base: a word holds seven decimal digits. */
const BASE = 1e7;

/** Digits of a word (1 ≤ w < 1e7). */
const wordDigits = (w: number): number =>
  w < 1e3 ? (w < 10 ? 1 : w < 100 ? 2 : 3) : w < 1e5 ? (w < 1e4 ? 4 : 5) : w < 1e6 ? 6 : 7;

/**
 * Whether words `d` (first and last non-zero) hold no more significant digits than the precision
 * reaches: decimal.js's rounding (`finalise`) then leaves them as they are.
 */
const withinPrecision = (d: number[]): boolean =>
  Math.ceil((D.precision - wordDigits(d[0]) + 1) / WORD_DIGITS) >= d.length;

/** Exponents this far from decimal.js's limits (±9e15) are left to it. */
const SAFE_EXPONENT = 1e15;

/**
 * `x.times(y)`, the same decimal to the digit, without decimal.js's copy of `y`, and without its
 * rounding pass when the product has at most the precision's 50 significant digits (as nearly
 * every product of survey figures, prices and coefficients has): the words are multiplied as
 * decimal.js multiplies them, and a longer product is rounded once as decimal.js rounds it. A
 * zero, an infinity or an exponent near decimal.js's limits is left to decimal.js.
 */
export function timesOf(x: Dec, y: Dec): Dec {
  let xd = x.d as number[] | null;
  let yd = y.d as number[] | null;
  if (!xd || !yd || !xd[0] || !yd[0]) return x.times(y);
  let xl = xd.length;
  let yl = yd.length;
  if (Math.abs(x.e) > SAFE_EXPONENT || Math.abs(y.e) > SAFE_EXPONENT) return x.times(y);
  if (xl < yl) {
    const d = xd;
    xd = yd;
    yd = d;
    xl = yl;
    yl = d.length;
  }
  let e = Math.floor(x.e / WORD_DIGITS) + Math.floor(y.e / WORD_DIGITS);
  const r: number[] = [];
  for (let i = xl + yl; i > 0; i--) r.push(0);
  let carry = 0;
  for (let i = yl - 1; i >= 0; i--) {
    carry = 0;
    let k = xl + i;
    for (; k > i; k--) {
      const t = r[k] + yd[i] * xd[k - i - 1] + carry;
      r[k] = (t % BASE) | 0;
      carry = (t / BASE) | 0;
    }
    r[k] = ((r[k] + carry) % BASE) | 0;
  }
  let rl = r.length;
  while (!r[rl - 1]) rl--;
  r.length = rl;
  if (carry) e++;
  else r.shift();
  const product = decimalFrom(x.s * y.s, e * WORD_DIGITS + wordDigits(r[0]) - 1, r);
  // decimal.js too rounds the exact product once, as toSignificantDigits does (`finalise`)
  return withinPrecision(r) ? product : product.toSignificantDigits(D.precision, D.rounding);
}

/**
 * `x.plus(y)`, the same decimal to the digit, without decimal.js's copies when both have the
 * same sign and the sum is exact (at most the precision's significant digits): sums of parts,
 * of a breakdown's items, of a tree's regions. Zero and a non-zero decimal of at most 50 digits
 * give the non-zero one itself. Anything else — unlike signs, a sum to be rounded — is
 * decimal.js's.
 */
export function plusOf(x: Dec, y: Dec): Dec {
  const xd = x.d as number[] | null;
  const yd = y.d as number[] | null;
  if (!xd || !yd) return x.plus(y);
  // a zero and a non-zero: the non-zero one (decimals are immutable; its value is the sum's)
  // unless it has more digits than the precision, which decimal.js's sum is rounded to
  if (!xd[0] !== !yd[0]) {
    const z = xd[0] ? x : y;
    return withinPrecision(z.d) ? z : x.plus(y);
  }
  if (!xd[0] || x.s !== y.s) return x.plus(y);
  if (Math.abs(x.e) > SAFE_EXPONENT || Math.abs(y.e) > SAFE_EXPONENT) return x.plus(y);
  // word exponents: x's first word is worth 1e7^kx
  const kx = Math.floor(x.e / WORD_DIGITS);
  const ky = Math.floor(y.e / WORD_DIGITS);
  const top = Math.max(kx, ky);
  const bottom = Math.min(kx - xd.length, ky - yd.length) + 1;
  const n = top - bottom + 1;
  if (n > 8) return x.plus(y);
  const r: number[] = [];
  for (let i = n; i > 0; i--) r.push(0);
  for (let i = 0, o = top - kx; i < xd.length; i++) r[o + i] = xd[i];
  for (let i = 0, o = top - ky; i < yd.length; i++) r[o + i] += yd[i];
  let carry = 0;
  for (let i = n - 1; i >= 0; i--) {
    const t = r[i] + carry;
    carry = t >= BASE ? 1 : 0;
    r[i] = carry ? t - BASE : t;
  }
  let e = top;
  if (carry) {
    r.unshift(carry);
    e++;
  }
  let rl = r.length;
  while (!r[rl - 1]) rl--;
  r.length = rl;
  if (!withinPrecision(r)) return x.plus(y);
  return decimalFrom(x.s, e * WORD_DIGITS + wordDigits(r[0]) - 1, r);
}
