import { zhEn } from '../../common/i18n/text';
import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../common/errors/domain-error';
import { AuditLogEntry } from '../../audit-log/audit-log.entity';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { uuidParam } from '../../common/uuid-param';
import {
  CheckResponse,
  CorrectFormDto,
  CreateFormDto,
  CsvLoadResponse,
  FormDetail,
  FormQuery,
  FormResponse,
  OpenYearDto,
  OpenYearResponse,
  ReturnFormDto,
  RevisionDto,
  SaveValuesDto,
  SubmitFormDto,
} from './survey.dto';
import { SurveyService } from './survey.service';

const uuid = uuidParam('form');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const READERS = ['statistician', 'reviewer', 'accountant', 'auditor', 'admin'] as const;

@ApiTags('survey')
@Controller('survey/forms')
export class SurveyController {
  constructor(private readonly survey: SurveyService) {}

  /** Report form instances (form × region × year) within the caller's region scope. */
  @Scoped.list()
  @Get()
  @Roles(...READERS)
  list(@CurrentActor() actor: SignedIn, @Query() q: FormQuery): Promise<Page<FormResponse>> {
    return this.survey.list(
      actor.user,
      {
        standardId: q.standardId,
        department: q.department,
        regionCode: q.regionCode,
        year: q.year,
        status: q.status,
      },
      q,
    );
  }

  /** Opens a form for a department, region and year (the variables come from the published methodology). */
  @Scoped.body('regionCode')
  @Post()
  @Roles('statistician')
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreateFormDto): Promise<FormResponse> {
    return this.survey.create(actor, dto);
  }

  /**
   * Opens the year's forms for every township of a county (or one township) and every reporting
   * department in one step; forms that exist are left as they are.
   */
  @Scoped.body('regionCode')
  @Post('open-year')
  @Roles('statistician')
  openYear(@CurrentActor() actor: SignedIn, @Body() dto: OpenYearDto): Promise<OpenYearResponse> {
    return this.survey.openYear(actor, dto);
  }

  /**
   * Bulk load from CSV (body: text/csv, UTF-8): columns
   * `standard_id,department,region_code,year,variable,item,value,unit,source,note`. Missing forms
   * are opened as drafts; all or nothing, every problem with its line; the same file twice changes nothing.
   */
  @Scoped.inService('the region of every row of the CSV')
  @Post('load-csv')
  @Expensive()
  @Roles('statistician')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string' } })
  loadCsv(@CurrentActor() actor: SignedIn, @Body() body: unknown): Promise<CsvLoadResponse> {
    if (typeof body !== 'string' || body.length === 0) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        zhEn(
          '请将 CSV 作为请求体发送，content-type 为 text/csv',
          'send the CSV as the request body with content-type text/csv',
        ),
      );
    }
    // read as UTF-8 by the body parser: a GBK file has become replacement characters
    if (body.includes('\ufffd'))
      throw DomainError.invalid(
        'file',
        zhEn(
          '文件不是 UTF-8 编码：请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或用 POST /survey/imports 上传（可读取 GBK 编码）',
          'the file is not UTF-8: save it as "CSV UTF-8", or upload it to POST /survey/imports, which reads GBK',
        ),
      );
    return this.survey.loadCsv(actor, body);
  }

  /** The form, the variables it asks for, and its values. */
  @Scoped.object('id', 'survey_form')
  @Get(':id')
  @Roles(...READERS)
  async get(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<FormDetail> {
    const { form, variables, values } = await this.survey.get(actor.user, id);
    return {
      form,
      variables,
      values: values.map((v) => ({ ...v, value: v.value?.toString() ?? null })),
    };
  }

  /** Enters or changes values (draft or returned forms), all or nothing, based on the form revision. */
  @Scoped.object('id', 'survey_form')
  @Put(':id/values')
  @Roles('statistician')
  saveValues(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: SaveValuesDto,
  ): Promise<FormResponse> {
    return this.survey.saveValues(actor, id, dto.revision, dto.values);
  }

  @Scoped.object('id', 'survey_form')
  @Post(':id/submit')
  @Roles('statistician')
  @HttpCode(200)
  submit(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: SubmitFormDto,
  ): Promise<FormResponse> {
    return this.survey.submit(actor, id, dto.revision, dto.explanations);
  }

  /** What the methodology's validation rules find on the form as it stands (errors and warnings). */
  @Scoped.object('id', 'survey_form')
  @Get(':id/checks')
  @Roles(...READERS)
  checks(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<CheckResponse[]> {
    return this.survey.checks(actor.user, id);
  }

  @Scoped.object('id', 'survey_form')
  @Post(':id/approve')
  @Roles('reviewer')
  @HttpCode(200)
  approve(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: RevisionDto,
  ): Promise<FormResponse> {
    return this.survey.approve(actor, id, dto.revision);
  }

  /** Sends a submitted form back with a comment saying what to fix. */
  @Scoped.object('id', 'survey_form')
  @Post(':id/return')
  @Roles('reviewer')
  @HttpCode(200)
  returnForm(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: ReturnFormDto,
  ): Promise<FormResponse> {
    return this.survey.returnForm(actor, id, dto.revision, dto.comment);
  }

  /** Reopens an approved form for a correction, with the reason; it is reviewed again. */
  @Scoped.object('id', 'survey_form')
  @Post(':id/correct')
  @Roles('statistician')
  @HttpCode(200)
  correct(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() dto: CorrectFormDto,
  ): Promise<FormResponse> {
    return this.survey.correct(actor, id, dto.revision, dto.reason);
  }

  /** The form as an xlsx template: Chinese labels, units, instructions, existing values prefilled. */
  @Scoped.object('id', 'survey_form')
  @Get(':id/template')
  @Expensive()
  @Roles('statistician', 'reviewer')
  async template(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { filename, data } = await this.survey.template(actor.user, id);
    res.attachment(filename);
    res.setHeader('content-type', XLSX);
    res.send(data);
  }

  /** Uploads a filled template (body: the xlsx file). All or nothing; every problem names its cell. */
  @Scoped.object('id', 'survey_form')
  @Put(':id/upload')
  @Expensive()
  @Roles('statistician')
  @ApiConsumes(XLSX)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  upload(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Body() body: unknown,
  ): Promise<FormResponse> {
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        zhEn(
          `请将 xlsx 文件作为请求体发送，content-type 为 ${XLSX}`,
          `send the xlsx file as the request body with content-type ${XLSX}`,
        ),
      );
    }
    return this.survey.upload(actor, id, body);
  }

  /** Every change to the form and its values, oldest first. */
  @Scoped.object('id', 'survey_form')
  @Get(':id/history')
  @Roles(...READERS)
  history(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
  ): Promise<AuditLogEntry[]> {
    return this.survey.history(actor.user, id);
  }
}
