import { demoNationalInputs } from '../../../seeds/demo/national-inputs';
import { NDRC_NBS_2022_TRIAL } from '../../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { D } from '../../common/decimal';
import { evaluateModel } from '../../formula/model';
import {
  compileMethodology,
  resolveParameters,
  summarize,
  validateMethodology,
} from './methodology-model';

describe('national 2022 trial methodology (seed)', () => {
  const content = NDRC_NBS_2022_TRIAL;
  const model = compileMethodology(content);
  const inputs = {
    ...resolveParameters(content, ['360000', '361100', '361130'], 2021),
    ...demoNationalInputs(0.5),
  };
  const results = evaluateModel(model, inputs);
  const wan = (code: string) => results.get(code)!.value!.total;

  it('validates, and cites a source for every parameter value', () => {
    expect(validateMethodology(content)).toEqual([]);
    expect(content.parameters.every((p) => p.values.every((v) => v.source.length > 3))).toBe(true);
  });

  it('covers the indicator catalogue of the domain notes (§3: P1–P7, R1–R14, C1–C3)', () => {
    expect(content.indicators).toHaveLength(24); // P5/P6 and R8/R9 are separate; P1–P4 each their own
    expect(
      content.indicators
        .filter((i) => !i.counted)
        .map((i) => i.code)
        .sort(),
    ).toEqual(
      [
        'negative_ions',
        'noise_reduction',
        'non_use',
        'oxygen',
        'pest_control',
        'species_conservation',
      ].sort(),
    );
  });

  it('evaluates every indicator of a demo region', () => {
    const missing = [...results.values()]
      .filter((r) => !r.value)
      .map((r) => `${r.code}: ${r.error ?? r.missing?.join(',')}`);
    expect(missing).toEqual([]);
    const s = summarize(content, results);
    expect(s.incomplete).toEqual([]);
    expect(s.total?.gt(0)).toBe(true);
  });

  it('negative ions: the units produce the 5.256×10¹⁵ constant of LY/T 1721', () => {
    const x = (c: string) => new D(inputs[c].value as string);
    const expected = new D('5.256e15')
      .times(x('ion_forest_area'))
      .times(x('stand_height'))
      .times('0.0000000000000000058185')
      .times(x('ion_concentration').minus(600))
      .div(x('ion_lifetime'))
      .div(10000); // 元 → 万元
    expect(wan('negative_ions').toSignificantDigits(30).eq(expected.toSignificantDigits(30))).toBe(
      true,
    );
  });

  it('climate regulation: kJ become kWh through the units (no 3600 in the formula)', () => {
    const i = inputs as Record<string, { value: Record<string, string> | string }>;
    const heat = i.transpiration_heat.value as Record<string, string>;
    const area = i.vegetation_area.value as Record<string, string>;
    const kj = Object.keys(heat)
      .reduce((s, k) => s.plus(new D(heat[k]).times(new D(area[k]).times(1e6))), new D(0))
      .times(i.ac_days.value as string)
      .div(3);
    const evap = new D(i.water_evaporation.value as string).times(10000); // m³
    // E·ρ·q: m³ × 1000 kg/m³ × 2450 J/g = E × 1000 × 2450 kJ
    const kwh = kj.plus(evap.times(1000).times(2450)).div(3600).plus(evap.times(120));
    expect(
      results
        .get('climate_regulation')!
        .quantity!.total.toSignificantDigits(30)
        .eq(kwh.div(10000).toSignificantDigits(30)),
    ).toBe(true);
  });

  it('carbon: quantity in t CO₂, priced per t C through an explicit C_PER_CO2', () => {
    const c = results.get('carbon')!;
    const tc = Object.values(inputs.carbon_fixed.value as Record<string, string>).reduce(
      (s, x) => s.plus(x),
      new D(0),
    );
    expect(c.quantity!.total.toDecimalPlaces(6).eq(tc.times(44).div(12).toDecimalPlaces(6))).toBe(
      true,
    );
    expect(c.value!.total.toDecimalPlaces(6).eq(tc.times(1320).div(10000).toDecimalPlaces(6))).toBe(
      true,
    );
  });

  it('purification is capped at emissions, per pollutant', () => {
    const w = results.get('water_purification')!.quantity!.byIndex!;
    const em = inputs.water_pollutant_emissions.value as Record<string, string>;
    const cap = inputs.water_purification_capacity.value as Record<string, string>;
    for (const k of ['cod', 'nh3n', 'tp']) expect(w[k].eq(D.min(em[k], cap[k]))).toBe(true);
  });
});
