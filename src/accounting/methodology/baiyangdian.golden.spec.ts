import {
  BAIYANGDIAN_2011_INPUTS,
  BAIYANGDIAN_2017,
} from '../../../seeds/reference/methodologies/rcees-baiyangdian-2017';
import { D } from '../../common/decimal';
import { evaluateModel } from '../../formula/model';
import { parseUnit } from '../../formula/units';
import {
  compileMethodology,
  resolveParameters,
  summarize,
  validateMethodology,
} from './methodology-model';

/**
 * Golden scenario: 江波 et al. 2017, 白洋淀湿地 2011 (../shared/domain/gep-methodology.md §9).
 * Every item and the 35.55 亿元 total at the published precision (2 decimals, 亿元).
 */
describe('Baiyangdian 2011 golden case', () => {
  const content = BAIYANGDIAN_2017;
  const model = compileMethodology(content);
  const params = resolveParameters(content, ['130000'], 2011);
  const results = evaluateModel(model, { ...params, ...BAIYANGDIAN_2011_INPUTS });
  const yi = (code: string) => results.get(code)!.value!.total; // declared in 亿元
  const published = (x: InstanceType<typeof D>) => x.toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);

  it('validates with no problems', () => {
    expect(validateMethodology(content)).toEqual([]);
  });

  it.each([
    ['aquatic', '3.62', '3.62'],
    ['reed', '1.66804', '1.67'],
    ['water', '0.49', '0.49'],
    ['flood', '14.9695', '14.97'],
    ['carbon', '0.2194632', '0.22'],
    ['oxygen', '0.4488', '0.45'],
    ['recreation', '13.146705', '13.15'],
  ])('%s = %s 亿元 (published %s)', (code, exact, pub) => {
    expect(published(yi(code))).toBe(pub);
    expect(yi(code).minus(exact).abs().lt('0.00000001')).toBe(true);
  });

  it('non-use value: three CVM groups, W × 12 × R × N', () => {
    const r = results.get('non_use')!;
    expect(published(r.value!.total)).toBe('0.98');
    expect(r.value!.total.toFixed(7)).toBe('0.9837609');
    expect(Object.keys(r.value!.byIndex!)).toEqual([
      'tourists',
      'county_residents',
      'township_residents',
    ]);
    expect(r.value!.byIndex!.tourists.toFixed(4)).toBe('0.7012');
  });

  it('intermediates: 16 626 t C, 44 880 t O₂, 4460 元/t reed price', () => {
    expect(results.get('carbon')!.quantity!.total.toFixed(0)).toBe('16626');
    expect(results.get('oxygen')!.quantity!.total.toFixed(0)).toBe('44880');
    const reed = results.get('reed')!;
    const yuanPerT = reed
      .value!.total.times(parseUnit('亿元').factor)
      .div(reed.quantity!.total.times(parseUnit('万t').factor).div(parseUnit('t').factor));
    expect(yuanPerT.toString()).toBe('4460');
  });

  it('category subtotals 5.78 / 15.64 / 14.13 and the total 35.55 亿元', () => {
    const s = summarize(content, results);
    const yiyuan = parseUnit('亿元').factor;
    expect(s.incomplete).toEqual([]);
    const { provisioning, regulating, cultural } = s.byCategory;
    const total = s.total;
    if (!provisioning || !regulating || !cultural || !total) throw new Error('incomplete');
    expect(published(provisioning.div(yiyuan))).toBe('5.78');
    expect(published(regulating.div(yiyuan))).toBe('15.64');
    expect(published(cultural.div(yiyuan))).toBe('14.13');
    expect(published(total.div(yiyuan))).toBe('35.55');
    expect(total.div(yiyuan).toFixed(3)).toBe('35.546');
    // per-area value 22.60 ×10⁴ 元/hm² over 15 729 hm²
    expect(total.div(15729).div(10000).toFixed(2)).toBe('22.60');
  });

  it('explains each item down to its inputs and cited prices', () => {
    const trace = results.get('flood')!.trace;
    expect(trace.valueFormula).toBe('Q * reservoir_cost');
    expect(trace.inputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Q', kind: 'self', value: '2.45', unit: '亿m³' }),
        expect.objectContaining({
          name: 'reservoir_cost',
          kind: 'parameter',
          value: '6.11',
          unit: '元/m³',
          source: expect.stringContaining('LY/T 1721-2008'),
        }),
      ]),
    );
  });
});
