import { DataSource } from 'typeorm';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AppConfig } from '../../config/app-config';
import { JobsService } from '../../jobs/jobs.service';
import { RegionsService } from '../../regions/regions.service';
import { MethodologiesService } from '../methodology/methodologies.service';
import { ParcelProjectsService } from './parcel-projects.service';
import { ParcelRunsService } from './parcel-runs.service';
import { ParcelSetsService } from './parcel-sets.service';

/** The parcel services wired by hand, for seeds and scripts that run outside Nest. */
export function parcelServices(ds: DataSource) {
  const audit = new AuditLogService(ds);
  const regions = new RegionsService(ds, audit);
  const methodologies = new MethodologiesService(ds, audit);
  const jobs = new JobsService(ds, new AppConfig());
  const sets = new ParcelSetsService(ds, regions, methodologies, jobs, audit);
  const runs = new ParcelRunsService(ds, regions, methodologies, sets, jobs, audit);
  return {
    sets,
    runs,
    projects: new ParcelProjectsService(ds, runs, methodologies),
    methodologies,
  };
}
