import { Module } from '@nestjs/common';
import { RegionsModule } from '../../regions/regions.module';
import { CompensationRunsController } from './compensation-runs.controller';
import { CompensationRunsService } from './compensation-runs.service';
import { CompensationSchemesController } from './compensation-schemes.controller';
import { CompensationSchemesService } from './compensation-schemes.service';

@Module({
  imports: [RegionsModule],
  controllers: [CompensationSchemesController, CompensationRunsController],
  providers: [CompensationSchemesService, CompensationRunsService],
})
export class CompensationModule {}
