import { Module } from '@nestjs/common';
import { RegionsModule } from '../../regions/regions.module';
import { MethodologyModule } from '../methodology/methodology.module';
import { JobsModule } from '../../jobs/jobs.module';
import { SurveyImportsController } from './survey-imports.controller';
import { SurveyController } from './survey.controller';
import { SurveyService } from './survey.service';

@Module({
  imports: [MethodologyModule, RegionsModule, JobsModule],
  controllers: [SurveyController, SurveyImportsController],
  providers: [SurveyService],
  exports: [SurveyService],
})
export class SurveyModule {}
