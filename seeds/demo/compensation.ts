import { EntityManager } from 'typeorm';
import { D } from '../../src/common/decimal';
import { AuditLogEntry } from '../../src/audit-log/audit-log.entity';
import { computeCompensation } from '../../src/assessment/compensation/compensation-computation';
import { PublishedGep } from '../../src/accounting/runs/published-gep';
import { insertCompensationRun } from '../../src/assessment/compensation/compensation-runs.service';
import { CompensationRun } from '../../src/assessment/compensation/compensation-run.entity';
import {
  CompensationScheme,
  SchemeType,
} from '../../src/assessment/compensation/compensation-scheme.entity';
import { SchemeContent } from '../../src/assessment/compensation/scheme-content';

/**
 * DEMO DATA — a county budget allocation over the townships of 婺源县 by GEP and its real change:
 * an illustrative scheme (no published rule maps GEP to money; compensation.md §5.1), published,
 * and an approved run for the 2023 budget from the published 2022 GEP run.
 */
const ACTOR = 'system:seed';
const CODE = 'wuyuan-township-gep-allocation';
const CONTENT: SchemeContent = {
  standardId: 'ndrc-nbs-2022-trial',
  weight: 'gep * max(1 + 2 * gep_real_change, 0.5)',
  eligibility: 'gep_real_change >= -0.05',
  floor: '1000000.00',
  cap: '6000000.00',
  source: '演示数据：参照 compensation.md §5.1 拟定的示例办法，不是正式规定',
  description:
    'Splits the county pool over the townships in proportion to GEP, weighted up by real GEP growth (halved at worst); a township whose real GEP fell by more than 5 % gets nothing.',
};

export async function seedDemoCompensation(manager: EntityManager): Promise<number> {
  const scheme = await demoScheme(
    manager,
    CODE,
    '婺源县乡镇生态产品价值补偿资金分配办法（演示）',
    'budget_allocation',
    CONTENT,
  );
  const approved = await manager.findOneBy(CompensationRun, {
    schemeCode: CODE,
    rootRegionCode: '361130',
    budgetYear: 2023,
    status: 'approved',
  });
  if (approved) return 0;
  const input = {
    regionCode: '361130',
    budgetYear: 2023,
    gepYear: 2022,
    budget: new D('50000000.00'),
  };
  const computed = await computeCompensation(
    manager,
    new PublishedGep(),
    scheme,
    '361130',
    2022,
    input.budget,
  );
  const runId = await insertCompensationRun(manager, scheme, input, computed, ACTOR);
  await approveDemoRun(manager, runId, { budgetYear: 2023 });
  return 1;
}

/** Version 1 of a demo scheme, published (created once, with its audit entry). */
export async function demoScheme(
  manager: EntityManager,
  code: string,
  name: string,
  type: SchemeType,
  content: CompensationScheme['content'],
): Promise<CompensationScheme> {
  const existing = await manager.findOneBy(CompensationScheme, { code, version: 1 });
  if (existing) return existing;
  const { identifiers } = await manager.insert(CompensationScheme, {
    code,
    version: 1,
    name,
    type,
    status: 'published',
    content,
    createdBy: ACTOR,
    publishedBy: ACTOR,
    publishedAt: new Date(),
  });
  const scheme = await manager.findOneByOrFail(CompensationScheme, {
    id: identifiers[0].id as string,
  });
  await manager.insert(AuditLogEntry, {
    actorUsername: ACTOR,
    action: 'compensation_scheme.create',
    entityType: 'compensation_scheme',
    entityId: scheme.id,
    after: { code, version: 1, status: 'published', demo: true },
  });
  return scheme;
}

/** Approves a seeded demo run, as the finance bureau would, with its audit entry. */
export async function approveDemoRun(
  manager: EntityManager,
  runId: string,
  after: object,
): Promise<void> {
  await manager.update(
    CompensationRun,
    { id: runId },
    { status: 'approved', approvedBy: ACTOR, approvedAt: new Date() },
  );
  await manager.insert(AuditLogEntry, {
    actorUsername: ACTOR,
    action: 'compensation_run.approve',
    entityType: 'compensation_run',
    entityId: runId,
    after: { ...after, demo: true },
  });
}
