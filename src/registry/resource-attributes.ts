import { plainToInstance } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength, validateSync } from 'class-validator';
import { FieldProblem } from '../common/errors/domain-error';
import { IsCalendarDate, IsQuantity } from '../common/field-validators';
import { flattenValidationErrors } from '../common/validation';
import { RESOURCE_TYPE_ZH, ResourceType } from './registry-types';
import { zhEn } from '../common/i18n/text';

/*
 * Per-type fields of the register (登记簿), after the production schema quoted in registry.md §5.2
 * (ZRZY_SZY, ZRZY_SL, ZRZY_CY, ZRZY_SD, ZRZY_TMCLKCZY). Quantities are decimal strings with the
 * unit in the field name; the source does not state units, these are the project's.
 */

const Text = (): PropertyDecorator => (target, key) => {
  IsOptional()(target, key);
  IsString()(target, key);
  MaxLength(500)(target, key);
};
const Quantity =
  (unit: string): PropertyDecorator =>
  (target, key) => {
    IsOptional()(target, key);
    IsQuantity(unit)(target, key);
  };

/** 水流 (ZRZY_SZY) */
export class WaterFlowAttributes {
  /** 水流类型: river, lake, reservoir, canal… */
  @IsOptional() @IsIn(['river', 'lake', 'reservoir', 'canal', 'other']) waterFlowType?: string;
  /** 河流起讫点 */
  @Text() startEnd?: string;
  /** 河流长度 km */
  @Quantity('km') lengthKm?: string;
  /** 水面面积 hm² */
  @Quantity('hm²') surfaceAreaHa?: string;
  /** 河道等级 */
  @Text() channelGrade?: string;
  /** 多年平均径流量 万m³ */
  @Quantity('万m³') meanAnnualRunoffWanM3?: string;
  /** 水质 (GB 3838 class I–V or 劣V) */
  @IsOptional() @IsIn(['I', 'II', 'III', 'IV', 'V', 'worse_than_V']) waterQuality?: string;
  /** 年初蓄水量 万m³ */
  @Quantity('万m³') storageStartOfYearWanM3?: string;
}

/** 森林 (ZRZY_SL) */
export class ForestAttributes {
  /** 森林类型 (e.g. 常绿阔叶林) */
  @Text() forestType?: string;
  /** 主导功能 */
  @Text() dominantFunction?: string;
  /** 主要树种 */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  mainSpecies?: string[];
  /** 林种: 公益林 (public welfare) or 商品林 (commercial) */
  @IsOptional() @IsIn(['public_welfare', 'commercial']) forestCategory?: string;
  /** 总蓄积量 m³ */
  @Quantity('m³') totalStockM3?: string;
}

/** 草原 (ZRZY_CY) */
export class GrasslandAttributes {
  /** 草地类型 (三调 class) */
  @Text() grasslandClass?: string;
  /** 草原类型 */
  @Text() grasslandType?: string;
  /** 草原质量等级 */
  @Text() qualityGrade?: string;
}

/** 湿地 (ZRZY_SD) */
export class WetlandAttributes {
  /** 湿地类型 (e.g. 河流湿地, 沼泽湿地) */
  @Text() wetlandType?: string;
  /** 植被类型 */
  @Text() vegetationType?: string;
  /** 植被面积 hm² */
  @Quantity('hm²') vegetationAreaHa?: string;
  /** 主要优势植物种 */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  dominantSpecies?: string[];
  /** 国家重点保护的主要湿地鸟类 */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  protectedBirds?: string[];
  /** 水质类别 */
  @IsOptional() @IsIn(['I', 'II', 'III', 'IV', 'V', 'worse_than_V']) waterClass?: string;
  /** 水源补给状况 */
  @Text() waterSupply?: string;
}

/** 探明储量的矿产资源 (ZRZY_TMCLKCZY) */
export class MineralAttributes {
  /** 资源类型 (e.g. 铜矿) */
  @Text() mineralType?: string;
  /** 区块编号 */
  @Text() blockNumber?: string;
  /** 矿区地址 */
  @Text() address?: string;
  /** 储量估算基准日 */
  @IsOptional() @IsCalendarDate() reserveDate?: string;
  /** 矿产组合 */
  @Text() mineralCombination?: string;
  /** 储量计量单位 (e.g. 万t 矿石, t 金属) */
  @Text() reserveUnit?: string;
  /** 推断资源量, in reserveUnit */
  @Quantity('the reserve unit') inferredResources?: string;
  /** 控制资源量 */
  @Quantity('the reserve unit') indicatedResources?: string;
  /** 探明资源量 */
  @Quantity('the reserve unit') measuredResources?: string;
  /** 主要组分平均品位 */
  @Text() meanGrade?: string;
}

/** 荒地, 海域, 无居民海岛: field lists not seen (registry.md §9 item 2); a type and a note. */
export class OtherAttributes {
  @Text() subtype?: string;
  @Text() note?: string;
}

const CLASSES: Record<ResourceType, new () => object> = {
  water_flow: WaterFlowAttributes,
  forest: ForestAttributes,
  grassland: GrasslandAttributes,
  wetland: WetlandAttributes,
  mineral: MineralAttributes,
  wasteland: OtherAttributes,
  sea_area: OtherAttributes,
  island: OtherAttributes,
};

/** Checks the attributes of a resource of `type`; problems carry paths under `path`. */
export function checkAttributes(
  type: ResourceType,
  plain: unknown,
  path: string,
): { problems: FieldProblem[]; attributes: Record<string, string | string[]> } {
  if (plain === undefined || plain === null) return { problems: [], attributes: {} };
  if (typeof plain !== 'object' || Array.isArray(plain))
    return { problems: [{ path, message: zhEn('应为对象', 'must be an object') }], attributes: {} };
  const dto = plainToInstance(CLASSES[type], plain);
  const problems = flattenValidationErrors(
    validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }),
    path,
  ).map((p) =>
    p.message.includes('should not exist')
      ? {
          ...p,
          message: zhEn(
            `不是${RESOURCE_TYPE_ZH[type] ?? type}资源的字段`,
            `is not a field of a ${type} resource`,
          ),
        }
      : p,
  );
  return { problems, attributes: { ...(dto as Record<string, string | string[]>) } };
}

export const ATTRIBUTE_LABELS_ZH: Record<string, string> = {
  waterFlowType: '水流类型',
  startEnd: '河流起讫点',
  lengthKm: '河流长度（km）',
  surfaceAreaHa: '水面面积（hm²）',
  channelGrade: '河道等级',
  meanAnnualRunoffWanM3: '多年平均径流量（万m³）',
  waterQuality: '水质',
  storageStartOfYearWanM3: '年初蓄水量（万m³）',
  forestType: '森林类型',
  dominantFunction: '主导功能',
  mainSpecies: '主要树种',
  forestCategory: '林种',
  totalStockM3: '总蓄积量（m³）',
  grasslandClass: '草地类型',
  grasslandType: '草原类型',
  qualityGrade: '草原质量等级',
  wetlandType: '湿地类型',
  vegetationType: '植被类型',
  vegetationAreaHa: '植被面积（hm²）',
  dominantSpecies: '主要优势植物种',
  protectedBirds: '国家重点保护湿地鸟类',
  waterClass: '水质类别',
  waterSupply: '水源补给状况',
  mineralType: '资源类型',
  blockNumber: '区块编号',
  address: '矿区地址',
  reserveDate: '储量估算基准日',
  mineralCombination: '矿产组合',
  reserveUnit: '储量计量单位',
  inferredResources: '推断资源量',
  indicatedResources: '控制资源量',
  measuredResources: '探明资源量',
  meanGrade: '主要组分平均品位',
  subtype: '类型',
  note: '备注',
};

/** Chinese for the enumerated values of per-type fields, for printed extracts. */
export const ATTRIBUTE_VALUES_ZH: Record<string, Record<string, string>> = {
  forestCategory: { public_welfare: '公益林', commercial: '商品林' },
  waterFlowType: { river: '河流', lake: '湖泊', reservoir: '水库', canal: '渠道', other: '其他' },
  waterQuality: { worse_than_V: '劣V' },
  waterClass: { worse_than_V: '劣V' },
};
