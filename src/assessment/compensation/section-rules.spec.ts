import { D } from '../../common/decimal';
import {
  baseTimesOnePlusX,
  exceedance,
  monthlyDeductions,
  perStepAmount,
  pIndex,
  stepAmount,
  tianjinAmount,
  tianjinRanking,
} from './section-rules';

const d = (x: string | number) => new D(x);
const wan = (x: number) => d(x).mul(10_000);

describe('cross-section water-quality rules (golden numbers from compensation.md §3)', () => {
  it('exceedance multiple: (C − limit) / limit, zero when compliant', () => {
    expect(exceedance(d(30), d(20)).toString()).toBe('0.5');
    expect(exceedance(d(19.9), d(20)).toString()).toBe('0');
    expect(() => exceedance(d(1), d(0))).toThrow(RangeError);
  });

  it('Hebei 2009 steps: < 0.5× → 10万 per event, 0.5–1.0× → 50万', () => {
    const hebei = [
      { above: d(0), upTo: d('0.5'), amount: wan(10) },
      { above: d('0.5'), upTo: d(1), amount: wan(50) },
    ];
    expect(stepAmount(d('0.3'), hebei).toString()).toBe('100000');
    expect(stepAmount(d('0.5'), hebei).toString()).toBe('100000');
    expect(stepAmount(d('0.7'), hebei).toString()).toBe('500000');
    expect(stepAmount(d(0), hebei).toString()).toBe('0');
  });

  it('Zhoukou: base by band × (1 + x); river mouths 15万 × (1 + x)', () => {
    const zhoukou = [
      { above: d('0.1'), upTo: d('0.5'), amount: wan(10) },
      { above: d('0.5'), upTo: d('1.0'), amount: wan(25) },
      { above: d('1.0'), upTo: d('1.5'), amount: wan(50) },
      { above: d('1.5'), upTo: d('2.0'), amount: wan(100) },
      { above: d('2.0'), amount: wan(200) },
    ];
    expect(baseTimesOnePlusX(d('0.4'), zhoukou).toString()).toBe('140000'); // 10万 × 1.4
    expect(baseTimesOnePlusX(d('1.2'), zhoukou).toString()).toBe('1100000'); // 50万 × 2.2
    expect(baseTimesOnePlusX(d(3), zhoukou).toString()).toBe('8000000'); // 200万 × 4
    expect(baseTimesOnePlusX(d('0.1'), zhoukou).toString()).toBe('0');
    const mouth = [{ above: d(0), amount: wan(15) }];
    expect(baseTimesOnePlusX(d('0.6'), mouth).toString()).toBe('240000');
  });

  it('衡水: 30万 per 0.2× step, no cap', () => {
    expect(perStepAmount(d('0.4'), d('0.2'), wan(30)).toString()).toBe('600000');
    expect(perStepAmount(d('0.5'), d('0.2'), wan(30)).toString()).toBe('900000');
    expect(perStepAmount(d('0.5'), d('0.2'), wan(30), 'floor').toString()).toBe('600000');
    expect(perStepAmount(d(0), d('0.2'), wan(30)).toString()).toBe('0');
  });

  it('monthly deductions skip dry and frozen months, exempt a polluted inflow that did not rise, and stop at the annual cap', () => {
    const limit = d(20); // COD mg/L
    const tier = (x: InstanceType<typeof D>) => perStepAmount(x, d('0.2'), wan(30));
    const { months, total } = monthlyDeductions(
      [
        { month: 1, outflow: null, state: 'frozen' },
        { month: 2, outflow: d(30), inflow: d(18) }, // x = 0.5 → 3 steps → 90万
        { month: 3, outflow: d(30), inflow: d(32) }, // inflow exceeds, outflow lower → exempt
        { month: 4, outflow: d(34), inflow: d(32) }, // increased: x = 0.7 → 4 steps → 120万
        { month: 5, outflow: d(60) }, // x = 2 → 10 steps → 300万, capped at 500万 − 210万 = 290万
        { month: 6, outflow: d(25) }, // cap reached: 0
        { month: 7, outflow: d(19) }, // compliant
      ],
      limit,
      tier,
      wan(500),
    );
    expect(months.map((m) => m.amount.toString())).toEqual([
      '0',
      '900000',
      '0',
      '1200000',
      '2900000',
      '0',
      '0',
    ]);
    expect(months[0].note).toBe('not scored (frozen)');
    expect(months[2].note).toMatch(/^exempt/);
    expect(months[4].note).toBe('annual cap 5000000 元 reached');
    expect(total.toString()).toBe('5000000');
  });

  it('Tianjin: the rank table sums to zero over 16 districts; ranks by the sum of three ranks', () => {
    const amounts = Array.from({ length: 16 }, (_, i) => tianjinAmount(i + 1));
    expect(amounts.map((a) => a.div(10_000).toNumber())).toEqual([
      140, 120, 100, 80, 60, 40, 20, 0, 0, -20, -40, -60, -80, -100, -120, -140,
    ]);
    expect(amounts.reduce((s, a) => s.plus(a), d(0)).toString()).toBe('0');
    const districts = Array.from({ length: 16 }, (_, i) => ({
      code: `d${String(i + 1).padStart(2, '0')}`,
      ranks: [((i * 5) % 16) + 1, ((i * 3) % 16) + 1, 16 - i] as [number, number, number],
    }));
    const ranking = tianjinRanking(districts);
    expect(ranking.map((r) => r.rank)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(ranking.reduce((s, r) => s.plus(r.amount), d(0)).toString()).toBe('0');
    // sums: d09 has 9+9+8 = 26 … the first place has the smallest sum
    const sums = ranking.map((r) =>
      districts.find((x) => x.code === r.code)!.ranks.reduce((a, b) => a + b),
    );
    expect([...sums].sort((a, b) => a - b)).toEqual(sums);
    expect(() => tianjinAmount(17)).toThrow(RangeError);
  });

  it("Xin'an P index: P ≤ 1 → downstream (Zhejiang) pays upstream (Anhui), else the reverse", () => {
    const pollutants = (scale: number) => [
      { code: 'CODMn', concentration: d(2.0 * scale), basicLimit: d('2.0'), weight: d('0.22') },
      { code: 'NH3N', concentration: d(0.1 * scale), basicLimit: d('0.1'), weight: d('0.22') },
      { code: 'TP', concentration: d(0.02 * scale), basicLimit: d('0.02'), weight: d('0.28') },
      { code: 'TN', concentration: d(1.0 * scale), basicLimit: d('1.0'), weight: d('0.28') },
    ];
    // every ratio 1, weights sum to 1 → P = K0 = 0.90
    const atBaseline = pIndex(d('0.90'), pollutants(1));
    expect(atBaseline.p.toString()).toBe('0.9');
    expect(atBaseline.payer).toBe('downstream');
    // 20 % worse everywhere → P = 0.90 × 1.2 = 1.08
    const worse = pIndex(d('0.90'), pollutants(1.2));
    expect(worse.p.toString()).toBe('1.08');
    expect(worse.payer).toBe('upstream');
    // unweighted: the mean ratio
    const mean = pIndex(d('0.85'), [
      { code: 'CODMn', concentration: d(3), basicLimit: d(2) },
      { code: 'NH3N', concentration: d('0.05'), basicLimit: d('0.1') },
    ]);
    expect(mean.p.toString()).toBe('0.85'); // 0.85 × (1.5 + 0.5) / 2
  });
});
