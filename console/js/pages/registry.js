// Registry pages: units on an offline map (boundaries on a plain background), unit detail with
// its ledger and an as-of view, register extract.

import { all, download, get, post, session } from '../api.js';
import { boundaryMap, legendColours } from '../charts.js';
import {
  action,
  alertBox,
  date,
  field,
  fmt,
  h,
  input,
  kv,
  link,
  mount,
  progressBar,
  section,
  select,
  table,
  button,
  dialog,
  toast,
  redraw,
  showError,
} from '../ui.js';
import {
  boundaryOf,
  byAt,
  named,
  uploadJob,
  drawButtons,
  regionOutline,
  heading,
  readable,
  regionIndex,
  regionLabel,
  regionOptions,
  query,
  searchForm,
} from './common.js';

// The names of the registry's codes, as the service names them (GET /registry/vocabulary),
// loaded once per page load by each page before it renders.
const UNIT_TYPE = {};
const UNIT_STATUS = {};
const RESOURCE_TYPE = {};
const ECOSYSTEM = {};
const RIGHT_TYPE = {};
const PARTY_KIND = {};
let vocabulary;
async function loadVocabulary() {
  vocabulary ??= get('/registry/vocabulary').then((v) => {
    Object.assign(UNIT_TYPE, v.unitTypes);
    Object.assign(UNIT_STATUS, v.unitStatuses);
    Object.assign(RESOURCE_TYPE, v.resourceTypes);
    Object.assign(ECOSYSTEM, v.ecosystemTypes);
    Object.assign(RIGHT_TYPE, v.rightTypes);
    Object.assign(PARTY_KIND, v.partyKinds);
  });
  await vocabulary.catch((e) => {
    vocabulary = undefined; // asked again on the next page
    throw e;
  });
}

/** The map of units, coloured by unit type, with a legend of the types shown. */
function unitsMap(title, units, outline, onSelect, size) {
  const colours = legendColours(Object.keys(UNIT_TYPE));
  const types = [...new Set(units.map((u) => u.unitType))];
  return boundaryMap(
    title,
    units.map((u) => ({
      id: u.id,
      name: u.name,
      label: `${u.name}（${UNIT_TYPE[u.unitType] ?? u.unitType}，${UNIT_STATUS[u.status] ?? u.status}）`,
      geometry: u.boundary,
      color: colours.get(u.unitType),
      selected: u.selected,
    })),
    onSelect,
    {
      ...size,
      outline,
      legend: types.map((t) => ({ label: UNIT_TYPE[t] ?? t, color: colours.get(t) })),
    },
  );
}

export async function unitsPage() {
  await loadVocabulary();
  const q = query();
  const index = await regionIndex();
  const page = Number(q.page ?? 1);
  const [list, outline] = await Promise.all([
    get('/registry/units', { ...q, page, pageSize: 20, include: 'boundary' }),
    regionOutline(q.regionCode || session.user?.regionCode),
  ]);
  const drawn = list.items.filter((u) => u.boundary);
  const filters = searchForm('#/registry', [
    field('名称或编号', input('q', { value: q.q ?? '' })),
    field(
      '类型',
      select('unitType', [['', '全部'], ...Object.entries(UNIT_TYPE)], { value: q.unitType ?? '' }),
    ),
    field(
      '状态',
      select('status', [['', '全部'], ...Object.entries(UNIT_STATUS)], { value: q.status ?? '' }),
    ),
    field('查询日期（历史状态）', input('asOf', { type: 'date', value: q.asOf ?? '' })),
  ]);
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const to = (p) => `#/registry?${new URLSearchParams({ ...q, page: String(p) })}`;
  mount(
    heading('自然资源确权登记'),
    h('p', link('#/registry/parties', '权利人名录')),
    session.has('registry_clerk', 'admin') ? await preDelimitCard() : null,
    session.has('registry_clerk') ? importCard() : null,
    section('查询', filters),
    h(
      'div.split',
      section(
        '登记单元分布图',
        drawn.length
          ? unitsMap(
              '登记单元边界（离线底图，点击或回车打开）',
              drawn,
              outline,
              (id) => (location.hash = `#/registry/units/${id}`),
            )
          : h('p.muted', '本页没有可绘制的边界。'),
        h(
          'p.muted.small',
          outline
            ? '边界按经纬度等比例绘制在空白底图上，不依赖外部地图服务；虚线为行政区界线。'
            : '边界按经纬度等比例绘制在空白底图上，不依赖外部地图服务；行政区界线尚未录入（管理员可在“行政区”页录入）。',
        ),
      ),
      section(
        `登记单元（共 ${list.total} 个）`,
        table(
          [
            { label: '编号', value: (u) => link(`#/registry/units/${u.id}`, u.code) },
            { label: '名称', value: (u) => u.name },
            { label: '类型', value: (u) => UNIT_TYPE[u.unitType] ?? u.unitType },
            { label: '地区', value: (u) => regionLabel(index, u.regionCode) },
            { label: '状态', value: (u) => UNIT_STATUS[u.status] ?? u.status },
            { label: '面积（公顷）', value: (u) => fmt(u.areaHa, 2), num: true },
          ],
          list.items,
        ),
        h(
          'nav.pager',
          { 'aria-label': '分页' },
          page > 1 ? h('a', { href: to(page - 1) }, '上一页') : null,
          h('span', `第 ${page} / ${pages} 页`),
          page < pages ? h('a', { href: to(page + 1) }, '下一页') : null,
        ),
      ),
    ),
  );
}

export async function unitPage(id) {
  await loadVocabulary();
  const q = query();
  const asOfQuery = q.asOf ? { asOf: q.asOf } : {};
  const [unit, entries] = await Promise.all([
    get(`/registry/units/${id}`, asOfQuery),
    get(`/registry/units/${id}/entries`, { pageSize: 200 }),
  ]);
  const index = await regionIndex();
  const box = alertBox();
  const v = unit.version ?? {};
  const asOf = input('asOf', { type: 'date', value: q.asOf ?? unit.asOf });
  const asOfForm = h(
    'form.inline',
    field('查看某日的登记状态', asOf),
    h('button', { type: 'submit' }, '查看'),
    q.asOf ? button('回到今天', () => (location.hash = `#/registry/units/${id}`)) : null,
  );
  asOfForm.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/registry/units/${id}?asOf=${asOf.value}`;
  });
  mount(
    heading(`${v.name ?? unit.code}`, link('#/registry', '返回列表')),
    asOfForm,
    q.asOf ? h('p.alert.info', `以下为 ${unit.asOf} 的登记状态（历史视图）。`) : null,
    box,
    q.asOf ? null : await workflowSection(unit),
    h(
      'div.split',
      section(
        '基本信息',
        kv([
          ['单元编号', unit.code],
          ['类型', UNIT_TYPE[unit.unitType] ?? unit.unitType],
          ['地区', regionLabel(index, unit.regionCode)],
          ['状态', `${UNIT_STATUS[unit.statusAsOf ?? unit.status] ?? unit.status}`],
          ['面积（公顷）', fmt(v.areaHa, 4)],
          [
            '所有权',
            v.ownership
              ? `${v.ownership.model === 'state' ? '全民所有' : '集体所有'}${v.ownership.representative ? ` · 代表行使：${v.ownership.representative}` : ''}${v.ownership.manager ? ` · 管理：${v.ownership.manager}` : ''}`
              : '—',
          ],
          [
            '有效期',
            v.period ? `${v.period.from} 起${v.period.to ? `，至 ${v.period.to}` : ''}` : '—',
          ],
          ['登簿日期', unit.registeredOn ?? '—'],
          ['异议截止', unit.objectionDeadline ?? '—'],
          ['备注', v.remarks],
        ]),
        h(
          'div.actions',
          action(
            '下载登记簿（PDF）',
            () =>
              download(
                `/registry/units/${id}/extract.pdf`,
                `登记簿-${unit.code}${q.asOf ? `-${q.asOf}` : ''}.pdf`,
                asOfQuery,
              ),
            box,
          ),
        ),
      ),
      section(
        '边界',
        boundaryMap(
          `${v.name} 边界`,
          [{ id, label: v.name, geometry: v.boundary, selected: true }],
          () => {},
          { width: 420, height: 300 },
        ) ?? h('p.muted', '没有边界'),
      ),
    ),
    section(
      `自然资源（${unit.resources?.length ?? 0}）`,
      table(
        [
          { label: '编号', value: (r) => r.code },
          { label: '名称', value: (r) => r.name ?? '—' },
          { label: '类型', value: (r) => RESOURCE_TYPE[r.resourceType] ?? r.resourceType },
          { label: '生态系统', value: (r) => ECOSYSTEM[r.ecosystemType] ?? r.ecosystemType ?? '—' },
          { label: '面积（公顷）', value: (r) => fmt(r.areaHa, 4), num: true },
          {
            label: '有效期',
            value: (r) => `${r.period?.from ?? ''} 起${r.period?.to ? ` 至 ${r.period.to}` : ''}`,
          },
          ...(!q.asOf && session.has('registry_clerk', 'admin') && unit.status === 'registered'
            ? [{ label: '办理', value: (r) => (r.period?.to ? '' : resourceActions(unit, r)) }]
            : []),
        ],
        unit.resources ?? [],
      ),
      !q.asOf &&
        session.has('registry_clerk', 'admin') &&
        unit.status === 'registered' &&
        (unit.resources ?? []).length > 1
        ? button('合并自然资源…', () => mergeResources(unit), '')
        : null,
    ),
    section(
      `权利（${unit.rights?.length ?? 0}）`,
      table(
        [
          {
            label: '权利类型',
            value: (r) => r.rightTypeZh ?? RIGHT_TYPE[r.rightType] ?? r.rightType,
          },
          {
            label: '权利人',
            value: (r) =>
              (r.holders ?? [])
                .map((x) => `${x.name ?? x.partyId}${x.share ? `（${x.share}）` : ''}`)
                .join('、'),
          },
          { label: '面积（公顷）', value: (r) => fmt(r.areaHa, 4), num: true },
          {
            label: '期间',
            value: (r) =>
              `${r.period?.from ?? r.startDate ?? ''}${r.period?.to ? ` 至 ${r.period.to}` : ''}`,
          },
          {
            label: '',
            value: (r) =>
              !q.asOf && session.has('registry_clerk', 'admin') ? rightActions(r) : '',
          },
        ],
        unit.rights ?? [],
      ),
      !q.asOf && session.has('registry_clerk', 'admin') && unit.status === 'registered'
        ? await grantForm(unit)
        : null,
    ),
    section(
      `登记簿记录（${entries.total ?? entries.items.length}）`,
      table(
        [
          { label: '序号', value: (e) => e.seq, num: true },
          {
            label: '事项',
            value: (e) =>
              e.summary
                ? h('span', e.kindZh ?? e.kind, h('small', e.summary))
                : (e.kindZh ?? e.kind),
          },
          { label: '生效日期', value: (e) => e.effectiveDate },
          {
            label: '依据文件',
            value: (e) =>
              e.document
                ? `${e.document.type}${e.document.number ? ` ${e.document.number}` : ''}`
                : '—',
          },
          { label: '原因', value: (e) => e.reason ?? '' },
          {
            label: '记录人',
            value: (e) => `${e.recordedByName ?? e.recordedBy} · ${date(e.recordedAt)}`,
          },
          {
            label: '',
            value: (e) =>
              h('a', { href: `#/registry/units/${id}?asOf=${e.effectiveDate}` }, '查看当日状态'),
          },
        ],
        entries.items,
        { caption: '只增不改的登记簿，按顺序记录每一次变更' },
      ),
    ),
  );
}

// the registry import job's phases (registry-import.service.ts), as a clerk reads them
const IMPORT_PHASE = {
  queued: '排队中',
  starting: '开始',
  parsing: '读取文件',
  'checking features': '逐个检查要素',
  'checking overlaps within the file': '检查文件内边界重叠',
  'checking overlaps with the register': '检查与登记簿的边界重叠',
  'writing units': '写入登记单元',
  'writing resources': '写入自然资源',
};

/**
 * 批量预划（GeoJSON）: many units (features with kind "unit") and the resources in them (kind
 * "resource") from one FeatureCollection, all or nothing, with progress and every problem by
 * feature; the codes the units received are listed.
 */
function importCard() {
  const box = alertBox();
  const date = input('date', { type: 'date' });
  const file = h('input', {
    type: 'file',
    accept: '.geojson,.json,application/geo+json',
    id: 'registry-import-file',
  });
  const progress = progressBar('导入进度');
  progress.hidden = true;
  const result = h('div.upload-result');
  const form = h(
    'form.inline',
    box,
    field('文件（GeoJSON）', file),
    field('预划日期（默认今天）', date),
  );
  form.append(
    action(
      '导入',
      async () => {
        const f = file.files?.[0];
        if (!f) throw Object.assign(new Error('请选择文件'), { readable: '请选择 GeoJSON 文件' });
        const done = await uploadJob('/registry/imports', f, {
          query: { filename: f.name, ...(date.value ? { date: date.value } : {}) },
          contentType: 'application/geo+json',
          progress,
          problems: result,
          phases: IMPORT_PHASE,
          problemLabel: '问题（含要素序号与字段）',
          refused: '以下问题导致文件未导入（没有保存任何登记单元）',
        });
        const r = done.result;
        toast(`${f.name}：已预划 ${r.units} 个登记单元，录入 ${r.resources} 项自然资源`);
        result.replaceChildren(
          table(
            [
              { label: '要素', value: (c) => `第 ${c.feature + 1} 个` },
              { label: '文件中的编号（ref）', value: (c) => c.ref ?? '—' },
              {
                label: '登记单元代码',
                value: (c) => link(`#/registry?q=${encodeURIComponent(c.code)}`, c.code),
              },
            ],
            r.codes,
            { caption: `${f.name}：${r.date} 预划的登记单元` },
          ),
        );
        file.value = '';
      },
      box,
      form,
      '.primary',
    ),
    progress,
  );
  return section(
    '批量预划（GeoJSON）',
    h(
      'p.muted',
      '一个 FeatureCollection：properties.kind 为 unit 的要素预划为登记单元（字段同“预划登记单元”，几何为边界，可带 ref），kind 为 resource 的要素录入所属单元（unitRef 或 unitCode）的自然资源。有任何问题则整个文件不导入，并列出每个问题所在的要素与字段。',
    ),
    form,
    result,
  );
}

/** 预划: a new unit with its boundary uploaded as GeoJSON. */
async function preDelimitCard() {
  const box = alertBox();
  const region = select('regionCode', await regionOptions('township'));
  const unitType = select('unitType', Object.entries(UNIT_TYPE));
  const name = input('name', { placeholder: '如：某某村集体林' });
  const model = select('ownership.model', [
    ['state', '全民所有'],
    ['collective', '集体所有'],
  ]);
  const parties = await all('/registry/parties', { kind: 'collective' }).catch(() => []);
  const collective = select('ownership.collectivePartyId', [
    ['', '（集体所有时选择农民集体）'],
    ...parties.map((p) => [p.id, p.name]),
  ]);
  const representative = input('ownership.representative', { value: '自然资源部' });
  const manager = input('ownership.manager', { placeholder: '如：某某林场' });
  const date = input('date', { type: 'date' });
  const file = h('input', {
    type: 'file',
    name: 'boundary',
    accept: '.geojson,.json,application/geo+json',
    id: 'unit-boundary',
  });
  // a boundary drawn on a map of the chosen region's outline and its units
  const drawHost = h('div');
  const drawStatus = h('p.muted', { role: 'status' });
  let drawnRing = null;
  const showDrawMap = async () => {
    drawnRing = null;
    const [outline, units] = await Promise.all([
      regionOutline(region.value),
      all('/registry/units', { regionCode: region.value, include: 'boundary' }).then((xs) =>
        xs.filter((u) => u.boundary),
      ),
    ]);
    const map =
      outline || units.length
        ? unitsMap(
            '画出新单元的边界：在图上依次点击各拐点，再点「完成范围」',
            units,
            outline,
            () => {},
            {
              onPolygon: (ring) => {
                drawnRing = ring;
                drawStatus.textContent = ring
                  ? `已画出边界（${ring.length - 1} 个拐点），预划时使用（未选边界文件时）。`
                  : '';
              },
            },
          )
        : null;
    drawHost.replaceChildren(
      ...(map
        ? [map, drawButtons(map.drawing, drawStatus), drawStatus]
        : [h('p.muted', '所选地区还没有界线和已登记单元，无法在图上定位；请上传 GeoJSON 边界。')]),
    );
  };
  region.addEventListener('change', () => {
    if (drawHost.firstChild) void showDrawMap().catch((e) => showError(e, box));
  });
  const form = h(
    'form',
    box,
    h(
      'div.inline',
      field('地区', region),
      field('单元类型', unitType),
      field('名称', name),
      field('预划日期', date),
    ),
    h(
      'div.inline',
      field('所有权', model),
      field('农民集体', collective),
      field('代表行使主体', representative),
      field('管理单位', manager),
    ),
    field('边界（GeoJSON 文件，经纬度）', file),
    h(
      'div',
      button(
        '或在地图上画出边界',
        () => void showDrawMap().catch((e) => showError(e, box)),
        '.link',
      ),
      drawHost,
    ),
  );
  form.append(
    action(
      '预划登记单元',
      async () => {
        const f = file.files?.[0];
        if (!f && !drawnRing)
          throw readable('请选择边界文件（GeoJSON），或在地图上画出边界', 'boundary');
        const state = model.value === 'state';
        const unit = await post('/registry/units', {
          regionCode: region.value,
          unitType: unitType.value,
          name: name.value,
          date: date.value || undefined,
          boundary: f ? await boundaryOf(f) : { type: 'Polygon', coordinates: [drawnRing] },
          ownership: {
            model: model.value,
            ...(state
              ? { representative: representative.value || undefined }
              : { collectivePartyId: collective.value || undefined }),
            manager: manager.value || undefined,
          },
        });
        toast(`已预划登记单元 ${unit.code}`);
        location.hash = `#/registry/units/${unit.id}`;
      },
      box,
      form,
      '.primary',
    ),
  );
  return section(
    '预划登记单元',
    h(
      'p.muted',
      '上传单元边界（GeoJSON 的 Polygon/MultiPolygon，或含一个要素的 FeatureCollection）；边界与同类已登记单元重叠、自相交或不在所选地区时会被拒绝并说明原因。预划后依次：通告 → 调查（录入自然资源）→ 审核 → 公告（异议期）→ 登簿。',
    ),
    form,
  );
}

/**
 * Shows what was done and renders the page again from the service; resolves once it is drawn (a
 * dialog closes after it, leaving no page from before the change to click).
 */
const reloadPage = (message) => {
  toast(message);
  return redraw();
};

/**
 * The next steps of the first-registration workflow this user may take on the unit, by its
 * state: notice → survey (resources) → review → public notice (objections) → registration; and
 * cancellation of a registered unit. Each step writes one ledger entry.
 */
async function workflowSection(unit) {
  const clerk = session.has('registry_clerk', 'admin');
  const reviewer = session.has('reviewer', 'admin');
  const id = unit.id;
  const parts = [];
  const step = (title, controls, label, send, done, cls = '.primary') => {
    const box = alertBox();
    const form = h('form', box, h('div.inline', controls));
    form.append(
      action(
        label,
        async () => {
          await send();
          await reloadPage(done);
        },
        box,
        form,
        cls,
      ),
    );
    parts.push(h('div.workflow-step', h('h3', title), form));
  };
  const dateField = (label = '生效日期') => {
    const d = input('date', { type: 'date' });
    return [d, field(label, d)];
  };

  if (unit.status === 'pre_delimited' && clerk) {
    const [d, df] = dateField('通告日期');
    const type = input('document.type', { value: '自然资源首次登记通告' });
    const number = input('document.number', { placeholder: '如：婺府告〔2026〕1 号' });
    const issuer = input('document.issuer', { placeholder: '如：婺源县人民政府' });
    step(
      '1. 发布首次登记通告',
      [df, field('文件类型', type), field('文号', number), field('发文机关', issuer)],
      '发布通告',
      () =>
        post(`/registry/units/${id}/notice`, {
          date: d.value || undefined,
          document: {
            type: type.value,
            number: number.value || undefined,
            issuer: issuer.value || undefined,
          },
        }),
      '已发布通告',
    );
  }
  if (['notice_issued', 'surveyed'].includes(unit.status) && clerk) {
    const [d, df] = dateField('调查日期');
    const resourceType = select('resourceType', Object.entries(RESOURCE_TYPE));
    const ecosystem = select('ecosystemType', Object.entries(ECOSYSTEM));
    const rname = input('name', { placeholder: '如：杉木林小班 A' });
    const area = input('areaHa', { inputMode: 'decimal', placeholder: '公顷' });
    const owned = input(
      unit.version?.ownership?.model === 'collective' ? 'collectiveAreaHa' : 'stateAreaHa',
      { inputMode: 'decimal', placeholder: '公顷' },
    );
    step(
      '2. 地籍调查：录入自然资源',
      [
        df,
        field('资源类型', resourceType),
        field('生态系统类型', ecosystem),
        field('名称', rname),
        field('面积（公顷）', area),
        field(
          unit.version?.ownership?.model === 'collective'
            ? '集体所有面积（公顷）'
            : '全民所有面积（公顷）',
          owned,
        ),
      ],
      '录入资源',
      () =>
        post(`/registry/units/${id}/resources`, {
          date: d.value || undefined,
          resourceType: resourceType.value,
          ecosystemType: ecosystem.value,
          name: rname.value || undefined,
          areaHa: area.value,
          [owned.name]: owned.value || undefined,
        }),
      '已录入自然资源',
      '',
    );
    const [d2, df2] = dateField('调查完成日期');
    step(
      '3. 调查完成，提交审核',
      [df2],
      '提交审核',
      () => post(`/registry/units/${id}/survey`, { date: d2.value || undefined }),
      '调查已完成，等待审核',
    );
  }
  if (unit.status === 'surveyed' && reviewer) {
    const [d, df] = dateField('审核日期');
    const decision = select('decision', [
      ['approve', '审核通过'],
      ['return', '退回重新调查'],
    ]);
    const comment = input('comment', { placeholder: '退回时必须写明意见' });
    step(
      '4. 审核',
      [df, field('审核结论', decision), field('意见', comment)],
      '提交审核结论',
      () =>
        post(`/registry/units/${id}/review`, {
          date: d.value || undefined,
          decision: decision.value,
          comment: comment.value || undefined,
        }),
      '审核结论已记录',
    );
  }
  if (unit.status === 'reviewed' && clerk) {
    const [d, df] = dateField('公告日期');
    const days = input('workingDays', { type: 'number', min: 1, max: 90, value: 15 });
    step(
      '5. 发布公告（异议期）',
      [df, field('异议期（工作日）', days)],
      '发布公告',
      () =>
        post(`/registry/units/${id}/public-notice`, {
          date: d.value || undefined,
          workingDays: Number(days.value),
        }),
      '已发布公告，异议期开始',
    );
  }
  if (unit.status === 'public_notice') {
    const objections = await get(`/registry/units/${id}/objections`).catch(() => []);
    parts.push(objectionsTable(id, objections, clerk || reviewer));
    if (clerk) {
      const [d, df] = dateField('收到日期');
      const objector = input('objector', { placeholder: '异议人' });
      const content = input('content', { placeholder: '异议内容' });
      step(
        '登记异议',
        [df, field('异议人', objector), field('异议内容', content)],
        '记录异议',
        () =>
          post(`/registry/units/${id}/objections`, {
            date: d.value || undefined,
            objector: objector.value,
            content: content.value,
          }),
        '异议已记录',
        '',
      );
    }
    if (reviewer) {
      const [d, df] = dateField('登簿日期');
      const certificate = input('certificateNumber', { placeholder: '不动产权证书号（可选）' });
      step(
        '6. 登簿',
        [df, field('证书号', certificate)],
        '登簿',
        () =>
          post(`/registry/units/${id}/register`, {
            date: d.value || undefined,
            certificateNumber: certificate.value || undefined,
          }),
        '已登簿',
      );
    }
  }
  if (unit.status === 'registered' && clerk) {
    const [d, df] = dateField('生效日期');
    const kind = select('kind', Object.entries(CHANGE_KIND));
    const name = input('name', { value: unit.version?.name ?? '' });
    const boundary = input('boundary', {
      type: 'file',
      accept: '.geojson,.json,application/geo+json',
    });
    const reason = input('reason', { placeholder: '如：界址点测量有误，按复测成果更正' });
    const docType = input('document.type', { placeholder: '如：更正登记申请书' });
    step(
      '变更或更正登记',
      [
        field('登记类型', kind),
        df,
        field('名称', name),
        field('新边界（GeoJSON，不改可不选）', boundary),
        field('原因', reason),
        field('依据文件', docType),
      ],
      '登记变更',
      async () => {
        const f = boundary.files[0];
        const changed = {
          ...(name.value.trim() !== (unit.version?.name ?? '') ? { name: name.value.trim() } : {}),
          ...(f ? { boundary: await boundaryOf(f) } : {}),
        };
        if (!Object.keys(changed).length)
          throw readable('请修改名称或选择新边界文件；没有变化的内容不能登记', 'name');
        await post(`/registry/units/${id}/changes`, {
          kind: kind.value,
          date: d.value || undefined,
          reason: reason.value,
          document: docType.value ? { type: docType.value } : undefined,
          ...changed,
        });
      },
      '已登记',
      '',
    );
  }
  if (unit.status === 'registered' && clerk) {
    const [d, df] = dateField('注销日期');
    const reason = input('reason', { placeholder: '注销原因' });
    const type = input('document.type', { placeholder: '依据文件类型' });
    step(
      '注销登记',
      [df, field('原因', reason), field('依据文件', type)],
      '注销登记单元',
      () =>
        post(`/registry/units/${id}/cancellation`, {
          date: d.value || undefined,
          reason: reason.value,
          document: type.value ? { type: type.value } : undefined,
        }),
      '登记单元已注销',
      '.danger',
    );
  }
  return section(
    `登记流程（当前：${UNIT_STATUS[unit.status] ?? unit.status}）`,
    h('p.muted', `下一步：${NEXT_STEP[unit.status] ?? '—'}`),
    parts,
  );
}

/** Who acts next in the first-registration workflow, by the unit's state. */
const NEXT_STEP = {
  pre_delimited: '登记员发布首次登记通告',
  notice_issued: '登记员录入地籍调查的自然资源，调查完成后提交审核',
  surveyed: '审核员审核（通过，或写明意见退回重新调查）',
  reviewed: '登记员发布公告，异议期开始',
  public_notice: '异议期满且没有未处理的异议后，由审核员登簿',
  registered: '已登簿；变更或注销由登记员办理',
  cancelled: '已注销，不再办理登记',
};

function objectionsTable(id, objections, mayResolve) {
  const resolve = (o) => {
    if (!mayResolve || o.status !== 'open') return '';
    const box = alertBox();
    const decision = select('decision', [
      ['dismissed', '异议不成立'],
      ['upheld', '异议成立（退回调查）'],
    ]);
    const resolution = input('resolution', { placeholder: '处理意见' });
    const form = h('form.inline', box, decision, resolution);
    form.append(
      action(
        '处理',
        async () => {
          await post(`/registry/units/${id}/objections/${o.id}/resolution`, {
            decision: decision.value,
            resolution: resolution.value,
          });
          await reloadPage('异议已处理');
        },
        box,
        form,
      ),
    );
    return form;
  };
  return h(
    'div.workflow-step',
    h('h3', '异议'),
    table(
      [
        { label: '异议人', value: (o) => o.objector },
        { label: '收到日期', value: (o) => o.raisedOn },
        { label: '内容', value: (o) => o.content },
        { label: '状态', value: (o) => OBJECTION_STATUS[o.status] ?? o.status },
        { label: '处理', value: (o) => o.resolution ?? resolve(o) },
      ],
      objections,
      { empty: '公告期内没有异议' },
    ),
  );
}

const OBJECTION_STATUS = { open: '待处理', upheld: '异议成立', dismissed: '异议不成立' };

const MORTGAGE_LIKE = new Set(['mortgage', 'lease', 'custody']);
const TRANSFER_KIND = { transfer: '转让', buy_back: '赎买', equity: '入股' };

/**
 * 权利人名录: the parties in the user's scope (national bodies included), searchable by name and
 * kind; a clerk adds one here before granting it a right or naming it in a transfer.
 */
export async function partiesPage() {
  await loadVocabulary();
  const q = query();
  const index = await regionIndex();
  const page = Number(q.page ?? 1);
  const list = await named(
    get('/registry/parties', {
      ...(q.q ? { q: q.q } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      page,
      pageSize: 20,
    }),
    'createdBy',
  );
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const to = (p) => `#/registry/parties?${new URLSearchParams({ ...q, page: String(p) })}`;
  mount(
    heading('权利人名录'),
    h('p', link('#/registry', '返回登记单元')),
    session.has('registry_clerk') ? await newPartyCard() : null,
    section(
      '查询',
      searchForm('#/registry/parties', [
        field('名称', input('q', { value: q.q ?? '' })),
        field(
          '类型',
          select('kind', [['', '全部'], ...Object.entries(PARTY_KIND)], { value: q.kind ?? '' }),
        ),
      ]),
    ),
    section(
      `权利人（共 ${list.total} 个）`,
      table(
        [
          { label: '名称', value: (p) => p.name },
          { label: '类型', value: (p) => PARTY_KIND[p.kind] ?? p.kind },
          { label: '证件号码', value: (p) => p.idNumber ?? '—' },
          {
            label: '所在地区',
            value: (p) => (p.regionCode ? regionLabel(index, p.regionCode) : '全国'),
          },
          { label: '备注', value: (p) => p.note ?? '' },
          { label: '录入', value: (p) => byAt(p.createdBy, p.createdAt) },
        ],
        list.items,
        { empty: q.q || q.kind ? '没有符合条件的权利人' : '还没有权利人' },
      ),
      h(
        'nav.pager',
        { 'aria-label': '分页' },
        page > 1 ? h('a', { href: to(page - 1) }, '上一页') : null,
        h('span', `第 ${page} / ${pages} 页`),
        page < pages ? h('a', { href: to(page + 1) }, '下一页') : null,
      ),
    ),
  );
}

/** 新增权利人: a party's kind, name, ID number (统一社会信用代码 or 身份证件号) and region. */
async function newPartyCard() {
  const box = alertBox();
  const regions = await regionOptions('township');
  const kind = select('kind', Object.entries(PARTY_KIND), { value: 'collective' });
  const name = input('name', { placeholder: '如：某村股份经济合作社', autocomplete: 'off' });
  const idNumber = input('idNumber', { placeholder: '统一社会信用代码或身份证件号，可不填' });
  const region = select('regionCode', [['', '全国（不属某一地区）'], ...regions], {
    value: session.user?.regionCode ?? '',
  });
  const note = h('textarea', { name: 'note', rows: 2, dataset: { path: 'note' } });
  const form = h(
    'form.stack',
    { on: { submit: (e) => e.preventDefault() } },
    h(
      'div.inline',
      field('类型', kind),
      field('名称', name),
      field('证件号码', idNumber),
      field('所在地区', region),
    ),
    field('备注', note),
    box,
  );
  form.append(
    action(
      '新增权利人',
      async () => {
        const created = await post('/registry/parties', {
          kind: kind.value,
          name: name.value.trim(),
          ...(idNumber.value.trim() ? { idNumber: idNumber.value.trim() } : {}),
          ...(region.value ? { regionCode: region.value } : {}),
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
        });
        partyCache = undefined; // the right forms offer it from now on
        await reloadPage(`已新增权利人：${created.name}`);
      },
      box,
      form,
    ),
  );
  return section('新增权利人', form);
}

/**
 * Parties the clerk may name: every one in scope (national bodies included), by name; loaded once
 * per user (a tab can sign out and in as someone else).
 */
let partyCache;
let partiesOf;
async function partyOptions() {
  if (!partyCache || partiesOf !== session.user?.id) {
    partyCache = await all('/registry/parties');
    partiesOf = session.user?.id;
  }
  return partyCache.map((p) => [p.id, p.name]);
}

/** 设立权利: a right on one of the unit's resources, its holders and the document it rests on. */
async function grantForm(unit) {
  const box = alertBox();
  const parties = await partyOptions();
  const resource = select(
    'resourceId',
    (unit.resources ?? []).map((r) => [r.id, `${r.code} ${r.name ?? ''}`.trim()]),
  );
  const rightType = select('rightType', Object.entries(RIGHT_TYPE));
  const holder = select('holders[0].partyId', parties);
  const encumbers = select('encumbersRightId', [
    ['', '（抵押、租赁、托管时选择所设定的权利）'],
    ...(unit.rights ?? []).map((r) => [
      r.id,
      `${r.rightTypeZh ?? r.rightType}：${(r.holders ?? []).map((x) => x.name).join('、')}`,
    ]),
  ]);
  const date = input('date', { type: 'date' });
  const endDate = input('endDate', { type: 'date' });
  const area = input('areaHa', { inputMode: 'decimal', placeholder: '指标类权利填写' });
  const price = input('priceYuan', { inputMode: 'decimal', placeholder: '如 500000 或 50万元' });
  const docType = input('document.type', { placeholder: '如：林地承包合同' });
  const docNumber = input('document.number', { placeholder: '合同或文件编号' });
  const form = h(
    'form',
    box,
    h(
      'div.inline',
      field('自然资源', resource),
      field('权利类型', rightType),
      field('权利人', holder, link('#/registry/parties', '名录中没有？新增权利人')),
      field('设定于', encumbers),
    ),
    h(
      'div.inline',
      field('起始日期', date),
      field('终止日期', endDate),
      field('面积（公顷）', area),
      field('价款（元）', price),
      field('依据文件', docType),
      field('文件编号', docNumber),
    ),
  );
  form.append(
    action(
      '登记权利',
      async () => {
        await post('/registry/rights', {
          resourceId: resource.value,
          rightType: rightType.value,
          holders: [{ partyId: holder.value }],
          encumbersRightId: MORTGAGE_LIKE.has(rightType.value)
            ? encumbers.value || undefined
            : undefined,
          date: date.value || undefined,
          endDate: endDate.value || undefined,
          areaHa: area.value || undefined,
          priceYuan: price.value || undefined,
          document: { type: docType.value, number: docNumber.value || undefined },
        });
        await reloadPage('权利已登记');
      },
      box,
      form,
      '.primary',
    ),
  );
  return h('div.workflow-step', h('h3', '登记权利（设立、抵押、租赁、托管）'), form);
}

const CHANGE_KIND = { change: '变更登记', correction: '更正登记' };

/** The fields every registry entry carries: kind (变更/更正), date, reason and its document. */
function entryFields() {
  const kind = select('kind', Object.entries(CHANGE_KIND));
  const date = input('date', { type: 'date' });
  const reason = input('reason', { placeholder: '登记原因' });
  const docType = input('document.type', { placeholder: '依据文件类型' });
  return {
    fields: [field('生效日期', date), field('原因', reason), field('依据文件', docType)],
    kind,
    body: () => ({
      date: date.value || undefined,
      reason: reason.value,
      document: docType.value ? { type: docType.value } : undefined,
    }),
  };
}

/**
 * A resource held wholly by the state or wholly by a collective keeps that when its area changes:
 * the owned area follows the new area. Mixed or disputed holdings are left to the clerk.
 */
function ownedAreaFor(r, areaHa) {
  const only = (x) => x !== null && x !== undefined && Number(x) === Number(r.areaHa);
  if (only(r.stateAreaHa) && !Number(r.collectiveAreaHa ?? 0)) return { stateAreaHa: areaHa };
  if (only(r.collectiveAreaHa) && !Number(r.stateAreaHa ?? 0)) return { collectiveAreaHa: areaHa };
  return {};
}

/** 变更 / 更正 and 分割 of one resource of a registered unit, in dialogs. */
function resourceActions(unit, r) {
  const label = `${r.code}${r.name ? ` ${r.name}` : ''}`;
  const change = () => {
    const box = alertBox();
    const entry = entryFields();
    const name = input('name', { value: r.name ?? '' });
    const ecosystem = select('ecosystemType', Object.entries(ECOSYSTEM), {
      value: r.ecosystemType,
    });
    const area = input('areaHa', { inputMode: 'decimal', value: r.areaHa ?? '' });
    const form = h(
      'form',
      box,
      field('登记类型', entry.kind),
      field('名称', name),
      field('生态系统类型', ecosystem),
      field('面积（公顷）', area),
      entry.fields,
    );
    const d = dialog(`自然资源 ${label}：变更或更正`, form);
    form.append(
      action(
        '登记变更',
        async () => {
          const changed = {
            ...(name.value.trim() !== (r.name ?? '') ? { name: name.value.trim() } : {}),
            ...(ecosystem.value !== r.ecosystemType ? { ecosystemType: ecosystem.value } : {}),
            ...(area.value.trim() !== (r.areaHa ?? '')
              ? { areaHa: area.value.trim(), ...ownedAreaFor(r, area.value.trim()) }
              : {}),
          };
          if (!Object.keys(changed).length)
            throw readable('没有修改任何内容；请修改名称、类型或面积', 'name');
          await post(`/registry/resources/${r.id}/changes`, {
            kind: entry.kind.value,
            ...entry.body(),
            ...changed,
          });
          await reloadPage('自然资源已变更');
          d.close();
        },
        box,
        form,
        '.primary',
      ),
    );
  };
  const split = () => {
    const box = alertBox();
    const entry = entryFields();
    const rows = h('tbody');
    const total = h('p.muted');
    const addPart = () => {
      const i = rows.children.length;
      const name = input(`parts[${i}].name`, { placeholder: `${r.name ?? r.code}-${i + 1}` });
      const ecosystem = select(`parts[${i}].ecosystemType`, Object.entries(ECOSYSTEM), {
        value: r.ecosystemType,
      });
      const area = input(`parts[${i}].areaHa`, { inputMode: 'decimal', placeholder: '公顷' });
      area.addEventListener('input', sum);
      rows.append(h('tr', h('td', name), h('td', ecosystem), h('td', area)));
    };
    // The parts' areas must add up to the resource's exactly: the running sum says how far off.
    function sum() {
      const texts = [...rows.querySelectorAll('input[name$=".areaHa"]')].map((x) => x.value.trim());
      const valid = (x) => /^\d+(\.\d+)?$/.test(x);
      if (!texts.every(valid) || !valid(r.areaHa)) {
        total.textContent = `各部分面积之和应等于 ${r.areaHa} 公顷`;
        return;
      }
      // exact: every figure as an integer of the finest decimal place used
      const places = Math.max(...[r.areaHa, ...texts].map((x) => (x.split('.')[1] ?? '').length));
      const scaled = (x) => BigInt(x.split('.')[0] + (x.split('.')[1] ?? '').padEnd(places, '0'));
      const text = (v) => {
        const digits = String(v).padStart(places + 1, '0');
        return places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
      };
      const whole = scaled(r.areaHa);
      const got = texts.map(scaled).reduce((x, y) => x + y, 0n);
      total.textContent =
        got === whole
          ? `合计 ${text(got)} 公顷，与原面积相等`
          : `合计 ${text(got)} 公顷，原面积 ${r.areaHa} 公顷，${got < whole ? '还差' : '多出'} ${text(got < whole ? whole - got : got - whole)} 公顷`;
    }
    addPart();
    addPart();
    sum();
    const form = h(
      'form',
      box,
      h('p.muted', `原面积 ${r.areaHa} 公顷；分割后原资源终止，其上的权利延续到每一部分。`),
      h(
        'div.table-wrap',
        h(
          'table',
          h('thead', h('tr', h('th', '名称'), h('th', '生态系统类型'), h('th', '面积（公顷）'))),
          rows,
        ),
      ),
      total,
      button('增加一部分', () => (addPart(), sum()), '.link'),
      entry.fields,
    );
    const d = dialog(`自然资源 ${label}：分割`, form);
    form.append(
      action(
        '登记分割',
        async () => {
          const parts = [...rows.children].map((tr) => {
            const [n, e, a] = tr.querySelectorAll('input, select');
            return {
              name: n.value.trim() || undefined,
              ecosystemType: e.value,
              areaHa: a.value.trim(),
              ...ownedAreaFor(r, a.value.trim()),
            };
          });
          await post(`/registry/resources/${r.id}/split`, { ...entry.body(), parts });
          await reloadPage(`已分割为 ${parts.length} 个自然资源`);
          d.close();
        },
        box,
        form,
        '.primary',
      ),
    );
  };
  return h('span.row-actions', button('变更…', change, '.link'), button('分割…', split, '.link'));
}

/** 合并: resources of the unit (one type, no live rights) become one with their summed area. */
function mergeResources(unit) {
  const box = alertBox();
  const entry = entryFields();
  const boxes = (unit.resources ?? [])
    .filter((r) => !r.period?.to)
    .map((r) =>
      h(
        'label.check',
        h('input', { type: 'checkbox', name: 'resourceIds', value: r.id }),
        ` ${r.code} ${r.name ?? ''}（${RESOURCE_TYPE[r.resourceType] ?? r.resourceType}，${fmt(r.areaHa, 4)} 公顷）`,
      ),
    );
  const name = input('name', { placeholder: '合并后的名称（可不填）' });
  const form = h(
    'form',
    box,
    h('p.muted', '选择同一类型、没有存续权利的自然资源；合并后面积相加。'),
    h('fieldset', { 'aria-label': '要合并的自然资源' }, boxes),
    field('名称', name),
    entry.fields,
  );
  const d = dialog('合并自然资源', form);
  form.append(
    action(
      '登记合并',
      async () => {
        const resourceIds = [...form.querySelectorAll('input[name=resourceIds]:checked')].map(
          (x) => x.value,
        );
        if (resourceIds.length < 2) throw readable('请至少选择两个自然资源', 'resourceIds');
        await post('/registry/resources/merge', {
          resourceIds,
          name: name.value.trim() || undefined,
          ...entry.body(),
        });
        await reloadPage('自然资源已合并');
        d.close();
      },
      box,
      form,
      '.primary',
    ),
  );
}

/** 转让 / 赎买 / 入股 and 注销 / 解除 of one right, in a dialog. */
function rightActions(right) {
  const handOn = () => {
    const box = alertBox();
    const kind = select('kind', Object.entries(TRANSFER_KIND));
    const from = select(
      'fromPartyId',
      (right.holders ?? []).map((x) => [x.partyId, x.name]),
    );
    const to = select('toPartyId', []);
    void partyOptions().then((opts) =>
      to.replaceChildren(...opts.map(([v, l]) => h('option', { value: v }, l))),
    );
    const date = input('date', { type: 'date' });
    const price = input('priceYuan', {
      inputMode: 'decimal',
      placeholder: '如 3696000 或 369.6万元',
    });
    const docType = input('document.type', { placeholder: '如：转让合同' });
    const docNumber = input('document.number');
    const form = h(
      'form',
      box,
      field('方式', kind),
      field('出让方', from),
      field('受让方', to, link('#/registry/parties', '名录中没有？新增权利人')),
      field('日期', date),
      field('价款（元）', price),
      field('依据文件', docType),
      field('文件编号', docNumber),
    );
    const d = dialog(`${right.rightTypeZh ?? right.rightType}：转让、赎买或入股`, form);
    form.append(
      action(
        '登记交易',
        async () => {
          await post(`/registry/rights/${right.id}/transfer`, {
            kind: kind.value,
            fromPartyId: from.value,
            toPartyId: to.value,
            date: date.value || undefined,
            priceYuan: price.value || undefined,
            document: { type: docType.value, number: docNumber.value || undefined },
          });
          await reloadPage('交易已登记');
          d.close();
        },
        box,
        form,
        '.primary',
      ),
    );
  };
  const end = () => {
    const box = alertBox();
    const release = right.rightType === 'mortgage';
    const date = input('date', { type: 'date' });
    const reason = input('reason', { placeholder: release ? '如：借款已清偿' : '注销原因' });
    const form = h('form', box, field('日期', date), field('原因', reason));
    const d = dialog(
      `${right.rightTypeZh ?? right.rightType}：${release ? '解除抵押' : '注销'}`,
      form,
    );
    form.append(
      action(
        release ? '解除抵押' : '注销权利',
        async () => {
          await post(`/registry/rights/${right.id}/end`, {
            kind: release ? 'release' : 'end',
            date: date.value || undefined,
            reason: reason.value,
          });
          await reloadPage(release ? '抵押已解除' : '权利已注销');
          d.close();
        },
        box,
        form,
        '.danger',
      ),
    );
  };
  return h(
    'span.row-actions',
    MORTGAGE_LIKE.has(right.rightType) ? null : button('转让…', handOn, '.link'),
    button(right.rightType === 'mortgage' ? '解除…' : '注销…', end, '.link'),
  );
}
