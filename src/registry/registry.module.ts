import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { RegionsModule } from '../regions/regions.module';
import { ExtentController } from './extent.controller';
import { ExtentService } from './extent.service';
import { LedgerService } from './ledger.service';
import { PartiesController } from './parties.controller';
import { PartiesService } from './parties.service';
import { RegisterExtractService } from './register-extract.service';
import { RegistryImportService } from './registry-import.service';
import { RegistryImportsController } from './registry-imports.controller';
import { RegistryReader } from './registry-reader';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';
import { RightsController } from './rights.controller';
import { RightsService } from './rights.service';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';
import { WorkflowService } from './workflow.service';

import { RegistryVocabularyController } from './vocabulary.controller';

/** The natural-resource rights registry (自然资源统一确权登记). */
@Module({
  imports: [RegionsModule, JobsModule],
  controllers: [
    UnitsController,
    ResourcesController,
    RightsController,
    PartiesController,
    ExtentController,
    RegistryImportsController,
    RegistryVocabularyController,
  ],
  providers: [
    LedgerService,
    RegistryReader,
    UnitsService,
    WorkflowService,
    ResourcesService,
    RightsService,
    PartiesService,
    ExtentService,
    RegisterExtractService,
    RegistryImportService,
  ],
  exports: [
    ExtentService,
    RegistryReader,
    UnitsService,
    WorkflowService,
    ResourcesService,
    RightsService,
    PartiesService,
  ],
})
export class RegistryModule {}
