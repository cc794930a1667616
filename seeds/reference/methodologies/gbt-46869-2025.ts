import {
  IndicatorContent,
  MethodologyPackage,
} from '../../../src/accounting/methodology/methodology-content';
import { NDRC_NBS_2022_TRIAL } from './ndrc-nbs-2022-trial';

/*
 * A methodology keyed to the national standard GB/T 46869—2025 《生态系统评估 陆域生态产品总值
 * 核算技术指南》 (announced by SAMR in January 2026). Its text was not available to us: what is
 * known of it comes from news reports and from documents citing it clause by clause (see
 * ../shared/domain/gep-methodology.md §2.1). So everything here is marked `unconfirmed`, with
 * where it came from:
 *  - the structure the secondary sources give — GEP is the region's ecological products **minus
 *    those coming from outside the region**; A.6 洪水调蓄; A.7 **固定二氧化碳** by three methods
 *    chosen by data availability (生物量法, 固碳速率法, 净生态系统生产力 NEP 法); A.11 **局部气候
 *    调节** by evapotranspiration energy or by measured temperature difference; a GEP total is
 *    published only after the deduction;
 *  - every other indicator, formula and default value as in the 2022 trial methodology
 *    (`ndrc-nbs-2022-trial`, RCEES case papers), whose citations are kept, prefixed with what is
 *    and is not known of GB/T 46869.
 * The 2022 trial methodology is not changed by this file.
 */

const GBT = 'GB/T 46869—2025 生态系统评估 陆域生态产品总值核算技术指南';
const SECONDARY = `${GBT}（据新闻报道与逐条引用该标准的文件，原文未核对；见 gep-methodology.md §2.1）`;

const base = structuredClone(NDRC_NBS_2022_TRIAL);
const byCode = (code: string): IndicatorContent => {
  const found = base.indicators.find((i) => i.code === code);
  if (!found) throw new Error(`ndrc-nbs-2022-trial has no indicator ${code}`);
  return found;
};

/** An indicator carried over from the 2022 trial methodology: same formulas, cited as such. */
const carried = (i: IndicatorContent, appendix?: string): IndicatorContent => ({
  ...i,
  citation: `${appendix ? `${SECONDARY} 附录 ${appendix}；` : `${GBT} 中的对应条款未核对；`}公式沿用 2022 试行规范方法：${i.citation}`,
  evidence: 'unconfirmed',
});

const carbon = byCode('carbon');
const climate = byCode('climate_regulation');

const co2Fixation: IndicatorContent = {
  code: 'co2_fixation',
  service: 'co2_fixation',
  nameZh: '固定二氧化碳',
  nameEn: 'CO2 fixation',
  method: { code: 'biomass', nameZh: '生物量法', nameEn: 'biomass increment' },
  quantity: { formula: 'biomass_increment .* carbon_fraction * CO2_PER_C', unit: 'tCO2' },
  value: { formula: 'Q * C_PER_CO2 * carbon_price', unit: '万元' },
  alternatives: [
    {
      code: 'fixation_rate',
      nameZh: '固碳速率法',
      nameEn: 'fixation rate',
      quantity: { formula: 'carbon_fixation_rate .* eco_area * CO2_PER_C', unit: 'tCO2' },
      value: { formula: 'Q * C_PER_CO2 * carbon_price', unit: '万元' },
      citation: `${SECONDARY} 附录 A.7（固碳速率法；速率由地方实测或文献给出）`,
      evidence: 'unconfirmed',
    },
    {
      code: 'nep',
      nameZh: '净生态系统生产力（NEP）法',
      nameEn: 'net ecosystem productivity',
      quantity: { formula: carbon.quantity!.formula, unit: 'tCO2' },
      value: { formula: 'Q * C_PER_CO2 * carbon_price', unit: '万元' },
      citation: `${SECONDARY} 附录 A.7（NEP 法）；NEP 公式同 2022 试行规范方法：${carbon.citation}`,
      evidence: 'unconfirmed',
    },
  ],
  valuationMethod: carbon.valuationMethod,
  citation: `${SECONDARY} 附录 A.7 固定二氧化碳：三种方法按数据可得性选用（生物量法、固碳速率法、NEP 法）`,
  evidence: 'unconfirmed',
  overlaps: ['oxygen'],
  counted: true,
  documentation:
    '三种方法按声明顺序选用：第一种所需数据齐全的方法即被采用（可用 methodRules 按地区、年份指定）。实物量以 tCO₂ 计，价格按 tC 计（造林成本），价值公式以 C_PER_CO2 换回。',
};

const localClimate: IndicatorContent = {
  code: 'local_climate',
  service: 'local_climate',
  nameZh: '局部气候调节',
  nameEn: 'local climate regulation',
  method: {
    code: 'evapotranspiration_energy',
    nameZh: '蒸散发能量法',
    nameEn: 'evapotranspiration energy',
  },
  quantity: climate.quantity!,
  value: climate.value,
  alternatives: [
    {
      code: 'temperature_difference',
      nameZh: '实测温差法',
      nameEn: 'measured temperature difference',
      quantity: {
        formula:
          'temperature_difference * air_heat_capacity * cooled_air_volume * ac_days / ac_eer',
        unit: '万kWh',
      },
      value: climate.value,
      citation: `${SECONDARY} 附录 A.11（实测温差法）；公式为本项目按“将受影响空气降温 ΔT 所需空调耗电”整理，待与原文核对`,
      evidence: 'unconfirmed',
      documentation:
        'ΔT 以 °C（等于 K）计的数值录入，与空气容积热容（kJ/(m³·°C)，录为 kJ/m³）相乘；受降温影响的空气体积按日计。',
    },
  ],
  valuationMethod: climate.valuationMethod,
  citation: `${SECONDARY} 附录 A.11 局部气候调节（蒸散发能量法或实测温差法）；蒸散发能量公式同 2022 试行规范方法：${climate.citation}`,
  evidence: 'unconfirmed',
  counted: true,
  documentation: climate.documentation,
};

const inflowDeduction: IndicatorContent = {
  code: 'inflow_water_deduction',
  service: 'inflow_water',
  nameZh: '区域外来水资源价值',
  nameEn: 'value of water flowing in from outside the region',
  quantity: { formula: 'inflow_water', unit: '万m³' },
  value: { formula: 'Q * sum(water_price .* water_use) / sum(water_use)', unit: '万元' },
  valuationMethod: 'market_value',
  citation: `${SECONDARY}：生态产品总值应减去来自区域外的生态产品价值；以入境水计入本地供水为例`,
  evidence: 'unconfirmed',
  counted: true,
  overlaps: ['water_supply'],
  documentation:
    '计入本地供水（水资源）但来自上游区域的水量，按本地供水的平均水价（各用途水价按用水量加权）计价，正好抵消它在“水资源”中的价值。',
};

export const GBT_46869_2025: MethodologyPackage = {
  ...base,
  standardId: 'gbt-46869-2025',
  version: 1,
  name: '生态系统评估 陆域生态产品总值核算技术指南（GB/T 46869—2025）指标体系（结构据二手资料，原文未核对）',
  sourceDocument: `${SECONDARY}；未由该标准确认的公式与参数沿用 ndrc-nbs-2022-trial（RCEES 案例文献）`,
  description:
    '按 GB/T 46869—2025 已知的结构整理：固定二氧化碳（A.7，三种备选方法）、局部气候调节（A.11，两种备选方法）、区域外生态产品价值扣减（发布 GEP 前必须完成）。标准原文未核对，所有条目标为 unconfirmed 并注明来源；2022 试行规范方法不变。',
  requireOutOfRegionDeduction: true,
  services: [
    ...base.services
      .filter((s) => !['carbon_sequestration', 'climate_regulation'].includes(s.code))
      .flatMap((s) =>
        s.code === 'oxygen_release'
          ? [
              {
                code: 'co2_fixation',
                category: 'regulating' as const,
                nameZh: '固定二氧化碳',
                nameEn: 'CO2 fixation',
              },
              s,
              {
                code: 'local_climate',
                category: 'regulating' as const,
                nameZh: '局部气候调节',
                nameEn: 'local climate regulation',
              },
            ]
          : [s],
      ),
    {
      code: 'inflow_water',
      category: 'out_of_region',
      nameZh: '区域外来水',
      nameEn: 'water from outside the region',
    },
  ],
  variables: [
    ...base.variables,
    {
      code: 'biomass_increment',
      nameZh: '植被生物量年增量',
      nameEn: 'annual biomass increment',
      unit: 't',
      index: 'ecosystem',
      department: '林业局',
      nonNegative: true,
      description: 'GB/T 46869—2025 A.7 生物量法（据二手资料）：森林资源连续清查或样地实测。',
    },
    {
      code: 'carbon_fixation_rate',
      nameZh: '单位面积固碳速率',
      nameEn: 'carbon fixation rate per area',
      unit: 'tC/km²',
      index: 'ecosystem',
      department: '林业局',
      description: 'GB/T 46869—2025 A.7 固碳速率法（据二手资料）：地方实测或文献值，注明来源。',
    },
    {
      code: 'temperature_difference',
      nameZh: '绿地与周边实测温差（°C）',
      nameEn: 'measured temperature difference (°C)',
      unit: '1',
      department: '气象局',
      description: 'GB/T 46869—2025 A.11 实测温差法（据二手资料）。',
    },
    {
      code: 'cooled_air_volume',
      nameZh: '受降温影响的空气体积（日）',
      nameEn: 'air volume cooled per day',
      unit: 'm³/d',
      department: '气象局',
      nonNegative: true,
    },
    {
      code: 'inflow_water',
      nameZh: '区域外来水量（计入本地供水部分）',
      nameEn: 'water from outside the region counted in local supply',
      unit: '万m³',
      department: '水利局',
      nonNegative: true,
      description:
        '上游入境、调入等来自区域外并计入“水资源”供给的水量；没有时填 0（未填报不等于 0）。',
    },
  ],
  parameters: [
    ...base.parameters.map((p) => ({
      ...p,
      values: p.values.map((x) => ({
        ...x,
        evidence: 'unconfirmed' as const,
        source: `${GBT} 的推荐值未核对；沿用 2022 试行规范方法的取值：${x.source}`,
      })),
    })),
    {
      code: 'carbon_fraction',
      nameZh: '生物量含碳率',
      nameEn: 'carbon fraction of biomass',
      unit: 'tC/t',
      index: 'ecosystem',
      values: [
        {
          value: Object.fromEntries(
            base.indexSets.find((s) => s.code === 'ecosystem')!.items.map((i) => [i.code, '0.5']),
          ),
          source: `IPCC 默认含碳率约 0.47–0.5（本项目取 0.5）；${GBT} 的取值未核对`,
          evidence: 'unconfirmed',
          region: null,
          priceYear: null,
          low: null,
          high: null,
        },
      ],
    },
    {
      code: 'air_heat_capacity',
      nameZh: '空气容积热容',
      nameEn: 'volumetric heat capacity of air',
      unit: 'kJ/m³',
      values: [
        {
          value: '1.2',
          source: '物理常数：约 1.2 kJ/(m³·°C)（20 °C，1 个标准大气压）',
          evidence: 'unconfirmed',
          region: null,
          priceYear: null,
          low: '1.15',
          high: '1.29',
        },
      ],
    },
  ],
  // the parcel level takes single-method indicators only: 固定二氧化碳 has three methods
  parcel: base.parcel && {
    ...base.parcel,
    indicators: base.parcel.indicators.filter((c) => c !== 'carbon'),
  },
  indicators: [
    ...base.indicators.flatMap((i): IndicatorContent[] => {
      if (i.code === 'carbon') return [co2Fixation];
      if (i.code === 'climate_regulation') return [localClimate];
      if (i.code === 'oxygen') return [{ ...carried(i), overlaps: ['co2_fixation'] }];
      if (i.code === 'flood_regulation') return [carried(i, 'A.6 洪水调蓄')];
      return [carried(i)];
    }),
    inflowDeduction,
  ],
};
