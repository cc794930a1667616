import { Scoped } from '../auth/region-scope';
import { Expensive } from '../auth/rate-limit';
import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { readFile, rm } from 'node:fs/promises';
import { Roles } from '../auth/access.decorator';
import { CurrentActor } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { IsCalendarDate } from '../common/field-validators';
import { receiveUpload } from '../common/streamed-upload';
import { AppConfig } from '../config/app-config';
import { JobResponse } from '../jobs/jobs.dto';
import { JobsService } from '../jobs/jobs.service';
import { SignedIn } from '../auth/auth-user';
import { RegistryImportService } from './registry-import.service';
import { REGISTRY_CLERKS } from './units.controller';
import { zhEn } from '../common/i18n/text';

const GEOJSON = ['application/geo+json', 'application/json'];

export class RegistryImportQuery {
  /** Effective date of the pre-delimitation entries (default today in China). */
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

@ApiTags('registry')
@Controller('registry/imports')
export class RegistryImportsController {
  constructor(
    private readonly imports: RegistryImportService,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Imports a GeoJSON FeatureCollection (`application/geo+json`): features with
   * `properties.kind = "unit"` (the fields of POST /registry/units, the geometry as boundary, an
   * optional `ref`) are pre-delimited; `kind = "resource"` features (the fields of POST
   * /registry/units/{id}/resources, with `unitRef` or `unitCode`) are recorded in their unit. All
   * or nothing; 202 with a job to poll, whose error lists every problem with its feature index.
   */
  @Scoped.inService('the region of every imported unit')
  @Post()
  @Expensive()
  @Roles(...REGISTRY_CLERKS)
  @HttpCode(202)
  @ApiConsumes('application/geo+json')
  @ApiBody({ schema: { type: 'object', example: { type: 'FeatureCollection', features: [] } } })
  async start(
    @CurrentActor() actor: SignedIn,
    @Query() q: RegistryImportQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobResponse> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!GEOJSON.includes(type)) {
      req.resume();
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        zhEn(
          '请将 GeoJSON 作为请求体发送，content-type 为 application/geo+json',
          'send the GeoJSON as the request body with content-type application/geo+json',
        ),
      );
    }
    const file = await receiveUpload(
      req,
      Math.min(this.config.IMPORT_MAX_MB, 512) * 1024 * 1024,
      () => this.jobs.assertCapacity(),
    );
    const job = await this.jobs.enqueue(
      actor,
      'registry_import',
      {
        filename: q.filename ?? null,
        date: q.date ?? null,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
      },
      async (progress) =>
        this.imports.import(actor, await readFile(file.path, 'utf8'), q.date, progress),
      () => rm(file.path, { force: true }),
    );
    res.location(`/jobs/${job.id}`);
    return job;
  }
}
