import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination';

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

  /** e.g. `region.create`, `auth.login_failed` */
  @IsOptional()
  @Matches(/^[a-z_]+\.[a-z_]+$/, {
    message: 'action must look like entity.verb, e.g. region.create',
  })
  action?: string;

  /** Inclusive lower bound, ISO 8601. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'from must be an ISO 8601 date-time' })
  from?: Date;

  /** Exclusive upper bound, ISO 8601. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'to must be an ISO 8601 date-time' })
  to?: Date;
}
