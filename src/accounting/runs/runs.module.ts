import { Module } from '@nestjs/common';
import { JobsModule } from '../../jobs/jobs.module';
import { RegionsModule } from '../../regions/regions.module';
import { MethodologyModule } from '../methodology/methodology.module';
import { ParcelsModule } from '../parcels/parcels.module';
import { AppConfig } from '../../config/app-config';
import { PublishedGep } from './published-gep';
import { RunEvaluationPool } from './run-evaluation-pool';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

@Module({
  imports: [MethodologyModule, RegionsModule, JobsModule, ParcelsModule],
  controllers: [RunsController],
  providers: [
    RunsService,
    PublishedGep,
    {
      provide: RunEvaluationPool,
      useFactory: (config: AppConfig) => new RunEvaluationPool(config.RUN_EVALUATION_THREADS),
      inject: [AppConfig],
    },
  ],
  exports: [RunsService, PublishedGep],
})
export class RunsModule {}
