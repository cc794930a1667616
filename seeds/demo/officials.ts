import { EntityManager } from 'typeorm';
import { Official } from '../../src/assessment/officials/official.entity';
import { Tenure } from '../../src/assessment/officials/tenure.entity';
import { AuditLogEntry } from '../../src/audit-log/audit-log.entity';

/** DEMO DATA — two fictional county heads of 婺源县 (names and dates invented), one after the other. */
const DEMO_TENURES = [
  { name: '甲某（演示）', post: '县长', startDate: '2018-03-01', endDate: '2021-06-30' },
  { name: '乙某（演示）', post: '县长', startDate: '2021-07-01', endDate: null },
];

export async function seedDemoOfficials(manager: EntityManager): Promise<number> {
  let created = 0;
  for (const t of DEMO_TENURES) {
    if (await manager.existsBy(Official, { name: t.name })) continue;
    const { identifiers } = await manager.insert(Official, {
      name: t.name,
      note: '演示数据：虚构的干部',
      createdBy: 'system:seed',
    });
    const officialId = identifiers[0].id as string;
    await manager.insert(Tenure, {
      officialId,
      regionCode: '361130',
      post: t.post,
      startDate: t.startDate,
      endDate: t.endDate,
      acting: false,
      note: '演示数据',
      createdBy: 'system:seed',
    });
    await manager.insert(AuditLogEntry, {
      actorUsername: 'system:seed',
      action: 'official.create',
      entityType: 'official',
      entityId: officialId,
      after: { ...t, demo: true },
    });
    created++;
  }
  return created;
}
