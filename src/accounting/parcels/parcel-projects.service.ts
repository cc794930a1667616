import { Injectable } from '@nestjs/common';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { DataSource } from 'typeorm';
import { AuthUser } from '../../auth/auth-user';
import { DomainError, FieldProblem } from '../../common/errors/domain-error';
import { bboxOf, Boundary, checkBoundary } from '../../common/geometry/geometry';
import { D, Dec } from '../../common/decimal';
import { sqlNumber, sqlText } from '../../formula/sql';
import { MethodologiesService } from '../methodology/methodologies.service';
import { ParcelModel, parcelSelectSql } from './parcel-model';
import { ParcelRun } from './parcel-run.entity';
import { ParcelRunsService, runParcelsSql, storedParcels } from './parcel-runs.service';
import { parcelModelOf } from './parcel-sets.service';
import { ParcelSet } from './parcel-set.entity';
import { ProjectEvaluationDto } from './parcels.dto';
import { zhEn } from '../../common/i18n/text';

const DECIMAL = /^-?\d{1,15}(\.\d{1,12})?$/;

interface Totals {
  quantity: Dec | null;
  value: Dec | null;
  notComputed: number;
}

/**
 * Project (特定地域单元) evaluation: the GEP of a project's parcels before and after a land-cover
 * change, e.g. forest → construction land — the basis for the compensation the project owes.
 * "Before" is the run's results for these parcels (its stored statement, computed again);
 * "after" is the same compiled formulas over the same parcels with the new type and inputs, with
 * the run's parameter values. Both are computed in PostgreSQL and not stored.
 */
@Injectable()
export class ParcelProjectsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: ParcelRunsService,
    private readonly methodologies: MethodologiesService,
  ) {}

  async evaluate(user: AuthUser, runId: string, dto: ProjectEvaluationDto) {
    const run = await this.runs.get(user, runId);
    const set = await this.dataSource
      .getRepository(ParcelSet)
      .findOneByOrFail({ regionCode: run.regionCode, id: run.setId });
    const methodology = await this.methodologies.get(run.methodologyId);
    const model = parcelModelOf(methodology, 'id');
    const scenario = this.checkScenario(model, dto);
    const ids = await this.select(run, dto);

    const before = await this.dataSource.query<Record<string, string | number | null>[]>(
      `SELECT count(*)::int AS parcels, sum(area_ha)::text AS area_ha, ${this.sums(run.indicatorCodes, 'r')}
         FROM ${runParcelsSql(run.compiledSql)} r`,
      [run.regionCode, run.setId, ids, 1, 0],
    );
    const stored = storedParcels(set);
    const changed = parcelSelectSql(model, run.parameters, {
      ...stored,
      ecosystem: `${sqlText(scenario.ecosystem)}::varchar`,
      input: (code, i) =>
        scenario.inputs.has(code) ? sqlNumber(scenario.inputs.get(code)!) : stored.input(code, i),
    });
    const after = await this.dataSource.query<Record<string, string | number | null>[]>(
      `SELECT ${this.sums(run.indicatorCodes, 'r')} FROM ${runParcelsSql(changed)} r`,
      [run.regionCode, run.setId, ids],
    );
    const counted = new Set(
      methodology.content.indicators.filter((i) => i.counted).map((i) => i.code),
    );
    const totals = (row: Record<string, string | number | null>, k: number): Totals => ({
      quantity: row[`q${k}`] === null ? null : new D(row[`q${k}`]!),
      value: row[`v${k}`] === null ? null : new D(row[`v${k}`]!),
      notComputed: Number(row[`n${k}`]),
    });
    const indicators = run.indicatorCodes.map((code, i) => {
      const b = totals(before[0], i + 1);
      const a = totals(after[0], i + 1);
      const complete = b.notComputed === 0 && a.notComputed === 0;
      const diff = (x: Dec | null, y: Dec | null) =>
        complete && x && y ? y.minus(x).toFixed() : null;
      return {
        code,
        counted: counted.has(code),
        quantityUnit: model.compiled.indicators.get(code)!.quantity?.unit.text ?? null,
        before: this.show(b, complete),
        after: this.show(a, complete),
        change: { quantity: diff(b.quantity, a.quantity), value: diff(b.value, a.value) },
      };
    });
    // GEP over the counted indicators complete before and after; the others are named.
    const complete = indicators.filter((x) => x.counted && x.change.value !== null);
    const gepOf = (pick: 'before' | 'after') =>
      complete.reduce((s, x) => s.plus(x[pick].value!), new D(0));
    return {
      runId: run.id,
      name: dto.name ?? null,
      parcels: Number(before[0].parcels),
      areaHa: before[0].area_ha,
      scenario: {
        ecosystem: scenario.ecosystem,
        inputs: Object.fromEntries([...scenario.inputs].map(([k, v]) => [k, v.toFixed()])),
      },
      valueUnit: '元',
      indicators,
      gep: {
        before: gepOf('before').toFixed(),
        after: gepOf('after').toFixed(),
        change: gepOf('after').minus(gepOf('before')).toFixed(),
        incomplete: indicators
          .filter((x) => x.counted && x.change.value === null)
          .map((x) => x.code),
      },
    };
  }

  private show(t: Totals, complete: boolean) {
    return {
      quantity: complete && t.quantity ? t.quantity.toFixed() : null,
      value: complete && t.value ? t.value.toFixed() : null,
      notComputed: t.notComputed,
    };
  }

  private sums(codes: string[], alias: string): string {
    return codes
      .map(
        (_, i) =>
          `sum(${alias}.quantities[${i + 1}])::text AS q${i + 1}, sum(${alias}.values[${i + 1}])::text AS v${i + 1}, count(*) FILTER (WHERE ${alias}.values[${i + 1}] IS NULL)::int AS n${i + 1}`,
      )
      .join(', ');
  }

  private checkScenario(model: ParcelModel, dto: ProjectEvaluationDto) {
    const problems: FieldProblem[] = [];
    if (!model.types.some((t) => t.code === dto.scenario.ecosystem))
      problems.push({
        path: 'scenario.ecosystem',
        message: zhEn(
          `${dto.scenario.ecosystem} 不是 ${model.parcel.indexSet} 的类型（应为 ${model.types.map((t) => t.code).join('、')}）`,
          `${dto.scenario.ecosystem} is not a type of ${model.parcel.indexSet} (expected ${model.types.map((t) => t.code).join(', ')})`,
        ),
      });
    const inputs = new Map<string, Dec>();
    for (const [code, value] of Object.entries(dto.scenario.inputs ?? {})) {
      const path = `scenario.inputs.${code}`;
      if (!model.parcel.variables.includes(code))
        problems.push({
          path,
          message: zhEn(
            `${code} 不是图斑输入（应为 ${model.parcel.variables.join('、')} 之一）`,
            `${code} is not a per-parcel input (expected one of ${model.parcel.variables.join(', ')})`,
          ),
        });
      else if (typeof value !== 'string' || !DECIMAL.test(value))
        problems.push({
          path,
          message: zhEn(
            `应为字符串形式的十进制数，例如 “0.5”`,
            `must be a decimal number as a string, e.g. "0.5"`,
          ),
        });
      else inputs.set(code, new D(value));
    }
    if ((dto.parcelIds ? 1 : 0) + (dto.polygon ? 1 : 0) !== 1)
      problems.push({
        path: 'parcelIds',
        message: zhEn('请给出 parcelIds 或 polygon 之一', 'give either parcelIds or polygon'),
      });
    if (dto.polygon) problems.push(...checkBoundary(dto.polygon, 'polygon'));
    if (problems.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        problems.map((p) => p.message).join('; '),
        problems,
      );
    return { ecosystem: dto.scenario.ecosystem, inputs };
  }

  /** The project's parcel ids: as given (each must exist), or those whose centroid is in the polygon. */
  private async select(run: ParcelRun, dto: ProjectEvaluationDto): Promise<string[]> {
    if (dto.parcelIds) {
      const ids = [...new Set(dto.parcelIds)];
      const unknown = await this.dataSource.query<{ id: string; i: number }[]>(
        `SELECT u.id, u.i::int FROM unnest($3::text[]) WITH ORDINALITY u(id, i)
          WHERE NOT EXISTS (SELECT 1 FROM parcels p WHERE p.region_code = $1 AND p.set_id = $2 AND p.parcel_id = u.id)
          ORDER BY u.i LIMIT 100`,
        [run.regionCode, run.setId, ids],
      );
      if (unknown.length)
        throw new DomainError(
          'VALIDATION_FAILED',
          zhEn(
            `${unknown.length} 个图斑编号不在本次核算的图斑数据集中`,
            `${unknown.length} parcel id(s) are not in the run's parcel set`,
          ),
          unknown.map((u) => ({
            path: `parcelIds[${dto.parcelIds!.indexOf(u.id)}]`,
            message: zhEn(`数据集中没有图斑 ${u.id}`, `no parcel ${u.id} in the set`),
          })),
        );
      return ids;
    }
    const polygon = dto.polygon as unknown as Boundary;
    const [w, s, e, n] = bboxOf(polygon);
    const candidates = await this.dataSource.query<{ id: string; lon: number; lat: number }[]>(
      `SELECT parcel_id AS id, lon::float8 AS lon, lat::float8 AS lat FROM parcels
        WHERE region_code = $1 AND set_id = $2 AND lon BETWEEN $3 AND $4 AND lat BETWEEN $5 AND $6`,
      [run.regionCode, run.setId, w, e, s, n],
    );
    const ids = candidates
      .filter((c) => booleanPointInPolygon([c.lon, c.lat], polygon))
      .map((c) => c.id);
    if (!ids.length)
      throw DomainError.invalid(
        'polygon',
        zhEn(
          '数据集中没有图斑的中心点落在此多边形内（未带几何或经纬度的图斑没有中心点）',
          'no parcel of the set has its centroid inside the polygon (parcels loaded without geometry or lon/lat have no centroid)',
        ),
      );
    return ids;
  }
}
