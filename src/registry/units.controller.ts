import { Scoped } from '../auth/region-scope';
import { Expensive } from '../auth/rate-limit';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsOptional, IsUUID } from 'class-validator';
import { Authenticated, Roles } from '../auth/access.decorator';
import { CurrentActor } from '../auth/auth-user';
import { Page, PageQuery } from '../common/pagination';
import { uuidParam } from '../common/uuid-param';
import { RegisterExtractService } from './register-extract.service';
import { RegisterExtract } from './register-extract';
import { SignedIn } from '../auth/auth-user';
import { AsOfQuery } from './registry-common.dto';
import { EntryView, ResourceView, UnitView } from './registry-views';
import { AddResourceDto } from './resource.dto';
import { ResourcesService } from './resources.service';
import {
  CancelUnitDto,
  ChangeUnitDto,
  CreateUnitDto,
  NoticeDto,
  ObjectionDto,
  PublicNoticeDto,
  RegisterDto,
  ResolveObjectionDto,
  ReviewDto,
  SurveyDoneDto,
  UnitListQuery,
} from './unit.dto';
import { UnitsService, UnitSummary } from './units.service';
import { ObjectionView, WorkflowService } from './workflow.service';

/** Who keeps the register: registry clerks (自然资源局 登记人员) and admins. */
export const REGISTRY_CLERKS = ['registry_clerk', 'admin'] as const;
/** Who approves: the review and the entry into the register (登簿). */
export const REGISTRY_REVIEWERS = ['reviewer', 'admin'] as const;

const unitId = uuidParam('registration unit');

export class EntryQuery extends PageQuery {
  /** Only entries that touched this resource, right or objection. */
  @IsOptional()
  @IsUUID()
  subject?: string;
}

/**
 * Registration units (登记单元): first registration step by step, later changes, cancellation,
 * reads as of any date, the ledger and the register extract. Reads need any signed-in user whose
 * region scope covers the unit.
 */
@ApiTags('registry')
@Controller('registry/units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly workflow: WorkflowService,
    private readonly resources: ResourcesService,
    private readonly extracts: RegisterExtractService,
  ) {}

  @Scoped.list()
  @Get()
  @Authenticated()
  list(@CurrentActor() actor: SignedIn, @Query() q: UnitListQuery): Promise<Page<UnitSummary>> {
    return this.units.list(actor.user, q, q);
  }

  /** 预划登记单元: creates the unit with its code; boundaries may not overlap another unit's. */
  @Scoped.body('regionCode')
  @Post()
  @Roles(...REGISTRY_CLERKS)
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreateUnitDto): Promise<UnitView> {
    return this.units.create(actor, dto);
  }

  /** The unit, its resources and the rights over them as of a date (default today). */
  @Scoped.object('id', 'registration_unit')
  @Get(':id')
  @Authenticated()
  get(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Query() q: AsOfQuery,
  ): Promise<UnitView> {
    return this.units.get(actor.user, id, q.asOf);
  }

  /** The unit's ledger, oldest first. */
  @Scoped.object('id', 'registration_unit')
  @Get(':id/entries')
  @Authenticated()
  entries(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Query() q: EntryQuery,
  ): Promise<Page<EntryView>> {
    return this.units.entries(actor.user, id, q, q.subject);
  }

  /** 变更登记 or 更正登记 of the unit's natural status, ownership or linked information. */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/changes')
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(200)
  change(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: ChangeUnitDto,
  ): Promise<UnitView> {
    return this.units.change(actor, id, dto);
  }

  /** 注销登记: the unit, its resources and rights end; nothing more can be recorded on it. */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/cancellation')
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(200)
  cancel(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: CancelUnitDto,
  ): Promise<UnitView> {
    return this.units.cancel(actor, id, dto);
  }

  /** Records a resource found in the unit (during the survey, or as a change once registered). */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/resources')
  @Roles(...REGISTRY_CLERKS)
  addResource(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: AddResourceDto,
  ): Promise<ResourceView> {
    return this.resources.add(actor, id, dto);
  }

  /** 发布通告 (pre_delimited → notice_issued). */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/notice')
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(200)
  notice(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: NoticeDto,
  ): Promise<UnitView> {
    return this.workflow.notice(actor, id, dto);
  }

  /** 地籍调查 complete (notice_issued → surveyed); needs at least one resource. */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/survey')
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(200)
  survey(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: SurveyDoneDto,
  ): Promise<UnitView> {
    return this.workflow.surveyDone(actor, id, dto);
  }

  /** 审核 by a reviewer: approve (→ reviewed) or return to the survey with a comment. */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/review')
  @Roles(...REGISTRY_REVIEWERS)
  @HttpCode(200)
  review(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: ReviewDto,
  ): Promise<UnitView> {
    return this.workflow.review(actor, id, dto);
  }

  /** 公告: starts the objection period (default 15 working days). */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/public-notice')
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(200)
  publicNotice(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: PublicNoticeDto,
  ): Promise<UnitView> {
    return this.workflow.publicNotice(actor, id, dto);
  }

  /** 登簿 by a reviewer: after the objection period, with every objection resolved. */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/register')
  @Roles(...REGISTRY_REVIEWERS)
  @HttpCode(200)
  register(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: RegisterDto,
  ): Promise<UnitView> {
    return this.workflow.register(actor, id, dto);
  }

  @Scoped.object('id', 'registration_unit')
  @Get(':id/objections')
  @Authenticated()
  objections(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
  ): Promise<ObjectionView[]> {
    return this.workflow.objections(actor, id);
  }

  /** Records an objection (异议), as received by the registration agency. */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/objections')
  @Roles(...REGISTRY_CLERKS)
  object(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Body() dto: ObjectionDto,
  ): Promise<ObjectionView> {
    return this.workflow.object(actor, id, dto);
  }

  /** 异议处理: upheld (during first registration: back to the survey) or dismissed. */
  @Scoped.object('id', 'registration_unit')
  @Post(':id/objections/:objectionId/resolution')
  @Roles('registry_clerk', 'reviewer', 'admin')
  @HttpCode(200)
  resolve(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Param('objectionId', uuidParam('objection')) objectionId: string,
    @Body() dto: ResolveObjectionDto,
  ): Promise<ObjectionView> {
    return this.workflow.resolve(actor, id, objectionId, dto);
  }

  /** The register extract (登记簿摘录) as JSON, as of a date. */
  @Scoped.object('id', 'registration_unit')
  @Get(':id/extract')
  @Authenticated()
  extract(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Query() q: AsOfQuery,
  ): Promise<RegisterExtract> {
    return this.extracts.extract(actor.user, id, q.asOf);
  }

  /** The register extract as a printable PDF (A4, Chinese). */
  @Scoped.object('id', 'registration_unit')
  @Get(':id/extract.pdf')
  @Expensive()
  @Authenticated()
  async extractPdf(
    @CurrentActor() actor: SignedIn,
    @Param('id', unitId) id: string,
    @Query() q: AsOfQuery,
    @Res() res: Response,
  ): Promise<void> {
    const { filename, data } = await this.extracts.pdf(actor.user, id, q.asOf);
    res.attachment(filename);
    res.setHeader('content-type', 'application/pdf');
    res.send(data);
  }
}
