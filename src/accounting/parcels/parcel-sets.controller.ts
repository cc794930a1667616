import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { Authenticated, Roles } from '../../auth/access.decorator';
import { CurrentActor, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page } from '../../common/pagination';
import { receiveUpload } from '../../common/streamed-upload';
import { uuidParam } from '../../common/uuid-param';
import { JobsService } from '../../jobs/jobs.service';
import { AppConfig } from '../../config/app-config';
import { JobResponse } from '../../jobs/jobs.dto';
import { ParcelImportQuery, ParcelPointsQuery, ParcelQuery, ParcelSetQuery } from './parcels.dto';
import { ParcelSet } from './parcel-set.entity';
import { ParcelPoints, ParcelSetsService, ParcelView } from './parcel-sets.service';
import { zhEn } from '../../common/i18n/text';

const uuid = uuidParam('parcel set');
const FORMATS: Record<string, 'csv' | 'geojson'> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/geo+json': 'geojson',
  'application/json': 'geojson',
};

@ApiTags('parcels')
@Controller('parcels')
export class ParcelSetsController {
  constructor(
    private readonly sets: ParcelSetsService,
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {}

  /**
   * Loads a county's land-survey parcels for a year (地块级核算): the body is a CSV (`text/csv`;
   * header `parcel_id,township,ecosystem,area` + optional `lon,lat` + the methodology's
   * per-parcel variables, each optionally with a unit such as `area[亩]`) or a GeoJSON
   * FeatureCollection (`application/geo+json`) with the same properties. All or nothing: 202
   * with a job to poll, whose problem lists every bad row or feature and field.
   */
  @Scoped.query('regionCode')
  @Post('imports')
  @Expensive()
  @Roles('statistician')
  @HttpCode(202)
  @ApiConsumes('text/csv', 'application/geo+json')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async import(
    @CurrentActor() actor: SignedIn,
    @Query() q: ParcelImportQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobResponse> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = FORMATS[type];
    if (!format) {
      req.resume();
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        zhEn(
          '请将图斑作为请求体发送，content-type 为 text/csv 或 application/geo+json',
          'send the parcels as the request body with content-type text/csv or application/geo+json',
        ),
      );
    }
    const max =
      (format === 'csv' ? this.config.IMPORT_MAX_MB : Math.min(this.config.IMPORT_MAX_MB, 512)) *
      1024 *
      1024;
    const file = await receiveUpload(req, max, () => this.jobs.assertCapacity());
    const cleanup = () => rm(file.path, { force: true });
    try {
      const job = await this.sets.startImport(actor, q, { ...file, format }, cleanup);
      res.location(`/jobs/${job.id}`);
      return job;
    } catch (e) {
      await cleanup();
      throw e;
    }
  }

  /** Parcel sets, newest first, within the caller's region scope. */
  @Scoped.list()
  @Get('sets')
  @Authenticated()
  async list(
    @CurrentActor() actor: SignedIn,
    @Query() q: ParcelSetQuery,
  ): Promise<Page<ParcelSet>> {
    return this.sets.list(actor.user, { regionCode: q.regionCode, year: q.year }, q);
  }

  @Scoped.object('id', 'parcel_set')
  @Get('sets/:id')
  @Authenticated()
  async get(@CurrentActor() actor: SignedIn, @Param('id', uuid) id: string): Promise<ParcelSet> {
    return this.sets.get(actor.user, id);
  }

  /** A set's parcels (inputs in the order and units of `inputCodes` / `inputUnits`). */
  @Scoped.object('id', 'parcel_set')
  @Get('sets/:id/parcels')
  @Authenticated()
  async parcels(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Query() q: ParcelQuery,
  ): Promise<Page<ParcelView> & { inputCodes: string[]; inputUnits: string[] }> {
    return this.sets.parcels(
      actor.user,
      id,
      { townshipCode: q.townshipCode, ecosystem: q.ecosystem },
      q,
    );
  }

  /** The set's parcel centroids for a map (an even sample beyond `limit`, default 5,000). */
  @Scoped.object('id', 'parcel_set')
  @Get('sets/:id/points')
  @Authenticated()
  async points(
    @CurrentActor() actor: SignedIn,
    @Param('id', uuid) id: string,
    @Query() q: ParcelPointsQuery,
  ): Promise<ParcelPoints> {
    return this.sets.points(actor.user, id, {
      townshipCode: q.townshipCode,
      limit: q.limit ?? 5000,
    });
  }
}
