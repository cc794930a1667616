/**
 * `npm run bench`: performance figures, printed (no pass/fail thresholds here; targets are in the
 * issues and the closing notes).
 *
 *  1. Compile once, evaluate the full national methodology (24 indicators, decimal arithmetic)
 *     for 1,600 regions with different inputs: evaluations/s and total time (target < 10 s).
 *  2. Compiling the methodology (parse, allow-list, unit checks, dependency order).
 */
import { performance } from 'node:perf_hooks';
import { demoNationalInputs } from '../seeds/demo/national-inputs';
import { NDRC_NBS_2022_TRIAL } from '../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { evaluateModel } from '../src/accounting/formula/model';
import { parseUnit } from '../src/accounting/formula/units';
import {
  compileMethodology,
  resolveParameters,
  summarize,
} from '../src/accounting/methodology/methodology-model';

const REGIONS = Number(process.env.BENCH_REGIONS ?? 1600);
const content = NDRC_NBS_2022_TRIAL;

let t = performance.now();
const COMPILES = 20;
for (let i = 0; i < COMPILES; i++) compileMethodology(content);
const compileMs = (performance.now() - t) / COMPILES;

const model = compileMethodology(content);
const params = resolveParameters(content, ['360000', '361100', '361130'], 2021);
const inputs = Array.from({ length: REGIONS }, (_, i) => ({
  ...params,
  ...demoNationalInputs((i + 0.5) / REGIONS),
}));

evaluateModel(model, inputs[0]); // warm-up
t = performance.now();
let indicators = 0;
let checksum = 0;
for (const input of inputs) {
  const results = evaluateModel(model, input);
  indicators += results.size;
  checksum += summarize(content, results, (u) => parseUnit(u).factor).total.toNumber() > 0 ? 1 : 0;
}
const seconds = (performance.now() - t) / 1000;

console.log(
  `methodology: ${content.standardId} v${content.version}, ${content.indicators.length} indicators, decimal (50 digits)`,
);
console.log(`compile (parse + allow-list + units + graph): ${compileMs.toFixed(1)} ms`);
console.log(
  `evaluate ${REGIONS} regions: ${seconds.toFixed(2)} s = ${(REGIONS / seconds).toFixed(0)} region evaluations/s, ${(indicators / seconds).toFixed(0)} indicator evaluations/s (target: 1600 regions < 10 s)`,
);
if (checksum !== REGIONS) throw new Error('some regions did not produce a GEP');
