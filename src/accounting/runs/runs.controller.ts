import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { JobResponse } from '../../jobs/jobs.dto';
import { Authenticated, Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { uuidParam } from '../../common/uuid-param';
import { AccountingRun } from './accounting-run.entity';
import {
  CompareQuery,
  RankedRegionResponse,
  RankingQuery,
  ExportQuery,
  ComparisonResponse,
  ResultQuery,
  ResultResponse,
  RunQuery,
  RunResponse,
  StartRunDto,
  SummaryQuery,
  SummaryResponse,
  VerifyResponse,
  PublishRunDto,
  WithdrawRunDto,
  UncertaintyDto,
} from './runs.dto';
import { RunCrosswalk, RunsService } from './runs.service';

const uuid = uuidParam('run');
const response = ({ snapshot: _s, ...run }: AccountingRun): RunResponse => run;

@ApiTags('accounting runs')
@Controller('accounting/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  /**
   * Computes a draft run for a region subtree and year from approved survey data. With
   * `Prefer: respond-async` (RFC 7240) the run is computed in the background: 202 with a job
   * (`Location: /jobs/{id}`) reporting its progress, whose result names the run.
   */
  @Scoped.body('regionCode')
  @Post()
  @Expensive()
  @Roles('accountant')
  @ApiHeader({ name: 'Prefer', required: false, description: '`respond-async`: run as a job' })
  @ApiResponse({ status: 202, type: JobResponse, description: 'with Prefer: respond-async' })
  async start(
    @CurrentActor() actor: SignedIn,
    @Body() dto: StartRunDto,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RunResponse | JobResponse> {
    if (prefer?.split(/[,;]/).some((p) => p.trim().toLowerCase() === 'respond-async')) {
      const job = await this.runs.startAsync(actor, dto);
      res.status(202).location(`/jobs/${job.id}`).setHeader('preference-applied', 'respond-async');
      return job;
    }
    return response(await this.runs.start(actor, dto));
  }

  /** Runs, newest first (viewers see published and superseded runs only). */
  @Scoped.list()
  @Get()
  @Authenticated()
  async list(@CurrentActor() actor: SignedIn, @Query() q: RunQuery): Promise<Page<RunResponse>> {
    return this.runs.list(
      actor.user,
      { standardId: q.standardId, regionCode: q.regionCode, year: q.year },
      q,
    );
  }

  @Scoped.object('id', 'accounting_run')
  @Get(':id')
  @Authenticated()
  async get(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<RunResponse> {
    return this.runs.standingOf(actor.user, id);
  }

  /**
   * Publishes a draft run (immutable afterwards); an earlier published run for the same year is
   * superseded. An incomplete run is refused (409 DATA_INCOMPLETE naming every gap) unless
   * `incompleteReason` says why, and replacing a complete published run also needs `supersedes`.
   */
  @Scoped.object('id', 'accounting_run')
  @Post(':id/publish')
  @Roles('accountant')
  @HttpCode(200)
  async publish(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: PublishRunDto,
  ): Promise<RunResponse> {
    return response(await this.runs.publish(actor, id, dto));
  }

  /** Withdraws (撤回) a published run with a reason; what read it shows the withdrawal. */
  @Scoped.object('id', 'accounting_run')
  @Post(':id/withdraw')
  @Roles('admin')
  @HttpCode(200)
  async withdraw(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: WithdrawRunDto,
  ): Promise<RunResponse> {
    return response(await this.runs.withdraw(actor, id, dto.reason));
  }

  /** Results by region and indicator (values in 元, decimal strings, unrounded). */
  @Scoped.object('id', 'accounting_run')
  @Get(':id/results')
  @Authenticated()
  results(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Query() q: ResultQuery,
  ): Promise<Page<ResultResponse>> {
    return this.runs.results(
      actor.user,
      id,
      { regionCode: q.regionCode, indicator: q.indicator, category: q.category },
      q,
    );
  }

  /** GEP of a region in the run, by category (counted indicators). */
  @Scoped.object('id', 'accounting_run')
  @Get(':id/summary')
  @Authenticated()
  summary(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Query() q: SummaryQuery,
  ): Promise<SummaryResponse> {
    return this.runs.summary(actor.user, id, q.regionCode, q.priceYear);
  }

  /**
   * A region's GEP from run `id` (earlier) to run `otherId` (later): growth at current and constant
   * prices, and the change decomposed into method, quantity and price effects that add up exactly.
   */
  @Scoped.object('id', 'accounting_run')
  @Scoped.object('otherId', 'accounting_run')
  @Get(':id/compare/:otherId')
  @Authenticated()
  async compare(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Param('otherId', uuid) otherId: string,
    @Query() q: CompareQuery,
  ): Promise<ComparisonResponse> {
    const c = await this.runs.compare(actor.user, id, otherId, q.regionCode);
    const str = (x: { toString(): string } | null) => x?.toString() ?? null;
    const amounts = (g: {
      total: { toString(): string } | null;
      byCategory: Record<string, { toString(): string } | null>;
    }) => ({
      total: str(g.total),
      byCategory: Object.fromEntries(Object.entries(g.byCategory).map(([k, v]) => [k, str(v)])),
    });
    return {
      regionCode: c.regionCode,
      fromYear: c.fromYear,
      toYear: c.toYear,
      from: amounts(c.from),
      to: amounts(c.to),
      toAtFromPrices: amounts(c.toAtFromPrices),
      fromUnderToMethod: amounts(c.fromUnderToMethod),
      effects: {
        method: c.effects.method.toString(),
        quantity: c.effects.quantity.toString(),
        price: c.effects.price.toString(),
        total: c.effects.total.toString(),
      },
      growth: {
        current: c.growth.current?.toString() ?? null,
        constant: c.growth.constant?.toString() ?? null,
      },
      methodChanges: c.methodChanges.map((x) => ({
        indicator: x.indicator,
        nameZh: x.nameZh,
        from: x.fromMethod,
        to: x.toMethod,
        regions: x.regions,
      })),
    };
  }

  /** One number explained: its formula, every input with its survey record, every parameter with its source. */
  @Scoped.object('id', 'accounting_run')
  @Get(':id/results/:regionCode/:indicator')
  @Authenticated()
  explain(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Param('regionCode') regionCode: string,
    @Param('indicator') indicator: string,
  ): Promise<ResultResponse> {
    return this.runs.explain(actor.user, id, regionCode, indicator);
  }

  /** Sub-regions ranked by GEP (default), GEP per km² or GEP per capita. */
  @Scoped.object('id', 'accounting_run')
  @Get(':id/ranking')
  @Authenticated()
  ranking(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Query() q: RankingQuery,
  ): Promise<RankedRegionResponse[]> {
    return this.runs.ranking(actor.user, id, q.parentCode, q.by ?? 'gep');
  }

  /** All results as a file: `?format=csv` (UTF-8 with BOM) or `xlsx`; values in 元 as exact decimals. */
  @Scoped.object('id', 'accounting_run')
  @Get(':id/export')
  @Expensive()
  @Authenticated()
  async export(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Query() q: ExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const format = q.format ?? 'csv';
    const { filename, data } = await this.runs.export(actor.user, id, format);
    res.attachment(filename);
    res.setHeader(
      'content-type',
      format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    res.send(data);
  }

  /**
   * The region's results under this run and another — typically of another standard (the 2022
   * trial and GB/T 46869, or the RCEES and forestry schools) — item by item over the common
   * service catalogue, with the items only one of them counts.
   */
  @Scoped.object('id', 'accounting_run')
  @Scoped.object('otherId', 'accounting_run')
  @Get(':id/crosswalk/:otherId')
  @Authenticated()
  crosswalk(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Param('otherId', uuid) otherId: string,
    @Query() q: CompareQuery,
  ): Promise<RunCrosswalk> {
    return this.runs.crosswalk(actor.user, id, otherId, q.regionCode);
  }

  /**
   * GEP of the run with its uncertainty, as a job (202, `Location: /jobs/{id}`): Monte Carlo over
   * the ranges (low/high) of the parameter values the run used — triangular(low, value, high),
   * `draws` draws with a fixed `seed`, so the same request gives the same figures to the digit —
   * and the parameters ranked by how much they move the region's GEP (the tornado). The job's
   * result has the intervals (p05, p50, p95, mean, min, max, 元) of GEP, each category, service
   * and region. For the accountants, auditors and finance staff whose decisions ride on it (and
   * admins): at 1,000 draws a county takes a few seconds (`BENCH_ONLY=uncertainty npm run bench`).
   */
  @Scoped.object('id', 'accounting_run', { reads: true })
  @Post(':id/uncertainty')
  @Expensive()
  @Roles('accountant', 'auditor', 'finance', 'admin')
  @HttpCode(202)
  @ApiResponse({ status: 202, type: JobResponse })
  async uncertainty(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: UncertaintyDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobResponse> {
    const job = await this.runs.startUncertainty(actor, {
      runId: id,
      regionCode: dto.regionCode,
      draws: dto.draws ?? 1000,
      seed: dto.seed ?? 1,
    });
    res.location(`/jobs/${job.id}`);
    return job;
  }

  /** Recomputes the run from its stored snapshot and compares every number digit for digit. */
  @Scoped.object('id', 'accounting_run', { reads: true })
  @Post(':id/verify')
  @Authenticated()
  @HttpCode(200)
  verify(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<VerifyResponse> {
    return this.runs.verify(actor.user, id);
  }
}
