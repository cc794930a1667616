import { zhEn } from '../../common/i18n/text';
import { Category, MethodologyContent } from './methodology-content';

/**
 * A common catalogue of ecological products, so that results under two standards — which name
 * and cut the same services differently — can be compared item by item (a crosswalk). The two
 * naming schools (../shared/domain/gep-methodology.md §2.2): the RCEES school (the 2022 trial
 * specification, Beijing, Shenzhen, GB/T 46869—2025) and the forestry school of GB/T 38582-2020
 * (涵养水源, 保育土壤 incl. 保肥, 固碳释氧, 净化大气环境…). A methodology's service joins an entry
 * by its `catalogue` code, or else by its Chinese name being one of the entry's names.
 */
export interface CatalogueEntry {
  code: string;
  category: Category;
  nameZh: string;
  /** Every name the schools give it (the entry's own name included). */
  names: string[];
  /** How the schools differ on it, for the reader of a comparison. */
  note?: string;
}

export const SERVICE_CATALOGUE: CatalogueEntry[] = [
  { code: 'agriculture', category: 'provisioning', nameZh: '农业产品', names: ['农业产品'] },
  {
    code: 'forestry',
    category: 'provisioning',
    nameZh: '林业产品',
    names: ['林业产品', '原材料生产'],
  },
  { code: 'livestock', category: 'provisioning', nameZh: '畜牧业产品', names: ['畜牧业产品'] },
  {
    code: 'fishery',
    category: 'provisioning',
    nameZh: '渔业产品',
    names: ['渔业产品', '淡水产品'],
  },
  {
    code: 'water_supply',
    category: 'provisioning',
    nameZh: '水资源',
    names: ['水资源', '水资源供给', '淡水资源'],
  },
  { code: 'eco_energy', category: 'provisioning', nameZh: '生态能源', names: ['生态能源'] },
  { code: 'other_products', category: 'provisioning', nameZh: '其他物质产品', names: ['其他'] },
  {
    code: 'water_conservation',
    category: 'regulating',
    nameZh: '水源涵养',
    names: ['水源涵养', '涵养水源', '调节水量'],
    note: '林业学派的“涵养水源”含调节水量与净化水质两项',
  },
  {
    code: 'soil_retention',
    category: 'regulating',
    nameZh: '土壤保持',
    names: ['土壤保持', '保育土壤', '固土'],
    note: '林业学派的“保育土壤”另计保肥',
  },
  { code: 'fertility_retention', category: 'regulating', nameZh: '保肥', names: ['保肥'] },
  { code: 'sand_fixation', category: 'regulating', nameZh: '防风固沙', names: ['防风固沙'] },
  {
    code: 'coastal_protection',
    category: 'regulating',
    nameZh: '海岸带防护',
    names: ['海岸带防护'],
  },
  {
    code: 'flood_regulation',
    category: 'regulating',
    nameZh: '洪水调蓄',
    names: ['洪水调蓄', '调蓄洪水'],
  },
  {
    code: 'air_purification',
    category: 'regulating',
    nameZh: '空气净化',
    names: ['空气净化', '大气净化', '净化大气环境', '吸收污染物', '滞尘'],
  },
  {
    code: 'water_purification',
    category: 'regulating',
    nameZh: '水质净化',
    names: ['水质净化', '净化水质'],
  },
  {
    code: 'carbon',
    category: 'regulating',
    nameZh: '固碳',
    names: ['固碳', '固定二氧化碳', '碳固定', '固碳释氧'],
    note: 'GB/T 46869—2025 称“固定二氧化碳”；林业学派的“固碳释氧”含释氧',
  },
  {
    code: 'oxygen',
    category: 'regulating',
    nameZh: '释氧',
    names: ['释氧', '氧气提供'],
    note: '是否计入 GEP 各标准不同',
  },
  {
    code: 'climate_regulation',
    category: 'regulating',
    nameZh: '气候调节',
    names: ['气候调节', '局部气候调节', '调节气候'],
    note: 'GB/T 38582 没有此项',
  },
  { code: 'pest_control', category: 'regulating', nameZh: '病虫害控制', names: ['病虫害控制'] },
  {
    code: 'negative_ions',
    category: 'regulating',
    nameZh: '负氧离子',
    names: ['负氧离子', '提供负离子'],
  },
  { code: 'noise_reduction', category: 'regulating', nameZh: '噪声消减', names: ['噪声消减'] },
  {
    code: 'species_conservation',
    category: 'regulating',
    nameZh: '物种保育',
    names: ['物种保育', '生物多样性保护'],
  },
  {
    code: 'nutrient_retention',
    category: 'regulating',
    nameZh: '林木养分固持',
    names: ['林木养分固持'],
  },
  { code: 'forest_protection', category: 'regulating', nameZh: '森林防护', names: ['森林防护'] },
  {
    code: 'recreation',
    category: 'cultural',
    nameZh: '休闲旅游',
    names: ['休闲旅游', '休闲娱乐', '景观游憩', '旅游休闲', '旅游康养', '休闲游憩'],
  },
  {
    code: 'landscape',
    category: 'cultural',
    nameZh: '景观价值',
    names: ['景观价值', '自然景观溢价'],
  },
  { code: 'non_use', category: 'cultural', nameZh: '非使用价值', names: ['非使用价值'] },
  {
    code: 'out_of_region',
    category: 'out_of_region',
    nameZh: '区域外生态产品（扣减）',
    names: ['区域外来水', '区域外生态产品'],
  },
];

const BY_CODE = new Map(SERVICE_CATALOGUE.map((e) => [e.code, e]));
const BY_NAME = new Map(SERVICE_CATALOGUE.flatMap((e) => e.names.map((n) => [n, e] as const)));

/** The catalogue entry of each of a methodology's services (absent: not in the catalogue). */
export function catalogueOf(content: MethodologyContent): Map<string, CatalogueEntry> {
  const out = new Map<string, CatalogueEntry>();
  for (const s of content.services) {
    const entry = s.catalogue
      ? BY_CODE.get(s.catalogue)
      : (BY_NAME.get(s.nameZh) ??
        (s.category === 'out_of_region' ? BY_CODE.get('out_of_region') : undefined));
    if (entry) out.set(s.code, entry);
  }
  return out;
}

export const isCatalogueCode = (code: string): boolean => BY_CODE.has(code);

/** One catalogue item in two methodologies: which services and counted indicators each has. */
export interface CrosswalkItem {
  code: string;
  nameZh: string;
  category: Category;
  note?: string;
  /** The services of each side in this item (codes and names), and its counted indicators. */
  sides: [CrosswalkSide, CrosswalkSide];
  /** Where the item is counted in GEP: `both`, `only_first`, `only_second`, or `neither` (computed, not counted). */
  presence: 'both' | 'only_first' | 'only_second' | 'neither';
}

export interface CrosswalkSide {
  services: { code: string; nameZh: string }[];
  counted: { code: string; nameZh: string }[];
  uncounted: { code: string; nameZh: string }[];
}

/**
 * The crosswalk of two methodologies: every catalogue item either counts, and the services
 * neither could place (`unplaced`: compared by nobody, listed so that none is silently lost).
 */
export function crosswalk(
  a: MethodologyContent,
  b: MethodologyContent,
): { items: CrosswalkItem[]; unplaced: { side: 0 | 1; code: string; nameZh: string }[] } {
  const maps = [catalogueOf(a), catalogueOf(b)] as const;
  const contents = [a, b] as const;
  const unplaced: { side: 0 | 1; code: string; nameZh: string }[] = [];
  contents.forEach((c, side) =>
    c.services
      .filter((s) => !maps[side].has(s.code))
      .forEach((s) => unplaced.push({ side: side as 0 | 1, code: s.code, nameZh: s.nameZh })),
  );
  const items: CrosswalkItem[] = [];
  for (const entry of SERVICE_CATALOGUE) {
    const sides = contents.map((c, side): CrosswalkSide => {
      const services = c.services.filter((s) => maps[side].get(s.code)?.code === entry.code);
      const codes = new Set(services.map((s) => s.code));
      const inds = c.indicators.filter((i) => codes.has(i.service));
      const pick = (xs: typeof inds) => xs.map((i) => ({ code: i.code, nameZh: i.nameZh }));
      return {
        services: services.map((s) => ({ code: s.code, nameZh: s.nameZh })),
        counted: pick(inds.filter((i) => i.counted)),
        uncounted: pick(inds.filter((i) => !i.counted)),
      };
    }) as [CrosswalkSide, CrosswalkSide];
    const [x, y] = sides.map((s) => s.counted.length > 0);
    if (!x && !y && !sides.some((s) => s.services.length)) continue;
    items.push({
      code: entry.code,
      nameZh: entry.nameZh,
      category: entry.category,
      ...(entry.note ? { note: entry.note } : {}),
      sides,
      presence: x && y ? 'both' : x ? 'only_first' : y ? 'only_second' : 'neither',
    });
  }
  return { items, unplaced };
}

/** Why an item cannot be compared, in words. */
export const onlyIn = (which: 'first' | 'second', name: string): string =>
  which === 'first'
    ? zhEn(
        `${name} 只在前一个核算方法中计入`,
        `${name} is counted under the first methodology only`,
      )
    : zhEn(
        `${name} 只在后一个核算方法中计入`,
        `${name} is counted under the second methodology only`,
      );
