// Lookups several pages share: region names, published methodologies.

import { all, api, get, session, waitForJob } from '../api.js';
import { button, date, h, input, select, table } from '../ui.js';

let regions;
let regionsOf;
/**
 * Regions within the user's scope (code → region), loaded once per page load and per user (a tab
 * can sign out and in as someone else).
 */
export async function regionIndex() {
  const user = session.user;
  if (!regions || regionsOf !== user?.id) {
    const within = user?.regionCode;
    const list = await all('/regions', within ? { within } : {});
    const index = new Map(list.map((r) => [r.code, r]));
    if (within && !index.has(within)) {
      try {
        const own = await get(`/regions/${within}`);
        index.set(own.code, own);
      } catch {
        /* not readable: codes are shown */
      }
    }
    [regions, regionsOf] = [index, user?.id];
  }
  return regions;
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
/** Forgets the methodologies loaded so far (after one was edited, copied, published or deleted). */
export function forgetMethodologies() {
  methodologies = undefined;
  usual = undefined;
  full.clear();
}

/** A methodology with its content (the list leaves content out). */
export async function methodology(id) {
  if (!full.has(id)) full.set(id, await get(`/methodologies/${id}`));
  return full.get(id);
}

/** The accounting or reporting year: `back` years before this one by default (last year). */
export const yearInput = (back = 1) =>
  input('year', {
    type: 'number',
    min: 2000,
    max: 2100,
    step: 1,
    value: new Date().getFullYear() - back,
    inputMode: 'numeric',
  });

let usual;
/**
 * The standard most survey forms the user can see were reported under: the one a new form or
 * run most likely continues (not simply the first by code — a newly seeded standard would
 * otherwise become everyone's default). The first standard when no forms can be read.
 */
async function usualStandard(methodologies) {
  usual ??= Promise.all(
    [...new Set(methodologies.map((m) => m.standardId))].map(async (standardId) => ({
      standardId,
      forms: await get('/survey/forms', { standardId, pageSize: 1 })
        .then((r) => r.total)
        .catch(() => 0),
    })),
  ).then((xs) => xs.reduce((best, x) => (x.forms > best.forms ? x : best), xs[0])?.standardId);
  return usual;
}

/** A select of the published methodologies, by name and version (value: the standard id). */
export async function standardSelect(methodologies) {
  return select(
    'standardId',
    methodologies.map((m) => [m.standardId, `${m.name}（第 ${m.version} 版）`]),
    { value: await usualStandard(methodologies) },
  );
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

/** The query of the current hash route: `#/forms?year=2022` → `{ year: '2022' }`. */
export function query() {
  return Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] ?? ''));
}

/** A search form over a list: submitting puts its non-empty fields in the route's query. */
export function searchForm(route, fields, label = '查询') {
  const form = h(
    'form.filters',
    { role: 'search' },
    fields,
    h('button', { type: 'submit' }, label),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams([...new FormData(form)].filter(([, v]) => v !== ''));
    location.hash = `${route}?${q}`;
  });
  return form;
}

/** The boundary in a GeoJSON file: a geometry, a Feature, or the first feature of a collection. */
export async function boundaryOf(file) {
  let doc;
  try {
    doc = JSON.parse(await file.text());
  } catch {
    throw readable('文件不是有效的 GeoJSON（JSON 无法解析）', 'boundary');
  }
  const g =
    doc?.type === 'FeatureCollection'
      ? doc.features?.[0]?.geometry
      : doc?.type === 'Feature'
        ? doc.geometry
        : doc;
  if (!g || !['Polygon', 'MultiPolygon'].includes(g.type))
    throw readable('文件中没有 Polygon 或 MultiPolygon 边界', 'boundary');
  return g;
}

/** A refusal of the page's own (before anything is sent), shown like the service's. */
export function readable(message, path) {
  return Object.assign(new Error(message), { readable: message, errors: [{ path, message }] });
}

// Records name who did what by username; people read the name the user goes by
// (GET /users/names), fetched once per username and page load.
const NAMES = new Map();

/** Learns the display names of these usernames (unknown ones keep their username). */
export async function knowNames(usernames) {
  const missing = [...new Set(usernames.filter((u) => typeof u === 'string' && !NAMES.has(u)))];
  for (let i = 0; i < missing.length; i += 200) {
    const batch = missing.slice(i, i + 200);
    const found = await get('/users/names', { username: batch.join(',') }).catch(() => ({}));
    for (const u of batch) NAMES.set(u, found[u] ?? u);
  }
}

/** The name of the user with this username, once known (knowNames or named); '—' for none. */
export const nameOf = (username) => (username ? (NAMES.get(username) ?? username) : '—');

/** Who and when: 「婺源县统计局 核算员 · 2026/12/3 10:00:00」. */
export const byAt = (username, at) => `${nameOf(username)} · ${date(at)}`;

/** The page (its items), list or record once the people its `keys` name are known. */
export async function named(pending, ...keys) {
  const value = await pending;
  const rows = Array.isArray(value?.items) ? value.items : Array.isArray(value) ? value : [value];
  await knowNames(rows.flatMap((r) => keys.map((k) => r?.[k])));
  return value;
}

/**
 * The outline of the region (or, for a township without one, of its county) to draw under a map;
 * null when none has been entered (an administrator enters it on the 行政区 page).
 */
export async function regionOutline(code) {
  for (const c of [code, code?.length > 6 ? code.slice(0, 6) : null].filter(Boolean)) {
    const b = await get(`/regions/${c}/boundary`).catch(() => null);
    if (b) return { label: `${b.name}界线`, geometry: b.boundary };
  }
  return null;
}

/** 完成范围 / 清除范围 under a map one draws a polygon on (its `drawing` controller). */
export function drawButtons(drawing, status) {
  return h(
    'div.inline',
    button(
      '完成范围',
      () => {
        if (!drawing.finish()) status.textContent = '范围至少需要三个拐点。';
      },
      '',
    ),
    button('清除范围', () => drawing.clear(), '.link'),
  );
}

/**
 * Sends a file to an import route as a background job and follows it to the end: `progress` shows
 * the job's phases (named by `phases`) while it runs; when the service refuses the file, every
 * problem is listed in `problems` — `problemLabel` heads the column, `refused` says what was not
 * stored — and the refusal is thrown on. Returns the finished job.
 */
export async function uploadJob(
  path,
  f,
  { query, contentType, progress, problems, phases, problemLabel, refused },
) {
  problems.replaceChildren();
  progress.hidden = false;
  progress.set(0, '上传中');
  try {
    const job = await api('POST', path, { query, body: f, contentType });
    return await waitForJob(job.id, (j) =>
      progress.set(j.percent ?? 0, phases[j.phase] ?? '处理中'),
    );
  } catch (e) {
    problems.replaceChildren(
      e.errors?.length
        ? table([{ label: problemLabel, value: (p) => p.message }], e.errors, {
            caption: `${f.name}：${refused}`,
          })
        : '',
    );
    throw e;
  } finally {
    progress.hidden = true;
  }
}
