import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { uuidParam } from '../../common/uuid-param';
import { JobResponse } from '../../jobs/jobs.dto';
import {
  AggregateQuery,
  ParcelRunQuery,
  ProjectEvaluationDto,
  StartParcelRunDto,
} from './parcels.dto';
import { ParcelAggregate } from './parcel-aggregate.entity';
import { ParcelProjectsService } from './parcel-projects.service';
import { ParcelRun } from './parcel-run.entity';
import { ParcelRunsService } from './parcel-runs.service';

const uuid = uuidParam('parcel run');
type RunSummary = Omit<ParcelRun, 'compiledSql' | 'parameters'>;
const summary = ({ compiledSql: _sql, parameters: _p, ...run }: ParcelRun): RunSummary => run;

@ApiTags('parcels')
@Controller('parcels/runs')
export class ParcelRunsController {
  constructor(
    private readonly runs: ParcelRunsService,
    private readonly projects: ParcelProjectsService,
  ) {}

  /**
   * Computes every parcel-capable indicator for every parcel of a set, set-based inside
   * PostgreSQL, stores the per-parcel results and township/county sums: 202 with a job.
   */
  @Scoped.body('setId', 'parcel_set')
  @Post()
  @Expensive()
  @Roles('accountant')
  @HttpCode(202)
  async start(
    @CurrentActor() actor: SignedIn,
    @Body() dto: StartParcelRunDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobResponse> {
    const job = await this.runs.startAsync(actor, dto.setId);
    res.location(`/jobs/${job.id}`);
    return job;
  }

  @Scoped.list()
  @Get()
  @Authenticated()
  async list(
    @CurrentActor() actor: SignedIn,
    @Query() q: ParcelRunQuery,
  ): Promise<Page<RunSummary>> {
    const page = await this.runs.list(
      actor.user,
      { setId: q.setId, regionCode: q.regionCode, year: q.year },
      q,
    );
    return { ...page, items: page.items.map(summary) };
  }

  /** A run with the parameter values and the generated SQL it computed with. */
  @Scoped.object('id', 'parcel_run')
  @Get(':id')
  @Authenticated()
  async get(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<ParcelRun> {
    return this.runs.get(actor.user, id);
  }

  /** Sums per township and type, and per county (`areaCode` = the county) and type. */
  @Scoped.object('id', 'parcel_run')
  @Get(':id/aggregates')
  @Authenticated()
  async aggregates(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Query() q: AggregateQuery,
  ): Promise<ParcelAggregate[]> {
    return this.runs.aggregates(actor.user, id, q);
  }

  /** One parcel's results with its inputs, the parameters of its type and the decimal recomputation. */
  @Scoped.object('id', 'parcel_run')
  @Get(':id/parcels/:parcelId')
  @Authenticated()
  async parcel(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Param('parcelId') parcelId: string,
  ): Promise<object> {
    return this.runs.explainParcel(actor.user, id, parcelId);
  }

  /**
   * GEP of a planned project's parcels before and after a land-cover change (e.g. forest →
   * construction land), with the run's parameters: the basis for the compensation it owes.
   */
  @Scoped.object('id', 'parcel_run')
  @Post(':id/projects')
  @Expensive()
  @Authenticated()
  @HttpCode(200)
  async project(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: ProjectEvaluationDto,
  ): Promise<object> {
    return this.projects.evaluate(actor.user, id, dto);
  }
}
