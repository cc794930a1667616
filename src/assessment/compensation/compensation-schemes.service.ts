import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { Actor, AuthUser } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { CompensationScheme, SchemeStatus, SchemeType } from './compensation-scheme.entity';
import { compileScheme, SchemeContent } from './scheme-content';
import { lockRow } from '../../database/lock-row';

type SignedIn = Actor & { user: AuthUser };

/** Refuses content whose formulas or amounts are wrong, naming each field (`content.weight`…). */
function assertValid(content: SchemeContent): void {
  const { problems } = compileScheme(content);
  if (problems.length)
    throw new DomainError(
      'VALIDATION_FAILED',
      `${problems.length} problem(s) in the scheme`,
      problems.map((p) => ({ path: `content.${p.path}`, message: p.message })),
    );
}

@Injectable()
export class CompensationSchemesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly auditLog: AuditLogService,
  ) {}

  async list(
    filter: { code?: string; status?: SchemeStatus },
    page: PageQuery,
  ): Promise<Page<CompensationScheme>> {
    const [items, total] = await this.dataSource.getRepository(CompensationScheme).findAndCount({
      where: {
        ...(filter.code ? { code: filter.code } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { code: 'ASC', version: 'DESC' },
      skip: page.offset,
      take: page.pageSize,
    });
    return pageOf(items, total, page);
  }

  async get(id: string): Promise<CompensationScheme> {
    const scheme = await this.dataSource.getRepository(CompensationScheme).findOneBy({ id });
    if (!scheme) throw DomainError.notFound('compensation scheme', id);
    return scheme;
  }

  /** A new draft version of a scheme code (the next version number). */
  async create(
    actor: SignedIn,
    input: { code: string; name: string; type: SchemeType; content: SchemeContent },
  ): Promise<CompensationScheme> {
    assertValid(input.content);
    return this.dataSource.transaction(async (manager) => {
      const [{ next }] = await manager.query<{ next: number }[]>(
        'SELECT COALESCE(max(version), 0) + 1 AS next FROM compensation_schemes WHERE code = $1',
        [input.code],
      );
      const { identifiers } = await manager.insert(CompensationScheme, {
        ...input,
        content: { ...input.content },
        version: next,
        status: 'draft',
        createdBy: actor.user.username,
      });
      const scheme = await manager.findOneByOrFail(CompensationScheme, {
        id: identifiers[0].id as string,
      });
      await this.auditLog.record(manager, actor, {
        action: 'compensation_scheme.create',
        entityType: 'compensation_scheme',
        entityId: scheme.id,
        after: scheme,
      });
      return scheme;
    });
  }

  async update(
    actor: SignedIn,
    id: string,
    input: { revision: number; name?: string; content?: SchemeContent },
  ): Promise<CompensationScheme> {
    if (input.content) assertValid(input.content);
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lock(manager, id);
      if (before.status !== 'draft')
        throw new DomainError(
          'CONFLICT',
          `scheme ${before.code} version ${before.version} is published; create a new version to change it`,
        );
      if (before.revision !== input.revision)
        throw new DomainError(
          'CONFLICT',
          `the scheme was changed meanwhile (revision ${before.revision}; you sent ${input.revision}); reload it and retry`,
          [{ path: 'revision', message: `current revision is ${before.revision}` }],
        );
      await manager.save(CompensationScheme, {
        ...before,
        ...(input.name ? { name: input.name } : {}),
        ...(input.content ? { content: { ...input.content } } : {}),
      });
      const after = await manager.findOneByOrFail(CompensationScheme, { id });
      await this.auditLog.record(manager, actor, {
        action: 'compensation_scheme.update',
        entityType: 'compensation_scheme',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** Publishes a draft; it is immutable afterwards (enforced by the database). */
  async publish(actor: SignedIn, id: string): Promise<CompensationScheme> {
    return this.dataSource.transaction(async (manager) => {
      const scheme = await this.lock(manager, id);
      if (scheme.status !== 'draft')
        throw new DomainError('CONFLICT', `the scheme is already ${scheme.status}`);
      assertValid(scheme.content);
      await manager.update(
        CompensationScheme,
        { id },
        { status: 'published', publishedBy: actor.user.username, publishedAt: new Date() },
      );
      const after = await manager.findOneByOrFail(CompensationScheme, { id });
      await this.auditLog.record(manager, actor, {
        action: 'compensation_scheme.publish',
        entityType: 'compensation_scheme',
        entityId: id,
        after: { code: after.code, version: after.version, status: after.status },
      });
      return after;
    });
  }

  private async lock(manager: EntityManager, id: string): Promise<CompensationScheme> {
    return lockRow(manager, CompensationScheme, id, 'compensation scheme');
  }
}
