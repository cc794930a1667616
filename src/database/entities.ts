import { Methodology } from '../accounting/methodology/methodology.entity';
import { AccountingResult } from '../accounting/runs/accounting-result.entity';
import { AccountingRun } from '../accounting/runs/accounting-run.entity';
import { SurveyForm } from '../accounting/survey/survey-form.entity';
import { SurveyValue } from '../accounting/survey/survey-value.entity';
import { CompensationAmount } from '../assessment/compensation/compensation-amount.entity';
import { CompensationRun } from '../assessment/compensation/compensation-run.entity';
import { CompensationScheme } from '../assessment/compensation/compensation-scheme.entity';
import { FundEvent } from '../assessment/compensation/fund-event.entity';
import { Official } from '../assessment/officials/official.entity';
import { ForestAreaRow } from '../assessment/compensation/forest-area.entity';
import { MonitoringSection, MonitoringValue } from '../assessment/compensation/monitoring.entity';
import { AuditReport } from '../assessment/reports/audit-report.entity';
import { Tenure } from '../assessment/officials/tenure.entity';
import { Job } from '../jobs/job.entity';
import { AuditLogEntry } from '../audit-log/audit-log.entity';
import { Region } from '../regions/region.entity';
import { User } from '../users/user.entity';

/** Every TypeORM entity; listed explicitly so the app, the CLI and the tests load the same set. */
export const ENTITIES = [
  Region,
  User,
  AuditLogEntry,
  Methodology,
  SurveyForm,
  SurveyValue,
  AccountingRun,
  AccountingResult,
  Job,
  CompensationScheme,
  CompensationRun,
  CompensationAmount,
  FundEvent,
  Official,
  Tenure,
  AuditReport,
  MonitoringSection,
  MonitoringValue,
  ForestAreaRow,
];
