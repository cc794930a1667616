import { D, Dec } from '../../common/decimal';
import { parseUnit } from '../../formula/units';
import { zhEn } from '../../common/i18n/text';
import { MethodologyContent, RegionFigure } from '../methodology/methodology-content';
import { GepSummary, sumCounted } from '../methodology/methodology-model';
import { ComputedResult, computeRun, RunSnapshot, subtreeSnapshot } from './run-computation';
import { crosswalk } from '../methodology/service-catalogue';

/** GEP of one region (counted indicators, 元) from a set of run results. */
export type RegionGep = GepSummary;

export function regionGep(
  content: MethodologyContent,
  results: Pick<ComputedResult, 'regionCode' | 'indicatorCode' | 'value'>[],
  regionCode: string,
): RegionGep {
  const mine = new Map(
    results.filter((r) => r.regionCode === regionCode).map((r) => [r.indicatorCode, r.value]),
  );
  return sumCounted(content, (code) => mine.get(code) ?? null);
}

export interface RunSide {
  content: MethodologyContent;
  snapshot: RunSnapshot;
}

export interface GepComparison {
  regionCode: string;
  fromYear: number;
  toYear: number;
  /** GEP at each year's own prices (元). */
  from: RegionGep;
  to: RegionGep;
  /** The later year's quantities at the earlier year's prices, under the later method. */
  toAtFromPrices: RegionGep;
  /** The earlier year re-run under the later method (equals `from` when the method is the same). */
  fromUnderToMethod: RegionGep;
  /**
   * Decomposition of to.total − from.total; the three effects add up to it exactly. Null when
   * any of the four totals is incomplete: a change over a missing figure is not a change.
   */
  effects: { method: Dec; quantity: Dec; price: Dec; total: Dec } | null;
  /** Growth rates (to / from − 1) at current prices and at the earlier year's (constant) prices. */
  growth: { current: Dec | null; constant: Dec | null };
  /**
   * Indicators (with alternative methods) whose method differs between the two runs in the region
   * or below it: the method of each run (null where none gave a result) and the regions.
   */
  methodChanges: { indicator: string; from: string | null; to: string | null; regions: string[] }[];
}

/** The method each computed result used, by region and indicator (indicators with alternatives). */
export function methodsUsed(
  results: Pick<ComputedResult, 'regionCode' | 'indicatorCode' | 'trace'>[],
): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const r of results) {
    const method = (r.trace as { method?: string } | null)?.method;
    if (!method) continue;
    if (!out.has(r.regionCode)) out.set(r.regionCode, new Map());
    out.get(r.regionCode)!.set(r.indicatorCode, method);
  }
  return out;
}

export const sameMethods = (
  a: Map<string, Map<string, string>>,
  b: Map<string, Map<string, string>>,
) =>
  [...new Set([...a.keys(), ...b.keys()])].every((region) => {
    const [x, y] = [a.get(region) ?? new Map(), b.get(region) ?? new Map()];
    return [...new Set([...x.keys(), ...y.keys()])].every((i) => x.get(i) === y.get(i));
  });

/**
 * Compares a region's GEP between two runs and decomposes the change:
 *   method   = V(Q₀, P₀; M₁) − V(Q₀, P₀; M₀)   (re-running the earlier year under the later method,
 *              with the methods the later run chose for indicators that have alternatives)
 *   quantity = V(Q₁, P₀; M₁) − V(Q₀, P₀; M₁)
 *   price    = V(Q₁, P₁; M₁) − V(Q₁, P₀; M₁)
 * The terms telescope, so method + quantity + price = V₁ − V₀ exactly. "Price" is every parameter
 * of the methodology taking its value for the later year instead of the earlier one.
 */
export function compareRuns(from: RunSide, to: RunSide, regionCode: string): GepComparison {
  // only the region's subtree is computed: its figures are the whole run's
  const [s0, s1] = [
    subtreeSnapshot(from.snapshot, regionCode),
    subtreeSnapshot(to.snapshot, regionCode),
  ];
  const r0 = computeRun(from.content, s0);
  const r1 = computeRun(to.content, s1);
  const v0 = regionGep(from.content, r0, regionCode);
  // A change of method is the methodology's, or an indicator's method chosen differently (固定
  // 二氧化碳 by biomass one year, by NEP the next): the earlier year is re-run with the later
  // run's methods, so that difference counts as method, not quantity.
  const used = methodsUsed(r1);
  const sameMethod =
    from.snapshot.methodology.id === to.snapshot.methodology.id &&
    sameMethods(methodsUsed(r0), used);
  const v0m = sameMethod
    ? v0
    : regionGep(to.content, computeRun(to.content, s0, undefined, { methods: used }), regionCode);
  const v1p0 = regionGep(
    to.content,
    computeRun(to.content, s1, from.snapshot.year, { methods: used }),
    regionCode,
  );
  const v1 = regionGep(to.content, r1, regionCode);
  const rate = (a: RegionGep, b: RegionGep) =>
    a.total === null || b.total === null || b.total.isZero() ? null : a.total.div(b.total).minus(1);
  const [t0, t0m, t1p0, t1] = [v0.total, v0m.total, v1p0.total, v1.total];
  return {
    regionCode,
    fromYear: from.snapshot.year,
    toYear: to.snapshot.year,
    from: v0,
    to: v1,
    toAtFromPrices: v1p0,
    fromUnderToMethod: v0m,
    effects:
      t0 && t0m && t1p0 && t1
        ? {
            method: t0m.minus(t0),
            quantity: t1p0.minus(t0m),
            price: t1.minus(t1p0),
            total: t1.minus(t0),
          }
        : null,
    growth: { current: rate(v1, v0), constant: rate(v1p0, v0m) },
    methodChanges: methodChanges(methodsUsed(r0), used, from.snapshot, to.snapshot, regionCode),
  };
}

/** Where the method of an indicator differs between two runs, within a region's subtree. */
function methodChanges(
  a: Map<string, Map<string, string>>,
  b: Map<string, Map<string, string>>,
  from: RunSnapshot,
  to: RunSnapshot,
  regionCode: string,
): GepComparison['methodChanges'] {
  const within = new Set(
    [...from.regions, ...to.regions]
      .filter((r) => r.lineage.includes(regionCode))
      .map((r) => r.code),
  );
  const changes = new Map<string, GepComparison['methodChanges'][number]>();
  for (const region of [...within].sort()) {
    const none = new Map<string, string>();
    const [x, y] = [a.get(region) ?? none, b.get(region) ?? none];
    for (const indicator of new Set([...x.keys(), ...y.keys()])) {
      const [m0, m1] = [x.get(indicator) ?? null, y.get(indicator) ?? null];
      if (m0 === m1) continue;
      const key = `${indicator}|${m0}|${m1}`;
      const c = changes.get(key) ?? { indicator, from: m0, to: m1, regions: [] };
      c.regions.push(region);
      changes.set(key, c);
    }
  }
  return [...changes.values()];
}

/** A variable's total for a region in a snapshot: its own reported value (summed over index items), else the sum over its child regions when every child has one. In base units. */
export function regionInput(
  content: MethodologyContent,
  snapshot: RunSnapshot,
  code: string,
  variable: string,
): Dec | null {
  const v = content.variables.find((x) => x.code === variable);
  if (!v) return null;
  const factor = parseUnit(v.unit).factor;
  const own = snapshot.inputs[code]?.[variable]?.value;
  if (own !== undefined && own !== null) {
    const parts = typeof own === 'object' && !(own instanceof D) ? Object.values(own) : [own];
    if (parts.every((p) => p !== null && p !== undefined)) {
      return parts.reduce<Dec>((s, p) => s.plus(new D(p)), new D(0)).times(factor);
    }
  }
  const kids = snapshot.regions.filter((r) => r.parentCode === code);
  if (kids.length === 0) return null;
  const sums = kids.map((k) => regionInput(content, snapshot, k.code, variable));
  return sums.every((x) => x !== null) ? sums.reduce<Dec>((s, x) => s.plus(x), new D(0)) : null;
}

export interface DerivedFigures {
  /** km² (the methodology's area variable, `regionFigures.area`, summed over its items). */
  areaKm2: string | null;
  /** 元/km² */
  gepPerKm2: string | null;
  /** 人 (`regionFigures.population`) */
  population: string | null;
  /** 元/人 */
  gepPerCapita: string | null;
  /** 元 (`regionFigures.gdp`) */
  gdp: string | null;
  /** GEP/GDP (GGI) */
  gepToGdp: string | null;
  /** Why each figure above that is null is absent. */
  absent: { figure: DerivedFigure; reason: string }[];
}

export type DerivedFigure = Exclude<keyof DerivedFigures, 'absent'>;

const FIGURE_ZH: Record<RegionFigure, string> = { area: '面积', population: '人口', gdp: 'GDP' };

/**
 * GEP per km², per capita and GEP/GDP, from the variables the methodology names as a region's
 * area, population and GDP (`regionFigures`); a figure it does not name, or the data lack, is
 * null and `absent` says why.
 */
export function derivedFigures(
  content: MethodologyContent,
  snapshot: RunSnapshot,
  code: string,
  gep: Dec | null,
): DerivedFigures {
  const declared = content.regionFigures ?? {};
  const read = (figure: RegionFigure) => {
    const variable = declared[figure];
    return variable ? regionInput(content, snapshot, code, variable) : null;
  };
  const unreported = (figure: RegionFigure): string => {
    const variable = declared[figure];
    if (!variable)
      return zhEn(
        `核算方法未声明${FIGURE_ZH[figure]}变量（regionFigures.${figure}）`,
        `the methodology names no ${figure} variable (regionFigures.${figure})`,
      );
    const name = content.variables.find((v) => v.code === variable)?.nameZh ?? variable;
    return zhEn(`${name}（${variable}）未填报`, `${variable} was not reported`);
  };
  const area = read('area');
  const km2 = area?.div(parseUnit('km²').factor) ?? null;
  const population = read('population');
  const gdp = read('gdp');
  const absent: DerivedFigures['absent'] = [];
  const figure = (name: DerivedFigure, x: Dec | null, of: RegionFigure) => {
    if (x === null) absent.push({ figure: name, reason: unreported(of) });
    return x?.toString() ?? null;
  };
  const ratio = (name: DerivedFigure, b: Dec | null, of: RegionFigure) => {
    let reason: string | null = null;
    if (gep === null) reason = zhEn('GEP 不完整', 'GEP is incomplete');
    else if (b === null) reason = unreported(of);
    else if (b.isZero()) reason = zhEn(`${FIGURE_ZH[of]}为 0`, `the ${of} is 0`);
    if (reason !== null) {
      absent.push({ figure: name, reason });
      return null;
    }
    return gep!.div(b!).toString();
  };
  return {
    areaKm2: figure('areaKm2', km2, 'area'),
    gepPerKm2: ratio('gepPerKm2', km2, 'area'),
    population: figure('population', population, 'population'),
    gepPerCapita: ratio('gepPerCapita', population, 'population'),
    gdp: figure('gdp', gdp, 'gdp'),
    gepToGdp: ratio('gepToGdp', gdp, 'gdp'),
    absent,
  };
}

/**
 * A region's results under two methodologies item by item over the common service catalogue:
 * each side's value is the sum of its counted indicators in the item (null when one has no
 * result — never a partial sum; null too when the side does not count the item), the
 * difference when both have one, and GEP of each side.
 */
export function crosswalkRegion(
  contents: [MethodologyContent, MethodologyContent],
  results: [
    Pick<ComputedResult, 'regionCode' | 'indicatorCode' | 'value'>[],
    Pick<ComputedResult, 'regionCode' | 'indicatorCode' | 'value'>[],
  ],
  regionCode: string,
): {
  items: CrosswalkRegionItem[];
  unplaced: { side: 0 | 1; code: string; nameZh: string }[];
  gep: [string | null, string | null];
} {
  const values = results.map(
    (rs) =>
      new Map(rs.filter((x) => x.regionCode === regionCode).map((x) => [x.indicatorCode, x.value])),
  );
  const walk = crosswalk(contents[0], contents[1]);
  const sumOf = (side: 0 | 1, indicators: { code: string }[]) => {
    if (!indicators.length) return { value: null, missing: [] as string[] };
    const missing = indicators.filter((i) => !values[side].get(i.code)).map((i) => i.code);
    if (missing.length) return { value: null, missing };
    return {
      value: indicators.reduce((s, i) => s.plus(values[side].get(i.code)!), new D(0)),
      missing,
    };
  };
  const items = walk.items.map((item): CrosswalkRegionItem => {
    const [first, second] = ([0, 1] as const).map((side) => {
      const { value, missing } = sumOf(side, item.sides[side].counted);
      return {
        services: item.sides[side].services,
        indicators: item.sides[side].counted,
        value: value?.toString() ?? null,
        missing,
      };
    });
    return {
      code: item.code,
      nameZh: item.nameZh,
      category: item.category,
      ...(item.note ? { note: item.note } : {}),
      presence: item.presence,
      first,
      second,
      difference:
        first.value !== null && second.value !== null
          ? new D(second.value).minus(first.value).toString()
          : null,
    };
  });
  const gep = ([0, 1] as const).map(
    (side) => regionGep(contents[side], results[side], regionCode).total?.toString() ?? null,
  ) as [string | null, string | null];
  return { items, unplaced: walk.unplaced, gep };
}

export interface CrosswalkRegionItem {
  code: string;
  nameZh: string;
  category: string;
  note?: string;
  presence: 'both' | 'only_first' | 'only_second' | 'neither';
  first: CrosswalkRegionSide;
  second: CrosswalkRegionSide;
  /** second − first (元), when both have a value. */
  difference: string | null;
}

export interface CrosswalkRegionSide {
  services: { code: string; nameZh: string }[];
  indicators: { code: string; nameZh: string }[];
  /** 元; null when the side does not count the item, or one of its indicators has no result. */
  value: string | null;
  /** Counted indicators without a result. */
  missing: string[];
}
