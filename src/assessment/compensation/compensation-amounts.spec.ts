import { D, Dec } from '../../common/decimal';
import { GepFigure } from '../../accounting/runs/published-gep';
import {
  allocationAmounts,
  forestAmounts,
  RecipientFigures,
  rewardDeductionAmounts,
} from './compensation-amounts';

/** The scheme types' arithmetic, without a database: what the loaders read is all they see. */
const run = {
  id: 'run-2023',
  year: 2023,
  methodologyVersion: 1,
  complete: true,
  incompleteReason: null,
};
const figures = (gep: string | null): Record<GepFigure, Dec | null> => ({
  gep: gep === null ? null : new D(gep),
  gep_prev: null,
  gep_real_change: gep === null ? null : new D('0.08'),
  area: new D('100'),
  population: new D('10000'),
  gdp: null,
});
const loaded = (...geps: (string | null)[]): RecipientFigures => ({
  current: run,
  previous: null,
  regions: geps.map((gep, i) => ({
    code: `36113010${i + 1}`,
    name: `乡镇${i + 1}`,
    figures: figures(gep),
    gaps: gep === null ? { gep: ['水源涵养'], gep_real_change: ['水源涵养'] } : {},
  })),
});
const allocation = (extra: object = {}) => ({
  id: 'scheme-1',
  content: { standardId: 'ndrc-nbs-2022-trial', weight: 'gep', source: '测试方案', ...extra },
});

describe('compensation amounts (pure, one function per scheme type)', () => {
  it('allocates a budget in proportion to GEP, to the fen, summing to the budget', () => {
    const r = allocationAmounts(allocation(), loaded('300', '100'), 2023, new D('1000'));
    expect(r.amounts.map((a) => a.amount?.toFixed(2))).toEqual(['750.00', '250.00']);
    expect(r.inputs).toMatchObject({ gepRun: run, recipients: [{ figures: { gep: '300' } }, {}] });
    // the same inputs hash the same; another budget does not
    expect(
      allocationAmounts(allocation(), loaded('300', '100'), 2023, new D('1000')).inputsSha256,
    ).toBe(r.inputsSha256);
    expect(
      allocationAmounts(allocation(), loaded('300', '100'), 2023, new D('999')).inputsSha256,
    ).not.toBe(r.inputsSha256);
  });

  it('gives no allocation amount at all when one recipient lacks its GEP, unless the scheme excludes it', () => {
    const blocked = allocationAmounts(allocation(), loaded('300', null), 2023, new D('1000'));
    expect(blocked.amounts.map((a) => a.amount)).toEqual([null, null]);
    expect(blocked.amounts[1].explanation).toMatchObject({ notComputable: true });
    const excluded = allocationAmounts(
      allocation({ missingFigures: { rule: 'exclude', basis: '方案第 5 条' } }),
      loaded('300', null),
      2023,
      new D('1000'),
    );
    expect(excluded.amounts.map((a) => a.amount?.toFixed(2))).toEqual(['1000.00', '0.00']);
    expect(JSON.stringify(excluded.amounts[1].explanation)).toContain('方案第 5 条');
  });

  it('pays no base for a reward/deduction measure over a missing figure, unless the scheme keeps it', () => {
    const scheme = (extra: object = {}) => ({
      id: 'scheme-2',
      content: {
        standardId: 'ndrc-nbs-2022-trial',
        measure: 'gep_real_change',
        base: '5000',
        classes: [
          { label: '基本稳定', upTo: '0.05', effect: 'none' },
          { label: '明显变好', above: '0.05', effect: 'reward', percent: '10' },
        ],
        source: '测试方案',
        ...extra,
      },
    });
    const r = rewardDeductionAmounts(scheme(), loaded('300', null), 2023);
    expect(r.amounts[0]).toMatchObject({ eligible: true, explanation: { class: '明显变好' } });
    expect(r.amounts[0].amount?.toFixed(2)).toBe('5500.00');
    expect(r.amounts[1].amount).toBeNull();
    const kept = rewardDeductionAmounts(
      scheme({ missingFigures: { rule: 'keep_base', basis: '方案第 7 条' } }),
      loaded('300', null),
      2023,
    );
    expect(kept.amounts[1].amount?.toFixed(2)).toBe('5000.00');
  });

  it('pays forest areas at every matching rate and leaves an area without a rate unknown, not smaller', () => {
    const inputs = {
      year: 2023,
      areas: [
        {
          regionCode: '361130101',
          forestLevel: 'national',
          ownership: 'collective',
          zone: 'general',
          areaMu: '1000.5',
          source: '林业局',
        },
        {
          regionCode: '361130102',
          forestLevel: 'national',
          ownership: 'collective',
          zone: 'general',
          areaMu: '10',
          source: '林业局',
        },
        {
          regionCode: '361130102',
          forestLevel: 'local',
          ownership: 'collective',
          zone: 'general',
          areaMu: '10',
          source: '林业局',
        },
      ],
      recipients: [
        { regionCode: '361130101', name: '乡镇1', figures: {} },
        { regionCode: '361130102', name: '乡镇2', figures: {} },
      ],
    };
    const r = forestAmounts(
      {
        id: 'scheme-3',
        content: {
          source: '测试方案',
          rates: [
            { fundedBy: '中央财政', forestLevel: 'national', rate: '16', managementPercent: '1' },
            { fundedBy: '省级财政', forestLevel: 'national', rate: '5.5' },
          ],
        },
      },
      inputs,
    );
    // 1000.5 亩 × (16 + 5.5) 元 = 21510.75 元
    expect(r.amounts[0].amount?.toFixed(2)).toBe('21510.75');
    expect(r.amounts[1]).toMatchObject({ amount: null, eligible: false });
  });
});
