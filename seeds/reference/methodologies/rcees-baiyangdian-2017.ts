import { MethodologyPackage } from '../../../src/accounting/methodology/methodology-content';

const PAPER =
  '江波, 陈媛媛, 肖洋, 赵娟娟, 欧阳志云. 白洋淀湿地生态系统最终服务价值评估. 生态学报 2017, 37(8):2497-2505';

/**
 * The Baiyangdian wetland 2011 case (final ecosystem services, 8 indicators) as a methodology.
 * Reproduces the paper's table: total 35.55 亿元 (exact 35.546…). Inputs for 2011 are in
 * `BAIYANGDIAN_2011_INPUTS`. See ../shared/domain/gep-methodology.md §9.
 */
export const BAIYANGDIAN_2017: MethodologyPackage = {
  format: 'gep-methodology/1',
  standardId: 'rcees-baiyangdian-2017',
  version: 1,
  name: '白洋淀湿地生态系统最终服务价值评估（2011）',
  sourceDocument: `${PAPER}. DOI 10.5846/stxb201410091984`,
  description: 'Research case: final services only, accounting year 2011, wetland area 157.29 km².',
  indexSets: [
    {
      code: 'reed_grade',
      name: '芦苇品质等级',
      items: [
        { code: 'high', name: '优' },
        { code: 'medium', name: '中' },
        { code: 'low', name: '差' },
      ],
    },
    {
      code: 'flood_event',
      name: '水位连续上涨过程',
      items: [
        { code: 'event1', name: '第一次' },
        { code: 'event2', name: '第二次' },
      ],
    },
    {
      code: 'cvm_group',
      name: '支付意愿人群',
      items: [
        { code: 'tourists', name: '游客' },
        { code: 'county_residents', name: '县城居民' },
        { code: 'township_residents', name: '乡镇居民' },
      ],
    },
  ],
  services: [
    {
      code: 'aquatic_products',
      category: 'provisioning',
      nameZh: '淡水产品',
      nameEn: 'aquatic products',
    },
    {
      code: 'raw_materials',
      category: 'provisioning',
      nameZh: '原材料生产',
      nameEn: 'raw materials',
    },
    {
      code: 'water_supply',
      category: 'provisioning',
      nameZh: '水资源供给',
      nameEn: 'water provision',
    },
    {
      code: 'flood_regulation',
      category: 'regulating',
      nameZh: '调蓄洪水',
      nameEn: 'flood regulation',
    },
    {
      code: 'carbon_sequestration',
      category: 'regulating',
      nameZh: '固碳',
      nameEn: 'carbon sequestration',
    },
    { code: 'oxygen_release', category: 'regulating', nameZh: '释氧', nameEn: 'oxygen release' },
    { code: 'recreation', category: 'cultural', nameZh: '休闲娱乐', nameEn: 'recreation' },
    { code: 'non_use', category: 'cultural', nameZh: '非使用价值', nameEn: 'non-use value' },
  ],
  variables: [
    { code: 'aquatic_output', nameZh: '淡水产品产量', unit: 't', department: '农业农村局' },
    {
      code: 'aquatic_output_value_stat',
      nameZh: '淡水产品产值（统计年鉴）',
      unit: '元',
      department: '统计局',
    },
    { code: 'reed_output', nameZh: '芦苇产量（干物质）', unit: 't', department: '林业局' },
    {
      code: 'water_provision_volume',
      nameZh: '水资源供给量',
      unit: 'm³',
      department: '水利局',
      description:
        '入淀径流 + 降水 − 出淀径流 − 蒸发 − 蓄水变化 (water balance, computed by the reporting department)',
    },
    {
      code: 'flood_storage_gain',
      nameZh: '水位上涨过程蓄水增量',
      unit: 'm³',
      index: 'flood_event',
      department: '水利局',
    },
    { code: 'visits', nameZh: '游客人次', unit: '人次', department: '文旅局' },
    {
      code: 'cvm_population',
      nameZh: '支付人群人数',
      unit: '人',
      index: 'cvm_group',
      department: '统计局',
    },
  ],
  parameters: [
    {
      code: 'reed_grade_share',
      nameZh: '芦苇品质构成',
      unit: '%',
      index: 'reed_grade',
      values: [
        {
          value: { high: '40', medium: '40', low: '20' },
          source: PAPER,
          evidence: 'verified',
          priceYear: 2011,
        },
      ],
    },
    {
      code: 'reed_price',
      nameZh: '芦苇价格',
      unit: '元/t',
      index: 'reed_grade',
      values: [
        {
          value: { high: '7000', medium: '4000', low: '300' },
          source: `${PAPER} (price year not stated)`,
          evidence: 'verified',
        },
      ],
    },
    {
      code: 'water_price',
      nameZh: '水利工程水价',
      unit: '元/m³',
      values: [
        {
          value: '0.5',
          priceYear: 2011,
          source: '2011 水利发展统计公报, via ' + PAPER,
          evidence: 'verified',
        },
      ],
    },
    {
      code: 'reservoir_cost',
      nameZh: '水库单位库容工程造价',
      unit: '元/m³',
      description: 'Printed as 「元/t」 in the paper; it is per m³ of capacity.',
      values: [
        {
          value: '6.11',
          priceYear: 2011,
          source: 'LY/T 1721-2008, via ' + PAPER,
          evidence: 'verified',
          low: '6.11',
          high: '7.06',
        },
      ],
    },
    {
      code: 'co2_per_dry_matter',
      nameZh: '单位干物质固定CO₂',
      unit: 'tCO2/t',
      values: [{ value: '1.63', source: '光合作用方程, via ' + PAPER, evidence: 'verified' }],
    },
    {
      code: 'o2_per_dry_matter',
      nameZh: '单位干物质释放O₂',
      unit: 't/t',
      values: [
        {
          value: '1.2',
          source: '光合作用方程, via ' + PAPER,
          evidence: 'verified',
          low: '1.19',
          high: '1.2',
        },
      ],
    },
    {
      code: 'carbon_price',
      nameZh: '造林成本（碳价）',
      unit: '元/tC',
      values: [{ value: '1320', source: '李文华 2008, via ' + PAPER, evidence: 'verified' }],
    },
    {
      code: 'oxygen_price',
      nameZh: '氧气价格',
      unit: '元/t',
      values: [
        {
          value: '1000',
          source: '卫生部医用氧价格, via ' + PAPER,
          evidence: 'verified',
          low: '727',
          high: '1000',
        },
      ],
    },
    {
      code: 'travel_expense',
      nameZh: '旅行费用 TE',
      unit: '元/人次',
      values: [{ value: '52.47', priceYear: 2011, source: PAPER, evidence: 'verified' }],
    },
    {
      code: 'travel_time_cost',
      nameZh: '旅行时间成本 TV（日工资的30%）',
      unit: '元/人次',
      values: [{ value: '343.33', priceYear: 2011, source: PAPER, evidence: 'verified' }],
    },
    {
      code: 'consumer_surplus',
      nameZh: '消费者剩余 CS',
      unit: '元/人次',
      values: [
        {
          value: '578.03',
          priceYear: 2011,
          source: `${PAPER} (zero-truncated Poisson model)`,
          evidence: 'verified',
        },
      ],
    },
    {
      code: 'wtp_monthly',
      nameZh: '月均支付意愿',
      unit: '元/(人·月)',
      index: 'cvm_group',
      values: [
        {
          value: { tourists: '11.31', county_residents: '11.89', township_residents: '7.38' },
          priceYear: 2011,
          source: PAPER,
          evidence: 'verified',
        },
      ],
    },
    {
      code: 'wtp_share',
      nameZh: '愿意支付比例',
      unit: '%',
      index: 'cvm_group',
      values: [
        {
          value: { tourists: '83.44', county_residents: '90.49', township_residents: '83.70' },
          source: PAPER,
          evidence: 'verified',
        },
      ],
    },
    {
      code: 'wtp_period',
      nameZh: '年支付月数',
      unit: '月',
      values: [{ value: '12', source: PAPER, evidence: 'verified' }],
    },
  ],
  indicators: [
    {
      code: 'aquatic',
      service: 'aquatic_products',
      nameZh: '淡水产品',
      nameEn: 'aquatic products',
      quantity: { formula: 'aquatic_output', unit: '万t' },
      value: { formula: 'aquatic_output_value_stat', unit: '亿元' },
      valuationMethod: 'market_value',
      documentation: 'Output value taken directly from the statistical yearbook (not Q × P).',
      citation: PAPER,
      evidence: 'verified',
      counted: true,
    },
    {
      code: 'reed',
      service: 'raw_materials',
      nameZh: '原材料生产（芦苇）',
      nameEn: 'raw materials (reed)',
      quantity: { formula: 'reed_output', unit: '万t' },
      value: { formula: 'Q * sum(reed_grade_share .* reed_price)', unit: '亿元' },
      valuationMethod: 'market_value',
      documentation:
        'Quality-weighted reed price: 40 % × 7000 + 40 % × 4000 + 20 % × 300 = 4460 元/t.',
      citation: PAPER,
      evidence: 'verified',
      counted: true,
    },
    {
      code: 'water',
      service: 'water_supply',
      nameZh: '水资源供给',
      nameEn: 'water provision',
      quantity: { formula: 'water_provision_volume', unit: '亿m³' },
      value: { formula: 'Q * water_price', unit: '亿元' },
      valuationMethod: 'market_value',
      citation: PAPER,
      evidence: 'verified',
      overlaps: ['flood'],
      counted: true,
    },
    {
      code: 'flood',
      service: 'flood_regulation',
      nameZh: '调蓄洪水',
      nameEn: 'flood regulation',
      quantity: { formula: 'sum(flood_storage_gain)', unit: '亿m³' },
      value: { formula: 'Q * reservoir_cost', unit: '亿元' },
      valuationMethod: 'shadow_project',
      documentation:
        'Storage at the maximum minus storage at the minimum level, per continuous water-level rise, summed.',
      citation: PAPER,
      evidence: 'verified',
      counted: true,
    },
    {
      code: 'carbon',
      service: 'carbon_sequestration',
      nameZh: '固碳',
      nameEn: 'carbon sequestration',
      quantity: { formula: 'reed_output * co2_per_dry_matter * C_PER_CO2', unit: 'tC' },
      value: { formula: 'Q * carbon_price', unit: '亿元' },
      valuationMethod: 'replacement_cost',
      documentation:
        '1 kg dry matter fixes 1.63 kg CO₂; carbon = CO₂ × 12/44; priced per t C (造林成本).',
      citation: PAPER,
      evidence: 'verified',
      overlaps: ['oxygen'],
      counted: true,
    },
    {
      code: 'oxygen',
      service: 'oxygen_release',
      nameZh: '释氧',
      nameEn: 'oxygen release',
      quantity: { formula: 'reed_output * o2_per_dry_matter', unit: 't' },
      value: { formula: 'Q * oxygen_price', unit: '亿元' },
      valuationMethod: 'replacement_cost',
      citation: PAPER,
      evidence: 'verified',
      overlaps: ['carbon'],
      counted: true,
    },
    {
      code: 'recreation',
      service: 'recreation',
      nameZh: '休闲娱乐',
      nameEn: 'recreation',
      quantity: { formula: 'visits', unit: '万人次' },
      value: {
        formula: 'Q * (travel_expense + travel_time_cost + consumer_surplus)',
        unit: '亿元',
      },
      valuationMethod: 'travel_cost',
      documentation: 'Individual travel-cost model: V = N × (TE + TV + CS).',
      citation: PAPER,
      evidence: 'verified',
      counted: true,
    },
    {
      code: 'non_use',
      service: 'non_use',
      nameZh: '非使用价值',
      nameEn: 'non-use value',
      quantity: null,
      value: { formula: 'wtp_monthly .* wtp_share .* cvm_population * wtp_period', unit: '亿元' },
      valuationMethod: 'contingent_valuation',
      documentation: 'V = Σ_g W_g × 12 × R_g × N_g (monthly willingness to pay over 12 months).',
      citation: PAPER,
      evidence: 'verified',
      counted: true,
    },
  ],
};

/** The 2011 inputs of the paper, in the units it reports them in. */
export const BAIYANGDIAN_2011_INPUTS: Record<
  string,
  { value: string | Record<string, string>; unit: string }
> = {
  aquatic_output: { value: '3.08', unit: '万t' },
  aquatic_output_value_stat: { value: '3.62', unit: '亿元' },
  reed_output: { value: '3.74', unit: '万t' },
  water_provision_volume: { value: '0.98', unit: '亿m³' },
  flood_storage_gain: { value: { event1: '0.81', event2: '1.64' }, unit: '亿m³' },
  visits: { value: '135', unit: '万人次' },
  cvm_population: {
    value: { tourists: '61.92', county_residents: '2.37', township_residents: '33.99' },
    unit: '万人',
  },
};
