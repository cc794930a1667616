import { Scoped } from '../../auth/region-scope';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { uuidParam } from '../../common/uuid-param';
import {
  CreateOfficialDto,
  CreateTenureDto,
  EvaluateTenureDto,
  OfficialDetail,
  OfficialQuery,
  OfficialResponse,
  TenureEvaluationResponse,
  TenureQuery,
  TenureResponse,
} from './officials.dto';
import { OfficialsService } from './officials.service';

const AUDIT = ['auditor', 'admin'] as const;

@ApiTags('officials')
@Controller('assessment/officials')
export class OfficialsController {
  constructor(private readonly officials: OfficialsService) {}

  @Scoped.none('an official is a person, readable anywhere (the tenures are scoped)')
  @Get()
  @Roles(...AUDIT)
  list(@Query() q: OfficialQuery): Promise<Page<OfficialResponse>> {
    return this.officials.list(q.q, q);
  }

  @Scoped.none('an official is a person; the tenures carry the region')
  @Post()
  @Roles(...AUDIT)
  create(
    @CurrentActor() actor: SignedIn,
    @Body() dto: CreateOfficialDto,
  ): Promise<OfficialResponse> {
    return this.officials.create(actor, dto);
  }

  /** Tenures within the caller's region scope. */
  @Scoped.list()
  @Get('tenures')
  @Roles(...AUDIT)
  tenures(@CurrentActor() actor: SignedIn, @Query() q: TenureQuery): Promise<Page<TenureResponse>> {
    return this.officials.tenures(actor.user, q.regionCode, q);
  }

  /**
   * Evaluates a tenure from published GEP runs: GEP at the start and end at constant prices, the
   * change decomposed, by category, resources, compensation received, score, grade, findings and
   * the data gaps. The ruleset (score formula, grades, triggers) is configurable per request.
   */
  @Scoped.object('id', 'tenure')
  @Post('tenures/:id/evaluation')
  @Roles(...AUDIT)
  @HttpCode(200)
  evaluate(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuidParam('tenure')) id: string,
    @Body() dto: EvaluateTenureDto,
  ): Promise<TenureEvaluationResponse> {
    return this.officials.evaluate(actor.user, id, dto.ruleset);
  }

  @Scoped.none('an official is a person, readable anywhere; tenures outside the scope are left out')
  @Get(':id')
  @Roles(...AUDIT)
  async get(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuidParam('official')) id: string,
  ): Promise<OfficialDetail> {
    const { official, tenures } = await this.officials.get(actor.user, id);
    return { ...official, tenures };
  }

  /** Adds a tenure (post, region, dates; acting periods too); overlapping tenures of a post are refused. */
  @Scoped.body('regionCode')
  @Post(':id/tenures')
  @Roles(...AUDIT)
  addTenure(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuidParam('official')) id: string,
    @Body() dto: CreateTenureDto,
  ): Promise<TenureResponse> {
    return this.officials.addTenure(actor, id, dto);
  }
}
