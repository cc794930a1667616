import { Scoped } from '../../auth/region-scope';
import { Expensive } from '../../auth/rate-limit';
import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { Authenticated, Roles } from '../../auth/access.decorator';
import { Actor, CurrentActor } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { uuidParam } from '../../common/uuid-param';
import { crosswalk, CrosswalkItem } from './service-catalogue';
import { Page } from '../../common/pagination';
import { createValidationPipe } from '../../common/validation';
import { MethodologyPackage } from './methodology-content';
import {
  CreateMethodologyDto,
  ImportQuery,
  MethodologyDetail,
  MethodologyDiff,
  MethodologyPackageDto,
  MethodologyQuery,
  MethodologySummary,
  PackageQuery,
  UpdateMethodologyDto,
  ValidateMethodologyDto,
  ValidationReport,
} from './methodology.dto';
import { Methodology } from './methodology.entity';
import { ListedMethodology, MethodologiesService } from './methodologies.service';
import { zhEn } from '../../common/i18n/text';

const uuid = uuidParam('methodology');

/** A methodology as lists show it (its content counted, not included). */
const listed = (m: ListedMethodology): MethodologySummary => ({
  id: m.id,
  standardId: m.standardId,
  version: m.version,
  name: m.name,
  sourceDocument: m.sourceDocument,
  description: m.description,
  status: m.status,
  revision: m.revision,
  createdBy: m.createdBy,
  publishedBy: m.publishedBy,
  publishedAt: m.publishedAt,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
  counts: m.counts,
});
const summary = (m: Methodology): MethodologySummary =>
  listed({
    ...m,
    counts: {
      indicators: m.content.indicators.length,
      variables: m.content.variables.length,
      parameters: m.content.parameters.length,
    },
  });
const detail = (m: Methodology): MethodologyDetail => ({ ...summary(m), content: m.content });

@ApiTags('methodologies')
@Scoped.none('methodologies are national reference data: versioned formulas and cited prices')
@Controller('methodologies')
export class MethodologiesController {
  constructor(private readonly methodologies: MethodologiesService) {}

  /** Methodology versions, newest first per standard. */
  @Get()
  @Authenticated()
  async list(@Query() q: MethodologyQuery): Promise<Page<MethodologySummary>> {
    const page = await this.methodologies.list({ standardId: q.standardId, status: q.status }, q);
    return { ...page, items: page.items.map(listed) };
  }

  @Get(':id')
  @Authenticated()
  async get(@Param('id', uuid) id: string): Promise<MethodologyDetail> {
    return detail(await this.methodologies.get(id));
  }

  /** Creates a draft (empty, or with content). Content is validated: every problem is listed with its path. */
  @Post()
  @Roles('accountant')
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateMethodologyDto,
  ): Promise<MethodologyDetail> {
    return detail(await this.methodologies.create(actor, dto));
  }

  /** Edits a draft: metadata and/or the whole content, based on `revision` (409 when stale or published). */
  @Patch(':id')
  @Roles('accountant')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateMethodologyDto,
  ): Promise<MethodologyDetail> {
    return detail(await this.methodologies.update(actor, id, dto));
  }

  /**
   * Checks formulas, units, the dependency graph and parameter coverage; lists every problem.
   * With `content` in the body, checks that (an edit not yet saved: the console's formula editor
   * checks as the accountant types) instead of what is stored.
   */
  @Post(':id/validate')
  @Authenticated()
  @HttpCode(200)
  async validate(
    @Param('id', uuid) id: string,
    @Body() dto: ValidateMethodologyDto,
  ): Promise<ValidationReport> {
    const stored = await this.methodologies.get(id);
    return this.methodologies.validate(dto.content ?? stored.content);
  }

  /** Publishes a valid draft; published versions are immutable (422 with every problem if invalid). */
  @Post(':id/publish')
  @Roles('admin')
  @HttpCode(200)
  async publish(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
  ): Promise<MethodologyDetail> {
    return detail(await this.methodologies.publish(actor, id));
  }

  /** A new draft version of the same standard with the same content. */
  @Post(':id/clone')
  @Roles('accountant')
  async clone(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
  ): Promise<MethodologyDetail> {
    return detail(await this.methodologies.clone(actor, id));
  }

  @Delete(':id')
  @Roles('accountant')
  @HttpCode(204)
  remove(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    return this.methodologies.remove(actor, id);
  }

  /** Indicators, formulas, parameters, variables, services and index sets changed from `id` to `otherId`. */
  @Get(':id/diff/:otherId')
  @Authenticated()
  async diff(
    @Param('id', uuid) id: string,
    @Param('otherId', uuid) otherId: string,
  ): Promise<MethodologyDiff> {
    const d = await this.methodologies.diff(id, otherId);
    const ref = (m: Methodology) => ({ id: m.id, standardId: m.standardId, version: m.version });
    return { from: ref(d.from), to: ref(d.to), changes: d.changes };
  }

  /**
   * Crosswalk to another methodology (another standard, or another version): every item of the
   * common service catalogue, with the services and counted indicators each side has for it —
   * which items exist in one and not the other — and the services neither could place.
   */
  @Get(':id/crosswalk/:otherId')
  @Authenticated()
  async crosswalk(
    @Param('id', uuid) id: string,
    @Param('otherId', uuid) otherId: string,
  ): Promise<MethodologyCrosswalk> {
    const [a, b] = await Promise.all([this.methodologies.get(id), this.methodologies.get(otherId)]);
    const ref = (m: Methodology) => ({
      id: m.id,
      standardId: m.standardId,
      version: m.version,
      name: m.name,
    });
    return { first: ref(a), second: ref(b), ...crosswalk(a.content, b.content) };
  }

  /** The methodology as a package file (JSON, or YAML with ?format=yaml). */
  @Get(':id/package')
  @Authenticated()
  @Header('cache-control', 'no-store')
  async exportPackage(
    @Param('id', uuid) id: string,
    @Query() q: PackageQuery,
    @Res() res: Response,
  ): Promise<void> {
    const m = await this.methodologies.get(id);
    const pkg = this.methodologies.toPackage(m);
    const name = `${m.standardId}-v${m.version}`;
    const yaml = q.format === 'yaml';
    res.attachment(`${name}.${yaml ? 'yaml' : 'json'}`);
    // set directly: Express would rewrite application/yaml to text/yaml
    res.setHeader(
      'content-type',
      `${yaml ? 'application/yaml' : 'application/json'}; charset=utf-8`,
    );
    res.send(yaml ? toYaml(pkg, { lineWidth: 0 }) : JSON.stringify(pkg, null, 2));
  }

  /**
   * Imports a package (JSON, or YAML sent as application/yaml) as a new draft: the version the
   * package names (409 when it exists), or with `?version=next` the standard's next version (a
   * package exported, edited and imported again).
   */
  @Post('import')
  @Expensive()
  @Roles('accountant')
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ type: MethodologyPackageDto })
  async importPackage(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Query() q: ImportQuery,
  ): Promise<MethodologyDetail> {
    let plain: unknown = body;
    if (typeof body === 'string') {
      try {
        plain = parseYaml(body, { maxAliasCount: 100 });
      } catch (e) {
        const message = zhEn(
          `方法包不是有效的 YAML：${e instanceof Error ? e.message : String(e)}`,
          `the package is not valid YAML: ${e instanceof Error ? e.message : String(e)}`,
        );
        throw new DomainError('MALFORMED_REQUEST', message, [{ path: '', message }]);
      }
    }
    if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(
          '方法包应为一个对象（见 docs/methodology-package.md）',
          'the package must be an object (see docs/methodology-package.md)',
        ),
        [{ path: '', message: zhEn('应为对象', 'expected an object') }],
      );
    }
    const pkg = (await createValidationPipe().transform(plain, {
      type: 'body',
      metatype: MethodologyPackageDto,
    })) as MethodologyPackage;
    return detail(await this.methodologies.importPackage(actor, pkg, q.version === 'next'));
  }
}

export interface MethodologyCrosswalk {
  first: { id: string; standardId: string; version: number; name: string };
  second: { id: string; standardId: string; version: number; name: string };
  items: CrosswalkItem[];
  unplaced: { side: 0 | 1; code: string; nameZh: string }[];
}
