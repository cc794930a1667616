import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, contentHash } from '../../common/canonical-json';
import { PublishedGep } from '../../accounting/runs/published-gep';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { RegionsService } from '../../regions/regions.service';
import { Tenure } from '../officials/tenure.entity';
import { DEFAULT_RULESET, EvaluationRuleset } from '../officials/tenure-evaluation';
import { AuditReport } from './audit-report.entity';
import { buildReportContent, ReportContent } from './report-content';
import { reportBlocks, WithdrawnSource } from './report-document';
import { NOT_EVALUABLE } from '../officials/tenure-evaluation';
import { renderDocx } from '../../common/documents/docx';
import { renderPdf } from '../../common/documents/pdf';
import { scopeCondition } from '../../auth/region-scope';

export type ReportFormat = 'pdf' | 'docx';

/** Which parts of two contents differ, two levels deep (e.g. `evaluation.score`). */
function differences(a: ReportContent, b: ReportContent): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string, depth: number) => {
    if (canonicalJson(x) === canonicalJson(y)) return;
    const objects = x && y && typeof x === 'object' && typeof y === 'object';
    if (depth === 0 || !objects || Array.isArray(x) || Array.isArray(y)) {
      out.push(path);
      return;
    }
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of [...keys].sort())
      walk(
        (x as Record<string, unknown>)[k],
        (y as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
        depth - 1,
      );
  };
  walk(a, b, '', 2);
  return out;
}

@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
    private readonly gep: PublishedGep,
  ) {}

  private async tenure(manager: EntityManager, user: AuthUser, id: string): Promise<Tenure> {
    const tenure = await manager.findOneBy(Tenure, { id });
    if (!tenure) throw DomainError.notFound('tenure', id);
    await this.regions.assertInScope(user, tenure.regionCode);
    return tenure;
  }

  /**
   * Generates and stores a report of a tenure from published runs (422 naming `tenure` when the
   * tenure lacks two published years). The content is read in one repeatable-read snapshot, so
   * a run published meanwhile cannot half-enter it.
   */
  async create(
    actor: SignedIn,
    input: { tenureId: string; ruleset?: EvaluationRuleset },
  ): Promise<ReportView> {
    const ruleset = input.ruleset ?? DEFAULT_RULESET;
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const tenure = await this.tenure(manager, actor.user, input.tenureId);
      const content = await buildReportContent(manager, this.gep, tenure, ruleset);
      const { identifiers } = await manager.insert(AuditReport, {
        tenureId: tenure.id,
        officialId: tenure.officialId,
        regionCode: tenure.regionCode,
        ruleset,
        content,
        contentSha256: contentHash(content),
        grade: content.evaluation.grade,
        createdBy: actor.user.username,
      });
      const report = await manager.findOneByOrFail(AuditReport, {
        id: identifiers[0].id as string,
      });
      await this.auditLog.record(manager, actor, {
        action: 'audit_report.create',
        entityType: 'audit_report',
        entityId: report.id,
        after: {
          tenureId: report.tenureId,
          grade: report.grade,
          conclusion: content.evaluation.conclusion,
          contentSha256: report.contentSha256,
          runs: content.runs.map((r) => r.runId),
        },
      });
      return { ...report, conclusion: content.evaluation.conclusion, sourceWithdrawn: [] };
    });
  }

  async list(
    user: AuthUser,
    q: { tenureId?: string; officialId?: string },
    page: PageQuery,
  ): Promise<Page<Omit<AuditReport, 'content' | 'ruleset'> & { conclusion: string }>> {
    const qb = this.dataSource
      .getRepository(AuditReport)
      .createQueryBuilder('a')
      .select([
        'a.id',
        'a.tenureId',
        'a.officialId',
        'a.regionCode',
        'a.grade',
        'a.contentSha256',
        'a.createdBy',
        'a.createdAt',
      ]);
    if (user.regionCode)
      qb.andWhere(scopeCondition('audit_report', 'a', ':scope::varchar', false), {
        scope: user.regionCode,
      });
    if (q.tenureId) qb.andWhere('a.tenureId = :t', { t: q.tenureId });
    if (q.officialId) qb.andWhere('a.officialId = :o', { o: q.officialId });
    const [items, total] = await qb
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(
      items.map((r) => ({ ...r, conclusion: r.grade ?? NOT_EVALUABLE })),
      total,
      page,
    );
  }

  async get(user: AuthUser, id: string): Promise<ReportView> {
    const report = await this.dataSource.getRepository(AuditReport).findOneBy({ id });
    if (!report) throw DomainError.notFound('report', id);
    await this.regions.assertInScope(user, report.regionCode);
    return {
      ...report,
      conclusion: report.grade ?? NOT_EVALUABLE,
      sourceWithdrawn: await withdrawnSources(this.dataSource.manager, this.gep, report),
    };
  }

  /** The stored report as PDF or DOCX, rendered from its stored content alone. */
  async render(
    user: AuthUser,
    id: string,
    format: ReportFormat,
  ): Promise<{ filename: string; data: Buffer }> {
    const report = await this.get(user, id);
    return {
      filename: reportFilename(report, format),
      data: await renderReport(report, format, report.sourceWithdrawn),
    };
  }

  /** Regenerates the content from the database now and compares it with the stored one. */
  async verify(user: AuthUser, id: string) {
    const report = await this.get(user, id);
    const regenerated = await this.dataSource.transaction('REPEATABLE READ', async (manager) =>
      buildReportContent(
        manager,
        this.gep,
        await this.tenure(manager, user, report.tenureId),
        report.ruleset,
      ),
    );
    const hash = contentHash(regenerated);
    return {
      matches: hash === report.contentSha256,
      storedSha256: report.contentSha256,
      regeneratedSha256: hash,
      differences: hash === report.contentSha256 ? [] : differences(report.content, regenerated),
    };
  }
}

export const reportFilename = (r: AuditReport, format: ReportFormat): string =>
  `离任审计参考报告-${r.content.official.name}-${r.content.tenure.regionName}-${r.id.slice(0, 8)}.${format}`;

/** A stored report with its conclusion and whether a run it read has since been withdrawn. */
export type ReportView = AuditReport & { conclusion: string; sourceWithdrawn: WithdrawnSource[] };

/** The runs a report read that have been withdrawn since (its content stays as generated). */
async function withdrawnSources(
  manager: EntityManager,
  gep: PublishedGep,
  report: AuditReport,
): Promise<WithdrawnSource[]> {
  const states = await gep.runStates(
    manager,
    report.content.runs.map((r) => r.runId),
  );
  return [...states]
    .filter(([, s]) => s.status === 'withdrawn')
    .map(([id, s]) => ({
      runId: id,
      year: report.content.runs.find((x) => x.runId === id)!.year,
      reason: s.withdrawalReason,
    }));
}

export function renderReport(
  r: AuditReport,
  format: ReportFormat,
  withdrawn: WithdrawnSource[] = [],
): Promise<Buffer> {
  const blocks = reportBlocks(r.content, withdrawn);
  const meta = {
    title: '领导干部自然资源资产离任审计参考报告',
    label: '报告',
    reportId: r.id,
    contentHash: r.contentSha256,
    createdAt: r.createdAt,
  };
  return format === 'pdf' ? renderPdf(blocks, meta) : renderDocx(blocks, meta);
}
