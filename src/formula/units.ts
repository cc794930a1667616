import { D, Dec, timesOf } from '../common/decimal';
import { zhEn } from '../common/i18n/text';

/**
 * Physical dimensions of the quantities GEP accounting handles. Carbon (C) and carbon dioxide
 * (CO₂) are separate dimensions so that a price per t C can never be applied to t CO₂ by
 * accident: converting needs an explicit factor with unit t CO₂/t C (see `CO2_PER_C`).
 */
export const DIMENSIONS = [
  'length',
  'mass',
  'time',
  'currency',
  'carbon',
  'co2',
  'visit',
  'person',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** Exponent per dimension, in DIMENSIONS order. */
export type Dims = readonly number[];

const BASE_SYMBOL: Record<Dimension, string> = {
  length: 'm',
  mass: 'kg',
  time: 's',
  currency: '元',
  carbon: 'kgC',
  co2: 'kgCO2',
  visit: '人次',
  person: '人',
};

export const DIMENSIONLESS: Dims = DIMENSIONS.map(() => 0);

const dim = (d: Partial<Record<Dimension, number>>): Dims => DIMENSIONS.map((k) => d[k] ?? 0);

interface UnitDef {
  factor: Dec;
  dims: Dims;
}

const YEAR_S = new D(365).times(86400);

/**
 * Unit symbols and their value in base units. Any symbol also takes the prefixes 千 (10³),
 * 万 (10⁴), 百万 (10⁶) and 亿 (10⁸): 万元, 亿m³, 万t, 亿kWh, 万hm², 万人次.
 * The year `a` is 365 days. Annual flows (precipitation, emissions, visits in the accounting
 * year) are entered as totals for the year: `mm`, `t`, `人次`, not `mm/a`.
 */
const SYMBOLS: Record<string, UnitDef> = {
  '1': { factor: new D(1), dims: DIMENSIONLESS },
  '%': { factor: new D('0.01'), dims: DIMENSIONLESS },
  '‰': { factor: new D('0.001'), dims: DIMENSIONLESS },
  个: { factor: new D(1), dims: DIMENSIONLESS },
  头: { factor: new D(1), dims: DIMENSIONLESS },
  只: { factor: new D(1), dims: DIMENSIONLESS },
  m: { factor: new D(1), dims: dim({ length: 1 }) },
  km: { factor: new D(1000), dims: dim({ length: 1 }) },
  cm: { factor: new D('0.01'), dims: dim({ length: 1 }) },
  mm: { factor: new D('0.001'), dims: dim({ length: 1 }) },
  hm: { factor: new D(100), dims: dim({ length: 1 }) },
  hm2: { factor: new D(10000), dims: dim({ length: 2 }) },
  ha: { factor: new D(10000), dims: dim({ length: 2 }) },
  公顷: { factor: new D(10000), dims: dim({ length: 2 }) },
  亩: { factor: new D(10000).div(15), dims: dim({ length: 2 }) },
  L: { factor: new D('0.001'), dims: dim({ length: 3 }) },
  g: { factor: new D('0.001'), dims: dim({ mass: 1 }) },
  mg: { factor: new D('0.000001'), dims: dim({ mass: 1 }) },
  kg: { factor: new D(1), dims: dim({ mass: 1 }) },
  t: { factor: new D(1000), dims: dim({ mass: 1 }) },
  gC: { factor: new D('0.001'), dims: dim({ carbon: 1 }) },
  kgC: { factor: new D(1), dims: dim({ carbon: 1 }) },
  tC: { factor: new D(1000), dims: dim({ carbon: 1 }) },
  gCO2: { factor: new D('0.001'), dims: dim({ co2: 1 }) },
  kgCO2: { factor: new D(1), dims: dim({ co2: 1 }) },
  tCO2: { factor: new D(1000), dims: dim({ co2: 1 }) },
  s: { factor: new D(1), dims: dim({ time: 1 }) },
  min: { factor: new D(60), dims: dim({ time: 1 }) },
  h: { factor: new D(3600), dims: dim({ time: 1 }) },
  d: { factor: new D(86400), dims: dim({ time: 1 }) },
  a: { factor: YEAR_S, dims: dim({ time: 1 }) },
  月: { factor: YEAR_S.div(12), dims: dim({ time: 1 }) },
  J: { factor: new D(1), dims: dim({ mass: 1, length: 2, time: -2 }) },
  kJ: { factor: new D(1000), dims: dim({ mass: 1, length: 2, time: -2 }) },
  MJ: { factor: new D(1_000_000), dims: dim({ mass: 1, length: 2, time: -2 }) },
  GJ: { factor: new D(1_000_000_000), dims: dim({ mass: 1, length: 2, time: -2 }) },
  Wh: { factor: new D(3600), dims: dim({ mass: 1, length: 2, time: -2 }) },
  kWh: { factor: new D(3_600_000), dims: dim({ mass: 1, length: 2, time: -2 }) },
  W: { factor: new D(1), dims: dim({ mass: 1, length: 2, time: -3 }) },
  kW: { factor: new D(1000), dims: dim({ mass: 1, length: 2, time: -3 }) },
  元: { factor: new D(1), dims: dim({ currency: 1 }) },
  人次: { factor: new D(1), dims: dim({ visit: 1 }) },
  人: { factor: new D(1), dims: dim({ person: 1 }) },
};
const ALIASES: Record<string, string> = { CNY: '元', yuan: '元', yr: 'a', 年: 'a', 天: 'd' };

/**
 * The words Chinese statistics write units in, as units of their own: 吨, 千克, 立方米, 平方公里,
 * 千瓦时… With the prefixes they make 万吨, 亿立方米, 万千瓦时, 万公顷, 万元, 亿元, 万人次.
 */
const WORDS: Record<string, UnitDef> = {
  米: SYMBOLS.m,
  千米: SYMBOLS.km,
  公里: SYMBOLS.km,
  厘米: SYMBOLS.cm,
  毫米: SYMBOLS.mm,
  平方米: { factor: new D(1), dims: dim({ length: 2 }) },
  平方千米: { factor: new D(1_000_000), dims: dim({ length: 2 }) },
  平方公里: { factor: new D(1_000_000), dims: dim({ length: 2 }) },
  立方米: { factor: new D(1), dims: dim({ length: 3 }) },
  方: { factor: new D(1), dims: dim({ length: 3 }) },
  升: SYMBOLS.L,
  克: SYMBOLS.g,
  毫克: SYMBOLS.mg,
  千克: SYMBOLS.kg,
  公斤: SYMBOLS.kg,
  吨: SYMBOLS.t,
  吨碳: SYMBOLS.tC,
  吨二氧化碳: SYMBOLS.tCO2,
  秒: SYMBOLS.s,
  分钟: SYMBOLS.min,
  小时: SYMBOLS.h,
  日: SYMBOLS.d,
  焦耳: SYMBOLS.J,
  千焦: SYMBOLS.kJ,
  兆焦: SYMBOLS.MJ,
  吉焦: SYMBOLS.GJ,
  千瓦时: SYMBOLS.kWh,
  千瓦: SYMBOLS.kW,
  瓦: SYMBOLS.W,
  人民币元: SYMBOLS.元,
};
Object.assign(SYMBOLS, WORDS);

/** Every spelling a unit may take without a prefix (for suggestions). */
const SPELLINGS = [...Object.keys(SYMBOLS), ...Object.keys(ALIASES)];

/** Levenshtein distance, for the spellings nearest to an unknown unit or name. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length];
}

/**
 * The accepted spellings nearest to an unknown unit: with or without its prefix, closest first
 * (at most five; none when nothing is close).
 */
export function nearestUnits(unknown: string): string[] {
  let prefix = '';
  let rest = unknown;
  for (const [p] of PREFIXES)
    if (unknown.startsWith(p) && unknown.length > p.length) {
      prefix = p;
      rest = unknown.slice(p.length);
      break;
    }
  const scored = SPELLINGS.filter((s) => s !== '1')
    .map((s) => ({ s: prefix + s, d: distance(rest.toLowerCase(), s.toLowerCase()) }))
    // close in spelling, and sharing a character (one-character units are otherwise all "near")
    .filter(
      (x) =>
        x.d <= Math.max(1, Math.floor(rest.length / 2)) &&
        [...rest.toLowerCase()].some((c) => x.s.toLowerCase().includes(c)),
    )
    .sort((a, b) => a.d - b.d || a.s.length - b.s.length || a.s.localeCompare(b.s));
  return [...new Set(scored.map((x) => x.s))].slice(0, 5);
}
const PREFIXES: [string, Dec][] = [
  ['百万', new D(1_000_000)],
  ['千', new D(1000)],
  ['万', new D(10000)],
  ['亿', new D(100_000_000)],
];

/** A parsed unit: multiply a value in this unit by `factor` to get base units. */
export interface Unit {
  readonly text: string;
  readonly factor: Dec;
  readonly dims: Dims;
}

export class UnitError extends Error {}

const SUPERSCRIPT: Record<string, string> = {
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁻': '-',
};

function lookup(symbol: string): UnitDef | undefined {
  return SYMBOLS[ALIASES[symbol] ?? symbol];
}

/** Splits a Chinese magnitude prefix off a symbol: 亿m³ is 10⁸ m³, not (10⁸ m)³. */
function splitPrefix(symbol: string): [Dec | undefined, string] {
  if (lookup(symbol)) return [undefined, symbol];
  for (const [prefix, f] of PREFIXES) {
    if (symbol.startsWith(prefix) && symbol.length > prefix.length)
      return [f, symbol.slice(prefix.length)];
  }
  return [undefined, symbol];
}

const powDef = (u: UnitDef, n: number): UnitDef => ({
  factor: u.factor.pow(n),
  dims: u.dims.map((d) => d * n),
});
const mulDef = (a: UnitDef, b: UnitDef): UnitDef => ({
  factor: a.factor.times(b.factor),
  dims: a.dims.map((d, i) => d + b.dims[i]),
});

/**
 * Parses a unit such as `元/m³`, `kg/(hm²·a)`, `t·hm²·h/(hm²·MJ·mm)`, `亿m³`, `万元`, `mm`,
 * `tCO2/tC`, `km2`, `m^3`. Products with `·`, `*`, `.` or a space; `/` divides by the next factor
 * (use parentheses for a product in the denominator); exponents as ², ³, ⁻¹, ^n or a trailing digit.
 */
export function parseUnit(text: string): Unit {
  let unit = parsedUnits.get(text);
  if (!unit) {
    unit = parseUnitText(text);
    if (parsedUnits.size >= 10_000) parsedUnits.clear();
    parsedUnits.set(text, unit);
  }
  return unit;
}

/**
 * Units already parsed, by their text: a run converts every input of every region, mostly in a
 * handful of units (7 % of a province run's time went to parsing them again). Units are
 * immutable; a text that cannot be parsed is not kept (it throws each time).
 */
const parsedUnits = new Map<string, Unit>();

function parseUnitText(text: string): Unit {
  const src = text.trim();
  if (src === '')
    throw new UnitError(
      zhEn('单位为空（无量纲的量请写 1）', 'empty unit (use 1 for a dimensionless quantity)'),
    );
  let pos = 0;
  const peek = () => src[pos];
  const skipSpace = () => {
    while (pos < src.length && src[pos] === ' ') pos++;
  };
  const isOp = (c: string | undefined) =>
    c === undefined || '·*./() ^'.includes(c) || c in SUPERSCRIPT;

  const exponent = (): number | undefined => {
    if (peek() === '^') {
      pos++;
      const m = /^-?\d+/.exec(src.slice(pos));
      if (!m)
        throw new UnitError(
          zhEn(
            `“${src}”第 ${pos} 个字符处：^ 后应为整数指数`,
            `expected an integer exponent after ^ at position ${pos} of "${src}"`,
          ),
        );
      pos += m[0].length;
      return Number(m[0]);
    }
    let s = '';
    while (pos < src.length && src[pos] in SUPERSCRIPT) s += SUPERSCRIPT[src[pos++]];
    if (s) {
      if (!/^-?\d+$/.test(s))
        throw new UnitError(zhEn(`“${src}”中的指数有误`, `bad exponent in "${src}"`));
      return Number(s);
    }
    return undefined;
  };

  const factor = (): UnitDef => {
    skipSpace();
    let u: UnitDef;
    if (peek() === '(') {
      pos++;
      u = product();
      skipSpace();
      if (peek() !== ')') throw new UnitError(zhEn(`“${src}”缺少 )`, `missing ) in "${src}"`));
      pos++;
    } else {
      const start = pos;
      while (!isOp(peek())) pos++;
      const [prefix, symbol] = splitPrefix(src.slice(start, pos));
      if (!symbol)
        throw new UnitError(
          zhEn(
            `“${src}”第 ${start} 个字符处应为单位`,
            `expected a unit at position ${start} of "${src}"`,
          ),
        );
      let def = lookup(symbol);
      if (!def) {
        const m = /^(.*?)(\d)$/.exec(symbol); // m2, km3, hm2
        const base = m ? lookup(m[1]) : undefined;
        if (m && base) def = powDef(base, Number(m[2]));
      }
      if (!def) {
        const typed = src.slice(start, pos);
        const near = nearestUnits(typed);
        throw new UnitError(
          zhEn(
            `无法识别的单位“${typed}”（在“${src}”中）${near.length ? `；相近的写法：${near.join('、')}` : '；可用如 吨、万元、立方米、公顷、亩、千瓦时、人次'}`,
            `unknown unit "${typed}" in "${src}"${near.length ? `; did you mean ${near.join(', ')}?` : ''}`,
          ),
        );
      }
      const e = exponent();
      const powered = e === undefined ? def : powDef(def, e);
      return prefix ? { factor: powered.factor.times(prefix), dims: powered.dims } : powered;
    }
    const e = exponent();
    return e === undefined ? u : powDef(u, e);
  };

  const product = (): UnitDef => {
    let u = factor();
    for (;;) {
      skipSpace();
      const c = peek();
      if (c === '·' || c === '*' || c === '.') {
        pos++;
        u = mulDef(u, factor());
      } else if (c === '/') {
        pos++;
        u = mulDef(u, powDef(factor(), -1));
      } else if (c !== undefined && c !== ')' && !isOp(c)) {
        u = mulDef(u, factor()); // juxtaposition after a space: "t hm2"
      } else {
        return u;
      }
    }
  };

  const u = product();
  skipSpace();
  if (pos < src.length)
    throw new UnitError(
      zhEn(
        `“${src}”第 ${pos} 个字符处不应出现“${src[pos]}”`,
        `unexpected "${src[pos]}" at position ${pos} of "${src}"`,
      ),
    );
  return { text: src, factor: u.factor, dims: u.dims };
}

export const sameDims = (a: Dims, b: Dims): boolean => a.every((d, i) => d === b[i]);
export const isDimensionless = (a: Dims): boolean => a.every((d) => d === 0);
export const mulDims = (a: Dims, b: Dims): Dims => a.map((d, i) => d + b[i]);
export const divDims = (a: Dims, b: Dims): Dims => a.map((d, i) => d - b[i]);
export const scaleDims = (a: Dims, n: number): Dims => a.map((d) => d * n);

/** Base-unit spelling of a dimension vector, e.g. `元·m⁻³`, for error messages. */
export function formatDims(dims: Dims): string {
  const sup = (n: number) =>
    n === 1
      ? ''
      : String(n)
          .split('')
          .map((c) => Object.entries(SUPERSCRIPT).find(([, v]) => v === c)?.[0] ?? c)
          .join('');
  const parts = DIMENSIONS.map((d, i) =>
    dims[i] ? `${BASE_SYMBOL[d]}${sup(dims[i])}` : '',
  ).filter(Boolean);
  return parts.length ? parts.join('·') : '1 (dimensionless)';
}

/** Converts a value between two units of the same dimension; throws UnitError otherwise. */
export function convert(value: Dec, from: Unit, to: Unit): Dec {
  if (!sameDims(from.dims, to.dims)) {
    throw new UnitError(
      zhEn(
        `${from.text} 不能换算为 ${to.text}（量纲不同：${formatDims(from.dims)} 与 ${formatDims(to.dims)}）`,
        `cannot convert ${from.text} (${formatDims(from.dims)}) to ${to.text} (${formatDims(to.dims)})`,
      ),
    );
  }
  return dividedByFactor(timesOf(value, from.factor), to.factor);
}

const powersOfTen = new WeakMap<Dec, boolean>();

/**
 * Whether a unit's factor is 10ᵏ (元, 万元, 亿元, km, mm…): multiplying or dividing by it only
 * moves the decimal point. Remembered per factor (units are parsed once and their factors kept).
 */
export function isPowerOfTen(factor: Dec): boolean {
  let known = powersOfTen.get(factor);
  if (known === undefined) {
    known = factor.gt(0) && factor.eq(new D(10).pow(factor.e));
    powersOfTen.set(factor, known);
  }
  return known;
}

const reciprocals = new WeakMap<Dec, Dec | null>();

/**
 * `x.div(factor)`, digit for digit: dividing by 10ᵏ (元, 万元, t, km, mm…) is multiplying by
 * 10⁻ᵏ — both give the exact quotient rounded once to the working precision — and decimal.js
 * multiplies by a one-digit number in a fraction of the time of its long division. Other factors
 * are divided by.
 */
export function dividedByFactor(x: Dec, factor: Dec): Dec {
  let reciprocal = reciprocals.get(factor);
  if (reciprocal === undefined) {
    reciprocal = isPowerOfTen(factor) ? new D(1).div(factor) : null;
    reciprocals.set(factor, reciprocal);
  }
  return reciprocal ? timesOf(x, reciprocal) : x.div(factor);
}
