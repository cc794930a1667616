import { inLanguage } from '../../common/i18n/text';
import { demoNationalInputs } from '../../../seeds/demo/national-inputs';
import { NDRC_NBS_2022_TRIAL } from '../../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { computeRun, RunSnapshot } from './run-computation';
import { gapProblems, gapsWithin, originGaps, runCompleteness } from './run-completeness';

/**
 * A county with three townships: 甲 reports everything, 乙 misses its 林业局 form, 丙 reports
 * nothing. The county's gaps arise in 乙 and 丙; that is where the messages point.
 */
describe('run completeness', () => {
  const content = NDRC_NBS_2022_TRIAL;
  const county = '361130';
  const [a, b, c] = ['361130100', '361130101', '361130102'];
  const full = demoNationalInputs(1 / 3);
  const forestry = new Set(
    content.variables.filter((v) => v.department === '林业局').map((v) => v.code),
  );
  const snapshot: RunSnapshot = {
    methodology: { id: 'm', standardId: content.standardId, version: 1 },
    year: 2022,
    rootRegion: county,
    regions: [
      { code: county, parentCode: null, lineage: ['36', '3611', county] },
      ...[a, b, c].map((code) => ({
        code,
        parentCode: county,
        lineage: ['36', '3611', county, code],
      })),
    ],
    inputs: {
      [a]: full,
      [b]: Object.fromEntries(Object.entries(full).filter(([k]) => !forestry.has(k))),
    },
  };
  const results = computeRun(content, snapshot);
  const completeness = runCompleteness(content, results);
  const counted = content.indicators.filter((i) => i.counted).length;
  const names = new Map([
    [a, '甲镇'],
    [b, '乙镇'],
    [c, '丙镇'],
    [county, '某县'],
  ]);

  it('counts every counted indicator of every region and records the ones without a result', () => {
    expect(completeness.expected).toBe(4 * counted);
    expect(completeness.complete).toBe(false);
    const regions = new Set(completeness.gaps.map((g) => g.regionCode));
    expect([...regions].sort()).toEqual([county, b, c].sort());
    expect(completeness.gaps.filter((g) => g.regionCode === c)).toHaveLength(counted);
  });

  it('is complete when every region reports', () => {
    const all = computeRun(content, { ...snapshot, inputs: { [a]: full, [b]: full, [c]: full } });
    expect(runCompleteness(content, all)).toMatchObject({ complete: true, gaps: [] });
  });

  it('points at the townships where gaps arise, not the county that sums them', () => {
    const origin = originGaps(completeness, snapshot.regions);
    expect(new Set(origin.map((g) => g.regionCode))).toEqual(new Set([b, c]));
    expect(gapsWithin(completeness, snapshot.regions, a)).toEqual([]);
    expect(gapsWithin(completeness, snapshot.regions, county)).toEqual(origin);
  });

  it('says in Chinese (English on request) what to supply: a whole form, or the items of one', () => {
    const origin = originGaps(completeness, snapshot.regions);
    const inBoth = (ps: { path: string; message: string }[]) =>
      ps.map((p) => ({
        path: p.path,
        zh: inLanguage(p.message, 'zh'),
        en: inLanguage(p.message, 'en'),
      }));
    const problems = inBoth(gapProblems(origin, content, names));
    expect(problems.map((p) => p.path)).toEqual([`gaps.${b}`, `gaps.${c}`]);
    expect(problems[0].zh).toMatch(/^乙镇（361130101）：.+无结果；缺少：林业局报表/);
    expect(problems[0].en).toMatch(
      /^乙镇 \(361130101\): no result for .+; missing: .+ of the 林业局 form/,
    );
    expect(problems[1].zh).toContain(`丙镇（361130102）：全部 ${counted} 项计入 GEP 的指标无结果`);
    expect(problems[1].en).toContain(
      `丙镇 (361130102): all ${counted} indicators counted in GEP have no result`,
    );
    expect(problems[1].zh).toContain('统计局报表');
    // with the run's inputs, a region that reported nothing is said to have no form at all
    const told = inBoth(gapProblems(origin, content, names, { inputs: snapshot.inputs }));
    expect(told[1].zh).toMatch(/；缺少：该地区没有任何已审核的报表$/);
    expect(told[1].en).toMatch(/; missing: the region has no approved form$/);
    expect(told[0]).toEqual(problems[0]);
    expect(inBoth(gapProblems(origin, content, names, { limit: 1 }))).toEqual([
      problems[0],
      {
        path: 'gaps',
        zh: '另有 1 个地区存在缺口，未逐一列出',
        en: '1 more region(s) have gaps, not listed',
      },
    ]);
  });
});
