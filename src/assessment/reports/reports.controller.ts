import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { Page } from '../../common/pagination';
import { uuidParam } from '../../common/uuid-param';
import {
  CreateReportDto,
  ReportDetail,
  ReportQuery,
  ReportSummary,
  ReportVerification,
} from './reports.dto';
import { ReportFormat, ReportsService } from './reports.service';

const uuid = uuidParam('report');
const AUDIT = ['auditor', 'admin'] as const;
const MEDIA: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/**
 * Departure-audit reference reports (领导干部自然资源资产离任审计参考报告), generated from
 * published GEP runs only, stored with their content hash, downloadable as PDF and DOCX.
 */
@ApiTags('reports')
@Controller('assessment/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Generates and stores the report of a tenure (422 when it has no two published years). */
  @Scoped.body('tenureId', 'tenure')
  @Post()
  @Expensive()
  @Roles(...AUDIT)
  create(@CurrentActor() actor: SignedIn, @Body() dto: CreateReportDto): Promise<ReportDetail> {
    return this.reports.create(actor, dto);
  }

  @Scoped.list()
  @Get()
  @Roles(...AUDIT)
  list(@CurrentActor() actor: SignedIn, @Query() q: ReportQuery): Promise<Page<ReportSummary>> {
    return this.reports.list(actor.user, q, q);
  }

  @Scoped.object('id', 'audit_report')
  @Get(':id')
  @Roles(...AUDIT)
  get(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<ReportDetail> {
    return this.reports.get(actor.user, id);
  }

  /** The report as PDF (A4, Noto Sans SC embedded, charts as images). */
  @Scoped.object('id', 'audit_report')
  @Get(':id/pdf')
  @Expensive()
  @Roles(...AUDIT)
  pdf(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string, @Res() res: Response) {
    return this.send(actor, id, 'pdf', res);
  }

  /** The report as DOCX, for editing in Word. */
  @Scoped.object('id', 'audit_report')
  @Get(':id/docx')
  @Expensive()
  @Roles(...AUDIT)
  docx(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string, @Res() res: Response) {
    return this.send(actor, id, 'docx', res);
  }

  /** Regenerates the content from the database and compares its hash with the stored one. */
  @Scoped.object('id', 'audit_report')
  @Post(':id/verify')
  @Roles(...AUDIT)
  @HttpCode(200)
  verify(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
  ): Promise<ReportVerification> {
    return this.reports.verify(actor.user, id);
  }

  private async send(actor: SignedIn, id: string, format: ReportFormat, res: Response) {
    const { filename, data } = await this.reports.render(actor.user, id, format);
    res.attachment(filename);
    res.setHeader('content-type', MEDIA[format]);
    res.send(data);
  }
}
