import { FieldProblem } from '../../common/errors/domain-error';
import { zhEn } from '../../common/i18n/text';
import { MethodologyContent } from '../methodology/methodology-content';
import { RunCompleteness, RunGap } from './accounting-run.entity';
import { ComputedResult, RunRegion, RunSnapshot } from './run-computation';

/**
 * Which counted indicators of which regions have no result in a run. An uncounted indicator is
 * not part of GEP, so its absence does not make the run incomplete.
 */
export function runCompleteness(
  content: MethodologyContent,
  results: Pick<ComputedResult, 'regionCode' | 'indicatorCode' | 'status' | 'missing'>[],
): RunCompleteness {
  const counted = new Set(content.indicators.filter((i) => i.counted).map((i) => i.code));
  const mine = results.filter((r) => counted.has(r.indicatorCode));
  const gaps: RunGap[] = mine
    .filter((r) => r.status === 'not_computable')
    .map((r) => ({
      regionCode: r.regionCode,
      indicatorCode: r.indicatorCode,
      missing: r.missing ?? [],
    }))
    .sort(gapOrder);
  return { complete: gaps.length === 0, expected: mine.length, gaps };
}

const gapOrder = (a: RunGap, b: RunGap) =>
  a.regionCode === b.regionCode
    ? a.indicatorCode.localeCompare(b.indicatorCode)
    : a.regionCode.localeCompare(b.regionCode);

/** The completeness of a run from that of its parts (disjoint sets of its results). */
export function mergeCompleteness(parts: RunCompleteness[]): RunCompleteness {
  const gaps = parts.flatMap((p) => p.gaps).sort(gapOrder);
  return {
    complete: gaps.length === 0,
    expected: parts.reduce((n, p) => n + p.expected, 0),
    gaps,
  };
}

/**
 * The gaps where they arise: a region's gap that none of its sub-regions in the run shares (a
 * county lacks 水源涵养 because one township's form is missing — the township is where to act).
 */
export function originGaps(completeness: RunCompleteness, regions: RunRegion[]): RunGap[] {
  const has = new Set(completeness.gaps.map((g) => `${g.regionCode}|${g.indicatorCode}`));
  const children = new Map<string, string[]>();
  for (const r of regions)
    if (r.parentCode) children.set(r.parentCode, [...(children.get(r.parentCode) ?? []), r.code]);
  return completeness.gaps.filter(
    (g) => !(children.get(g.regionCode) ?? []).some((k) => has.has(`${k}|${g.indicatorCode}`)),
  );
}

/** The gaps of a region and the regions within it (those the figure depends on). */
export function gapsWithin(
  completeness: RunCompleteness,
  regions: RunRegion[],
  regionCode: string,
): RunGap[] {
  const within = new Set(regions.filter((r) => r.lineage.includes(regionCode)).map((r) => r.code));
  within.add(regionCode);
  return originGaps(completeness, regions).filter((g) => within.has(g.regionCode));
}

/**
 * The gaps as problems a person can act on, one per region where they arise (in Chinese, English
 * on request), naming the indicators and what to supply — whole report forms where a
 * department's are all missing:
 * `gaps.361130102` → 「赋春镇（361130102）：全部 24 项计入 GEP 的指标无结果；缺少：林业局报表、
 * 水利局报表中的降水量」.
 */
export function gapProblems(
  gaps: RunGap[],
  content: MethodologyContent,
  regionNames: Map<string, string>,
  {
    limit = 50,
    inputs,
  }: {
    limit?: number;
    /** The run's inputs: a region with none at all is said to have no approved form. */
    inputs?: RunSnapshot['inputs'];
  } = {},
): FieldProblem[] {
  const indicatorName = new Map(content.indicators.map((i) => [i.code, i.nameZh]));
  const counted = content.indicators.filter((i) => i.counted).length;
  const variable = new Map(content.variables.map((v) => [v.code, v]));
  const byRegion = new Map<string, RunGap[]>();
  for (const g of gaps) byRegion.set(g.regionCode, [...(byRegion.get(g.regionCode) ?? []), g]);
  const problems = [...byRegion].slice(0, limit).map(([code, list]) => {
    const codes = list.map((g) => g.indicatorCode);
    const indicators =
      list.length === counted
        ? zhEn(
            `全部 ${counted} 项计入 GEP 的指标无结果`,
            `all ${counted} indicators counted in GEP have no result`,
          )
        : zhEn(
            `${codes.map((c) => indicatorName.get(c) ?? c).join('、')}无结果`,
            `no result for ${codes.join(', ')}`,
          );
    const nothing = inputs && Object.keys(inputs[code] ?? {}).length === 0;
    const missing = nothing
      ? zhEn('该地区没有任何已审核的报表', 'the region has no approved form')
      : whatToSupply([...new Set(list.flatMap((g) => g.missing))], content, variable);
    const name = regionNames.get(code) ?? code;
    return {
      path: `gaps.${code}`,
      message: zhEn(
        `${name}（${code}）：${indicators}${missing ? `；缺少：${missing}` : ''}`,
        `${name} (${code}): ${indicators}${missing ? `; missing: ${missing}` : ''}`,
      ),
    };
  });
  if (byRegion.size > limit)
    problems.push({
      path: 'gaps',
      message: zhEn(
        `另有 ${byRegion.size - limit} 个地区存在缺口，未逐一列出`,
        `${byRegion.size - limit} more region(s) have gaps, not listed`,
      ),
    });
  return problems;
}

/** Missing inputs grouped by the department that reports them: a whole form, or its items. */
function whatToSupply(
  missing: string[],
  content: MethodologyContent,
  variable: Map<string, MethodologyContent['variables'][number]>,
): string {
  const byDepartment = new Map<string, string[]>();
  const other: [string, string][] = [];
  for (const m of missing) {
    const v = variable.get(m);
    if (v?.department)
      byDepartment.set(v.department, [...(byDepartment.get(v.department) ?? []), m]);
    else other.push([v?.nameZh ?? m, m]);
  }
  const parts = [...byDepartment].map(([department, codes]) => {
    const all = content.variables.filter((v) => v.department === department).length;
    return codes.length === all
      ? zhEn(`${department}报表`, `the ${department} form`)
      : zhEn(
          `${department}报表中的${codes.map((c) => variable.get(c)?.nameZh ?? c).join('、')}`,
          `${codes.join(', ')} of the ${department} form`,
        );
  });
  const others = other.map(([zh, en]) => zhEn(zh, en));
  return parts.length + others.length
    ? zhEn([...parts, ...others].join('、'), [...parts, ...others].join(', '))
    : '';
}
