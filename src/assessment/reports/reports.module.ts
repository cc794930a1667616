import { Module } from '@nestjs/common';
import { RegionsModule } from '../../regions/regions.module';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [RegionsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
