import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService } from '../audit-log/audit-log.service';
import { RegionsService } from '../regions/regions.service';
import { LedgerService } from './ledger.service';
import { PartiesService } from './parties.service';
import { RegistryImportService } from './registry-import.service';
import { RegistryReader } from './registry-reader';
import { ResourcesService } from './resources.service';
import { RightsService } from './rights.service';
import { UnitsService } from './units.service';
import { WorkflowService } from './workflow.service';

/**
 * The registry services wired by hand, for seeds and scripts that run outside Nest. Given an
 * EntityManager inside a transaction, the services' own transactions become savepoints in it (an
 * EntityManager offers the DataSource methods they use: transaction, query, getRepository).
 */
export function registryServices(db: DataSource | EntityManager) {
  const ds = db as DataSource;
  const audit = new AuditLogService(ds);
  const regions = new RegionsService(ds, audit);
  const ledger = new LedgerService(regions, audit);
  const reader = new RegistryReader(ds, regions);
  const rights = new RightsService(ds, ledger, reader);
  const units = new UnitsService(ds, regions, ledger, reader, rights);
  const resources = new ResourcesService(ds, ledger, reader, rights);
  return {
    reader,
    units,
    rights,
    resources,
    workflow: new WorkflowService(ds, ledger, reader),
    parties: new PartiesService(ds, audit),
    imports: new RegistryImportService(ds, regions, units, resources, audit),
  };
}
