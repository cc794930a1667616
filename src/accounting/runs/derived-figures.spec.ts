import { D } from '../../common/decimal';
import { inLanguage } from '../../common/i18n/text';
import { NDRC_NBS_2022_TRIAL } from '../../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { validateMethodology } from '../methodology/methodology-model';
import { derivedFigures } from './comparison';
import { RunSnapshot } from './run-computation';

/** Per km², per capita and GEP/GDP read the variables the methodology declares, nothing else. */
describe('derived figures', () => {
  const snapshot = (inputs: RunSnapshot['inputs'][string]): RunSnapshot => ({
    methodology: { id: 'm', standardId: 'ndrc-nbs-2022-trial', version: 1 },
    year: 2022,
    rootRegion: '361130',
    regions: [{ code: '361130', parentCode: null, lineage: ['361130'] }],
    inputs: { '361130': inputs },
  });
  const gep = new D('3000000000'); // 元
  const zh = (absent: { figure: string; reason: string }[]) =>
    absent.map((a) => [a.figure, inLanguage(a.reason, 'zh')]);

  it('reads the declared area (km², items summed), population and GDP (万元 → 元)', () => {
    const d = derivedFigures(
      NDRC_NBS_2022_TRIAL,
      snapshot({
        eco_area: { value: { forest: '2000', water: '947' } },
        population: { value: '350000' },
        gdp: { value: '1500000' },
      }),
      '361130',
      gep,
    );
    expect(d).toMatchObject({
      areaKm2: '2947',
      population: '350000',
      gdp: '15000000000',
      gepToGdp: '0.2',
      absent: [],
    });
    expect(new D(d.gepPerCapita!).toFixed(2)).toBe('8571.43');
  });

  it('says why a figure is absent: not reported, GEP incomplete, not declared', () => {
    const unreported = derivedFigures(
      NDRC_NBS_2022_TRIAL,
      snapshot({ eco_area: { value: '100' } }),
      '361130',
      null,
    );
    expect(zh(unreported.absent)).toEqual([
      ['gepPerKm2', 'GEP 不完整'],
      ['population', '常住人口（population）未填报'],
      ['gepPerCapita', 'GEP 不完整'],
      ['gdp', '地区生产总值（GDP）（gdp）未填报'],
      ['gepToGdp', 'GEP 不完整'],
    ]);
    const undeclared = derivedFigures(
      { ...NDRC_NBS_2022_TRIAL, regionFigures: { area: 'eco_area' } },
      snapshot({ eco_area: { value: '100' }, population: { value: '1000' } }),
      '361130',
      gep,
    );
    expect(undeclared.population).toBeNull(); // reported, but not declared: not guessed
    expect(zh(undeclared.absent)[0]).toEqual([
      'population',
      '核算方法未声明人口变量（regionFigures.population）',
    ]);
  });

  it('refuses a declaration naming an unknown variable or one of the wrong kind', () => {
    const problems = validateMethodology({
      ...NDRC_NBS_2022_TRIAL,
      regionFigures: { area: 'population', population: 'nobody', gdp: 'gdp' },
    }).map((p) => [p.path, inLanguage(p.message, 'zh')]);
    expect(problems).toEqual([
      ['regionFigures.area', 'population 的单位是 人，不是面积'],
      ['regionFigures.population', '未知的变量 nobody'],
    ]);
  });
});
