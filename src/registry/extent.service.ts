import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { RegionsService } from '../regions/regions.service';
import { todayInChina } from './registry-rules';
import { ECOSYSTEM_ZH, EcosystemType } from './registry-types';
import { RegionSql } from '../regions/regions.repository';

export interface Extent {
  regionCode: string;
  asOf: string;
  /** Units registered (登簿) by the date, in the region and its sub-regions. */
  units: number;
  resources: number;
  areaByEcosystem: {
    ecosystemType: EcosystemType;
    nameZh: string;
    areaHa: string;
    resources: number;
  }[];
  forest: {
    totalStockM3: string | null;
    resourcesWithStock: number;
    resourcesWithoutStock: number;
  };
  wetland: { vegetationAreaHa: string | null; resources: number };
  /** What a survey value entered from this extent cites as its source. */
  source: string;
}

/**
 * The registry as the source of ecosystem extent: area by ecosystem type (and forest stock,
 * wetland vegetation) of the units registered in a region on a date. Its entry as survey data is
 * accounting's (accounting/survey/extent-submission.ts).
 */
@Injectable()
export class ExtentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  async extent(user: AuthUser, regionCode: string, asOf?: string): Promise<Extent> {
    await this.regions.assertInScope(user, regionCode);
    const date = asOf ?? todayInChina();
    const scope = `FROM registration_units u
        JOIN registry_resources r ON r.unit_id = u.id
        JOIN registry_resource_versions v ON v.resource_id = r.id AND v.valid @> $2::date
       WHERE ${RegionSql.codeWithin('u.region_code', '$1')}
         AND EXISTS (SELECT 1 FROM registry_entries e WHERE e.unit_id = u.id AND e.kind = 'first_registration' AND e.effective_date <= $2)`;
    const rows = await this.dataSource.query<
      { ecosystem_type: EcosystemType; area: string; n: number }[]
    >(
      `SELECT v.ecosystem_type, sum(v.area_ha)::text AS area, count(*)::int AS n ${scope} GROUP BY 1 ORDER BY 1`,
      [regionCode, date],
    );
    const [totals] = await this.dataSource.query<
      {
        units: number;
        resources: number;
        stock: string | null;
        with_stock: number;
        without_stock: number;
        vegetation: string | null;
        wetlands: number;
      }[]
    >(
      `SELECT count(DISTINCT u.id)::int AS units, count(*)::int AS resources,
              sum((v.attributes->>'totalStockM3')::numeric) FILTER (WHERE r.resource_type = 'forest')::text AS stock,
              count(*) FILTER (WHERE r.resource_type = 'forest' AND v.attributes ? 'totalStockM3')::int AS with_stock,
              count(*) FILTER (WHERE r.resource_type = 'forest' AND NOT v.attributes ? 'totalStockM3')::int AS without_stock,
              sum((v.attributes->>'vegetationAreaHa')::numeric) FILTER (WHERE r.resource_type = 'wetland')::text AS vegetation,
              count(*) FILTER (WHERE r.resource_type = 'wetland')::int AS wetlands
         ${scope}`,
      [regionCode, date],
    );
    return {
      regionCode,
      asOf: date,
      units: totals.units,
      resources: totals.resources,
      areaByEcosystem: rows.map((r) => ({
        ecosystemType: r.ecosystem_type,
        nameZh: ECOSYSTEM_ZH[r.ecosystem_type],
        areaHa: r.area,
        resources: r.n,
      })),
      forest: {
        totalStockM3: totals.stock,
        resourcesWithStock: totals.with_stock,
        resourcesWithoutStock: totals.without_stock,
      },
      wetland: { vegetationAreaHa: totals.vegetation, resources: totals.wetlands },
      source: `自然资源统一确权登记簿：${regionCode} 截至 ${date} 已登簿登记单元 ${totals.units} 个、自然资源 ${totals.resources} 宗（registry extent）`,
    };
  }
}
