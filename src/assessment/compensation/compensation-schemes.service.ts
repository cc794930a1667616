import { clock } from '../../common/clock';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { CompensationScheme, SchemeStatus, SchemeType } from './compensation-scheme.entity';
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../../common/validation';
import {
  CrossSectionContentDto,
  ForestContentDto,
  RewardDeductionContentDto,
  SchemeContentDto,
  SchemeRuleDto,
} from './compensation.dto';
import { compileRewardDeduction, RewardDeductionContent } from './reward-deduction';
import { checkForest, ForestContent } from './forest-compensation';
import { checkCrossSection, CrossSectionContent } from './cross-section';
import { MonitoringSection } from './monitoring.entity';
import { compileScheme, SchemeContent } from './scheme-content';
import { lockRow } from '../../database/lock-row';
import { zhEn } from '../../common/i18n/text';

/**
 * Checks a scheme's content for its type — shape and formats (class-validator, as for a request
 * body), then formulas, bands and amounts — and, for a cross-section agreement, that its section
 * exists. Every problem names its field (`content.weight`, `content.tier.steps[1].above`…).
 */
async function parseContent(
  manager: EntityManager,
  type: SchemeType,
  plain: object,
): Promise<CompensationScheme['content']> {
  const cls: new () => object = {
    budget_allocation: SchemeContentDto,
    cross_section: CrossSectionContentDto,
    reward_deduction: RewardDeductionContentDto,
    forest: ForestContentDto,
  }[type];
  const dto = plainToInstance(cls, plain);
  let problems = flattenValidationErrors(
    await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }),
  );
  if (problems.length === 0) {
    if (type === 'cross_section') {
      const c = instanceToPlain(dto) as CrossSectionContent;
      problems = checkCrossSection(c);
      if (!(await manager.existsBy(MonitoringSection, { code: c.section })))
        problems.push({
          path: 'section',
          message: zhEn(
            `没有编号为 ${c.section} 的监测断面`,
            `no monitoring section has the code ${c.section}`,
          ),
        });
    } else if (type === 'forest') problems = checkForest(instanceToPlain(dto) as ForestContent);
    else if (type === 'reward_deduction')
      problems = compileRewardDeduction(instanceToPlain(dto) as RewardDeductionContent).problems;
    else problems = compileScheme(instanceToPlain(dto) as SchemeContent).problems;
    if ((type === 'cross_section' || type === 'forest') && (dto as SchemeRuleDto).missingFigures)
      problems.push({
        path: 'missingFigures',
        message:
          type === 'forest'
            ? zhEn(
                '公益林补偿按面积和标准计算；缺少适用标准的面积无法计算，不能以规则代替',
                'forest compensation is area times rate: an area without an applicable rate cannot be computed, and no rule can stand in for it',
              )
            : zhEn(
                '断面协议对缺测月份的处理已由协议规定（不计考核），不适用 missingFigures',
                'a cross-section agreement already says what an unmonitored month is (not assessed): missingFigures does not apply',
              ),
      });
  }
  if (problems.length)
    throw new DomainError(
      'VALIDATION_FAILED',
      zhEn(`补偿方案有 ${problems.length} 处问题`, `${problems.length} problem(s) in the scheme`),
      problems.map((p) => ({ path: `content.${p.path}`, message: p.message })),
    );
  return instanceToPlain(dto) as CompensationScheme['content'];
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
    input: { code: string; name: string; type: SchemeType; content: object },
  ): Promise<CompensationScheme> {
    return this.dataSource.transaction(async (manager) => {
      const content = await parseContent(manager, input.type, input.content);
      const [{ next }] = await manager.query<{ next: number }[]>(
        'SELECT COALESCE(max(version), 0) + 1 AS next FROM compensation_schemes WHERE code = $1',
        [input.code],
      );
      const { identifiers } = await manager.insert(CompensationScheme, {
        code: input.code,
        name: input.name,
        type: input.type,
        content,
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
    input: { revision: number; name?: string; content?: object },
  ): Promise<CompensationScheme> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lock(manager, id);
      const content = input.content
        ? await parseContent(manager, before.type, input.content)
        : undefined;
      if (before.status !== 'draft')
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            `补偿方案 ${before.code} 第 ${before.version} 版已发布；如需修改，请新建版本`,
            `scheme ${before.code} version ${before.version} is published; create a new version to change it`,
          ),
        );
      if (before.revision !== input.revision)
        throw new DomainError(
          'STALE_REVISION',
          zhEn(
            `补偿方案已被他人修改（当前第 ${before.revision} 次修订，您提交的是第 ${input.revision} 次）；请刷新后重试`,
            `the scheme was changed meanwhile (revision ${before.revision}; you sent ${input.revision}); reload it and retry`,
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
      await manager.save(CompensationScheme, {
        ...before,
        ...(input.name ? { name: input.name } : {}),
        ...(content ? { content } : {}),
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
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(`补偿方案已是 ${scheme.status} 状态`, `the scheme is already ${scheme.status}`),
        );
      await parseContent(manager, scheme.type, scheme.content);
      await manager.update(
        CompensationScheme,
        { id },
        { status: 'published', publishedBy: actor.user.username, publishedAt: clock.now() },
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
