import { Module } from '@nestjs/common';
import { RunsModule } from '../../accounting/runs/runs.module';
import { RegionsModule } from '../../regions/regions.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [RegionsModule, RunsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
