import { Body, Controller, HttpCode, Injectable, Post } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Scoped } from '../../auth/region-scope';
import { DomainError } from '../../common/errors/domain-error';
import {
  IsAccountingYear,
  IsCalendarDate,
  IsRegionCode,
  IsStandardId,
} from '../../common/field-validators';
import { ExtentService } from '../../registry/extent.service';
import { MethodologiesService } from '../methodology/methodologies.service';
import { SurveyForm } from './survey-form.entity';
import { SurveyService } from './survey.service';
import { zhEn } from '../../common/i18n/text';
import { RegionsRepository } from '../../regions/regions.repository';

export class SubmitExtentDto {
  /** The methodology whose `eco_area` (indexed by ecosystem type) receives the areas. */
  @IsStandardId()
  standardId!: string;

  @IsRegionCode()
  regionCode!: string;

  @IsAccountingYear()
  year!: number;

  /** Reference date of the register read; default 31 December of the year. */
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export interface ExtentSubmission {
  formId: string;
  revision: number;
  status: SurveyForm['status'];
  variable: string;
  values: { item: string; value: string; unit: string }[];
  source: string;
}

/** The survey variable registry extent feeds, and the department that reports it. */
const EXTENT_VARIABLE = 'eco_area';

/** The registry's ecosystem extent entered as survey data: accounting reads the register. */
@Injectable()
export class ExtentSubmissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ExtentService,
    private readonly survey: SurveyService,
    private readonly methodologies: MethodologiesService,
  ) {}

  /**
   * Enters the registry's area by ecosystem type as `eco_area` of the region's 自然资源局 form for
   * the year (created if missing), in hm², with the register as the recorded source. Ecosystem
   * types without registered resources stay not reported (the register covers registered units,
   * not the whole territory). Reference date: 31 December of the year, unless given.
   */
  async submit(
    actor: SignedIn,
    input: { standardId: string; regionCode: string; year: number; asOf?: string },
  ): Promise<ExtentSubmission> {
    const asOf = input.asOf ?? `${input.year}-12-31`;
    const extent = await this.registry.extent(actor.user, input.regionCode, asOf);
    if (extent.areaByEcosystem.length === 0) {
      const region = await RegionsRepository.label(this.dataSource.manager, input.regionCode);
      throw new DomainError(
        'NOTHING_TO_SUBMIT',
        zhEn(
          `${asOf} ${region.zh}内没有已登记且含自然资源的登记单元；无可提交的数据`,
          `no registered unit with resources lies in ${region.en} on ${asOf}; nothing to submit`,
        ),
      );
    }
    const methodology = await this.methodologies.findPublished(input.standardId);
    const variable = methodology?.content.variables.find((v) => v.code === EXTENT_VARIABLE);
    if (!variable || variable.index !== 'ecosystem')
      throw DomainError.invalid(
        'standardId',
        zhEn(
          `没有已发布的核算方法 ${input.standardId} 含按生态系统类型分项的变量 ${EXTENT_VARIABLE}`,
          `no published methodology ${input.standardId} has the variable ${EXTENT_VARIABLE} indexed by ecosystem type`,
        ),
      );
    const department = variable.department ?? '自然资源局';
    let form = await this.dataSource.getRepository(SurveyForm).findOneBy({
      standardId: input.standardId,
      department,
      regionCode: input.regionCode,
      year: input.year,
    });
    form ??= await this.survey.create(actor, {
      standardId: input.standardId,
      department,
      regionCode: input.regionCode,
      year: input.year,
    });
    const values = extent.areaByEcosystem.map((a) => ({
      item: a.ecosystemType,
      value: a.areaHa,
      unit: 'hm²',
    }));
    const saved = await this.survey.saveValues(
      actor,
      form.id,
      form.revision,
      values.map((v) => ({ variable: EXTENT_VARIABLE, ...v, source: extent.source })),
    );
    return {
      formId: saved.id,
      revision: saved.revision,
      status: saved.status,
      variable: EXTENT_VARIABLE,
      values,
      source: extent.source,
    };
  }
}

@ApiTags('registry')
@Controller('registry/extent')
export class ExtentSubmissionController {
  constructor(private readonly extent: ExtentSubmissionService) {}

  /**
   * Enters the extent as `eco_area` (hm², by ecosystem type) in the region's form of the reporting
   * department for the year, citing the register; the form then goes through review as usual.
   */
  @Scoped.body('regionCode')
  @Post('survey-data')
  @Roles('statistician', 'registry_clerk', 'admin')
  @HttpCode(200)
  submit(@CurrentActor() actor: SignedIn, @Body() dto: SubmitExtentDto): Promise<ExtentSubmission> {
    return this.extent.submit(actor, dto);
  }
}
