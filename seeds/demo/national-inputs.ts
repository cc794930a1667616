import { D } from '../../src/common/decimal';
import { InputSource } from '../../src/formula/model';
import { MethodologyContent } from '../../src/accounting/methodology/methodology-content';

/**
 * Plausible survey inputs for one county-sized region under the national methodology — DEMO
 * DATA, not official figures. `k` (0 ≤ k < 1) varies the region so that many regions differ.
 */
export function demoNationalInputs(k = 0.5, scale = 1): Record<string, InputSource> {
  const f = (base: number, spread = 0.3) => (base * (1 - spread + 2 * spread * k)).toFixed(4);
  /** Extensive quantities (areas, outputs, emissions, visits…) shrink with the region. */
  const x = (base: number, spread = 0.3) =>
    (base * scale * (1 - spread + 2 * spread * k)).toFixed(4);
  const ex = (values: Record<string, number>, spread = 0.3) =>
    Object.fromEntries(Object.entries(values).map(([key, v]) => [key, x(v, spread)]));
  const eco = (values: Record<string, number>, spread = 0.3) =>
    Object.fromEntries(Object.entries(values).map(([key, x]) => [key, f(x, spread)]));
  const ECO = [
    'forest',
    'shrub',
    'grassland',
    'wetland',
    'farmland',
    'urban',
    'glacier_snow',
    'bare_land',
    'water',
  ];
  const perEco = (x: Record<string, number>) => Object.fromEntries(ECO.map((e) => [e, x[e] ?? 0]));
  // keys in sorted order, as a run's snapshot holds them (see buildRunSnapshot)
  const v = (value: InputSource['value']): InputSource => ({
    source: '演示数据（非官方）',
    value:
      value && typeof value === 'object' && !(value instanceof D)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value,
  });
  const inputs: Record<string, InputSource> = {
    population: v(x(360000)),
    gdp: v(x(2600000)),
    agriculture_gross_output: v(x(180000)),
    forestry_gross_output: v(x(60000)),
    livestock_gross_output: v(x(90000)),
    fishery_gross_output: v(x(25000)),
    other_products_gross_output: v(x(8000)),
    water_use: v(ex({ domestic: 1800, industrial: 2600, agricultural: 9000 })),
    hydro_generation: v(x(12000)),
    precipitation: v(
      eco(
        perEco({
          forest: 1850,
          shrub: 1800,
          grassland: 1780,
          wetland: 1820,
          farmland: 1790,
          urban: 1760,
          glacier_snow: 0,
          bare_land: 1700,
          water: 1800,
        }),
      ),
    ),
    storm_runoff: v(
      eco(
        perEco({
          forest: 280,
          shrub: 320,
          grassland: 380,
          wetland: 200,
          farmland: 520,
          urban: 1100,
          bare_land: 900,
          water: 0,
        }),
      ),
    ),
    evapotranspiration: v(
      eco(
        perEco({
          forest: 780,
          shrub: 720,
          grassland: 650,
          wetland: 900,
          farmland: 700,
          urban: 300,
          bare_land: 250,
          water: 1000,
        }),
      ),
    ),
    eco_area: v(
      ex(
        perEco({
          forest: 2300,
          shrub: 90,
          grassland: 60,
          wetland: 45,
          farmland: 330,
          urban: 70,
          bare_land: 5,
          water: 50,
        }),
      ),
    ),
    rusle_r: v(
      eco(
        perEco({
          forest: 9000,
          shrub: 9000,
          grassland: 9000,
          wetland: 9000,
          farmland: 9000,
          urban: 9000,
          bare_land: 9000,
          water: 0,
        }),
      ),
    ),
    rusle_k: v(
      eco(
        perEco({
          forest: 0.03,
          shrub: 0.03,
          grassland: 0.032,
          wetland: 0.02,
          farmland: 0.035,
          urban: 0.03,
          bare_land: 0.04,
        }),
      ),
    ),
    rusle_ls: v(
      eco(
        perEco({
          forest: 4.5,
          shrub: 4,
          grassland: 3,
          wetland: 0.5,
          farmland: 1.5,
          urban: 1,
          bare_land: 3,
        }),
      ),
    ),
    rusle_c: v(
      eco(
        perEco({
          forest: 0.01,
          shrub: 0.05,
          grassland: 0.08,
          wetland: 0.01,
          farmland: 0.3,
          urban: 0.5,
          bare_land: 1,
          water: 1,
        }),
        0.1,
      ),
    ),
    rusle_p: v(
      eco(
        perEco({
          forest: 1,
          shrub: 1,
          grassland: 1,
          wetland: 1,
          farmland: 0.5,
          urban: 1,
          bare_land: 1,
          water: 1,
        }),
        0,
      ),
    ),
    potential_wind_erosion: v(ex(perEco({ grassland: 1200, farmland: 3000, bare_land: 800 }))),
    actual_wind_erosion: v(ex(perEco({ grassland: 300, farmland: 1500, bare_land: 700 }))),
    protected_coastline: v('0'),
    seawall_unit_cost: v('3000'),
    lake_area: v(x(12)),
    reservoir_capacity: v(x(18000)),
    marsh_area: v(x(8)),
    air_emissions: v(ex({ so2: 1800, nox: 2400, dust: 3100 })),
    air_purification_capacity: v(ex({ so2: 9000, nox: 1600, dust: 50000 })),
    water_pollutant_emissions: v(ex({ cod: 5200, nh3n: 640, tp: 90 })),
    water_purification_capacity: v(ex({ cod: 2100, nh3n: 700, tp: 40 })),
    carbon_fixed: v(
      ex(perEco({ forest: 520000, shrub: 12000, grassland: 4000, wetland: 9000, farmland: 15000 })),
    ),
    transpiration_heat: v(eco({ forest: 2600, shrub: 2100, grassland: 1600 })),
    vegetation_area: v(ex({ forest: 2300, shrub: 90, grassland: 60 })),
    ac_days: v(f(95, 0.2)),
    water_evaporation: v(x(9000)),
    pest_recovered_area: v(ex({ forest: 4200, grassland: 300 })),
    ion_forest_area: v(x(230000)),
    stand_height: v(f(12, 0.2)),
    ion_concentration: v(f(1800, 0.4)),
    ion_lifetime: v('10'),
    noise_reduction_estimate: v(x(500)),
    species_area: v(x(230000)),
    species_unit_cost: v('3000'),
    tourist_visits: v(x(2400)),
    spending_per_visit: v(f(820, 0.2)),
    landscape_floor_area: v(x(850000)),
    landscape_premium: v(f(260)),
    cvm_population: v(x(370000)),
    cvm_mean_wtp: v('8.5'),
    cvm_share: v('70'),
  };
  // variables in code order too: the snapshot's query orders them so, and its JSON is then
  // written without sorting (see canonicalJson)
  return Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The values a department's form holds for the given inputs: one row per variable and index item. */
export function demoFormRows(
  content: MethodologyContent,
  inputs: Record<string, InputSource>,
  department: string,
): { variable: string; item: string; value: string | null; unit: string }[] {
  return content.variables
    .filter((v) => (v.department ?? '未指定') === department)
    .flatMap((v) => {
      const x = inputs[v.code]?.value ?? null;
      return x !== null && typeof x === 'object'
        ? Object.entries(x as Record<string, string>).map(([item, value]) => ({
            variable: v.code,
            item,
            value,
            unit: v.unit,
          }))
        : [{ variable: v.code, item: '', value: x === null ? null : String(x), unit: v.unit }];
    });
}
