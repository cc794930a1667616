import { inLanguage } from '../common/i18n/text';
import { compileModel, evaluateModel, ModelDefinition, ModelError } from './model';

/**
 * 固定二氧化碳 (GB/T 46869—2025 A.7) by three methods chosen by data availability: biomass
 * increment, fixation rate, NEP. A second indicator values the first's quantity.
 */
const model = (alt?: Partial<ModelDefinition['indicators'][number]>): ModelDefinition => ({
  indexSets: [],
  variables: [
    { code: 'biomass_increment', unit: 't' },
    { code: 'forest_area', unit: 'hm²' },
    { code: 'nep', unit: 'tC/hm²' },
  ],
  parameters: [
    { code: 'carbon_fraction', unit: 'tC/t' },
    { code: 'fixation_rate', unit: 'tC/hm²' },
    { code: 'carbon_price', unit: '元/tCO2' },
  ],
  indicators: [
    {
      code: 'co2_fixation',
      method: 'biomass',
      quantity: { formula: 'biomass_increment * carbon_fraction * CO2_PER_C', unit: 'tCO2' },
      value: { formula: 'Q * carbon_price', unit: '元' },
      alternatives: [
        {
          code: 'rate',
          quantity: { formula: 'forest_area * fixation_rate * CO2_PER_C', unit: 'tCO2' },
          value: { formula: 'Q * carbon_price', unit: '元' },
        },
        {
          code: 'nep',
          quantity: { formula: 'forest_area * nep * CO2_PER_C', unit: 'tCO2' },
          value: { formula: 'Q * carbon_price', unit: '元' },
        },
      ],
      ...alt,
    },
    {
      code: 'carbon_credit',
      value: { formula: 'co2_fixation_value * 0.5', unit: '元' },
    },
  ],
});

const inputs = {
  biomass_increment: { value: '1000' },
  forest_area: { value: '200' },
  nep: { value: '2' },
  carbon_fraction: { value: '0.5' },
  fixation_rate: { value: '1.5' },
  carbon_price: { value: '50' },
};

const problems = (def: ModelDefinition): { path: string; message: string }[] => {
  try {
    compileModel(def);
  } catch (e) {
    if (e instanceof ModelError)
      return e.problems.map((p) => ({ path: p.path, message: inLanguage(p.message, 'en') }));
    throw e;
  }
  return [];
};

describe('alternative methods of an indicator', () => {
  const compiled = compileModel(model());

  it('uses the main method when its inputs are reported, and says so', () => {
    const r = evaluateModel(compiled, inputs).get('co2_fixation')!;
    expect(r.method).toBe('biomass');
    expect(r.quantity!.total.toFixed(4)).toBe('1833.3333'); // 1000 t × 0.5 tC/t × 44/12
    expect(r.value!.total.eq(r.quantity!.total.times(50))).toBe(true);
    expect(r.trace.method).toBe('biomass');
    expect(r.trace.methods).toEqual([
      { method: 'biomass', chosen: true, missing: [] },
      { method: 'rate', chosen: false, missing: [] },
      { method: 'nep', chosen: false, missing: [] },
    ]);
  });

  it('falls to the first method whose inputs are all reported, naming what the others lack', () => {
    const r = evaluateModel(compiled, { ...inputs, biomass_increment: { value: null } });
    const co2 = r.get('co2_fixation')!;
    expect(co2.method).toBe('rate');
    expect(co2.quantity!.total.toString()).toBe('1100'); // 200 hm² × 1.5 tC × 44/12
    expect(co2.trace.valueFormula).toBe('Q * carbon_price');
    expect(co2.trace.quantityFormula).toBe('forest_area * fixation_rate * CO2_PER_C');
    expect(co2.trace.methods![0]).toEqual({
      method: 'biomass',
      chosen: false,
      missing: ['biomass_increment'],
    });
    // the dependent indicator is valued from the method that was used
    expect(r.get('carbon_credit')!.value!.total.toString()).toBe('27500');
  });

  it('uses the method a rule requires, even when another could run, and nothing else', () => {
    const r = evaluateModel(compiled, inputs, (c) => (c === 'co2_fixation' ? 'nep' : undefined));
    expect(r.get('co2_fixation')!.method).toBe('nep');
    expect(r.get('co2_fixation')!.quantity!.total.toFixed(4)).toBe('1466.6667'); // 200 × 2 × 44/12
    const without = evaluateModel(compiled, { ...inputs, nep: { value: null } }, () => 'nep');
    const co2 = without.get('co2_fixation')!;
    expect(co2.value).toBeNull(); // not the biomass figure that could have been computed
    expect(co2.method).toBe('nep');
    expect(co2.missing).toEqual(['nep']);
    expect(co2.trace.methods!.find((m) => m.method === 'nep')).toMatchObject({ required: true });
    expect(without.get('carbon_credit')!.value).toBeNull();
  });

  it('has no result when no method can run (missing is never zero)', () => {
    const r = evaluateModel(compiled, {
      ...inputs,
      biomass_increment: { value: null },
      forest_area: { value: null },
    });
    const co2 = r.get('co2_fixation')!;
    expect(co2.value).toBeNull();
    expect(co2.missing).toEqual(['biomass_increment']);
    expect(co2.trace.methods!.map((m) => m.missing)).toEqual([
      ['biomass_increment'],
      ['forest_area'],
      ['forest_area'],
    ]);
  });

  it('refuses alternatives that give other units, unnamed main methods and repeated codes', () => {
    expect(
      problems(
        model({
          alternatives: [
            {
              code: 'rate',
              quantity: { formula: 'forest_area * fixation_rate', unit: 'tC' },
              value: { formula: 'Q * CO2_PER_C * carbon_price', unit: '元' },
            },
          ],
        }),
      ),
    ).toEqual([
      {
        path: 'indicators[0].alternatives[0]',
        message: expect.stringContaining(
          "must give the quantity and value in the main method's units",
        ),
      },
    ]);
    expect(problems(model({ method: null }))).toEqual([
      { path: 'indicators[0].method', message: expect.stringContaining('name its main method') },
    ]);
    expect(problems(model({ method: 'rate' }))).toEqual([
      { path: 'indicators[0].alternatives[0].code', message: 'method code rate is used twice' },
    ]);
    expect(
      problems(
        model({
          alternatives: [
            {
              code: 'rate',
              quantity: { formula: 'forest_area * no_such_rate', unit: 'tCO2' },
              value: { formula: 'Q * carbon_price', unit: '元' },
            },
          ],
        }),
      )[0].path,
    ).toBe('indicators[0].alternatives[0].quantity.formula');
  });
});
