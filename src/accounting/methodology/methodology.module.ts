import { Module } from '@nestjs/common';
import { MethodologiesController } from './methodologies.controller';
import { MethodologiesService } from './methodologies.service';

@Module({
  controllers: [MethodologiesController],
  providers: [MethodologiesService],
  exports: [MethodologiesService],
})
export class MethodologyModule {}
