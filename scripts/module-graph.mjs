// The import graph between the service's modules (src/<module>, and accounting's and assessment's
// parts), with how many imports each edge carries: `npm run deps:graph`. Cycles and forbidden
// imports are checked by `npm run deps:check` (.dependency-cruiser.cjs).
import { cruise } from 'dependency-cruiser';

const moduleOf = (path) => {
  const m = /^src\/((?:accounting|assessment)\/[^/]+|[^/]+)/.exec(path);
  if (!m) return null;
  return m[1].replace(/\.ts$/, '');
};
const result = await cruise(['src'], {
  tsConfig: { fileName: 'tsconfig.json' },
  exclude: { path: '\\.spec\\.ts$' },
  doNotFollow: { path: 'node_modules' },
});
const edges = new Map();
for (const m of result.output.modules) {
  const from = moduleOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = moduleOf(d.resolved);
    if (!to || to === from) continue;
    const key = `${from} -> ${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}
for (const [edge, n] of [...edges].sort(([a], [b]) => a.localeCompare(b)))
  console.log(`${edge.padEnd(60)} ${n}`);
console.log(`${edges.size} edges between modules`);
