import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { receiveUpload } from '../../common/streamed-upload';
import { AppConfig } from '../../config/app-config';
import { JobResponse } from '../../jobs/jobs.dto';
import { JobsService } from '../../jobs/jobs.service';
import { csvSource, xlsxSource } from './load-sources';
import { SurveyService } from './survey.service';
import { zhEn } from '../../common/i18n/text';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export class ImportQuery {
  /** The file's name, kept with the job for the record. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

@ApiTags('survey')
@Controller('survey/imports')
export class SurveyImportsController {
  constructor(
    private readonly survey: SurveyService,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Bulk load of survey values from a large CSV (`text/csv`, UTF-8) or xlsx file (first sheet), with
   * the columns `standard_id,department,region_code,year,variable,item,value,unit,source,note` on
   * the first line or row. The body is streamed to disk and loaded in the background: the answer is
   * 202 with a job (`Location: /jobs/{id}`) to poll for progress and, at the end, the counts or
   * every problem (line or cell). All or nothing; the same file twice changes nothing.
   */
  @Scoped.inService('the region of every row of the uploaded file')
  @Post()
  @Expensive()
  @Roles('statistician')
  @HttpCode(202)
  @ApiConsumes('text/csv', XLSX)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async start(
    @CurrentActor() actor: SignedIn,
    @Query() q: ImportQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobResponse> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = type === 'text/csv' ? 'csv' : type === XLSX ? 'xlsx' : null;
    if (!format) {
      req.resume();
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        zhEn(
          `请将文件作为请求体发送，content-type 为 text/csv 或 ${XLSX}`,
          `send the file as the request body with content-type text/csv or ${XLSX}`,
        ),
      );
    }
    const file = await receiveUpload(req, this.config.IMPORT_MAX_MB * 1024 * 1024, () =>
      this.jobs.assertCapacity(),
    );
    const job = await this.jobs.enqueue(
      actor,
      'survey_import',
      { format, filename: q.filename ?? null, sizeBytes: file.sizeBytes, sha256: file.sha256 },
      (progress) => {
        const source =
          format === 'csv'
            ? csvSource(createReadStream(file.path), file.sizeBytes)
            : xlsxSource(file.path, file.sizeBytes);
        return this.survey.bulkLoad(actor, source, progress);
      },
      () => rm(file.path, { force: true }),
    );
    res.location(`/jobs/${job.id}`);
    return job;
  }
}
