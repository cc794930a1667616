import { D } from '../../common/decimal';
import {
  checkCrossSection,
  CrossSectionContent,
  MonitoringReading,
  settleCrossSection,
} from './cross-section';

const base: CrossSectionContent = {
  section: 's',
  pollutants: [
    { code: 'NH3N', limit: '1.0' },
    { code: 'TP', limit: '0.2' },
  ],
  tier: { kind: 'per_step', stepSize: '0.2', amountPerStep: '100000', rounding: 'ceil' },
  compliantMonthReward: '50000',
  source: 'test',
};

/** Twelve months of both pollutants at the given concentrations (defaults: compliant). */
const year = (over: Record<string, [string | null, MonitoringReading['state']?]> = {}) =>
  Array.from({ length: 12 }, (_, i) => i + 1).flatMap((month) =>
    (['NH3N', 'TP'] as const).map((pollutant): MonitoringReading => {
      const [c, state] = over[`${pollutant}${month}`] ?? [pollutant === 'TP' ? '0.1' : '0.5'];
      return {
        month,
        pollutant,
        concentration: c === null ? null : new D(c),
        inflow: null,
        state: state ?? 'normal',
      };
    }),
  );

describe('cross-section settlement', () => {
  it('per 0.2× step (衡水 shape): 1.32 mg/L NH₃-N → x = 0.32 → 2 started steps; rewards the compliant months', () => {
    const s = settleCrossSection(base, year({ NH3N8: ['1.32'], TP7: ['0.23'] }));
    expect(s.upstreamPays.toString()).toBe('300000'); // 2 × 10万 (Aug NH₃-N) + 1 × 10万 (Jul TP, x = 0.15)
    expect(s.rewardMonths).toEqual([1, 2, 3, 4, 5, 6, 9, 10, 11, 12]);
    expect(s.downstreamPays.toString()).toBe('500000');
    const aug = s.byPollutant[0].months.find((m) => m.month === 8)!;
    expect(aug.exceedance!.toString()).toBe('0.32');
  });

  it('Hebei 2016: dry and frozen months are not scored, the annual cap holds, the inflow exemption applies', () => {
    const hebei: CrossSectionContent = {
      ...base,
      pollutants: [{ code: 'NH3N', limit: '1.0' }],
      tier: {
        kind: 'steps',
        steps: [
          { above: '0', upTo: '0.5', amount: '100000' },
          { above: '0.5', upTo: '1.0', amount: '500000' },
        ],
      },
      compliantMonthReward: null,
      annualCap: '5000000',
      exemptWhenInflowExceeds: true,
    };
    const readings = Array.from({ length: 12 }, (_, i): MonitoringReading => ({
      month: i + 1,
      pollutant: 'NH3N',
      concentration: i === 0 ? null : new D('1.8'), // x = 0.8 → 50万 a month
      inflow: i === 1 ? new D('2.0') : null, // February: inflow already worse, no increase
      state: i === 0 ? 'frozen' : 'normal',
    }));
    const s = settleCrossSection(hebei, readings);
    const months = s.byPollutant[0].months;
    expect(months[0]).toMatchObject({ amount: new D(0), note: 'not scored (frozen)' });
    expect(months[1].note).toMatch(/^exempt/);
    // 10 scored months × 50万 = 500万 = the cap exactly; nothing beyond
    expect(s.upstreamPays.toString()).toBe('5000000');
    const sumMonths = months.reduce((a, m) => a.plus(m.amount), new D(0));
    expect(sumMonths.toString()).toBe('5000000');
  });

  it('Zhoukou base × (1 + x) through an agreement', () => {
    const zhoukou: CrossSectionContent = {
      ...base,
      pollutants: [{ code: 'COD', limit: '40' }],
      tier: {
        kind: 'base_times_one_plus_x',
        steps: [
          { above: '0.1', upTo: '0.5', amount: '100000' },
          { above: '0.5', upTo: '1.0', amount: '250000' },
        ],
      },
      compliantMonthReward: null,
    };
    const s = settleCrossSection(zhoukou, [
      { month: 3, pollutant: 'COD', concentration: new D('52'), inflow: null, state: 'normal' }, // x = 0.3
      { month: 4, pollutant: 'COD', concentration: new D('44'), inflow: null, state: 'normal' }, // x = 0.1: no band
    ]);
    expect(s.upstreamPays.toString()).toBe('130000');
    expect(s.gaps).toHaveLength(10); // months without readings are stated
  });

  it('P index (Xin’an): annual means over the basic limits; P ≤ 1 → downstream pays upstream', () => {
    const xinan: CrossSectionContent = {
      ...base,
      pollutants: [
        { code: 'CODMn', limit: '2.0' },
        { code: 'NH3N', limit: '0.1' },
      ],
      tier: { kind: 'p_index', k0: '0.85', amount: '100000000' },
      compliantMonthReward: null,
    };
    const readings: MonitoringReading[] = [1, 2].flatMap((month) => [
      {
        month,
        pollutant: 'CODMn',
        concentration: new D(month === 1 ? '1.8' : '2.2'),
        inflow: null,
        state: 'normal',
      },
      { month, pollutant: 'NH3N', concentration: new D('0.1'), inflow: null, state: 'normal' },
    ]);
    const s = settleCrossSection(xinan, readings);
    // means 2.0 and 0.1 → ratios 1 and 1, equal weights → P = 0.85
    expect(s.pIndex!.p).toBe('0.85');
    expect(s.downstreamPays.toString()).toBe('100000000');
    expect(s.upstreamPays.toString()).toBe('0');
  });

  it('refuses bands out of order, duplicate pollutants and weights that do not sum to 1', () => {
    expect(
      checkCrossSection({
        ...base,
        pollutants: [
          { code: 'TP', limit: '0.2', weight: '0.5' },
          { code: 'TP', limit: '0.2', weight: '0.6' },
        ],
        tier: { kind: 'p_index', k0: '0.9', amount: '1' },
      }).map((p) => p.path),
    ).toEqual(['pollutants[1].code', 'pollutants']);
    expect(
      checkCrossSection({
        ...base,
        tier: {
          kind: 'steps',
          steps: [
            { above: '0', upTo: '0.5', amount: '1' },
            { above: '0.6', upTo: '0.4', amount: '1' },
          ],
        },
      }).map((p) => p.path),
    ).toEqual(['tier.steps[1].upTo', 'tier.steps[1].above']);
  });
});
