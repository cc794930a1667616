import { performance } from 'node:perf_hooks';
import { demoNationalInputs } from '../seeds/demo/national-inputs';
import { NDRC_NBS_2022_TRIAL as content } from '../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { computeRun, RunRegion, RunSnapshot, snapshotHash } from '../src/accounting/runs/run-computation';
import { runCompleteness } from '../src/accounting/runs/run-completeness';
import { contentHash } from '../src/common/canonical-json';
const regions: RunRegion[] = [{ code: '440000', parentCode: null, lineage: ['440000'] }];
for (let c = 1; c <= 11; c++) {
  const city = `44${String(c).padStart(2, '0')}00`;
  regions.push({ code: city, parentCode: '440000', lineage: ['440000', city] });
  for (let k = 1; k <= 10; k++) {
    const county = `44${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}`;
    regions.push({ code: county, parentCode: city, lineage: ['440000', city, county] });
    for (let tw = 1; tw <= 14; tw++) {
      const town = `${county}${String(100 + tw)}`;
      regions.push({ code: town, parentCode: county, lineage: ['440000', city, county, town] });
    }
  }
}
const towns = regions.filter((r) => r.lineage.length === 4);
const snapshot: RunSnapshot = {
  methodology: { id: 'x', standardId: content.standardId, version: 1 },
  year: 2021, rootRegion: '440000', regions,
  inputs: Object.fromEntries(towns.map((r, i) => [r.code, demoNationalInputs((i + 0.5) / towns.length, 1 / 14)])),
};
let t = performance.now();
const results = computeRun(content, snapshot);
console.log('computeRun', (performance.now() - t).toFixed(0));
t = performance.now(); snapshotHash(snapshot); console.log('snapshotHash', (performance.now() - t).toFixed(0));
t = performance.now(); runCompleteness(content, results); console.log('completeness', (performance.now() - t).toFixed(0));
t = performance.now(); const s = JSON.stringify(results.map(r => r.trace)); console.log('trace json', (performance.now() - t).toFixed(0), 'bytes', s.length);
t = performance.now(); JSON.stringify(snapshot); console.log('snapshot json', (performance.now() - t).toFixed(0), JSON.stringify(snapshot).length);
