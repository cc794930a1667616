import { EntityManager } from 'typeorm';
import { D } from '../../src/common/decimal';
import { ForestAreaRow } from '../../src/assessment/compensation/forest-area.entity';
import { ForestContent } from '../../src/assessment/compensation/forest-compensation';
import { demoScheme } from './compensation';

/**
 * DEMO DATA — public-welfare forest compensation in 婺源县: invented 2022 公益林 areas of four
 * townships, and a scheme with the central standards as recalled in compensation.md §4
 * (unconfirmed: state-owned national 10 元/亩, collective and individual national 16 元/亩, 1 元
 * of it for public management) and an illustrative provincial rate and county top-up.
 */
const SOURCE = '演示数据：虚构的面积（不是林业局的台账）';
const AREAS: [
  string,
  'national' | 'provincial',
  'state' | 'collective' | 'individual',
  string,
  string,
][] = [
  ['361130101', 'national', 'collective', 'source_county', '52000'],
  ['361130101', 'national', 'state', 'general', '8000'],
  ['361130109', 'national', 'collective', 'source_county', '41000.5'],
  ['361130201', 'provincial', 'collective', 'general', '23000'],
  ['361130203', 'provincial', 'individual', 'general', '9500'],
];

const CONTENT: ForestContent = {
  rates: [
    {
      fundedBy: '中央财政',
      forestLevel: 'national',
      ownership: ['state'],
      rate: '10',
      managementPercent: '0',
    },
    {
      fundedBy: '中央财政',
      forestLevel: 'national',
      ownership: ['collective', 'individual'],
      rate: '16',
      managementPercent: '6.25',
    },
    { fundedBy: '省级财政', forestLevel: 'provincial', rate: '21.5', managementPercent: '5' },
    {
      fundedBy: '县级财政',
      forestLevel: 'national',
      zone: 'source_county',
      fromYear: 2021,
      rate: '5',
    },
  ],
  source: '演示数据：中央标准据 compensation.md §4 回忆（未核实）；省级标准和县级补助为示例',
  description: '公益林补偿：面积 × 各级补偿标准（中央、省级、县级叠加），管护费按比例留存。',
};

export async function seedDemoForest(manager: EntityManager): Promise<void> {
  await demoScheme(
    manager,
    'wuyuan-public-welfare-forest',
    '婺源县公益林生态效益补偿（演示）',
    'forest',
    CONTENT,
  );
  if (await manager.existsBy(ForestAreaRow, { year: 2022, regionCode: AREAS[0][0] })) return;
  await manager.insert(
    ForestAreaRow,
    AREAS.map(([regionCode, forestLevel, ownership, zone, area]) => ({
      regionCode,
      year: 2022,
      forestLevel,
      ownership,
      zone,
      areaMu: new D(area),
      source: SOURCE,
      enteredBy: 'system:seed',
    })),
  );
}
