import { Scoped } from '../../auth/region-scope';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { uuidParam } from '../../common/uuid-param';
import { CreateSchemeDto, SchemeQuery, SchemeResponse, UpdateSchemeDto } from './compensation.dto';
import { CompensationSchemesService } from './compensation-schemes.service';

const uuid = uuidParam('compensation scheme');
export const COMPENSATION_READERS = ['finance', 'auditor', 'accountant', 'admin'] as const;

@ApiTags('compensation')
@Scoped.none('schemes are policy documents, not records of a region; their runs are scoped')
@Controller('assessment/compensation/schemes')
export class CompensationSchemesController {
  constructor(private readonly schemes: CompensationSchemesService) {}

  /** Compensation schemes, every version. */
  @Get()
  @Roles(...COMPENSATION_READERS)
  list(@Query() q: SchemeQuery): Promise<Page<SchemeResponse>> {
    return this.schemes.list({ code: q.code, status: q.status }, q);
  }

  @Get(':id')
  @Roles(...COMPENSATION_READERS)
  get(@Param('id', uuid) id: string): Promise<SchemeResponse> {
    return this.schemes.get(id);
  }

  /** A new draft version of a scheme: weight and eligibility formulas over GEP figures, floor, cap. */
  @Post()
  @Roles('finance')
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreateSchemeDto): Promise<SchemeResponse> {
    return this.schemes.create(actor, dto);
  }

  /** Edits a draft, based on its revision. */
  @Put(':id')
  @Roles('finance')
  update(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateSchemeDto,
  ): Promise<SchemeResponse> {
    return this.schemes.update(actor, id, dto);
  }

  /** Publishes a draft; published versions cannot change. */
  @Post(':id/publish')
  @Roles('finance')
  @HttpCode(200)
  publish(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<SchemeResponse> {
    return this.schemes.publish(actor, id);
  }
}
