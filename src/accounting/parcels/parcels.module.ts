import { Module } from '@nestjs/common';
import { JobsModule } from '../../jobs/jobs.module';
import { RegionsModule } from '../../regions/regions.module';
import { MethodologyModule } from '../methodology/methodology.module';
import { ParcelProjectsService } from './parcel-projects.service';
import { ParcelRunsController } from './parcel-runs.controller';
import { ParcelRunsService } from './parcel-runs.service';
import { ParcelSetsController } from './parcel-sets.controller';
import { ParcelSetsService } from './parcel-sets.service';

/** Parcel-level (地块级) accounting: parcel sets, set-based runs, project evaluation. */
@Module({
  imports: [RegionsModule, MethodologyModule, JobsModule],
  controllers: [ParcelSetsController, ParcelRunsController],
  providers: [ParcelSetsService, ParcelRunsService, ParcelProjectsService],
  exports: [ParcelRunsService],
})
export class ParcelsModule {}
