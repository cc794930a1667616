import {
  Category,
  Evidence,
  IndicatorContent,
  MethodologyPackage,
  ParameterContent,
  ValuationMethod,
  VariableContent,
} from '../../../src/accounting/methodology/methodology-content';

/*
 * A methodology shaped on the national trial specification 《生态产品总值核算规范（试行）》
 * (发改基础〔2022〕481号). The specification's own text has not been checked (see
 * ../shared/domain/gep-methodology.md, "Main limitation"): indicators, formulas and default
 * parameters follow the RCEES case papers the specification was drafted from, and every item
 * carries its evidence mark. Values marked `unconfirmed` must be checked against the official
 * text before they are relied on; indicators outside the recalled national list are present
 * but not counted (`counted: false`).
 *
 * Conventions: annual flows are totals for the accounting year (mm, t, 万m³, not per a);
 * value formulas come out in 万元; `Q` is the indicator's own physical quantity.
 */

const GARZE =
  '白玛卓嘎, 肖燚, 欧阳志云, 王莉雁. 甘孜藏族自治州生态系统生产总值核算研究. 生态学报 2017, 37(19):6302-6312';
const BAIYANGDIAN =
  '江波 et al. 白洋淀湿地生态系统最终服务价值评估. 生态学报 2017, 37(8):2497-2505';
const YOUYANG =
  'Youyang county (Chongqing) GEP platform defaults, public source code (price year not shown)';
const BO2017 = '博文静 et al. 2017, 生态学报 37(12):4182-4190';
const SPEC = '《生态产品总值核算规范（试行）》发改基础〔2022〕481号 (text not checked)';
const LY1721 = 'LY/T 1721-2008 森林生态系统服务功能评估规范 (recalled; not checked)';

const v = (
  code: string,
  nameZh: string,
  unit: string,
  department: string,
  extra: Partial<VariableContent> = {},
): VariableContent => ({
  code,
  nameZh,
  unit,
  department,
  ...(NON_NEGATIVE.has(code) ? { nonNegative: true } : {}),
  ...extra,
});

/**
 * Quantities that cannot be below 0 (areas, counts, lengths, rainfall, emissions, RUSLE factors,
 * shares): a negative entry is refused at every entry path. Money and net fluxes (NEP, which a
 * source can make negative) are left signed.
 */
const NON_NEGATIVE = new Set(
  (
    'population water_use hydro_generation precipitation storm_runoff evapotranspiration eco_area ' +
    'rusle_r rusle_k rusle_ls rusle_c rusle_p potential_wind_erosion actual_wind_erosion ' +
    'protected_coastline lake_area reservoir_capacity marsh_area air_emissions ' +
    'water_pollutant_emissions vegetation_area ac_days pest_recovered_area ion_forest_area ' +
    'stand_height ion_concentration ion_lifetime species_area tourist_visits ' +
    'landscape_floor_area cvm_population cvm_share'
  ).split(' '),
);

const p = (
  code: string,
  nameZh: string,
  unit: string,
  value: string | Record<string, string>,
  source: string,
  evidence: Evidence,
  extra: Partial<ParameterContent> & { priceYear?: number; low?: string; high?: string } = {},
): ParameterContent => {
  const { priceYear, low, high, ...rest } = extra;
  return {
    code,
    nameZh,
    unit,
    ...rest,
    values: [
      {
        value,
        source,
        evidence,
        region: null,
        priceYear: priceYear ?? null,
        low: low ?? null,
        high: high ?? null,
      },
    ],
  };
};

const ind = (
  code: string,
  service: string,
  nameZh: string,
  nameEn: string,
  quantity: [string, string] | null,
  value: string,
  valuationMethod: ValuationMethod,
  citation: string,
  evidence: Evidence,
  extra: Partial<IndicatorContent> = {},
): IndicatorContent => ({
  code,
  service,
  nameZh,
  nameEn,
  quantity: quantity ? { formula: quantity[0], unit: quantity[1] } : null,
  value: { formula: value, unit: '万元' },
  valuationMethod,
  citation,
  evidence,
  counted: true,
  ...extra,
});

const svc = (code: string, category: Category, nameZh: string, nameEn: string) => ({
  code,
  category,
  nameZh,
  nameEn,
});

export const NDRC_NBS_2022_TRIAL: MethodologyPackage = {
  format: 'gep-methodology/1',
  standardId: 'ndrc-nbs-2022-trial',
  version: 1,
  name: '生态产品总值核算规范（试行）指标体系（依据研究文献整理）',
  sourceDocument: `${SPEC}; formulas per RCEES case papers (${GARZE}; ${BAIYANGDIAN})`,
  description:
    'Shaped on the 2022 national trial specification; the official text was not available. Every formula and parameter cites its source and evidence (verified / secondary / unconfirmed). Check unconfirmed items against the official text before publication of results.',
  indexSets: [
    {
      code: 'ecosystem',
      name: '生态系统类型',
      items: [
        { code: 'forest', name: '森林' },
        { code: 'shrub', name: '灌丛' },
        { code: 'grassland', name: '草地' },
        { code: 'wetland', name: '湿地' },
        { code: 'farmland', name: '农田' },
        { code: 'urban', name: '城镇' },
        { code: 'glacier_snow', name: '冰川/永久积雪' },
        { code: 'bare_land', name: '荒漠/裸地' },
        { code: 'water', name: '水体' },
      ],
    },
    {
      code: 'vegetation',
      name: '植被类型（蒸腾）',
      items: [
        { code: 'forest', name: '森林' },
        { code: 'shrub', name: '灌丛' },
        { code: 'grassland', name: '草地' },
      ],
    },
    {
      code: 'water_use',
      name: '用水类型',
      items: [
        { code: 'domestic', name: '生活' },
        { code: 'industrial', name: '工业' },
        { code: 'agricultural', name: '农业' },
      ],
    },
    {
      code: 'air_pollutant',
      name: '大气污染物',
      // tonnes of SO₂, NOₓ and dust are different substances: reported per item, never summed
      quantityAdditive: false,
      items: [
        { code: 'so2', name: '二氧化硫' },
        { code: 'nox', name: '氮氧化物' },
        { code: 'dust', name: '工业粉尘' },
      ],
    },
    {
      code: 'water_pollutant',
      name: '水污染物',
      quantityAdditive: false,
      items: [
        { code: 'cod', name: '化学需氧量' },
        { code: 'nh3n', name: '氨氮' },
        { code: 'tp', name: '总磷' },
      ],
    },
    {
      code: 'pest_cover',
      name: '病虫害自然恢复地类',
      items: [
        { code: 'forest', name: '森林' },
        { code: 'grassland', name: '草地' },
      ],
    },
  ],
  services: [
    svc('agriculture', 'provisioning', '农业产品', 'agricultural products'),
    svc('forestry', 'provisioning', '林业产品', 'forestry products'),
    svc('livestock', 'provisioning', '畜牧业产品', 'livestock products'),
    svc('fishery', 'provisioning', '渔业产品', 'fishery products'),
    svc('water_supply', 'provisioning', '水资源', 'water supply'),
    svc('eco_energy', 'provisioning', '生态能源', 'ecological energy'),
    svc('other_products', 'provisioning', '其他', 'other products'),
    svc('water_conservation', 'regulating', '水源涵养', 'water conservation'),
    svc('soil_retention', 'regulating', '土壤保持', 'soil retention'),
    svc('sand_fixation', 'regulating', '防风固沙', 'wind-erosion prevention'),
    svc('coastal_protection', 'regulating', '海岸带防护', 'coastal protection'),
    svc('flood_regulation', 'regulating', '洪水调蓄', 'flood regulation'),
    svc('air_purification', 'regulating', '空气净化', 'air purification'),
    svc('water_purification', 'regulating', '水质净化', 'water purification'),
    svc('carbon_sequestration', 'regulating', '固碳', 'carbon sequestration'),
    svc('oxygen_release', 'regulating', '释氧', 'oxygen release'),
    svc('climate_regulation', 'regulating', '气候调节', 'climate regulation'),
    svc('pest_control', 'regulating', '病虫害控制', 'pest and disease control'),
    svc('negative_ions', 'regulating', '负氧离子', 'negative air ions'),
    svc('noise_reduction', 'regulating', '噪声消减', 'noise reduction'),
    svc('species_conservation', 'regulating', '物种保育', 'species conservation'),
    svc('recreation', 'cultural', '休闲旅游', 'recreation and tourism'),
    svc('landscape', 'cultural', '景观价值', 'landscape value'),
    svc('non_use', 'cultural', '非使用价值', 'non-use value'),
  ],
  variables: [
    v('population', '常住人口', '人', '统计局', {
      description: 'For GEP per capita; not used by an indicator.',
    }),
    v('gdp', '地区生产总值（GDP）', '万元', '统计局', {
      description: 'For GEP/GDP (GGI); not used by an indicator.',
    }),
    v('agriculture_gross_output', '农业产值', '万元', '统计局', {
      description: 'Gross output value (产值); record whether gross or net is used.',
    }),
    v('forestry_gross_output', '林业产值', '万元', '统计局'),
    v('livestock_gross_output', '畜牧业产值', '万元', '统计局'),
    v('fishery_gross_output', '渔业产值', '万元', '统计局'),
    v('other_products_gross_output', '其他生态产品产值（苗木花卉等）', '万元', '统计局'),
    v('water_use', '用水量', '万m³', '水利局', { index: 'water_use' }),
    v('hydro_generation', '水电发电量', '万kWh', '发改委/电网'),
    v('precipitation', '降水量', 'mm', '气象局', { index: 'ecosystem' }),
    v('storm_runoff', '暴雨径流量', 'mm', '水利局', { index: 'ecosystem' }),
    v('evapotranspiration', '蒸散发量', 'mm', '气象局', { index: 'ecosystem' }),
    v('eco_area', '生态系统面积', 'km²', '自然资源局', { index: 'ecosystem' }),
    v('rusle_r', '降雨侵蚀力因子 R', 'MJ·mm/(hm²·h)', '水利局', { index: 'ecosystem' }),
    v('rusle_k', '土壤可蚀性因子 K', 't·hm²·h/(hm²·MJ·mm)', '水利局', { index: 'ecosystem' }),
    v('rusle_ls', '坡长坡度因子 LS', '1', '水利局', { index: 'ecosystem' }),
    v('rusle_c', '植被覆盖与管理因子 C', '1', '水利局', { index: 'ecosystem' }),
    v('rusle_p', '水土保持措施因子 P', '1', '水利局', { index: 'ecosystem' }),
    v('potential_wind_erosion', '潜在风蚀量（RWEQ）', 't', '气象局', { index: 'ecosystem' }),
    v('actual_wind_erosion', '实际风蚀量（RWEQ）', 't', '气象局', { index: 'ecosystem' }),
    v('protected_coastline', '受生态系统防护的海岸线长度', 'km', '自然资源局'),
    v('seawall_unit_cost', '单位长度海堤工程造价', '万元/km', '水利局', {
      description: 'Local engineering cost; no national default has been sourced.',
    }),
    v('lake_area', '湖泊面积', 'km²', '水利局'),
    v('reservoir_capacity', '水库总库容', '万m³', '水利局'),
    v('marsh_area', '沼泽面积', 'km²', '自然资源局'),
    v('air_emissions', '大气污染物排放量', 't', '生态环境局', { index: 'air_pollutant' }),
    v('air_purification_capacity', '生态系统大气污染物净化能力', 't', '林业局', {
      index: 'air_pollutant',
    }),
    v('water_pollutant_emissions', '水污染物排放量', 't', '生态环境局', {
      index: 'water_pollutant',
    }),
    v('water_purification_capacity', '湿地水污染物净化能力', 't', '生态环境局', {
      index: 'water_pollutant',
    }),
    v('carbon_fixed', '生态系统固碳量（NEP）', 'tC', '林业局', { index: 'ecosystem' }),
    v('transpiration_heat', '单位面积植被蒸腾消耗热量', 'kJ/(m²·d)', '气象局', {
      index: 'vegetation',
    }),
    v('vegetation_area', '植被面积', 'km²', '自然资源局', { index: 'vegetation' }),
    v('ac_days', '空调开放天数', 'd', '气象局'),
    v('water_evaporation', '水面蒸发量', '万m³', '气象局'),
    v('pest_recovered_area', '病虫害自然恢复面积', 'hm²', '林业局', { index: 'pest_cover' }),
    v('ion_forest_area', '林分面积（负氧离子）', 'hm²', '林业局'),
    v('stand_height', '林分高度', 'm', '林业局'),
    v('ion_concentration', '林分负离子浓度', '个/cm³', '林业局'),
    v('ion_lifetime', '负离子寿命', 'min', '林业局'),
    v('noise_reduction_estimate', '噪声消减价值（地方核算）', '万元', '生态环境局', {
      description: 'No formula has been sourced; enter the value of a local study.',
    }),
    v('species_area', '物种保育面积', 'hm²', '林业局'),
    v('species_unit_cost', '单位面积物种损失机会成本', '元/hm²', '林业局'),
    v('tourist_visits', '游客人次', '万人次', '文旅局'),
    v('spending_per_visit', '人均旅游花费（旅行费用）', '元/人次', '文旅局'),
    v('landscape_floor_area', '受益于生态景观的住宅/商业面积', 'm²', '住建局'),
    v('landscape_premium', '景观溢价', '元/m²', '住建局'),
    v('cvm_population', '支付人群人数', '人', '统计局'),
    v('cvm_mean_wtp', '月均支付意愿', '元/(人·月)', '统计局'),
    v('cvm_share', '愿意支付比例', '%', '统计局'),
  ],
  parameters: [
    p(
      'water_price',
      '水价',
      '元/m³',
      { domestic: '2.6', industrial: '3.6', agricultural: '0.07' },
      `《中国物价年鉴》2011, via ${GARZE}`,
      'verified',
      { index: 'water_use', priceYear: 2010 },
    ),
    p('electricity_price', '电价', '元/kWh', '0.53', GARZE, 'verified', {
      priceYear: 2010,
      low: '0.52',
      high: '0.53',
    }),
    p(
      'reservoir_cost',
      '水库单位库容工程造价',
      '元/m³',
      '7.06',
      `${LY1721.replace(' (recalled; not checked)', '')}, via ${GARZE}`,
      'verified',
      { priceYear: 2010, low: '6.11', high: '7.06' },
    ),
    p('siltation_coef', '泥沙淤积系数', '1', '0.24', `${GARZE}; ${YOUYANG}`, 'verified'),
    p('soil_bulk_density', '土壤容重', 't/m³', '0.93', GARZE, 'verified', {
      low: '0.93',
      high: '1.125',
    }),
    p('dredging_cost', '水库清淤工程费用', '元/m³', '15.58', GARZE, 'verified', {
      priceYear: 2010,
      low: '15.58',
      high: '19.76',
    }),
    p('soil_n_content', '土壤纯氮含量', '%', '0.37', `侯元兆 1995, via ${GARZE}`, 'verified'),
    p('soil_p_content', '土壤纯磷含量', '%', '0.108', `侯元兆 1995, via ${GARZE}`, 'verified'),
    p(
      'n_treatment_cost',
      '氮处理成本',
      '元/t',
      '875',
      `2003 排污费征收标准, via ${GARZE}`,
      'verified',
      { priceYear: 2010 },
    ),
    p(
      'p_treatment_cost',
      '磷处理成本',
      '元/t',
      '2800',
      `2003 排污费征收标准, via ${GARZE}`,
      'verified',
      { priceYear: 2010 },
    ),
    p('sand_bulk_density', '沙砾堆积密度', 't/m³', '1.28', GARZE, 'verified'),
    p('sand_cover_thickness', '土壤沙化标准覆沙厚度', 'm', '0.1', GARZE, 'verified'),
    p('sand_control_cost', '治沙工程平均成本', '元/m²', '3.75', GARZE, 'verified', {
      priceYear: 2010,
    }),
    p(
      'lake_reg_a',
      '湖泊调蓄回归常数 a（青藏高原湖泊）',
      '1',
      '6.636',
      `饶恩明 et al. 2014, 生态学报 34(21), via ${GARZE}`,
      'verified',
      {
        description:
          'ln C = a + b ln A; coefficients are for Qinghai-Tibet plateau lakes; other regions need their own.',
      },
    ),
    p(
      'lake_reg_b',
      '湖泊调蓄回归系数 b',
      '1',
      '0.678',
      `饶恩明 et al. 2014, via ${GARZE}`,
      'verified',
    ),
    p(
      'lake_reg_area_unit',
      '回归式面积单位',
      'km²',
      '1',
      'definition of the regression (A in km²)',
      'verified',
    ),
    p(
      'lake_reg_volume_unit',
      '回归式调蓄量单位',
      '万m³',
      '1',
      'definition of the regression (C in 万m³)',
      'verified',
    ),
    p('lake_exchange_times', '湖泊年换水次数 T', '1', '1', GARZE, 'verified'),
    p(
      'reservoir_flood_share',
      '水库防洪库容占总库容比例',
      '1',
      '0.35',
      `饶恩明 2014, via ${GARZE}`,
      'verified',
    ),
    p(
      'marsh_detention_depth',
      '沼泽地表滞水深度',
      'm',
      '0.3',
      `${GARZE} (the paper labels the result 万m³; it is m³)`,
      'verified',
    ),
    p(
      'air_treatment_cost',
      '大气污染物治理成本',
      '元/t',
      { so2: '1200', nox: '630', dust: '150' },
      GARZE,
      'verified',
      { index: 'air_pollutant', priceYear: 2010 },
    ),
    p(
      'water_treatment_cost',
      '水污染物治理成本',
      '元/t',
      { cod: '700', nh3n: '875', tp: '2800' },
      `${GARZE} (COD, NH₃-N); TP at the P treatment cost 2800 元/t of the same paper — unconfirmed for TP`,
      'unconfirmed',
      {
        index: 'water_pollutant',
        priceYear: 2010,
      },
    ),
    p(
      'carbon_price',
      '固碳价格（造林成本）',
      '元/tC',
      '1320',
      `李文华 2008, via ${BAIYANGDIAN}`,
      'verified',
      { low: '380', high: '1320' },
    ),
    p(
      'oxygen_price',
      '氧气价格',
      '元/t',
      '1000',
      `卫生部医用氧价格, via ${BAIYANGDIAN}; ${YOUYANG}`,
      'verified',
      { low: '727', high: '1000' },
    ),
    p('ac_eer', '空调能效比', '1', '3', `${BO2017}; ${YOUYANG}`, 'verified'),
    p('water_density', '水的密度', 'kg/m³', '1000', 'physics', 'verified'),
    p('latent_heat', '水的汽化潜热', 'J/g', '2450', `${YOUYANG} (≈2450 J/g at 20 °C)`, 'verified', {
      low: '2257',
      high: '2450',
    }),
    p('humidifier_energy', '加湿器将1m³水转化为蒸汽的耗电量', 'kWh/m³', '120', YOUYANG, 'verified'),
    p(
      'pest_control_cost',
      '病虫害防治费用',
      '元/hm²',
      { forest: '375', grassland: '112.5' },
      GARZE,
      'verified',
      { index: 'pest_cover', priceYear: 2010 },
    ),
    p('ion_cost', '负离子生产费用', '元/个', '0.0000000000000000058185', LY1721, 'unconfirmed'),
    p('ion_threshold', '负离子浓度阈值', '个/cm³', '600', LY1721, 'unconfirmed'),
    p('accounting_period', '核算期', 'a', '1', 'definition: one accounting year', 'verified'),
    p('wtp_period', '年支付月数', '月', '12', BAIYANGDIAN, 'verified'),
  ],
  // GEP per km², per capita and GEP/GDP, and the allocation figures, read these variables
  regionFigures: { area: 'eco_area', population: 'population', gdp: 'gdp' },
  parcel: {
    indexSet: 'ecosystem',
    areaVariable: 'eco_area',
    variables: [
      'precipitation',
      'storm_runoff',
      'evapotranspiration',
      'rusle_r',
      'rusle_k',
      'rusle_ls',
      'rusle_c',
      'rusle_p',
      'potential_wind_erosion',
      'actual_wind_erosion',
      'carbon_fixed',
    ],
    // Model-based regulating services (gep-methodology.md §8). Not per parcel: output values,
    // water supply, hydropower, tourism (county statistics), air and water purification (capped
    // at county emissions), flood regulation (lakes and reservoirs), climate regulation (county
    // air-conditioning days and water-surface evaporation).
    indicators: ['water_conservation', 'soil_retention', 'sand_fixation', 'carbon', 'oxygen'],
  },
  validationRules: [
    {
      code: 'precipitation_range',
      kind: 'range',
      severity: 'error',
      variable: 'precipitation',
      min: '0',
      max: '5000',
      message: '年降水量应在 0–5000 mm 之间',
    },
    {
      code: 'eco_area_required',
      kind: 'required',
      severity: 'error',
      variable: 'eco_area',
      message: '各生态系统类型面积必须填报（没有的类型填 0）',
    },
    {
      code: 'wind_erosion_order',
      kind: 'compare',
      severity: 'error',
      variable: 'actual_wind_erosion',
      op: '<=',
      other: 'potential_wind_erosion',
      message: '实际风蚀量不应大于潜在风蚀量',
    },
    {
      code: 'visits_yoy',
      kind: 'yoy_change',
      severity: 'warning',
      variable: 'tourist_visits',
      maxChangePercent: '30',
      message: '游客人次同比变化超过 30%，请说明原因',
    },
  ],
  indicators: [
    ind(
      'agriculture',
      'agriculture',
      '农业产品',
      'agricultural products',
      null,
      'agriculture_gross_output',
      'market_value',
      `${SPEC}; ${GARZE}`,
      'secondary',
      {
        documentation:
          'Output value from statistics. The Garzé case used net output (净产值); record the basis per run.',
      },
    ),
    ind(
      'forestry',
      'forestry',
      '林业产品',
      'forestry products',
      null,
      'forestry_gross_output',
      'market_value',
      `${SPEC}; ${GARZE}`,
      'secondary',
    ),
    ind(
      'livestock',
      'livestock',
      '畜牧业产品',
      'livestock products',
      null,
      'livestock_gross_output',
      'market_value',
      `${SPEC}; ${GARZE}`,
      'secondary',
    ),
    ind(
      'fishery',
      'fishery',
      '渔业产品',
      'fishery products',
      null,
      'fishery_gross_output',
      'market_value',
      `${SPEC}; ${GARZE}`,
      'secondary',
    ),
    ind(
      'water_supply',
      'water_supply',
      '水资源',
      'water supply',
      ['water_use', '万m³'],
      'Q .* water_price',
      'market_value',
      GARZE,
      'verified',
      {
        overlaps: ['water_conservation', 'hydropower'],
        documentation:
          'V = Σ_i Q_i × P_i by water use. The same water is also valued by water conservation and hydropower; an imported-water deduction (GB/T 46869—2025) is not modelled here.',
      },
    ),
    ind(
      'hydropower',
      'eco_energy',
      '生态能源（水电）',
      'hydropower',
      ['hydro_generation', '万kWh'],
      'Q * electricity_price',
      'market_value',
      GARZE,
      'verified',
      {
        overlaps: ['water_supply', 'water_conservation'],
        documentation:
          'Whether hydropower is an ecosystem product is disputed; counted here because 生态能源 is in the recalled national list (unconfirmed).',
      },
    ),
    ind(
      'other_products',
      'other_products',
      '其他产品',
      'other products',
      null,
      'other_products_gross_output',
      'market_value',
      SPEC,
      'unconfirmed',
    ),
    ind(
      'water_conservation',
      'water_conservation',
      '水源涵养',
      'water conservation',
      ['(precipitation - storm_runoff - evapotranspiration) .* eco_area', '万m³'],
      'Q * reservoir_cost',
      'shadow_project',
      `${GARZE} eq. 2`,
      'verified',
      {
        overlaps: ['water_supply', 'hydropower'],
        documentation:
          'Q_wr = Σ_i (P_i − R_i − ET_i) · A_i; V = Q_wr × reservoir construction cost per m³.',
      },
    ),
    ind(
      'soil_retention',
      'soil_retention',
      '土壤保持',
      'soil retention',
      ['rusle_r .* rusle_k .* rusle_ls .* (1 - rusle_c .* rusle_p) .* eco_area', 't'],
      'siltation_coef * Q / soil_bulk_density * dredging_cost + Q * (soil_n_content * n_treatment_cost + soil_p_content * p_treatment_cost)',
      'replacement_cost',
      `${GARZE} eqs 4–5`,
      'verified',
      {
        documentation:
          'USLE/RUSLE: A_p − A_r = R·K·LS·(1 − C·P) per hm², × area. Value = reduced siltation λ·A/ρ·P_s + reduced N and P pollution.',
      },
    ),
    ind(
      'sand_fixation',
      'sand_fixation',
      '防风固沙',
      'wind-erosion prevention',
      ['potential_wind_erosion - actual_wind_erosion', 't'],
      'Q / (sand_bulk_density * sand_cover_thickness) * sand_control_cost',
      'replacement_cost',
      `${GARZE} eq. 6; RWEQ (Fryrear et al.)`,
      'verified',
      {
        documentation:
          'Sand fixed = potential − actual wind erosion (RWEQ, computed by the reporting department); the area that would be covered = Q/(ρ·h).',
      },
    ),
    ind(
      'coastal_protection',
      'coastal_protection',
      '海岸带防护',
      'coastal protection',
      ['protected_coastline', 'km'],
      'Q * seawall_unit_cost',
      'replacement_cost',
      SPEC,
      'unconfirmed',
      {
        documentation:
          'Length of coastline protected by mangroves, salt marsh, reefs or beaches × local seawall cost per km. Inland regions report 0 km.',
      },
    ),
    ind(
      'flood_regulation',
      'flood_regulation',
      '洪水调蓄',
      'flood regulation',
      [
        'exp(lake_reg_a) * (lake_area / lake_reg_area_unit) ^ lake_reg_b * lake_reg_volume_unit * lake_exchange_times + reservoir_flood_share * reservoir_capacity + marsh_detention_depth * marsh_area',
        '万m³',
      ],
      'Q * reservoir_cost',
      'shadow_project',
      `${GARZE}; 饶恩明 et al. 2014`,
      'verified',
      {
        documentation:
          'Lakes: C = e^6.636 · A^0.678 · T (万m³, A in km²); reservoirs 35 % of total capacity; marshes 0.3 m detention.',
      },
    ),
    ind(
      'air_purification',
      'air_purification',
      '空气净化',
      'air purification',
      ['min(air_emissions, air_purification_capacity)', 't'],
      'Q .* air_treatment_cost',
      'avoided_cost',
      GARZE,
      'verified',
      {
        documentation:
          'Purified amount per pollutant, capped at emissions (the cap as a written rule is unconfirmed).',
      },
    ),
    ind(
      'water_purification',
      'water_purification',
      '水质净化',
      'water purification',
      ['min(water_pollutant_emissions, water_purification_capacity)', 't'],
      'Q .* water_treatment_cost',
      'avoided_cost',
      GARZE,
      'verified',
      { documentation: 'COD, NH₃-N and TP, capped at emissions.' },
    ),
    ind(
      'carbon',
      'carbon_sequestration',
      '固碳',
      'carbon sequestration',
      ['carbon_fixed * CO2_PER_C', 'tCO2'],
      'Q * C_PER_CO2 * carbon_price',
      'replacement_cost',
      `${BO2017} (NEP); ${BAIYANGDIAN}`,
      'verified',
      {
        overlaps: ['oxygen'],
        documentation:
          'Carbon fixed (NEP, t C) reported as t CO₂; priced per t C (afforestation cost), so the value converts back explicitly with C_PER_CO2.',
      },
    ),
    ind(
      'oxygen',
      'oxygen_release',
      '释氧',
      'oxygen release',
      ['carbon_fixed * O2_PER_C', 't'],
      'Q * oxygen_price',
      'replacement_cost',
      BAIYANGDIAN,
      'verified',
      {
        overlaps: ['carbon'],
        counted: false,
        documentation:
          'O₂ = 32/12 × C. The national specification reportedly counts only carbon (unconfirmed): computed, not counted.',
      },
    ),
    ind(
      'climate_regulation',
      'climate_regulation',
      '气候调节',
      'climate regulation',
      [
        'sum(transpiration_heat .* vegetation_area) * ac_days / ac_eer + water_evaporation * water_density * latent_heat + water_evaporation * humidifier_energy',
        '万kWh',
      ],
      'Q * electricity_price',
      'replacement_cost',
      `${GARZE} eqs 11–12`,
      'verified',
      {
        documentation:
          'Vegetation transpiration cooling (air-conditioner electricity) + water-surface evaporation (heat + humidifier electricity). kJ → kWh is done by the units (no /3600 in the formula).',
      },
    ),
    ind(
      'pest_control',
      'pest_control',
      '病虫害控制',
      'pest and disease control',
      ['pest_recovered_area', 'hm²'],
      'Q .* pest_control_cost',
      'avoided_cost',
      GARZE,
      'verified',
      {
        counted: false,
        documentation: 'Older RCEES framework; not in the recalled national list.',
      },
    ),
    ind(
      'negative_ions',
      'negative_ions',
      '负氧离子',
      'negative air ions',
      null,
      'ion_forest_area * stand_height * (ion_concentration - ion_threshold) * ion_cost / ion_lifetime * accounting_period',
      'replacement_cost',
      LY1721,
      'unconfirmed',
      {
        counted: false,
        documentation:
          'U = 5.256×10¹⁵ · A · H · K · (Q − 600) / L; the constant is produced by the units (hm²·m per cm³, a per min).',
      },
    ),
    ind(
      'noise_reduction',
      'noise_reduction',
      '噪声消减',
      'noise reduction',
      null,
      'noise_reduction_estimate',
      'replacement_cost',
      'DB3201/T 1041-2021 (目次 only)',
      'unconfirmed',
      {
        counted: false,
        documentation: 'No formula sourced; the value of a local study is entered directly.',
      },
    ),
    ind(
      'species_conservation',
      'species_conservation',
      '物种保育',
      'species conservation',
      ['species_area', 'hm²'],
      'Q * species_unit_cost',
      'equivalent_factor',
      LY1721,
      'unconfirmed',
      {
        counted: false,
        documentation:
          'Excluded by the RCEES school as a supporting service (博文静 2017); kept for standards that count it.',
      },
    ),
    ind(
      'recreation',
      'recreation',
      '休闲旅游',
      'recreation and tourism',
      ['tourist_visits', '万人次'],
      'Q * spending_per_visit',
      'travel_cost',
      `${BAIYANGDIAN}; ${GARZE}`,
      'secondary',
      {
        documentation:
          'Visits × travel cost per visit (expenditure + time cost + consumer surplus where surveyed).',
      },
    ),
    ind(
      'landscape',
      'landscape',
      '景观价值',
      'landscape value',
      ['landscape_floor_area', 'm²'],
      'Q * landscape_premium',
      'hedonic',
      SPEC,
      'unconfirmed',
    ),
    ind(
      'non_use',
      'non_use',
      '非使用价值',
      'non-use value',
      null,
      'cvm_mean_wtp * cvm_share * cvm_population * wtp_period',
      'contingent_valuation',
      BAIYANGDIAN,
      'verified',
      {
        counted: false,
        documentation:
          'Contingent valuation; used in the Baiyangdian case, in no standard as far as known.',
      },
    ),
  ],
};
