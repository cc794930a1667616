import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { uuidParam } from '../../common/uuid-param';
import {
  CompensationRunDetail,
  CompensationRunQuery,
  CompensationRunResponse,
  FundEventDto,
  FundEventResponse,
  StartCompensationRunDto,
} from './compensation.dto';
import { CompensationRun } from './compensation-run.entity';
import { CompensationRunsService } from './compensation-runs.service';
import { COMPENSATION_READERS } from './compensation-schemes.controller';
import { FundEvent } from './fund-event.entity';

const uuid = uuidParam('compensation run');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Names = Map<string, { schemeName: string | null; regionName: string | null }>;
const view = (r: CompensationRun, names: Names): CompensationRunResponse => ({
  ...r,
  schemeName: names.get(r.id)?.schemeName ?? null,
  regionName: names.get(r.id)?.regionName ?? null,
  budget: r.budget?.toFixed(2) ?? null,
});
const eventView = (e: FundEvent): FundEventResponse => ({
  ...e,
  amount: e.amount?.toFixed(2) ?? null,
});

@ApiTags('compensation')
@Controller('assessment/compensation/runs')
export class CompensationRunsController {
  constructor(private readonly runs: CompensationRunsService) {}

  /** Computes a draft (what-if) allocation from published GEP runs; drafts never touch an approved run. */
  @Scoped.body('regionCode')
  @Post()
  @Expensive()
  @Roles('finance')
  async start(
    @CurrentActor() actor: SignedIn,
    @Body() dto: StartCompensationRunDto,
  ): Promise<CompensationRunResponse> {
    const run = await this.runs.start(actor, dto);
    return view(run, await this.runs.names([run]));
  }

  @Scoped.list()
  @Get()
  @Roles(...COMPENSATION_READERS)
  async list(
    @CurrentActor() actor: SignedIn,
    @Query() q: CompensationRunQuery,
  ): Promise<Page<CompensationRunResponse>> {
    const page = await this.runs.list(
      actor.user,
      {
        schemeCode: q.schemeCode,
        regionCode: q.regionCode,
        budgetYear: q.budgetYear,
        status: q.status,
      },
      q,
    );
    const names = await this.runs.names(page.items);
    return { ...page, items: page.items.map((r) => view(r, names)) };
  }

  /** The run with every region's amount, fund state and explanation (figures, formula, rounding). */
  @Scoped.object('id', 'compensation_run')
  @Get(':id')
  @Roles(...COMPENSATION_READERS)
  async get(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
  ): Promise<CompensationRunDetail> {
    const { run, amounts, sourceWithdrawn } = await this.runs.get(actor.user, id);
    return {
      ...view(run, await this.runs.names([run])),
      notComputable: amounts.filter((a) => a.amount === null).map((a) => a.regionCode),
      sourceWithdrawn,
      amounts: amounts.map((a) => ({
        ...a,
        weight: a.weight?.toString() ?? null,
        amount: a.amount?.toFixed(2) ?? null,
      })),
    };
  }

  /** Approves a draft; it is final afterwards. */
  @Scoped.object('id', 'compensation_run')
  @Post(':id/approve')
  @Roles('finance')
  @HttpCode(200)
  async approve(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
  ): Promise<CompensationRunResponse> {
    const run = await this.runs.approve(actor, id);
    return view(run, await this.runs.names([run]));
  }

  /** Deletes a draft (what-if) run. */
  @Scoped.object('id', 'compensation_run')
  @Delete(':id')
  @Roles('finance')
  @HttpCode(204)
  async remove(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<void> {
    await this.runs.remove(actor, id);
  }

  /** Records paid, withheld (缓拨), reduced (减拨), stopped (停拨) or recovered (追回) for a region's amount. */
  @Scoped.object('id', 'compensation_run')
  @Post(':id/fund-events')
  @Roles('finance')
  async recordFundEvent(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: FundEventDto,
  ): Promise<FundEventResponse> {
    return eventView(await this.runs.recordFundEvent(actor, id, dto));
  }

  @Scoped.object('id', 'compensation_run')
  @Get(':id/fund-events')
  @Roles(...COMPENSATION_READERS)
  async fundEvents(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
  ): Promise<FundEventResponse[]> {
    return (await this.runs.fundEvents(actor.user, id)).map(eventView);
  }

  /** The allocation as xlsx (Chinese headings; amounts as exact decimals). */
  @Scoped.object('id', 'compensation_run')
  @Get(':id/export')
  @Expensive()
  @Roles(...COMPENSATION_READERS)
  async export(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { filename, data } = await this.runs.exportXlsx(actor.user, id);
    res.attachment(filename);
    res.setHeader('content-type', XLSX);
    res.send(data);
  }
}
