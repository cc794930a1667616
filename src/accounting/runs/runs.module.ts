import { Module } from '@nestjs/common';
import { JobsModule } from '../../jobs/jobs.module';
import { RegionsModule } from '../../regions/regions.module';
import { MethodologyModule } from '../methodology/methodology.module';
import { ParcelsModule } from '../parcels/parcels.module';
import { PublishedGep } from './published-gep';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

@Module({
  imports: [MethodologyModule, RegionsModule, JobsModule, ParcelsModule],
  controllers: [RunsController],
  providers: [RunsService, PublishedGep],
  exports: [RunsService, PublishedGep],
})
export class RunsModule {}
