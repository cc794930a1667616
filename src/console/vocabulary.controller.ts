import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorator';
import { Scoped } from '../auth/region-scope';
import { ROLE_ZH } from '../auth/roles';
import { CATEGORY_ZH } from '../accounting/methodology/methodology-content';
import { RUN_STATUS_ZH } from '../accounting/runs/accounting-run.entity';
import { FORM_STATUS_ZH } from '../accounting/survey/survey-form.entity';
import { JOB_KIND_ZH, JOB_STATUS_ZH } from '../jobs/job.entity';
import { auditFieldLabels, entityTypeLabels } from '../audit-log/action-labels';

/** The names people read for the service's codes across modules, as the service names them. */
export class Vocabulary {
  roles!: Record<string, string>;
  categories!: Record<string, string>;
  runStatuses!: Record<string, string>;
  formStatuses!: Record<string, string>;
  jobKinds!: Record<string, string>;
  jobStatuses!: Record<string, string>;
  /** What the audit log's object types (`entityType`) are called. */
  auditObjects!: Record<string, string>;
  /** What the fields of audit-log entries' `before` and `after` are called. */
  auditFields!: Record<string, string>;
}

const VOCABULARY: Vocabulary = {
  roles: ROLE_ZH,
  categories: CATEGORY_ZH,
  runStatuses: RUN_STATUS_ZH,
  formStatuses: FORM_STATUS_ZH,
  jobKinds: JOB_KIND_ZH,
  jobStatuses: JOB_STATUS_ZH,
  auditObjects: entityTypeLabels(),
  auditFields: auditFieldLabels(),
};

/**
 * One source for the labels the console shows (roles, GEP categories, run, form and job
 * statuses, job kinds, the audit log's object types and fields): the console reads them here
 * instead of keeping its own copies. The registry's own codes are at `GET /registry/vocabulary`.
 */
@ApiTags('console')
@Controller('vocabulary')
export class VocabularyController {
  /**
   * Roles, categories, run/form/job statuses, job kinds, audit-log object types and fields:
   * code → Chinese.
   */
  @Scoped.none('the names of the service’s codes are reference data')
  @Get()
  @Authenticated()
  get(): Vocabulary {
    return VOCABULARY;
  }
}
