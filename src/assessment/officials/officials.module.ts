import { Module } from '@nestjs/common';
import { RunsModule } from '../../accounting/runs/runs.module';
import { RegionsModule } from '../../regions/regions.module';
import { OfficialsController } from './officials.controller';
import { OfficialsService } from './officials.service';

@Module({
  imports: [RegionsModule, RunsModule],
  controllers: [OfficialsController],
  providers: [OfficialsService],
})
export class OfficialsModule {}
