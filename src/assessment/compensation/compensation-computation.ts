import { EntityManager } from 'typeorm';
import { Dec } from '../../common/decimal';
import { PublishedGep } from '../../accounting/runs/published-gep';
import { DomainError } from '../../common/errors/domain-error';
import { zhEn } from '../../common/i18n/text';
import { RegionSql, RegionsRepository } from '../../regions/regions.repository';
import {
  allocationAmounts,
  ComputedCompensation,
  crossSectionAmounts,
  ForestInputs,
  forestAmounts,
  RecipientFigures,
  rewardDeductionAmounts,
} from './compensation-amounts';
import { CompensationScheme } from './compensation-scheme.entity';
import { CrossSectionContent } from './cross-section';
import { ForestLevel, ForestOwnership } from './forest-compensation';
import { MonitoringSection, MonitoringValue } from './monitoring.entity';
import { RewardDeductionContent } from './reward-deduction';
import { SchemeContent } from './scheme-content';

export type {
  AllocationInputs,
  ComputedAmount,
  ComputedCompensation,
  CrossSectionInputs,
  ForestInputs,
  GepRunRef,
  RecipientFigures,
} from './compensation-amounts';

/**
 * Reads what each kind of compensation scheme needs — published GEP figures through accounting's
 * door, monitoring readings, registered forest areas — and hands it to that scheme type's pure
 * function (compensation-amounts.ts).
 */

/**
 * Reads, through accounting's door, the figures of each sub-region of `rootRegionCode` from the
 * published GEP run of `gepYear` (and of the year before, for the change at constant prices):
 * 422 naming `gepYear` without a published run, `regionCode` without sub-regions.
 */
export async function loadRecipientFigures(
  manager: EntityManager,
  gep: PublishedGep,
  standardId: string,
  rootRegionCode: string,
  gepYear: number,
): Promise<RecipientFigures> {
  const figures = await gep.subRegionFigures(manager, standardId, rootRegionCode, gepYear);
  if (!figures) {
    const root = await RegionsRepository.label(manager, rootRegionCode);
    const message = zhEn(
      `${root.zh}${gepYear} 年没有已发布的 ${standardId} GEP 核算：补偿计算只读取已发布的核算`,
      `no published GEP run of ${standardId} for ${root.en} ${gepYear}: a compensation run reads published runs only`,
    );
    throw new DomainError('VALIDATION_FAILED', message, [{ path: 'gepYear', message }]);
  }
  if (figures.regions.length === 0) {
    const root = await RegionsRepository.label(manager, rootRegionCode);
    const message = zhEn(
      `${root.zh}在 GEP 核算中没有可分配的下级行政区`,
      `${root.en} has no sub-regions in the GEP run to allocate to`,
    );
    throw new DomainError('VALIDATION_FAILED', message, [{ path: 'regionCode', message }]);
  }
  return figures;
}

/**
 * Applies a published budget-allocation scheme to the sub-regions of `rootRegionCode`: reads the
 * published GEP run of `gepYear` (and of the year before, for the change) and allocates
 * ({@link allocationAmounts}).
 */
export async function computeCompensation(
  manager: EntityManager,
  gep: PublishedGep,
  scheme: CompensationScheme,
  rootRegionCode: string,
  gepYear: number,
  budget: Dec,
): Promise<ComputedCompensation> {
  const { standardId } = scheme.content as SchemeContent;
  const loaded = await loadRecipientFigures(manager, gep, standardId, rootRegionCode, gepYear);
  return allocationAmounts(scheme, loaded, gepYear, budget);
}

/**
 * Settles a cross-section agreement for a monitoring year: reads the section's monthly values of
 * the assessed pollutants and settles them ({@link crossSectionAmounts}). Approval is refused if
 * the readings changed since.
 */
export async function computeCrossSectionCompensation(
  manager: EntityManager,
  scheme: CompensationScheme,
  year: number,
): Promise<ComputedCompensation> {
  const content = scheme.content as CrossSectionContent;
  const section = await manager.findOneBy(MonitoringSection, { code: content.section });
  if (!section) {
    const message = zhEn(
      `方案中的监测断面 ${content.section} 已不存在`,
      `the monitoring section ${content.section} of the scheme no longer exists`,
    );
    throw new DomainError('VALIDATION_FAILED', message, [{ path: 'schemeId', message }]);
  }
  const rows = await manager.find(MonitoringValue, {
    where: { sectionCode: section.code, year },
    order: { month: 'ASC', pollutant: 'ASC' },
  });
  const assessed = new Set(content.pollutants.map((p) => p.code));
  const readings = rows.filter((r) => assessed.has(r.pollutant));
  if (readings.length === 0) {
    const message = zhEn(
      `断面 ${section.code} ${year} 年没有 ${content.pollutants.map((p) => p.code).join('、')} 的监测值`,
      `no monitoring values of ${content.pollutants.map((p) => p.code).join(', ')} at ${section.code} for ${year}`,
    );
    throw new DomainError('VALIDATION_FAILED', message, [{ path: 'gepYear', message }]);
  }
  const names = await RegionsRepository.names(manager, [
    section.upstreamRegionCode,
    section.downstreamRegionCode,
  ]);
  return crossSectionAmounts(scheme, { section, readings, names, year });
}

/**
 * Applies a reward/deduction scheme to the sub-regions of `rootRegionCode` for the GEP year
 * ({@link rewardDeductionAmounts} over the published figures).
 */
export async function computeRewardDeduction(
  manager: EntityManager,
  gep: PublishedGep,
  scheme: CompensationScheme,
  rootRegionCode: string,
  gepYear: number,
): Promise<ComputedCompensation> {
  const { standardId } = scheme.content as RewardDeductionContent;
  const loaded = await loadRecipientFigures(manager, gep, standardId, rootRegionCode, gepYear);
  return rewardDeductionAmounts(scheme, loaded, gepYear);
}

/**
 * Public-welfare forest compensation for a year: reads the registered 公益林 areas within
 * `rootRegionCode` and pays them ({@link forestAmounts}). 422 naming `gepYear` when no area is
 * registered.
 */
export async function computeForestCompensation(
  manager: EntityManager,
  scheme: CompensationScheme,
  rootRegionCode: string,
  year: number,
): Promise<ComputedCompensation> {
  const rows = await manager.query<
    {
      region_code: string;
      forest_level: ForestLevel;
      ownership: ForestOwnership;
      zone: string;
      area_mu: string;
      source: string;
    }[]
  >(
    `SELECT f.region_code, f.forest_level, f.ownership, f.zone, f.area_mu::text, f.source
       FROM forest_areas f
      WHERE f.year = $2 AND ${RegionSql.codeWithin('f.region_code', '$1')}
      ORDER BY f.region_code, f.forest_level, f.ownership, f.zone`,
    [rootRegionCode, year],
  );
  if (rows.length === 0) {
    const root = await RegionsRepository.label(manager, rootRegionCode);
    const message = zhEn(
      `${root.zh}${year} 年没有登记的公益林面积`,
      `no public-welfare forest areas are registered within ${root.en} for ${year}`,
    );
    throw new DomainError('VALIDATION_FAILED', message, [{ path: 'gepYear', message }]);
  }
  const names = await RegionsRepository.names(
    manager,
    rows.map((r) => r.region_code),
  );
  const regions = [...new Map(rows.map((r) => [r.region_code, names.get(r.region_code)!]))];
  const inputs: ForestInputs = {
    year,
    areas: rows.map((r) => ({
      regionCode: r.region_code,
      forestLevel: r.forest_level,
      ownership: r.ownership,
      zone: r.zone,
      areaMu: r.area_mu,
      source: r.source,
    })),
    recipients: regions.map(([code, name]) => ({ regionCode: code, name, figures: {} })),
  };
  return forestAmounts(scheme, inputs);
}
