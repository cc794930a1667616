import { zhEn } from './i18n/text';
/**
 * One rule for reading a number as a person wrote it, for every entry path (JSON, CSV, xlsx, the
 * console), so that the same text is the same value everywhere:
 *   - full-width digits and signs (１２３．５, －, ％, ＋) are read as their ASCII forms, and
 *     surrounding spaces (also U+3000 and no-break spaces) are ignored;
 *   - a comma is a thousands separator only in groups of three (1,234,567.8); any other comma is
 *     refused — a decimal comma (0,5) with the hint to write 0.5 — never silently dropped;
 *   - a trailing % is accepted for a variable measured in % and read as shown (12% → 12 %);
 *     elsewhere it is refused: 12% of what unit would be a guess;
 *   - a negative number is refused where the variable cannot be negative (the methodology says
 *     which: `nonNegative`);
 *   - anything else that is not a decimal (spaces inside, letters, two points) is refused.
 * The result is a plain decimal string (`-?digits[.digits][e±n]`).
 */
export type NumberReading = { value: string } | { problem: string };

export interface NumberRules {
  /** The value is in % (a trailing % is then read as shown). */
  percent: boolean;
  /** The value cannot be negative. */
  nonNegative: boolean;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const MINUS = /[\u2212\u2012\u2013\u2014\uFE63]/g;

/** Reads `raw` under `rules`; an empty text is the caller's (not reported). */
export function readNumber(raw: string, rules: NumberRules): NumberReading {
  let s = raw.normalize('NFKC').replace(MINUS, '-').trim();
  const shown = raw.trim();
  if (s.endsWith('%')) {
    if (!rules.percent)
      return {
        problem: zhEn(
          `“${shown}”带百分号，但该指标的单位不是 %；请填写不带 % 的数值`,
          `"${shown}" has a percent sign but the variable is not in %; enter the number without %`,
        ),
      };
    s = s.slice(0, -1).trim();
  }
  if (s.includes(',')) {
    if (GROUPED.test(s)) s = s.replace(/,/g, '');
    else if (DECIMAL_COMMA.test(s))
      return {
        problem: zhEn(
          `“${shown}”中的逗号不能作小数点：若是 ${s.replace(',', '.')} 请写作 ${s.replace(',', '.')}；千位分隔符须每三位一组`,
          `"${shown}": a comma is not a decimal point; if you mean ${s.replace(',', '.')}, write ${s.replace(',', '.')} (thousands separators group three digits)`,
        ),
      };
    else
      return {
        problem: zhEn(
          `“${shown}”的千位分隔符须每三位一组（如 1,234,567.8）`,
          `"${shown}": thousands separators must group three digits (as in 1,234,567.8)`,
        ),
      };
  }
  if (!DECIMAL.test(s))
    return {
      problem: zhEn(
        `“${shown}”不是数值；未填报请留空`,
        `"${shown}" is not a number; leave it empty if not reported`,
      ),
    };
  const value = canonical(s);
  if (rules.nonNegative && value.startsWith('-'))
    return {
      problem: zhEn(
        `“${shown}”为负数，该指标不能为负`,
        `"${shown}" is negative; this variable cannot be`,
      ),
    };
  return { value };
}

/** `+1.` → `1`, `.5` → `0.5`, `-0` → `0`: what the decimal columns and the DECIMAL check expect. */
function canonical(s: string): string {
  const [first, exponent] = s.split(/[eE]/);
  let mantissa = first;
  let sign = '';
  if (mantissa.startsWith('+')) mantissa = mantissa.slice(1);
  else if (mantissa.startsWith('-')) {
    sign = '-';
    mantissa = mantissa.slice(1);
  }
  if (mantissa.startsWith('.')) mantissa = `0${mantissa}`;
  if (mantissa.endsWith('.')) mantissa = mantissa.slice(0, -1);
  if (/^0*(\.0*)?$/.test(mantissa)) sign = '';
  const exp = exponent === undefined ? '' : `e${exponent.replace(/^\+/, '')}`;
  return `${sign}${mantissa}${exp}`;
}

/**
 * A spreadsheet number as it is shown: a cell formatted as a percentage holds 0.12 and shows
 * 12%, and a person reads 12% — so it is given as that text, for {@link readNumber} to judge.
 * Numbers keep Excel's 15 significant digits.
 */
export function spreadsheetNumber(value: number, numFmt: string | undefined): string {
  const typed = String(Number(value.toPrecision(15)));
  if (!numFmt || !/%/.test(numFmt.replace(/"[^"]*"|\\./g, ''))) return typed;
  return `${shiftPoint(typed, 2)}%`;
}

/** Moves the decimal point of a plain or exponent decimal string right by `places`, exactly. */
function shiftPoint(s: string, places: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp) + places;
  const padded =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  const clean = padded.includes('.')
    ? padded.replace(/^0+(?=\d)/, '').replace(/\.?0+$/, '')
    : padded.replace(/^0+(?=\d)/, '');
  return `${sign}${clean || '0'}`;
}
