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
import { RegionBoundary } from '../regions/region-boundary.entity';
import { User } from '../users/user.entity';
import { LedgerEntry } from '../registry/ledger-entry.entity';
import { ParcelAggregate } from '../accounting/parcels/parcel-aggregate.entity';
import { Parcel } from '../accounting/parcels/parcel.entity';
import { ParcelRun } from '../accounting/parcels/parcel-run.entity';
import { ParcelSet } from '../accounting/parcels/parcel-set.entity';
import { RegistryObjection } from '../registry/objection.entity';
import { RegistryParty } from '../registry/party.entity';
import { RegistrationUnitVersion } from '../registry/registration-unit-version.entity';
import { RegistrationUnit } from '../registry/registration-unit.entity';
import { RegistryResource } from '../registry/resource.entity';
import { ResourceVersion } from '../registry/resource-version.entity';
import { RightHolder } from '../registry/right-holder.entity';
import { RegistryRight } from '../registry/right.entity';

/** Every TypeORM entity; listed explicitly so the app, the CLI and the tests load the same set. */
export const ENTITIES = [
  Region,
  RegionBoundary,
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
  RegistryParty,
  RegistrationUnit,
  LedgerEntry,
  RegistrationUnitVersion,
  RegistryResource,
  ResourceVersion,
  RegistryRight,
  RightHolder,
  RegistryObjection,
  ParcelSet,
  Parcel,
  ParcelRun,
  ParcelAggregate,
];
