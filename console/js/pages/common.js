// Lookups several pages share: region names, published methodologies.

import { all, get, session } from '../api.js';
import { h } from '../ui.js';

let regions;
/** Regions within the user's scope (code → region), loaded once per page load. */
export async function regionIndex() {
  if (!regions) {
    const within = session.user?.regionCode;
    const list = await all('/regions', within ? { within } : {});
    regions = new Map(list.map((r) => [r.code, r]));
    if (within && !regions.has(within)) {
      try {
        const own = await get(`/regions/${within}`);
        regions.set(own.code, own);
      } catch {
        /* not readable: codes are shown */
      }
    }
  }
  return regions;
}

export async function regionName(code) {
  const r = (await regionIndex()).get(code);
  return r ? r.name : code;
}

/** "紫阳镇 361130100" */
export function regionLabel(index, code) {
  const r = index.get(code);
  return r ? `${r.name}（${code}）` : code;
}

const LEVEL_ORDER = ['province', 'city', 'county', 'township', 'village'];
/** Options for a region <select>: the user's regions down to `deepest` level. */
export async function regionOptions(deepest = 'township') {
  const index = await regionIndex();
  const max = LEVEL_ORDER.indexOf(deepest);
  return [...index.values()]
    .filter((r) => LEVEL_ORDER.indexOf(r.level) <= max)
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((r) => [
      r.code,
      `${'　'.repeat(Math.max(0, LEVEL_ORDER.indexOf(r.level) - 2))}${r.name}（${r.code}）`,
    ]);
}

let methodologies;
export async function publishedMethodologies() {
  methodologies ??= await all('/methodologies', { status: 'published' });
  return methodologies;
}

const full = new Map();
/** A methodology with its content (the list leaves content out). */
export async function methodology(id) {
  if (!full.has(id)) full.set(id, await get(`/methodologies/${id}`));
  return full.get(id);
}

export function yearOptions(from = 2015, to = new Date().getFullYear()) {
  const years = [];
  for (let y = to; y >= from; y--) years.push([String(y), `${y} 年`]);
  return years;
}

export function emptyOption(label = '全部') {
  return ['', label];
}

export function heading(title, ...extra) {
  return h('div.page-head', h('h1', title), extra.length ? h('div.page-actions', extra) : null);
}
