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
  const x = new D(0) as Writable<Dec>;
  x.s = start ? -1 : 1;
  if (first < 0) return x; // zero: exponent 0, digits [0]; decimal.js keeps the sign of -0
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
  x.e = e;
  x.d = d;
  return x;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
