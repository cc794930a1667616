import { inLanguage } from '../../common/i18n/text';
import { NDRC_NBS_2022_TRIAL } from '../../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { MethodologyContent } from '../methodology/methodology-content';
import { validateMethodology } from '../methodology/methodology-model';
import { compileParcelModel, parcelProblems, parcelSelectSql } from './parcel-model';
import { resolveParameters } from '../methodology/methodology-model';

const {
  format: _f,
  standardId: _s,
  version: _v,
  name: _n,
  sourceDocument: _d,
  ...NATIONAL
} = NDRC_NBS_2022_TRIAL;
const withParcel = (parcel: Partial<NonNullable<MethodologyContent['parcel']>>) => ({
  ...NATIONAL,
  parcel: { ...NATIONAL.parcel!, ...parcel },
});

describe('parcel model of a methodology', () => {
  it('the national methodology computes its model-based regulating services per parcel', () => {
    expect(parcelProblems(NATIONAL)).toEqual([]);
    expect(compileParcelModel(NATIONAL).indicators).toEqual([
      'water_conservation',
      'soil_retention',
      'sand_fixation',
      'carbon',
      'oxygen',
    ]);
  });

  it('refuses indicators built on county statistics, saying why', () => {
    const problems = parcelProblems(
      withParcel({
        indicators: ['water_conservation', 'climate_regulation', 'water_supply', 'recreation'],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          path: 'parcel.indicators[1]',
          message: expect.stringContaining('uses ac_days, which is not a per-parcel input'),
        },
        {
          path: 'parcel.indicators[2]',
          message: expect.stringContaining('water_price, a parameter per water_use'),
        },
        {
          path: 'parcel.indicators[3]',
          message: expect.stringContaining('uses tourist_visits, which is not a per-parcel input'),
        },
      ]),
    );
    // and a methodology with such a declaration cannot be published
    expect(validateMethodology(withParcel({ indicators: ['recreation'] })).length).toBeGreaterThan(
      0,
    );
  });

  it('checks the declaration itself', () => {
    expect(
      parcelProblems(
        withParcel({
          indexSet: 'colour',
          areaVariable: 'precipitation',
          variables: ['storm_runoff', 'storm_runoff', 'water_use', 'nothing'],
          indicators: [],
        }),
      ).map((p) => `${p.path}: ${inLanguage(p.message, 'en')}`),
    ).toEqual([
      'parcel.indexSet: unknown index set colour',
      'parcel.areaVariable: precipitation is in mm, not an area unit',
      'parcel.areaVariable: precipitation is indexed by ecosystem, not by colour',
      'parcel.variables[0]: storm_runoff is given per ecosystem; a parcel has a single value per variable',
      'parcel.variables[1]: storm_runoff is listed twice',
      'parcel.variables[1]: storm_runoff is given per ecosystem; a parcel has a single value per variable',
      'parcel.variables[2]: water_use is given per water_use; a parcel has a single value per variable',
      'parcel.variables[3]: unknown variable nothing',
      'parcel.indicators: list at least one indicator',
    ]);
  });

  it('compiles to SQL whose constants are numeric, with unit factors folded in', () => {
    const model = compileParcelModel(withParcel({ indicators: ['water_conservation', 'carbon'] }));
    const params = resolveParameters(NATIONAL, ['360000', '361100', '361130'], 2024);
    const sql = parcelSelectSql(model, params, {
      carry: ['p.parcel_id'],
      ecosystem: 'p.ecosystem',
      area: 'p.area_ha',
      input: (_c, i) => `p.inputs[${i + 1}]`,
      from: 'FROM parcels p WHERE p.region_code = $1 AND p.set_id = $2',
    });
    // no division by a bare SQL integer (which would truncate)
    expect(sql).not.toMatch(/\/ (NULLIF\()?\d+[^\d.:]/);
    // mm × hm² → m³ (×10) and m³ → 万m³ (÷10⁴): one factor 0.001 on the stored quantity
    expect(sql).toContain('* 0.001::numeric, 6)');
    expect(sql).toContain('7.06::numeric'); // reservoir cost, 元/m³
    expect(sql).toContain('OFFSET 0');
  });
});
