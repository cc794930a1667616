import { Module } from '@nestjs/common';
import { RunsModule } from '../../accounting/runs/runs.module';
import { RegionsModule } from '../../regions/regions.module';
import { CompensationRunsController } from './compensation-runs.controller';
import { CompensationRunsService } from './compensation-runs.service';
import { CompensationSchemesController } from './compensation-schemes.controller';
import { CompensationSchemesService } from './compensation-schemes.service';
import { ForestAreasController } from './forest-areas.controller';
import { ForestAreasService } from './forest-areas.service';
import { MonitoringController } from './monitoring.controller';
import { MonitoringService } from './monitoring.service';

@Module({
  imports: [RegionsModule, RunsModule],
  controllers: [
    CompensationSchemesController,
    CompensationRunsController,
    MonitoringController,
    ForestAreasController,
  ],
  providers: [
    CompensationSchemesService,
    CompensationRunsService,
    MonitoringService,
    ForestAreasService,
  ],
})
export class CompensationModule {}
