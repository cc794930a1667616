import { clock } from '../../common/clock';
import { contentHash } from '../../common/canonical-json';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { columnsExcept } from '../../database/select-columns';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { Actor } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { inReadingOrder, MethodologyContent, MethodologyPackage } from './methodology-content';
import { diffMethodologies, DiffEntry } from './methodology-diff';
import { validateMethodology } from './methodology-model';
import { Methodology, MethodologyStatus } from './methodology.entity';
import { lockRow } from '../../database/lock-row';
import { zhEn } from '../../common/i18n/text';

export const EMPTY_CONTENT: MethodologyContent = {
  indexSets: [],
  services: [],
  variables: [],
  parameters: [],
  indicators: [],
};

/** A methodology in a list: everything but its content, and the size of the content. */
export type ListedMethodology = Omit<Methodology, 'content'> & {
  counts: { indicators: number; variables: number; parameters: number };
};

export interface NewMethodology {
  standardId: string;
  version?: number;
  name: string;
  sourceDocument: string;
  description?: string | null;
  content?: MethodologyContent;
}

export interface MethodologyChanges {
  name?: string;
  sourceDocument?: string;
  description?: string;
  content?: MethodologyContent;
  revision: number;
}

/** What the audit log keeps of a methodology: metadata and a hash of the content (the row keeps the content). */
const auditView = (m: Methodology) => ({
  standardId: m.standardId,
  version: m.version,
  name: m.name,
  status: m.status,
  revision: m.revision,
  contentSha256: contentHash(m.content),
});

function invalid(problems: { path: string; message: string }[], prefix = 'content.'): DomainError {
  return new DomainError(
    'METHODOLOGY_INVALID',
    zhEn(
      `${problems.length} 处问题：${problems
        .slice(0, 3)
        .map((p) => `${prefix}${p.path}：${p.message}`)
        .join('；')}${problems.length > 3 ? '；…' : ''}`,
      `${problems.length} problem(s): ${problems
        .slice(0, 3)
        .map((p) => `${prefix}${p.path}: ${p.message}`)
        .join('; ')}${problems.length > 3 ? '; …' : ''}`,
    ),
    problems.map((p) => ({ path: `${prefix}${p.path}`, message: p.message })),
  );
}

@Injectable()
export class MethodologiesService {
  /** Published methodologies read so far (immutable; a few per deployment). */
  private readonly published = new Map<string, Methodology>();
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  /**
   * Methodology versions without their content (tens of kilobytes each, parsed on every read of
   * the list before), each with how many indicators, variables and parameters it holds.
   */
  async list(
    filter: { standardId?: string; status?: MethodologyStatus },
    page: PageQuery,
  ): Promise<Page<ListedMethodology>> {
    const repository = this.dataSource.getRepository(Methodology);
    const [items, total] = await repository.findAndCount({
      select: columnsExcept<Methodology>(repository.metadata, 'content'),
      where: {
        ...(filter.standardId ? { standardId: filter.standardId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { standardId: 'ASC', version: 'DESC' },
      skip: page.offset,
      take: page.pageSize,
    });
    const counted: { id: string; indicators: number; variables: number; parameters: number }[] =
      items.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT id, jsonb_array_length(content->'indicators') AS indicators,
                    jsonb_array_length(content->'variables') AS variables,
                    jsonb_array_length(content->'parameters') AS parameters
               FROM methodologies WHERE id = ANY($1)`,
            [items.map((m) => m.id)],
          );
    const counts = new Map(counted.map(({ id, ...c }) => [id, c]));
    return pageOf(
      items.map((m) => ({ ...m, counts: counts.get(m.id)! })),
      total,
      page,
    );
  }

  /**
   * A methodology by id. A published one never changes (methodologies_published_immutable) and
   * is kept after the first read: every run, summary and explanation reads its content. Callers
   * must not change what they get.
   */
  async get(id: string): Promise<Methodology> {
    const kept = this.published.get(id);
    if (kept) return kept;
    const m = await this.dataSource.getRepository(Methodology).findOneBy({ id });
    if (!m) throw DomainError.notFound('methodology', id);
    if (m.status === 'published') this.published.set(id, m);
    return m;
  }

  /** The published version of a standard (the newest when `version` is omitted). */
  async findPublished(standardId: string, version?: number): Promise<Methodology | null> {
    return this.dataSource.getRepository(Methodology).findOne({
      where: { standardId, status: 'published', ...(version ? { version } : {}) },
      order: { version: 'DESC' },
    });
  }

  validate(content: MethodologyContent): {
    valid: boolean;
    problems: { path: string; message: string }[];
  } {
    const problems = [...validateMethodology(content), ...this.coverageProblems(content)];
    return { valid: problems.length === 0, problems };
  }

  async create(actor: Actor, input: NewMethodology): Promise<Methodology> {
    const content = input.content ?? EMPTY_CONTENT;
    const problems = validateMethodology(content);
    if (problems.length) throw invalid(problems);
    return this.dataSource.transaction(async (manager) => {
      const version = input.version ?? (await this.nextVersion(manager, input.standardId));
      const { identifiers } = await manager.insert(Methodology, {
        standardId: input.standardId,
        version,
        name: input.name.trim(),
        sourceDocument: input.sourceDocument.trim(),
        description: input.description ?? null,
        status: 'draft',
        content,
        createdBy: actor.user?.username ?? actor.username ?? null,
      });
      const created = await manager.findOneByOrFail(Methodology, {
        id: identifiers[0].id as string,
      });
      await this.auditLog.record(manager, actor, {
        action: 'methodology.create',
        entityType: 'methodology',
        entityId: created.id,
        after: auditView(created),
      });
      return created;
    });
  }

  async update(actor: Actor, id: string, changes: MethodologyChanges): Promise<Methodology> {
    if (changes.content) {
      const problems = validateMethodology(changes.content);
      if (problems.length) throw invalid(problems);
    }
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lockDraft(manager, id);
      if (before.revision !== changes.revision) {
        throw new DomainError(
          'STALE_REVISION',
          zhEn(
            `核算方法已被他人修改（当前第 ${before.revision} 次修订，您的修改基于第 ${changes.revision} 次）；请刷新后重试`,
            `methodology was changed meanwhile (revision ${before.revision}, your edit is based on ${changes.revision}); reload and retry`,
          ),
          [
            {
              path: 'revision',
              message: zhEn(
                `当前修订号为 ${before.revision}`,
                `current revision is ${before.revision}`,
              ),
            },
          ],
        );
      }
      await manager.save(Methodology, {
        ...before,
        ...(changes.name !== undefined && { name: changes.name.trim() }),
        ...(changes.sourceDocument !== undefined && {
          sourceDocument: changes.sourceDocument.trim(),
        }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.content !== undefined && { content: changes.content }),
      });
      const after = await manager.findOneByOrFail(Methodology, { id });
      await this.auditLog.record(manager, actor, {
        action: 'methodology.update',
        entityType: 'methodology',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return after;
    });
  }

  async publish(actor: Actor, id: string): Promise<Methodology> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lockDraft(manager, id);
      const report = this.validate(before.content);
      if (!report.valid) throw invalid(report.problems);
      await manager.update(
        Methodology,
        { id },
        {
          status: 'published',
          publishedAt: clock.now(),
          publishedBy: actor.user?.username ?? null,
        },
      );
      const after = await manager.findOneByOrFail(Methodology, { id });
      await this.auditLog.record(manager, actor, {
        action: 'methodology.publish',
        entityType: 'methodology',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return after;
    });
  }

  /** A new draft version with the same content, to change a published methodology. */
  async clone(actor: Actor, id: string): Promise<Methodology> {
    const source = await this.get(id);
    return this.create(actor, {
      standardId: source.standardId,
      name: source.name,
      sourceDocument: source.sourceDocument,
      description: source.description,
      content: source.content,
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.lockDraft(manager, id);
      await manager.delete(Methodology, { id });
      await this.auditLog.record(manager, actor, {
        action: 'methodology.delete',
        entityType: 'methodology',
        entityId: id,
        before: auditView(before),
      });
    });
  }

  async diff(
    fromId: string,
    toId: string,
  ): Promise<{ from: Methodology; to: Methodology; changes: DiffEntry[] }> {
    const [from, to] = await Promise.all([this.get(fromId), this.get(toId)]);
    return { from, to, changes: diffMethodologies(from.content, to.content) };
  }

  toPackage(m: Methodology): MethodologyPackage {
    return {
      format: 'gep-methodology/1',
      standardId: m.standardId,
      version: m.version,
      name: m.name,
      sourceDocument: m.sourceDocument,
      ...(m.description ? { description: m.description } : {}),
      ...inReadingOrder(m.content),
    };
  }

  async importPackage(
    actor: Actor,
    pkg: MethodologyPackage,
    asNextVersion = false,
  ): Promise<Methodology> {
    const { format: _f, standardId, version, name, sourceDocument, description, ...content } = pkg;
    const problems = validateMethodology(content);
    if (problems.length) throw invalid(problems, '');
    if (!asNextVersion && version !== undefined) {
      const taken = await this.dataSource
        .getRepository(Methodology)
        .existsBy({ standardId, version });
      if (taken) {
        const next = await this.nextVersion(this.dataSource.manager, standardId);
        const message = zhEn(
          `${standardId} 第 ${version} 版已存在；要导入为新版本，请用 ?version=next（将成为第 ${next} 版）或改包中的 version`,
          `${standardId} version ${version} exists; to import it as a new version use ?version=next (it becomes version ${next}) or change the package's version`,
        );
        throw new DomainError('DUPLICATE', message, [{ path: 'version', message }]);
      }
    }
    return this.create(actor, {
      standardId,
      version: asNextVersion ? undefined : version,
      name,
      sourceDocument,
      description,
      content,
    });
  }

  /** Publishing needs a national default for every parameter, so any region can be accounted. */
  private coverageProblems(content: MethodologyContent): { path: string; message: string }[] {
    return content.parameters.flatMap((p, i) =>
      p.values.some((v) => v.region == null)
        ? []
        : [
            {
              path: `parameters[${i}].values`,
              message: zhEn(
                `${p.code} 没有全国默认值（region 为空的值）`,
                `${p.code} has no national default value (region null)`,
              ),
            },
          ],
    );
  }

  private async nextVersion(manager: EntityManager, standardId: string): Promise<number> {
    const rows: { max: number | null }[] = await manager.query(
      'SELECT max(version) AS max FROM methodologies WHERE standard_id = $1',
      [standardId],
    );
    return (rows[0]?.max ?? 0) + 1;
  }

  private async lockDraft(manager: EntityManager, id: string): Promise<Methodology> {
    const m = await lockRow(manager, Methodology, id, 'methodology');
    if (m.status === 'published') {
      throw new DomainError(
        'METHODOLOGY_PUBLISHED',
        zhEn(
          `核算方法 ${m.standardId} 第 ${m.version} 版已发布，不能修改；请复制为新版本`,
          `methodology ${m.standardId} version ${m.version} is published and cannot change; clone it to make a new version`,
        ),
      );
    }
    return m;
  }
}
