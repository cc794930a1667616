import { RegionLevel } from '../../src/regions/region.entity';

export interface RegionSeed {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  /**
   * false where the code could not be checked against the National Bureau of Statistics'
   * 统计用区划代码 table when this file was written (no access to it); verify before relying on it.
   */
  codeConfirmed: boolean;
}

const r = (
  code: string,
  name: string,
  level: RegionLevel,
  parentCode: string | null,
  codeConfirmed = true,
): RegionSeed => ({ code, name, level, parentCode, codeConfirmed });

/**
 * Administrative divisions for the places in ../shared/policy/ and the Wuyuan demo, parents
 * before children. Province, city and county codes are the well-known GB/T 2260 codes.
 *
 * UNCONFIRMED: the 9-digit township codes of 婺源县 follow the 统计用区划代码 pattern
 * (街道 0xx, 镇 1xx, 乡 2xx) in the order recalled from that table but were not checked against
 * the published table; each is marked `codeConfirmed: false`.
 */
export const REGION_SEEDS: RegionSeed[] = [
  r('360000', '江西省', 'province', null),
  r('361100', '上饶市', 'city', '360000'),
  r('361130', '婺源县', 'county', '361100'),
  r('361181', '德兴市', 'county', '361100'),
  r('361103', '广丰区', 'county', '361100'),
  r('360200', '景德镇市', 'city', '360000'),
  r('360281', '乐平市', 'county', '360200'),
  r('361130001', '蚺城街道', 'township', '361130', false),
  r('361130100', '紫阳镇', 'township', '361130', false),
  r('361130101', '清华镇', 'township', '361130', false),
  r('361130102', '秋口镇', 'township', '361130', false),
  r('361130103', '江湾镇', 'township', '361130', false),
  r('361130104', '思口镇', 'township', '361130', false),
  r('361130105', '赋春镇', 'township', '361130', false),
  r('361130106', '镇头镇', 'township', '361130', false),
  r('361130107', '太白镇', 'township', '361130', false),
  r('361130108', '中云镇', 'township', '361130', false),
  r('361130109', '许村镇', 'township', '361130', false),
  r('361130200', '溪头乡', 'township', '361130', false),
  r('361130201', '段莘乡', 'township', '361130', false),
  r('361130202', '浙源乡', 'township', '361130', false),
  r('361130203', '沱川乡', 'township', '361130', false),
  r('361130204', '大鄣山乡', 'township', '361130', false),
  r('361130205', '珍珠山乡', 'township', '361130', false),
  r('130000', '河北省', 'province', null),
  r('130100', '石家庄市', 'city', '130000'),
  // 武清区 sits directly under the municipality (the 市辖区 level 120100 is not modelled).
  r('120000', '天津市', 'province', null),
  r('120114', '武清区', 'county', '120000'),
  r('510000', '四川省', 'province', null),
];
