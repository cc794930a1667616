import { Scoped } from '../auth/region-scope';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/access.decorator';
import { CurrentActor, SignedIn } from '../auth/auth-user';
import { Page } from '../common/pagination';
import { uuidParam } from '../common/uuid-param';
import { JobQuery, JobResponse } from './jobs.dto';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@Scoped.none('a job is its owner’s: anyone else gets 404')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** The caller's long-running jobs (imports, runs), newest first; a national admin sees everyone's. */
  @Get()
  @Authenticated()
  list(@CurrentActor() actor: SignedIn, @Query() q: JobQuery): Promise<Page<JobResponse>> {
    return this.jobs.list(actor.user, { kind: q.kind, status: q.status }, q);
  }

  /** A job's status and progress (poll it); its result or problem when it has ended. */
  @Get(':id')
  @Authenticated()
  get(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuidParam('job')) id: string,
  ): Promise<JobResponse> {
    return this.jobs.get(actor.user, id);
  }
}
