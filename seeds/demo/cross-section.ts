import { EntityManager } from 'typeorm';
import { D } from '../../src/common/decimal';
import { approveDemoRun, demoScheme } from './compensation';
import { computeCrossSectionCompensation } from '../../src/assessment/compensation/compensation-computation';
import {
  insertCompensationRun,
  totalOf,
} from '../../src/assessment/compensation/compensation-runs.service';
import { CompensationRun } from '../../src/assessment/compensation/compensation-run.entity';
import { CrossSectionContent } from '../../src/assessment/compensation/cross-section';
import {
  MonitoringSection,
  MonitoringValue,
} from '../../src/assessment/compensation/monitoring.entity';

/**
 * DEMO DATA — the 婺源–德兴 horizontal agreement on the 乐安河 at the 玉坦大桥 cross-boundary section
 * (婺源县生态补偿试点任务分工 item 19 names the section; the agreement's terms are not in the
 * project's sources, so the terms below are illustrative): CODMn, NH₃-N and TP against GB 3838-2002
 * class III, 10万 per started 0.2× step of exceedance paid by 婺源 to 德兴, 5万 paid by 德兴 to 婺源
 * for each month all three meet class III, deductions capped at 100万 a year. A year (2023) of
 * invented monthly readings with two exceedances, and the approved settlement for budget 2024.
 */
const ACTOR = 'system:seed';
export const DEMO_SECTION = 'leanhe-yutan-bridge';
const CODE = 'wuyuan-dexing-yutan-cross-section';
const SOURCE = '演示数据：虚构的月度读数（不是监测结果）';

const CONTENT: CrossSectionContent = {
  section: DEMO_SECTION,
  pollutants: [
    { code: 'CODMn', limit: '6' },
    { code: 'NH3N', limit: '1.0' },
    { code: 'TP', limit: '0.2' },
  ],
  tier: { kind: 'per_step', stepSize: '0.2', amountPerStep: '100000.00', rounding: 'ceil' },
  exemptWhenInflowExceeds: false,
  compliantMonthReward: '50000.00',
  annualCap: '1000000.00',
  source:
    '演示数据：参照《婺源县生态补偿试点任务分工》第 19 项（考核跨界断面位于玉坦大桥）和 compensation.md §3.13 拟定的示例条款，不是签订的协议',
  description:
    '谁达标谁受益、谁超标谁赔付：超标按每 0.2 倍 10 万元由婺源县赔付德兴市；三项指标均达Ⅲ类的月份由德兴市补偿婺源县 5 万元。',
};

/** mg/L by month (1–12): CODMn, NH₃-N, TP; NH₃-N in August and TP in July exceed class III. */
const READINGS: [string, string, string][] = [
  ['2.4', '0.31', '0.08'],
  ['2.2', '0.28', '0.07'],
  ['2.9', '0.42', '0.11'],
  ['3.1', '0.45', '0.12'],
  ['3.4', '0.52', '0.14'],
  ['3.3', '0.58', '0.15'],
  ['3.6', '0.61', '0.23'],
  ['3.2', '1.32', '0.16'],
  ['2.8', '0.47', '0.12'],
  ['2.6', '0.39', '0.10'],
  ['2.3', '0.33', '0.09'],
  ['2.1', '0.29', '0.08'],
];

/** Seeds the section, its 2023 readings, the agreement and its approved settlement (idempotent). */
export async function seedDemoCrossSection(manager: EntityManager): Promise<number> {
  if (!(await manager.existsBy(MonitoringSection, { code: DEMO_SECTION }))) {
    await manager.insert(MonitoringSection, {
      code: DEMO_SECTION,
      name: '乐安河玉坦大桥断面（婺源—德兴跨界）',
      river: '乐安河',
      upstreamRegionCode: '361130',
      downstreamRegionCode: '361181',
      note: '演示数据',
      createdBy: ACTOR,
    });
    await manager.insert(
      MonitoringValue,
      READINGS.flatMap((r, i) =>
        (['CODMn', 'NH3N', 'TP'] as const).map((pollutant, k) => ({
          sectionCode: DEMO_SECTION,
          year: 2023,
          month: i + 1,
          pollutant,
          state: 'normal' as const,
          concentration: new D(r[k]),
          inflow: null,
          source: SOURCE,
          enteredBy: ACTOR,
        })),
      ),
    );
  }
  const scheme = await demoScheme(
    manager,
    CODE,
    '婺源县—德兴市乐安河流域横向生态保护补偿协议（玉坦大桥断面，演示）',
    'cross_section',
    CONTENT,
  );
  if (await manager.existsBy(CompensationRun, { schemeCode: CODE, status: 'approved' })) return 0;
  const computed = await computeCrossSectionCompensation(manager, scheme, 2023);
  const runId = await insertCompensationRun(
    manager,
    scheme,
    {
      regionCode: '361130',
      budgetYear: 2024,
      gepYear: 2023,
      budget: totalOf(computed.amounts),
    },
    computed,
    ACTOR,
  );
  await approveDemoRun(manager, runId, { scheme: CODE, budgetYear: 2024 });
  return 1;
}
