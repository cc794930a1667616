import fc from 'fast-check';
import { MethodologyContent } from '../methodology/methodology-content';
import { crosswalkRegion } from './comparison';
import { computeRun, RunSnapshot } from './run-computation';

/**
 * A run under the crosswalk gives the same item values as the native standard where formulas
 * agree: the same two services, named by the two schools (水源涵养 / 涵养水源, 土壤保持 / 保育
 * 土壤), with the same formulas and prices, give equal items and a zero difference for any data.
 */
const standard = (
  names: [string, string],
  codes: [string, string],
  extra = false,
): MethodologyContent => ({
  indexSets: [],
  services: [
    { code: codes[0], category: 'regulating', nameZh: names[0], nameEn: codes[0] },
    { code: codes[1], category: 'regulating', nameZh: names[1], nameEn: codes[1] },
    ...(extra
      ? [{ code: 'baofei', category: 'regulating' as const, nameZh: '保肥', nameEn: 'baofei' }]
      : []),
  ],
  variables: [
    { code: 'water_kept', nameZh: '水源涵养量', unit: '万m³', department: '水利局' },
    { code: 'soil_kept', nameZh: '土壤保持量', unit: 't', department: '水利局' },
  ],
  parameters: [
    {
      code: 'water_cost',
      nameZh: '库容造价',
      unit: '元/m³',
      values: [{ value: '6.11', source: 'test', evidence: 'verified', region: null }],
    },
    {
      code: 'dredge_cost',
      nameZh: '清淤成本',
      unit: '元/t',
      values: [{ value: '12.6', source: 'test', evidence: 'verified', region: null }],
    },
  ],
  indicators: [
    ['w', codes[0], 'water_kept', 'water_cost', '万m³'],
    ['s', codes[1], 'soil_kept', 'dredge_cost', 't'],
    ...(extra ? [['f', 'baofei', 'soil_kept', 'dredge_cost', 't']] : []),
  ].map(([code, service, variable, price, unit]) => ({
    code: `${codes[0]}_${code}`,
    service,
    nameZh: code,
    nameEn: code,
    quantity: { formula: variable, unit },
    value: { formula: `Q * ${price}`, unit: '万元' },
    valuationMethod: 'replacement_cost' as const,
    citation: 'test',
    evidence: 'verified' as const,
    counted: true,
  })),
});

const rcees = standard(['水源涵养', '土壤保持'], ['wc', 'sr']);
const forestry = standard(['涵养水源', '保育土壤'], ['hy', 'by'], true);

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 9999 }))
  .map(([i, f]) => `${i}.${String(f).padStart(4, '0')}`);

describe('crosswalk (property)', () => {
  it('gives equal items where the formulas agree, whatever the data', () => {
    fc.assert(
      fc.property(decimal, fc.option(decimal, { nil: null }), (water, soil) => {
        const snapshot: RunSnapshot = {
          methodology: { id: 'm', standardId: 'x', version: 1 },
          year: 2024,
          rootRegion: '361130',
          regions: [{ code: '361130', parentCode: null, lineage: ['361130'] }],
          inputs: { '361130': { water_kept: { value: water }, soil_kept: { value: soil } } },
        };
        const c = crosswalkRegion(
          [rcees, forestry],
          [computeRun(rcees, snapshot), computeRun(forestry, snapshot)],
          '361130',
        );
        const item = (code: string) => c.items.find((i) => i.code === code)!;
        const water_ = item('water_conservation');
        expect(water_.presence).toBe('both');
        expect(water_.first.value).not.toBeNull();
        expect(water_.second.value).toBe(water_.first.value);
        expect(water_.difference).toBe('0');
        const soil_ = item('soil_retention');
        if (soil === null) {
          // not reported: neither side has a value, and nothing is compared
          expect([soil_.first.value, soil_.second.value, soil_.difference]).toEqual([
            null,
            null,
            null,
          ]);
        } else {
          expect(soil_.second.value).toBe(soil_.first.value);
          expect(soil_.difference).toBe('0');
        }
        expect(item('fertility_retention').presence).toBe('only_second');
        expect(item('fertility_retention').first.value).toBeNull();
      }),
      { numRuns: 60 },
    );
  });
});
