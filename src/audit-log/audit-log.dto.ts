import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination';
import { zhEn } from '../common/i18n/text';

export class AuditLogQuery extends PageQuery {
  /** e.g. `region`, `user`, `auth` */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  entityId?: string;

  @IsOptional()
  @IsUUID()
  actorId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  /**
   * e.g. `region.create`, `auth.login_failed`, `registry.party.create`: the codes
   * `GET /audit-log/actions` lists
   */
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)+$/, {
    message: zhEn(
      '操作应形如 对象.动作，例如 region.create',
      'action must look like entity.verb, e.g. region.create',
    ),
  })
  action?: string;

  /** Inclusive lower bound, ISO 8601. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({
    message: zhEn(
      '起始时间应为 ISO 8601 日期时间，例如 2024-01-05T00:00:00+08:00',
      'from must be an ISO 8601 date-time',
    ),
  })
  from?: Date;

  /** Exclusive upper bound, ISO 8601. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({
    message: zhEn(
      '截止时间应为 ISO 8601 日期时间，例如 2024-01-05T00:00:00+08:00',
      'to must be an ISO 8601 date-time',
    ),
  })
  to?: Date;
}
