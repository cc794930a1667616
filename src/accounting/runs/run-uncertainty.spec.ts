import { D } from '../../common/decimal';
import { inLanguage } from '../../common/i18n/text';
import { MethodologyContent } from '../methodology/methodology-content';
import { validateMethodology } from '../methodology/methodology-model';
import { NDRC_NBS_2022_TRIAL } from '../../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { demoNationalInputs } from '../../../seeds/demo/national-inputs';
import { regionGep } from './comparison';
import { computeRun, RunSnapshot } from './run-computation';
import { drawEvaluator, runUncertainty, triangular } from './run-uncertainty';

/** GEP = 10 t × price: linear in one parameter, so its interval is known analytically. */
const content = (low: string, value: string, high: string): MethodologyContent => ({
  indexSets: [],
  services: [{ code: 's', category: 'provisioning', nameZh: '产品', nameEn: 'product' }],
  variables: [{ code: 'x', nameZh: '产量', unit: 't', department: '统计局' }],
  parameters: [
    {
      code: 'price',
      nameZh: '价格',
      unit: '元/t',
      values: [{ value, low, high, source: 'test', evidence: 'verified', region: null }],
    },
  ],
  indicators: [
    {
      code: 'p',
      service: 's',
      nameZh: '产品',
      nameEn: 'product',
      quantity: { formula: 'x', unit: 't' },
      value: { formula: 'Q * price', unit: '元' },
      valuationMethod: 'market_value',
      citation: 'test',
      evidence: 'verified',
      counted: true,
    },
  ],
});
const snapshot: RunSnapshot = {
  methodology: { id: 'm', standardId: 'test', version: 1 },
  year: 2024,
  rootRegion: '361130',
  regions: [{ code: '361130', parentCode: null, lineage: ['361130'] }],
  inputs: { '361130': { x: { value: '10', unit: 't' } } },
};

describe('uncertainty by Monte Carlo', () => {
  it('gives a zero-width interval to a parameter whose range is a point', () => {
    const r = runUncertainty(content('100', '100', '100'), snapshot, '361130', {
      draws: 200,
      seed: 3,
    });
    expect(r.gep).toEqual({
      value: '1000.00',
      mean: '1000.00',
      p05: '1000.00',
      p50: '1000.00',
      p95: '1000.00',
      min: '1000.00',
      max: '1000.00',
    });
    expect(r.sensitivity).toEqual([expect.objectContaining({ parameter: 'price', swing: '0.00' })]);
  });

  it('matches the analytic interval of a linear model (triangular 80, 100, 140)', () => {
    const r = runUncertainty(content('80', '100', '140'), snapshot, '361130', {
      draws: 5000,
      seed: 11,
    });
    // quantiles of triangular(a=80, c=100, b=140), times 10 t
    const q = (u: number) =>
      10 * triangular(new D(80), new D(100), new D(140), new D(u)).toNumber();
    expect(q(0.05)).toBeCloseTo(10 * (80 + Math.sqrt(60)), 6);
    expect(q(0.5)).toBeCloseTo(10 * (140 - Math.sqrt(1200)), 6);
    const near = (got: string | null, want: number) =>
      expect(Math.abs(Number(got) - want) / want).toBeLessThan(0.01);
    near(r.gep.p05, q(0.05));
    near(r.gep.p50, q(0.5));
    near(r.gep.p95, q(0.95));
    near(r.gep.mean, (10 * (80 + 100 + 140)) / 3);
    expect(Number(r.gep.min)).toBeGreaterThanOrEqual(800);
    expect(Number(r.gep.max)).toBeLessThanOrEqual(1400);
    expect(r.sensitivity[0]).toMatchObject({
      parameter: 'price',
      gepAtLow: '800.00',
      gepAtHigh: '1400.00',
      swing: '600.00',
    });
  });

  it('gives the same digits for the same seed, and other digits for another', () => {
    const run = (seed: number) =>
      runUncertainty(content('80', '100', '140'), snapshot, '361130', { draws: 300, seed });
    expect(run(5)).toEqual(run(5));
    expect(run(6).gep.p50).not.toBe(run(5).gep.p50);
  });

  it('has no interval over an incomplete GEP, and says why', () => {
    const r = runUncertainty(
      content('80', '100', '140'),
      { ...snapshot, inputs: { '361130': { x: { value: null } } } },
      '361130',
      { draws: 100, seed: 1 },
    );
    expect(r.gep.value).toBeNull();
    expect(r.gep.p50).toBeNull();
    expect(r.notes.join(' ')).toContain('incomplete');
    // named as the caller names it (the thread has no database)
    const named = runUncertainty(
      content('80', '100', '140'),
      { ...snapshot, inputs: { '361130': { x: { value: null } } } },
      '361130',
      { draws: 10, seed: 1, regionLabel: { zh: '婺源县（361130）', en: '婺源县 (361130)' } },
    );
    expect(named.notes.map((n) => inLanguage(n, 'zh'))).toContainEqual(
      expect.stringMatching(/^婺源县（361130）的 GEP 不完整（/),
    );
    expect(named.notes.map((n) => inLanguage(n, 'en'))).toContainEqual(
      expect.stringMatching(/^GEP of 婺源县 \(361130\) is incomplete/),
    );
    expect(r.notes.map((n) => inLanguage(n, 'zh'))).toContainEqual(
      expect.stringMatching(/^361130 的 GEP 不完整（/),
    );
  });

  it('takes only ranges around the value: the methodology refuses others, a stored one is not drawn', () => {
    expect(
      validateMethodology(content('120', '100', '140')).map(
        (p) => `${p.path}: ${inLanguage(p.message, 'zh')}`,
      ),
    ).toEqual(['parameters[0].values[0].low: 价格（price）的下限 120 大于采用值 100']);
    expect(validateMethodology(content('80', '100', '90')).map((p) => p.path)).toEqual([
      'parameters[0].values[0].high',
    ]);
    const r = runUncertainty(content('120', '100', '140'), snapshot, '361130', {
      draws: 100,
      seed: 1,
    });
    expect(r.parameters).toEqual([]);
    expect(r.gep.p05).toBe('1000.00'); // nothing drawn: the value used, no NaN
  });

  it('evaluates a draw again only where it reaches, and gets what the whole run gives, to the digit', () => {
    // a county of 6 townships: one with a price of its own, one without a reported input (so
    // the county sums its townships where it can and is incomplete where it cannot)
    const county = '361130';
    const towns = Array.from({ length: 6 }, (_, i) => `${county}${100 + i}`);
    const content: MethodologyContent = {
      ...NDRC_NBS_2022_TRIAL,
      parameters: NDRC_NBS_2022_TRIAL.parameters.map((p) =>
        p.code === 'reservoir_cost'
          ? {
              ...p,
              values: [
                ...p.values,
                { ...p.values[0], region: towns[1], value: '6.50', low: '6.00', high: '7.00' },
              ],
            }
          : p,
      ),
    };
    const inputs = Object.fromEntries(
      towns.map((t, i) => [t, demoNationalInputs((i + 0.5) / towns.length)]),
    );
    delete inputs[towns[4]].precipitation;
    const snap: RunSnapshot = {
      methodology: { id: 'm', standardId: 'ndrc-nbs-2022-trial', version: 1 },
      year: 2021,
      rootRegion: county,
      regions: [
        { code: county, parentCode: null, lineage: ['360000', '361100', county] },
        ...towns.map((t) => ({
          code: t,
          parentCode: county,
          lineage: ['360000', '361100', county, t],
        })),
      ],
      inputs,
    };
    const { varied, gepWith } = drawEvaluator(content, snap);
    expect(varied.size).toBeGreaterThan(3);
    const codes = [...varied.keys()];
    // a few settings of the drawn parameters: ends of the ranges, and values in between
    const settings = [0, 1, 2].map(
      (k) => (code: string, v: { low?: string | null; high?: string | null }) =>
        code === codes[k % codes.length] || k === 2
          ? new D(v.low!)
              .plus(new D(v.high!))
              .div(k + 2)
              .toSignificantDigits(12)
          : null,
    );
    for (const pick of settings) {
      const fast = gepWith(pick);
      const whole = computeRun(content, snap, undefined, {
        adjust: (params) =>
          Object.fromEntries(
            Object.entries(params).map(([code, src]) => {
              const v = src.chosen;
              const x =
                v && typeof v.value === 'string' && v.low != null && v.high != null
                  ? pick(code, v)
                  : null;
              return [code, x === null ? src : { ...src, value: x.toString() }];
            }),
          ),
      });
      for (const region of [county, ...towns]) {
        const want = regionGep(content, whole, region);
        const got = fast.get(region)!;
        expect(got.total?.toString() ?? null).toBe(want.total?.toString() ?? null);
        expect(JSON.stringify(got.byService)).toBe(JSON.stringify(want.byService));
        expect(got.incomplete).toEqual(want.incomplete);
      }
      expect(fast.get(towns[4])!.total).toBeNull(); // incomplete in every draw, never zero
      expect(fast.get(towns[0])!.total).not.toBeNull();
    }
  });

  it("draws a region inside a run over its subtree only, with the interval the whole run's draws give it", () => {
    // a city of two counties of three townships, one township with two villages
    const city = '361100';
    const regions: RunSnapshot['regions'] = [{ code: city, parentCode: null, lineage: [city] }];
    for (const county of ['361130', '361181'])
      for (const [i, code] of [county, `${county}100`, `${county}101`, `${county}102`].entries()) {
        const parent = i === 0 ? city : county;
        const lineage = i === 0 ? [city, code] : [city, county, code];
        regions.push({ code, parentCode: parent, lineage });
        if (code === '361130101')
          for (const v of ['001', '002'])
            regions.push({ code: code + v, parentCode: code, lineage: [...lineage, code + v] });
      }
    const leaves = regions.filter((r) => !regions.some((c) => c.parentCode === r.code));
    const snap: RunSnapshot = {
      methodology: { id: 'm', standardId: 'ndrc-nbs-2022-trial', version: 1 },
      year: 2021,
      rootRegion: city,
      regions,
      inputs: Object.fromEntries(
        leaves.map((r, i) => [r.code, demoNationalInputs((i + 0.5) / leaves.length, 1 / 8)]),
      ),
    };
    const options = { draws: 40, seed: 3 };
    const whole = runUncertainty(NDRC_NBS_2022_TRIAL, snap, city, options);
    const county = runUncertainty(NDRC_NBS_2022_TRIAL, snap, '361130', options);
    expect(Object.keys(county.byRegion).sort()).toEqual(
      regions
        .filter((r) => r.lineage.includes('361130'))
        .map((r) => r.code)
        .sort(),
    );
    expect(county.parameters).toEqual(whole.parameters);
    expect(county.gep.p50).not.toBeNull();
    expect(county.gep).toEqual(whole.byRegion['361130']);
    for (const code of Object.keys(county.byRegion))
      expect({ code, interval: county.byRegion[code] }).toEqual({
        code,
        interval: whole.byRegion[code],
      });
  });
});
