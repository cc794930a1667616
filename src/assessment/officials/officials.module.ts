import { Module } from '@nestjs/common';
import { RegionsModule } from '../../regions/regions.module';
import { OfficialsController } from './officials.controller';
import { OfficialsService } from './officials.service';

@Module({
  imports: [RegionsModule],
  controllers: [OfficialsController],
  providers: [OfficialsService],
})
export class OfficialsModule {}
