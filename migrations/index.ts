import { MigrationInterface } from 'typeorm';
import { Foundation1795368645646 } from './1795368645646-Foundation';
import { Methodologies1795370357064 } from './1795370357064-Methodologies';
import { SurveyData1795371269230 } from './1795371269230-SurveyData';
import { AccountingRuns1795371544823 } from './1795371544823-AccountingRuns';
import { Jobs1795376319926 } from './1795376319926-Jobs';
import { SurveyValuesStatementTrigger1795376400000 } from './1795376400000-SurveyValuesStatementTrigger';
import { Compensation1795378635105 } from './1795378635105-Compensation';
import { Registry1795385712996 } from './1795385712996-Registry';
import { ParcelAccounting1795393038068 } from './1795393038068-ParcelAccounting';
import { ForestCompensation1795382944576 } from './1795382944576-ForestCompensation';
import { RewardDeductionSchemes1795382579960 } from './1795382579960-RewardDeductionSchemes';
import { CrossSectionMonitoring1795381615936 } from './1795381615936-CrossSectionMonitoring';
import { AuditReports1795380974074 } from './1795380974074-AuditReports';
import { Officials1795379375515 } from './1795379375515-Officials';
import { TruncateGuards1795396500000 } from './1795396500000-TruncateGuards';
import { OnePublishedRun1795396597943 } from './1795396597943-OnePublishedRun';
import { RunWithdrawnStatus1796225353233 } from './1796225353233-RunWithdrawnStatus';
import { MissingIsNeverZero1796225353234 } from './1796225353234-MissingIsNeverZero';
import { ResultQuantityByIndex1796246074715 } from './1796246074715-ResultQuantityByIndex';
import { RegionInUseByParcels1796300000000 } from './1796300000000-RegionInUseByParcels';
import { JobsAcrossInstances1796300000001 } from './1796300000001-JobsAcrossInstances';
import { RegionBoundaries1796300000002 } from './1796300000002-RegionBoundaries';
import { RunUncertaintyJobs1796300000003 } from './1796300000003-RunUncertaintyJobs';
import { ResultsStatementTrigger1796300000004 } from './1796300000004-ResultsStatementTrigger';
import { ParcelRunsInParts1796300000005 } from './1796300000005-ParcelRunsInParts';
import { SurveyValuesFormCheckPerStatement1796300000006 } from './1796300000006-SurveyValuesFormCheckPerStatement';
import { RunTracesAndSnapshotsAsJson1796300000007 } from './1796300000007-RunTracesAndSnapshotsAsJson';
import { AuditEntriesAsJson1796300000008 } from './1796300000008-AuditEntriesAsJson';
import { SurveyValuesKeyedByCell1796300000009 } from './1796300000009-SurveyValuesKeyedByCell';
import { ParcelResultsOnDemand1796300000010 } from './1796300000010-ParcelResultsOnDemand';
import { ResultsRunCheckPerStatement1796300000011 } from './1796300000011-ResultsRunCheckPerStatement';

/** Every migration, oldest first. A test checks that each file in this folder is listed. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Foundation1795368645646,
  Methodologies1795370357064,
  SurveyData1795371269230,
  AccountingRuns1795371544823,
  Jobs1795376319926,
  SurveyValuesStatementTrigger1795376400000,
  Compensation1795378635105,
  Officials1795379375515,
  AuditReports1795380974074,
  CrossSectionMonitoring1795381615936,
  RewardDeductionSchemes1795382579960,
  ForestCompensation1795382944576,
  Registry1795385712996,
  ParcelAccounting1795393038068,
  TruncateGuards1795396500000,
  OnePublishedRun1795396597943,
  RunWithdrawnStatus1796225353233,
  MissingIsNeverZero1796225353234,
  ResultQuantityByIndex1796246074715,
  RegionInUseByParcels1796300000000,
  JobsAcrossInstances1796300000001,
  RegionBoundaries1796300000002,
  RunUncertaintyJobs1796300000003,
  ResultsStatementTrigger1796300000004,
  ParcelRunsInParts1796300000005,
  SurveyValuesFormCheckPerStatement1796300000006,
  RunTracesAndSnapshotsAsJson1796300000007,
  AuditEntriesAsJson1796300000008,
  SurveyValuesKeyedByCell1796300000009,
  ParcelResultsOnDemand1796300000010,
  ResultsRunCheckPerStatement1796300000011,
];
