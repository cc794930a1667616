import { D } from '../../common/decimal';
import { inLanguage } from '../../common/i18n/text';
import { MethodologyContent } from '../methodology/methodology-content';
import { validateMethodology } from '../methodology/methodology-model';
import { RunSnapshot } from './run-computation';
import { runUncertainty, triangular } from './run-uncertainty';

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
});
