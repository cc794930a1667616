/**
 * Uncertainty of a county run (1 county + 17 townships, the full national methodology, demo
 * inputs): Monte Carlo draws over the parameters' ranges, and the sensitivity ranking.
 *   npx ts-node scripts/bench-uncertainty.ts   (BENCH_DRAWS, default 1000)
 */
import 'reflect-metadata';
import { runUncertainty } from '../src/accounting/runs/run-uncertainty';
import { RunSnapshot } from '../src/accounting/runs/run-computation';
import { NDRC_NBS_2022_TRIAL } from '../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { demoNationalInputs } from '../seeds/demo/national-inputs';

const DRAWS = Number(process.env.BENCH_DRAWS ?? 1000);
const TOWNS = 17;
const county = '361130';
const snapshot: RunSnapshot = {
  methodology: { id: 'bench', standardId: NDRC_NBS_2022_TRIAL.standardId, version: 1 },
  year: 2021,
  rootRegion: county,
  regions: [
    { code: county, parentCode: null, lineage: ['360000', '361100', county] },
    ...Array.from({ length: TOWNS }, (_, i) => ({
      code: `${county}${100 + i}`,
      parentCode: county,
      lineage: ['360000', '361100', county, `${county}${100 + i}`],
    })),
  ],
  inputs: Object.fromEntries(
    Array.from({ length: TOWNS }, (_, i) => [
      `${county}${100 + i}`,
      demoNationalInputs((i + 0.5) / TOWNS),
    ]),
  ),
};

export function benchUncertainty(draws = DRAWS): { seconds: number; parameters: number } {
  const t0 = performance.now();
  const r = runUncertainty(NDRC_NBS_2022_TRIAL, snapshot, county, { draws, seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.gep.p05 === null) throw new Error(`no interval: ${r.notes.join('; ')}`);
  console.log(
    `uncertainty, county run (1 + ${TOWNS} regions) × ${draws} draws + sensitivity of ${r.parameters.length} parameters: ${seconds.toFixed(2)} s (target ≤ 5 s); GEP ${r.gep.value} 元, 90% interval ${r.gep.p05} – ${r.gep.p95}; top mover ${r.sensitivity[0]?.nameZh ?? '—'}`,
  );
  return { seconds, parameters: r.parameters.length };
}

if (require.main === module) benchUncertainty();
