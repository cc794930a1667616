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
import { METHODOLOGY_STATUS_ZH } from '../accounting/methodology/methodology.entity';
import {
  SCHEME_STATUS_ZH,
  SCHEME_TYPE_ZH,
} from '../assessment/compensation/compensation-scheme.entity';
import { COMPENSATION_RUN_STATUS_ZH } from '../assessment/compensation/compensation-run.entity';
import { SECTION_STATE_ZH } from '../assessment/compensation/monitoring.entity';
import { POLLUTANT_ZH } from '../assessment/compensation/cross-section';
import {
  FOREST_LEVEL_ZH,
  FOREST_OWNERSHIP_ZH,
} from '../assessment/compensation/forest-compensation';
import { PARTY_KIND_ZH } from '../registry/registry-types';
import { LEVEL_ZH } from '../regions/region-rules';

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
  /**
   * What the coded values of those fields mean, by object type (`entityType`) and field: a
   * region's level `county` is 县, a scheme's type `cross_section` 跨界断面横向补偿.
   */
  auditValues!: Record<string, Record<string, Record<string, string>>>;
  /** The kinds of compensation scheme. */
  schemeTypes!: Record<string, string>;
}

/**
 * The coded values of the entries the service writes: every enum column of the objects it logs
 * whole, and the codes inside its entries' changes (a monitoring month's state and pollutant, a
 * forest area's level and ownership). The vocabulary spec holds it complete.
 */
const AUDIT_VALUES: Vocabulary['auditValues'] = {
  region: { level: LEVEL_ZH },
  user: { roles: ROLE_ZH },
  methodology: { status: METHODOLOGY_STATUS_ZH },
  survey_form: { status: FORM_STATUS_ZH },
  accounting_run: { status: RUN_STATUS_ZH },
  compensation_scheme: { type: SCHEME_TYPE_ZH, status: SCHEME_STATUS_ZH },
  compensation_run: { status: COMPENSATION_RUN_STATUS_ZH },
  monitoring_section: { state: SECTION_STATE_ZH, pollutant: POLLUTANT_ZH },
  forest_area: { forestLevel: FOREST_LEVEL_ZH, ownership: FOREST_OWNERSHIP_ZH },
  registry_party: { kind: PARTY_KIND_ZH },
};

const VOCABULARY: Vocabulary = {
  roles: ROLE_ZH,
  categories: CATEGORY_ZH,
  runStatuses: RUN_STATUS_ZH,
  formStatuses: FORM_STATUS_ZH,
  jobKinds: JOB_KIND_ZH,
  jobStatuses: JOB_STATUS_ZH,
  auditObjects: entityTypeLabels(),
  auditFields: auditFieldLabels(),
  auditValues: AUDIT_VALUES,
  schemeTypes: SCHEME_TYPE_ZH,
};

/**
 * One source for the labels the console shows (roles, GEP categories, run, form and job
 * statuses, job kinds, scheme types, the audit log's object types, fields and coded values): the
 * console reads them here instead of keeping its own copies. The registry's own codes are at
 * `GET /registry/vocabulary`.
 */
@ApiTags('console')
@Controller('vocabulary')
export class VocabularyController {
  /**
   * Roles, categories, run/form/job statuses, job kinds, scheme types, audit-log object types,
   * fields and coded values: code → Chinese.
   */
  @Scoped.none('the names of the service’s codes are reference data')
  @Get()
  @Authenticated()
  get(): Vocabulary {
    return VOCABULARY;
  }
}
