import { Scoped } from '../auth/region-scope';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { CurrentActor, SignedIn } from '../auth/auth-user';
import { Page } from '../common/pagination';
import { AuditLogEntry } from './audit-log.entity';
import { AuditLogQuery } from './audit-log.dto';
import { AuditAction, AuditLogService } from './audit-log.service';

@ApiTags('audit-log')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  /** Audit trail of every write, newest first; filter by entity, actor and time range. */
  @Scoped.list()
  @Get()
  @Roles('auditor', 'admin')
  find(@CurrentActor() actor: SignedIn, @Query() q: AuditLogQuery): Promise<Page<AuditLogEntry>> {
    return this.auditLog.find(
      actor.user,
      {
        entityType: q.entityType,
        entityId: q.entityId,
        actorId: q.actorId,
        actorUsername: q.actor,
        action: q.action,
        from: q.from,
        to: q.to,
      },
      q,
    );
  }

  /**
   * The actions recorded among the entries the reader may see, each with its Chinese name
   * (发布核算, 登录失败…): what the `action` filter can take.
   */
  @Scoped.list()
  @Get('actions')
  @Roles('auditor', 'admin')
  actions(@CurrentActor() actor: SignedIn): Promise<AuditAction[]> {
    return this.auditLog.actions(actor.user);
  }
}
