// Admin pages: users (roles, region scope, disable, reset password) and administrative regions.

import { get, patch, post, put } from '../api.js';
import { boundaryMap } from '../charts.js';
import {
  action,
  alertBox,
  date,
  dialog,
  field,
  h,
  input,
  link,
  mount,
  paged,
  ROLE,
  section,
  select,
  table,
  toast,
  toastWhenDrawn,
} from '../ui.js';
import { boundaryOf, heading, readable, regionOptions, query, searchForm } from './common.js';

function rolesField(selected = []) {
  const boxes = Object.entries(ROLE).map(([code, label]) => {
    const c = h('input', {
      type: 'checkbox',
      name: 'roles',
      value: code,
      checked: selected.includes(code),
      id: `role-${code}-${Math.random().toString(36).slice(2, 6)}`,
    });
    return h('label.check', c, ` ${label}`);
  });
  const set = h('fieldset.roles', { dataset: { path: 'roles' } }, h('legend', '角色'), boxes);
  set.values = () => [...set.querySelectorAll('input:checked')].map((c) => c.value);
  return set;
}

export async function usersPage() {
  const q = query();
  const regions = [['', '全国（不限地区）'], ...(await regionOptions('township'))];
  const box = alertBox();
  const username = input('username', { autocomplete: 'off' });
  const displayName = input('displayName');
  const password = input('password', { type: 'password', autocomplete: 'new-password' });
  const region = select('regionCode', regions);
  const roles = rolesField();
  const form = h(
    'form.inline',
    box,
    field('用户名', username),
    field('姓名', displayName),
    field('初始密码', password, '至少 10 个字符'),
    field('地区范围', region),
    roles,
  );
  form.append(
    action(
      '创建用户',
      async () => {
        await post('/users', {
          username: username.value.trim(),
          displayName: displayName.value.trim(),
          password: password.value,
          roles: roles.values(),
          ...(region.value ? { regionCode: region.value } : {}),
        });
        await toastWhenDrawn(usersPage(), '用户已创建');
      },
      box,
      form,
      '.primary',
    ),
  );
  const filters = searchForm('#/admin/users', [
    field('用户名或姓名', input('q', { value: q.q ?? '' })),
    field('角色', select('role', [['', '全部'], ...Object.entries(ROLE)], { value: q.role ?? '' })),
  ]);
  const list = paged(
    (page) => get('/users', { ...q, page, pageSize: 20 }),
    (items) =>
      table(
        [
          { label: '用户名', value: (u) => u.username },
          { label: '姓名', value: (u) => u.displayName },
          { label: '角色', value: (u) => u.roles.map((r) => ROLE[r] ?? r).join('、') },
          { label: '地区范围', value: (u) => u.regionCode ?? '全国' },
          { label: '状态', value: (u) => (u.disabled ? '已停用' : '正常') },
          { label: '更新', value: (u) => date(u.updatedAt) },
          {
            label: '',
            value: (u) =>
              h(
                'button',
                { type: 'button', on: { click: () => editUser(u, regions, () => list.reload()) } },
                '编辑',
              ),
          },
        ],
        items,
      ),
  );
  mount(heading('用户与权限'), section('查询', filters), list, section('新建用户', form));
}

function editUser(user, regions, done) {
  const box = alertBox();
  const displayName = input('displayName', { value: user.displayName });
  const region = select('regionCode', regions, { value: user.regionCode ?? '' });
  const roles = rolesField(user.roles);
  const disabled = h('input', { type: 'checkbox', name: 'disabled', checked: user.disabled });
  const form = h(
    'form',
    box,
    field('姓名', displayName),
    field('地区范围', region),
    roles,
    field('停用此用户', disabled),
  );
  const newPassword = input('newPassword', { type: 'password', autocomplete: 'new-password' });
  const d = dialog(`编辑用户 ${user.username}`, form);
  form.append(
    action(
      '保存',
      async () => {
        await patch(`/users/${user.id}`, {
          displayName: displayName.value.trim(),
          roles: roles.values(),
          regionCode: region.value || null,
          disabled: disabled.checked,
        });
        toast('已保存');
        d.close();
        done();
      },
      box,
      form,
      '.primary',
    ),
    h('hr'),
    field('重置密码', newPassword, '至少 10 个字符'),
    action(
      '重置密码',
      async () => {
        await post(`/users/${user.id}/reset-password`, { newPassword: newPassword.value });
        newPassword.value = '';
        toast('密码已重置');
      },
      box,
      form,
    ),
  );
}

const LEVEL = { province: '省', city: '市', county: '县', township: '乡镇', village: '村' };
const CHILD = { province: 'city', city: 'county', county: 'township', township: 'village' };

export async function regionsPage() {
  const q = query();
  const parent = q.parentCode ? await get(`/regions/${q.parentCode}`) : null;
  const lineage = parent ? await get(`/regions/${parent.code}/lineage`) : [];
  const box = alertBox();
  const code = input('code', { inputMode: 'numeric' });
  const name = input('name');
  const level = select('level', Object.entries(LEVEL), {
    value: parent ? (CHILD[parent.level] ?? 'village') : 'province',
  });
  const form = h(
    'form.inline',
    box,
    field('代码', code, '统计用区划代码'),
    field('名称', name),
    field('级别', level),
  );
  form.append(
    action(
      '添加行政区',
      async () => {
        await post('/regions', {
          code: code.value.trim(),
          name: name.value.trim(),
          level: level.value,
          ...(parent ? { parentCode: parent.code } : {}),
        });
        await toastWhenDrawn(regionsPage(), '已添加');
      },
      box,
      form,
      '.primary',
    ),
  );
  const rename = (r, reload) => {
    const b = alertBox();
    const n = input('name', { value: r.name });
    const f = h('form', b, field('新名称', n));
    const d = dialog(`更名：${r.name}（${r.code}）`, f);
    f.append(
      action(
        '保存',
        async () => {
          await patch(`/regions/${r.code}`, { name: n.value.trim() });
          toast('已更名');
          d.close();
          reload();
        },
        b,
        f,
        '.primary',
      ),
    );
  };
  /** 录入界线: the region's outline from a GeoJSON file, with its source, previewed before saving. */
  const outline = async (r) => {
    const b = alertBox();
    const current = await get(`/regions/${r.code}/boundary`).catch(() => null);
    const file = input('boundary', { type: 'file', accept: '.geojson,.json,application/geo+json' });
    const source = input('source', {
      value: current?.source ?? '',
      placeholder: '如：第三次全国国土调查县级行政区界线',
    });
    const preview = h('div.outline-preview');
    const show = (geometry) =>
      preview.replaceChildren(
        boundaryMap(`${r.name}界线`, [], () => {}, {
          width: 420,
          height: 300,
          outline: { label: `${r.name}界线`, geometry },
        }) ?? '',
      );
    if (current) show(current.boundary);
    file.addEventListener('change', async () => {
      b.replaceChildren();
      if (file.files[0]) show(await boundaryOf(file.files[0]).catch(() => null));
    });
    const f = h(
      'form',
      b,
      h(
        'p.muted',
        current
          ? `已录入（来源：${current.source}）；上传新文件将替换。`
          : '尚未录入。上传 GeoJSON（经纬度）的 Polygon 或 MultiPolygon；地图在登记单元下方以虚线绘制。',
      ),
      field('界线文件（GeoJSON）', file),
      field('来源', source),
      preview,
    );
    const d = dialog(`行政区界线：${r.name}（${r.code}）`, f);
    f.append(
      action(
        '保存界线',
        async () => {
          if (!file.files[0]) throw readable('请选择界线文件（GeoJSON）', 'boundary');
          await put(`/regions/${r.code}/boundary`, {
            boundary: await boundaryOf(file.files[0]),
            source: source.value.trim(),
          });
          toast('界线已保存');
          d.close();
        },
        b,
        f,
        '.primary',
      ),
    );
  };
  const list = paged(
    (page) =>
      get('/regions', {
        ...(parent ? { parentCode: parent.code } : { level: 'province' }),
        page,
        pageSize: 50,
      }),
    (items) =>
      table(
        [
          { label: '代码', value: (r) => r.code },
          {
            label: '名称',
            value: (r) =>
              r.level === 'village' ? r.name : link(`#/admin/regions?parentCode=${r.code}`, r.name),
          },
          { label: '级别', value: (r) => LEVEL[r.level] ?? r.level },
          {
            label: '',
            value: (r) =>
              h(
                'span.actions',
                h(
                  'button',
                  { type: 'button', on: { click: () => rename(r, () => list.reload()) } },
                  '更名',
                ),
                r.level === 'village'
                  ? null
                  : h('button', { type: 'button', on: { click: () => outline(r) } }, '界线'),
              ),
          },
        ],
        items,
      ),
  );
  mount(
    heading('行政区划'),
    h(
      'nav.crumbs',
      { 'aria-label': '位置' },
      link('#/admin/regions', '全国'),
      lineage.map((r) => [' › ', link(`#/admin/regions?parentCode=${r.code}`, r.name)]),
    ),
    list,
    section(parent ? `在 ${parent.name} 下添加` : '添加省级行政区', form),
  );
}
