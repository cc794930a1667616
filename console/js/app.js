// The console's shell: sign-in, navigation by role, hash routing to the pages.

import { api, get, session } from './api.js';
import {
  alertBox,
  AUDIT_FIELD,
  AUDIT_OBJECT,
  AUDIT_VALUE,
  CATEGORY,
  field,
  FORM_STATUS,
  h,
  input,
  JOB_STATUS,
  link,
  mount,
  ROLE,
  RUN_STATUS,
  SCHEME_TYPE,
  section,
  showError,
} from './ui.js';
import * as survey from './pages/survey.js';
import * as accounting from './pages/accounting.js';
import * as registry from './pages/registry.js';
import * as parcels from './pages/parcels.js';
import * as finance from './pages/finance.js';
import * as audit from './pages/audit.js';
import * as admin from './pages/admin.js';

/** Sections of the console; `roles` = who sees it (the API refuses the others anyway). */
const SECTIONS = [
  {
    href: '#/forms',
    label: '调查报表',
    roles: ['statistician', 'reviewer', 'accountant', 'auditor', 'admin'],
  },
  { href: '#/review', label: '审核队列', roles: ['reviewer'] },
  {
    href: '#/methodologies',
    label: '核算方法',
    roles: ['accountant', 'admin', 'viewer', 'auditor'],
  },
  {
    href: '#/runs',
    label: '核算结果',
    roles: ['accountant', 'admin', 'viewer', 'auditor', 'finance', 'statistician', 'reviewer'],
  },
  {
    href: '#/parcels',
    label: '地块级核算',
    roles: ['statistician', 'accountant', 'admin', 'viewer', 'finance', 'auditor'],
  },
  {
    href: '#/registry',
    label: '确权登记',
    roles: ['registry_clerk', 'reviewer', 'admin', 'viewer'],
  },
  {
    href: '#/compensation',
    label: '生态补偿',
    roles: ['finance', 'auditor', 'accountant', 'admin'],
  },
  { href: '#/officials', label: '离任审计', roles: ['auditor', 'admin'] },
  { href: '#/audit-log', label: '审计日志', roles: ['auditor', 'admin'] },
  { href: '#/admin/users', label: '用户', roles: ['admin'] },
  { href: '#/admin/regions', label: '行政区', roles: ['admin'] },
];

const ROUTES = [
  [/^\/$/, home],
  [/^\/login$/, login],
  [/^\/forms$/, survey.formsPage],
  [/^\/forms\/([\w-]+)$/, survey.formPage],
  [/^\/review$/, survey.reviewQueue],
  [/^\/methodologies$/, accounting.methodologiesPage],
  [/^\/methodologies\/([\w-]+)$/, accounting.methodologyPage],
  [/^\/runs$/, accounting.runsPage],
  [/^\/runs\/([\w-]+)$/, accounting.runPage],
  [/^\/runs\/([\w-]+)\/compare$/, accounting.comparePage],
  [/^\/parcels$/, parcels.parcelsPage],
  [/^\/parcels\/runs\/([\w-]+)$/, parcels.parcelRunPage],
  [/^\/registry$/, registry.unitsPage],
  [/^\/registry\/parties$/, registry.partiesPage],
  [/^\/registry\/units\/([\w-]+)$/, registry.unitPage],
  [/^\/compensation$/, finance.compensationPage],
  [/^\/compensation\/runs\/([\w-]+)$/, finance.compensationRunPage],
  [/^\/compensation\/compare$/, finance.comparePage],
  [/^\/compensation\/schemes\/([\w-]+)$/, finance.schemePage],
  [/^\/officials$/, audit.officialsPage],
  [/^\/officials\/([\w-]+)$/, audit.officialPage],
  [/^\/tenures\/([\w-]+)$/, audit.tenurePage],
  [/^\/audit-log$/, audit.auditLogPage],
  [/^\/admin\/users$/, admin.usersPage],
  [/^\/admin\/regions$/, admin.regionsPage],
];

function visibleSections() {
  return SECTIONS.filter((s) => session.has(...s.roles));
}

function renderChrome() {
  const user = session.user;
  const top = document.getElementById('top');
  top.hidden = !user;
  if (!user) return;
  const current = location.hash.split('?')[0];
  document.getElementById('nav').replaceChildren(
    h(
      'ul',
      h('li', h('a', { href: '#/', 'aria-current': current === '#/' ? 'page' : null }, '首页')),
      visibleSections().map((s) =>
        h(
          'li',
          h(
            'a',
            { href: s.href, 'aria-current': current.startsWith(s.href) ? 'page' : null },
            s.label,
          ),
        ),
      ),
    ),
  );
  document.getElementById('who').textContent =
    `${user.displayName}（${(user.roleNames ?? user.roles.map((r) => ROLE[r] ?? r)).join('、')} · ${user.regionName ?? user.regionCode ?? '全国'}）`;
}

/**
 * The labels of the service's codes (roles, categories, statuses), from the service itself
 * (GET /vocabulary), once per sign-in; the console's own copies stand in if it cannot answer.
 */
let labels;
async function loadLabels() {
  labels ??= get('/vocabulary')
    .then((v) => {
      Object.assign(ROLE, v.roles);
      Object.assign(CATEGORY, v.categories);
      Object.assign(RUN_STATUS, v.runStatuses);
      Object.assign(FORM_STATUS, v.formStatuses);
      Object.assign(JOB_STATUS, v.jobStatuses);
      Object.assign(AUDIT_OBJECT, v.auditObjects);
      Object.assign(AUDIT_FIELD, v.auditFields);
      Object.assign(AUDIT_VALUE, v.auditValues);
      Object.assign(SCHEME_TYPE, v.schemeTypes);
    })
    .catch(() => {
      labels = undefined; // asked again on the next page
    });
  await labels;
}

async function route() {
  const path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
  if (!session.user && path !== '/login') {
    location.replace(`#/login?next=${encodeURIComponent(location.hash || '#/')}`);
    return;
  }
  if (session.user) await loadLabels();
  renderChrome();
  for (const [re, page] of ROUTES) {
    const m = re.exec(path);
    if (!m) continue;
    try {
      await page(...m.slice(1));
    } catch (e) {
      const box = alertBox();
      mount(h('h1', '出错了'), box);
      showError(e, box);
    }
    const title = document.querySelector('#main h1')?.textContent;
    document.title = title ? `${title} — GEP 核算平台` : 'GEP 核算平台';
    document.getElementById('main').focus({ preventScroll: true });
    return;
  }
  mount(h('h1', '找不到该页面'), h('p', link('#/', '返回首页')));
}

function login() {
  const box = alertBox();
  const username = input('username', { autocomplete: 'username', required: true });
  const password = input('password', {
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const form = h(
    'form.login',
    { noValidate: true },
    h('h1', '生态产品总值核算平台'),
    h('p.muted', '统计局 · 核算 · 财政 · 审计 · 自然资源确权登记'),
    box,
    field('用户名', username),
    field('密码', password),
    h('button.primary', { type: 'submit' }, '登录'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const missing = [
      [username, '请输入用户名'],
      [password, '请输入密码'],
    ].filter(([i]) => !i.value);
    if (missing.length) {
      box.show(missing.map(([, m]) => m).join('；'));
      missing[0][0].focus();
      return;
    }
    try {
      const r = await api('POST', '/auth/login', {
        body: { username: username.value, password: password.value },
      });
      session.start(r);
      const next = new URLSearchParams(location.hash.split('?')[1] ?? '').get('next');
      location.hash = next && next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/';
    } catch (err) {
      showError(err, box, form);
      password.value = '';
      password.focus();
    }
  });
  mount(form);
  username.focus();
}

/** Home: what waits for each of the user's roles. */
async function home() {
  const user = session.user;
  const cards = [];
  const count = async (path, q) => {
    try {
      return (await get(path, { ...q, pageSize: 1 })).total;
    } catch {
      return null;
    }
  };
  const card = (title, text, href, label) =>
    section(title, h('p', text), href ? h('p', h('a.button', { href }, label)) : null);
  if (session.has('statistician')) {
    const [drafts, returned] = await Promise.all([
      count('/survey/forms', { status: 'draft' }),
      count('/survey/forms', { status: 'returned' }),
    ]);
    cards.push(
      card(
        '统计填报',
        `草稿 ${drafts ?? '—'} 张，被退回 ${returned ?? '—'} 张待修改。`,
        '#/forms',
        '我的报表',
      ),
    );
  }
  if (session.has('reviewer')) {
    const n = await count('/survey/forms', { status: 'submitted' });
    cards.push(card('报表审核', `${n ?? '—'} 张报表已提交，等待审核。`, '#/review', '审核队列'));
  }
  if (session.has('accountant')) {
    const n = await count('/accounting/runs');
    cards.push(
      card(
        'GEP 核算',
        `共有 ${n ?? '—'} 次核算运行。查看方法、发起核算、发布结果。`,
        '#/runs',
        '核算结果',
      ),
    );
  }
  if (session.has('registry_clerk'))
    cards.push(card('自然资源确权登记', '登记单元地图、登记簿与历史。', '#/registry', '登记单元'));
  if (session.has('finance')) {
    const n = await count('/assessment/compensation/runs', { status: 'draft' });
    cards.push(
      card('生态补偿', `${n ?? '—'} 个补偿测算待批准。`, '#/compensation', '补偿方案与测算'),
    );
  }
  if (session.has('auditor'))
    cards.push(
      card(
        '领导干部离任审计',
        '任期评价、审计报告（PDF/DOCX）与审计日志。',
        '#/officials',
        '领导干部',
      ),
    );
  if (session.has('admin'))
    cards.push(card('系统管理', '用户、角色、地区权限与行政区划。', '#/admin/users', '用户管理'));
  if (session.has('viewer') && !cards.length)
    cards.push(card('核算结果', '查阅已发布的 GEP 核算结果。', '#/runs', '核算结果'));
  mount(h('h1', `您好，${user.displayName}`), h('div.cards', cards));
}

document.getElementById('logout').addEventListener('click', () => {
  session.end();
  location.hash = '#/login';
});
window.addEventListener('gep:signed-out', () => {
  if (!location.hash.startsWith('#/login'))
    location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
});
/** Draws the page the address names; `gep:drawn` says it is done (ui.js redraw waits for it). */
const draw = () => void route().finally(() => window.dispatchEvent(new Event('gep:drawn')));
window.addEventListener('hashchange', draw);
draw();
