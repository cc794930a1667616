// Registry pages: units on an offline map (boundaries on a plain background), unit detail with
// its ledger and an as-of view, register extract.

import { download, get } from '../api.js';
import { boundaryMap } from '../charts.js';
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
  section,
  select,
  table,
  button,
} from '../ui.js';
import { heading, regionIndex, regionLabel, query, searchForm } from './common.js';

export const UNIT_TYPE = {
  national_park: '国家公园',
  nature_reserve: '自然保护区',
  natural_park: '自然公园',
  water_flow: '水流',
  wetland: '湿地',
  forest: '森林',
  grassland: '草原',
  wasteland: '荒地',
  mineral_area: '探明储量的矿产资源',
  sea_area: '海域',
  island: '无居民海岛',
};
export const UNIT_STATUS = {
  pre_delimited: '预划',
  notice: '已通告',
  surveyed: '已调查',
  reviewed: '已审核',
  returned: '已退回',
  public_notice: '公告中',
  registered: '已登簿',
  cancelled: '已注销',
};
const RIGHT_TYPE = {
  ownership: '所有权',
  contract: '承包经营权',
  management: '经营权',
  forest_land_management: '林地经营权',
  tree_ownership: '林木所有权',
  tree_use: '林木使用权',
  use: '使用权',
  mining: '采矿权',
  water_withdrawal: '取水权',
  compensation_income: '补偿收益权',
  wetland_offset_credit: '湿地占补指标',
  wetland_equity: '湿地股权',
  mortgage: '抵押权',
  lease: '租赁权',
  custody: '托管',
};

export async function unitsPage() {
  const q = query();
  const index = await regionIndex();
  const page = Number(q.page ?? 1);
  const list = await get('/registry/units', { ...q, page, pageSize: 20 });
  const details = await Promise.all(
    list.items.map((u) => get(`/registry/units/${u.id}`).catch(() => null)),
  );
  const features = details.filter(Boolean).map((d) => ({
    id: d.id,
    label: `${d.version.name}（${UNIT_STATUS[d.status] ?? d.status}）`,
    geometry: d.version.boundary,
  }));
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
    section('查询', filters),
    h(
      'div.split',
      section(
        '登记单元分布图',
        features.length
          ? boundaryMap(
              '登记单元边界（离线底图，点击或回车打开）',
              features,
              (id) => (location.hash = `#/registry/units/${id}`),
            )
          : h('p.muted', '本页没有可绘制的边界。'),
        h('p.muted.small', '边界按经纬度等比例绘制在空白底图上，不依赖外部地图服务。'),
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
          { label: '类型', value: (r) => r.resourceType },
          { label: '生态系统', value: (r) => r.ecosystemType ?? '—' },
          { label: '面积（公顷）', value: (r) => fmt(r.areaHa, 4), num: true },
          {
            label: '有效期',
            value: (r) => `${r.period?.from ?? ''} 起${r.period?.to ? ` 至 ${r.period.to}` : ''}`,
          },
        ],
        unit.resources ?? [],
      ),
    ),
    section(
      `权利（${unit.rights?.length ?? 0}）`,
      table(
        [
          { label: '权利类型', value: (r) => RIGHT_TYPE[r.rightType] ?? r.rightType },
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
        ],
        unit.rights ?? [],
      ),
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
          { label: '记录人', value: (e) => `${e.recordedBy} · ${date(e.recordedAt)}` },
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
