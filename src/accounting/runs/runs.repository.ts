import { EntityManager } from 'typeorm';
import { MethodologyContent } from '../methodology/methodology-content';
import { Methodology } from '../methodology/methodology.entity';
import { AccountingResult } from './accounting-result.entity';
import { AccountingRun } from './accounting-run.entity';
import { RegionSql } from '../../regions/regions.repository';

/**
 * How accounting runs are found, by intent. The transaction's `EntityManager` is passed in by the
 * caller: a run read here is read in the caller's transaction.
 */
export const RunsRepository = {
  /** The published run of a standard rooted at a region for a year (at most one), else null. */
  publishedRootedAt(
    m: EntityManager,
    standardId: string,
    rootRegionCode: string,
    year: number,
  ): Promise<AccountingRun | null> {
    return m.findOne(AccountingRun, {
      where: { standardId, rootRegionCode, year, status: 'published' },
    });
  },

  /**
   * The published runs of a standard that cover a region — rooted at it or at an ancestor — one
   * per year, the closest root winning; by year.
   */
  publishedCovering(
    m: EntityManager,
    standardId: string,
    regionCode: string,
  ): Promise<{ id: string; year: number }[]> {
    return m.query<{ id: string; year: number }[]>(
      `SELECT DISTINCT ON (a.year) a.id, a.year
         FROM accounting_runs a
        WHERE a.status = 'published' AND a.standard_id = $1
          AND ${RegionSql.codeWithin('$2::varchar', 'a.root_region_code')}
        ORDER BY a.year, ${RegionSql.depth('a.root_region_code')} DESC`,
      [standardId, regionCode],
    );
  },

  /** A run and its methodology (404 as a thrown EntityNotFound when the id names none). */
  async withMethodology(
    m: EntityManager,
    runId: string,
  ): Promise<{ run: AccountingRun; methodology: Methodology; content: MethodologyContent }> {
    const run = await m.findOneByOrFail(AccountingRun, { id: runId });
    const methodology = await m.findOneByOrFail(Methodology, { id: run.methodologyId });
    return { run, methodology, content: methodology.content };
  },

  /** A run's stored results, of one region if given. */
  results(m: EntityManager, runId: string, regionCode?: string): Promise<AccountingResult[]> {
    return m.findBy(AccountingResult, regionCode ? { runId, regionCode } : { runId });
  },
};
