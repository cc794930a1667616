import { zhEn } from '../common/i18n/text';
import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { DomainError, nounZh } from '../common/errors/domain-error';
import { ACCESS_KEY, AccessRule } from './access.decorator';
import { AuthUser } from './auth-user';
import {
  SCOPED_OBJECT_NOUNS,
  ScopedKind,
  scopeRulesOf,
  visibilitySql,
  wellFormedId,
} from './region-scope';
import { RegionsRepository } from '../regions/regions.repository';

/**
 * The global region-scope guard, after the access guard: enforces each route's declared
 * {@link ScopeRule}s — the object named in the path and the region named in the body must lie in
 * the caller's scope (403 otherwise; an unknown object or region is left to the handler's 404 or
 * 422). A non-public route without a declaration is closed, as is one without an access rule.
 */
@Injectable()
export class RegionScopeGuard implements CanActivate {
  private readonly logger = new Logger(RegionScopeGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access || access.kind === 'public') return true;
    const rules = scopeRulesOf(context.getHandler(), context.getClass());
    if (!rules?.length) {
      this.logger.error(
        `route ${context.getClass().name}.${context.getHandler().name} declares no region scope`,
      );
      throw new DomainError(
        'FORBIDDEN',
        zhEn('此接口未声明地区范围，已关闭', 'this route declares no region scope and is closed'),
      );
    }
    const req = context.switchToHttp().getRequest<Request>();
    const user = req.user as AuthUser;
    if (user.regionCode === null) return true;
    const reading = req.method === 'GET' || req.method === 'HEAD';
    for (const rule of rules) {
      const [value, object, path] =
        rule.kind === 'object'
          ? [req.params[rule.param], rule.object, rule.param]
          : rule.kind === 'body'
            ? [
                (req.body as Record<string, unknown> | undefined)?.[rule.field],
                rule.object,
                rule.field,
              ]
            : rule.kind === 'query'
              ? [req.query[rule.field], 'region' as const, rule.field]
              : [undefined, 'region' as const, ''];
      if (typeof value !== 'string' || !wellFormedId(object, value)) continue;
      const rows = await this.dataSource.query<{ visible: boolean; region: string | null }[]>(
        visibilitySql(object, rule.kind === 'object' && (reading || rule.reads === true)),
        [value, user.regionCode],
      );
      if (rows.length && !rows[0].visible)
        throw await this.outOfScope(user, path, object, rows[0].region);
    }
    return true;
  }

  /**
   * The refusal, naming what was asked for and the caller's scope as people know them
   * (该报表属于清华镇（361130101），不在您的地区权限范围（婺源县（361130））内), not by codes alone.
   */
  private async outOfScope(
    user: AuthUser,
    path: string,
    kind: ScopedKind,
    region: string | null,
  ): Promise<DomainError> {
    const [scope, asked] = await RegionsRepository.labels(
      this.dataSource.manager,
      region ? [user.regionCode!, region] : [user.regionCode!],
    );
    const noun = SCOPED_OBJECT_NOUNS[kind];
    const message = zhEn(
      `不在您的地区权限范围（${scope.zh}）内`,
      `outside your region scope (${scope.en})`,
    );
    const whole = !asked
      ? message
      : kind === 'region'
        ? zhEn(
            `行政区 ${asked.zh}不在您的地区权限范围（${scope.zh}）内`,
            `region ${asked.en} is outside your scope (${scope.en})`,
          )
        : zhEn(
            `该${nounZh(noun)}属于${asked.zh}，不在您的地区权限范围（${scope.zh}）内`,
            `the ${noun} belongs to ${asked.en}, outside your scope (${scope.en})`,
          );
    return new DomainError('OUT_OF_REGION_SCOPE', whole, [{ path, message }]);
  }
}
