import { Module } from '@nestjs/common';
import { RegionsModule } from '../../regions/regions.module';
import { MethodologyModule } from '../methodology/methodology.module';
import { JobsModule } from '../../jobs/jobs.module';
import { RegistryModule } from '../../registry/registry.module';
import { ExtentSubmissionController, ExtentSubmissionService } from './extent-submission';
import { SurveyImportsController } from './survey-imports.controller';
import { SurveyController } from './survey.controller';
import { SurveyService } from './survey.service';

@Module({
  imports: [MethodologyModule, RegionsModule, JobsModule, RegistryModule],
  controllers: [SurveyController, SurveyImportsController, ExtentSubmissionController],
  providers: [SurveyService, ExtentSubmissionService],
  exports: [SurveyService],
})
export class SurveyModule {}
