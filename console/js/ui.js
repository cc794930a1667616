// Small DOM helpers shared by the pages: element builder, tables, pagination, forms with
// field-level errors, dialogs, progress and exact decimal formatting.

import { ApiError } from './api.js';

/** h('tag.class#id', {attrs, on: {click}}, ...children) */
export function h(spec, attrs = {}, ...children) {
  if (
    attrs === null ||
    typeof attrs !== 'object' ||
    attrs instanceof Node ||
    Array.isArray(attrs)
  ) {
    children.unshift(attrs);
    attrs = {};
  }
  const [, tag, rest] = /^([a-z0-9-]+)(.*)$/i.exec(spec) ?? [null, 'div', spec];
  const el = document.createElement(tag);
  for (const m of rest.matchAll(/([.#])([\w-]+)/g)) {
    if (m[1] === '.') el.classList.add(m[2]);
    else el.id = m[2];
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && k !== 'list' && k !== 'form') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function mount(...children) {
  const main = document.getElementById('main');
  main.replaceChildren();
  append(main, children);
  return main;
}

// ---- exact decimals, formatted without floating point ----

/** Moves the decimal point of a decimal string by `places` (negative = divide by 10^n). */
export function shift(value, places) {
  let s = String(value);
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  let [int, frac = ''] = s.split('.');
  if (places > 0) {
    frac = frac.padEnd(places, '0');
    int += frac.slice(0, places);
    frac = frac.slice(places);
  } else if (places < 0) {
    int = int.padStart(-places + 1, '0');
    frac = int.slice(places) + frac;
    int = int.slice(0, places);
  }
  int = int.replace(/^0+(?=\d)/, '');
  return (neg ? '-' : '') + int + (frac ? `.${frac}` : '');
}

/** Rounds a decimal string half away from zero to `digits` places and groups thousands. */
export function fmt(value, digits = 2) {
  if (value === null || value === undefined || value === '') return '—';
  const s = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(s)) return s;
  const neg = s.startsWith('-');
  let [int, frac = ''] = s.replace('-', '').split('.');
  const keep = frac.slice(0, digits).padEnd(digits, '0');
  let digitsStr = int + keep;
  if ((frac[digits] ?? '0') >= '5') {
    const arr = digitsStr.split('');
    let i = arr.length - 1;
    for (; i >= 0; i--) {
      if (arr[i] === '9') arr[i] = '0';
      else {
        arr[i] = String(Number(arr[i]) + 1);
        break;
      }
    }
    digitsStr = (i < 0 ? '1' : '') + arr.join('');
  }
  const intPart = digitsStr.slice(0, digitsStr.length - digits) || '0';
  const fracPart = digits ? digitsStr.slice(digitsStr.length - digits) : '';
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const zero = /^[0,]*$/.test(grouped) && /^0*$/.test(fracPart);
  return (neg && !zero ? '-' : '') + grouped + (digits ? `.${fracPart}` : '');
}

/**
 * A decimal string to `n` significant digits (half away from zero), integer digits always kept:
 * 0.000123456789 → 0.000123457, 1234.56789 → 1,234.57, 12345678.9 → 12,345,679.
 */
export function sig(value, n = 6) {
  const s = String(value ?? '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return fmt(value);
  const [int, frac = ''] = s.replace('-', '').split('.');
  const intDigits = int.replace(/^0+/, '').length;
  if (intDigits >= n) return fmt(s, 0);
  if (intDigits > 0) return fmt(s, n - intDigits);
  const zeros = /^0*/.exec(frac)[0].length;
  return fmt(s, Math.min(zeros + n, frac.length || 1));
}

/** A long exact decimal shown to 6 significant digits; the exact value one click away. */
export function exactly(value) {
  if (value === null || value === undefined) return '—';
  const short = sig(value);
  const exact = String(value);
  if (short.replace(/,/g, '') === exact) return h('code', short);
  return h('details.exact', h('summary', h('code', short)), h('code', exact));
}

/** 元 → 亿元, two decimals. */
export const yi = (yuan) =>
  yuan === null || yuan === undefined ? '—' : `${fmt(shift(yuan, -8), 2)} 亿元`;
/** 元 → 万元, two decimals. */
export const wan = (yuan) =>
  yuan === null || yuan === undefined ? '—' : `${fmt(shift(yuan, -4), 2)} 万元`;
export const pct = (ratio) =>
  ratio === null || ratio === undefined ? '—' : `${fmt(shift(ratio, 2), 2)}%`;

export function date(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('zh-CN', { hour12: false });
}

// ---- labels ----

export const ROLE = {
  admin: '系统管理员',
  statistician: '统计填报员',
  reviewer: '审核员',
  accountant: '核算员',
  finance: '财政',
  auditor: '审计',
  registry_clerk: '登记员',
  viewer: '查阅',
};
export const FORM_STATUS = {
  draft: '草稿',
  submitted: '已提交待审',
  approved: '已审核',
  returned: '已退回',
};
export const RUN_STATUS = {
  draft: '草稿',
  published: '已发布',
  superseded: '已被取代',
  withdrawn: '已撤回',
  approved: '已批准',
};
export const JOB_STATUS = {
  queued: '排队中',
  running: '进行中',
  succeeded: '已完成',
  failed: '失败',
};
/** The audit log's object types (entityType), as the service names them (GET /vocabulary). */
export const AUDIT_OBJECT = {};
/** The fields of audit-log entries' before and after, named by the service (GET /vocabulary). */
export const AUDIT_FIELD = {};
/** Coded values of those fields by object type and field (a region's level…), from the service. */
export const AUDIT_VALUE = {};
export const SCHEME_TYPE = {
  budget_allocation: '按 GEP 分配资金',
  cross_section: '跨界断面横向补偿',
  reward_deduction: '奖励与扣减',
  forest: '公益林生态效益补偿',
};
export const CATEGORY = {
  provisioning: '物质产品',
  regulating: '调节服务',
  cultural: '文化服务',
  out_of_region: '减：区域外生态产品价值',
};

export function badge(status, labels) {
  return h(`span.badge.s-${status}`, labels[status] ?? status);
}

// ---- messages ----

let toastTimer;
export function toast(message, kind = 'ok') {
  const el = document.getElementById('toast');
  el.className = `toast show ${kind}`;
  el.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.className = 'toast'), 5000);
}

/**
 * Says `message` once the page has been drawn again (or failed to be): said before, it invited a
 * click on the page still showing, whose state was already stale — a survey form's template
 * uploaded and submitted at once was refused, and the refusal wiped by the new page.
 */
export async function toastWhenDrawn(redrawn, message) {
  try {
    await redrawn;
  } finally {
    toast(message);
  }
}

/** A box for messages about a whole form or page (role=alert so screen readers hear it). */
export function alertBox() {
  const box = h('div.alert', { role: 'alert', hidden: true });
  box.show = (text, kind = 'error') => {
    box.className = `alert ${kind}`;
    box.textContent = text;
    box.hidden = !text;
  };
  box.clear = () => box.show('');
  return box;
}

/** Shows an error: messages naming a field go next to it (matched by data-path), the rest to `box`. */
export function showError(error, box, form) {
  if (!(error instanceof ApiError)) {
    box.show(`出错了：${error?.message ?? error}`);
    return;
  }
  form?.querySelectorAll('.field-error').forEach((e) => e.remove());
  form?.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const unplaced = [];
  for (const e of error.errors) {
    const input = e.path && form ? findField(form, e.path) : null;
    if (!input) {
      // a file's problem names its own line or cell (第 3 行 G 列…): its path would only repeat it
      const located = /^(line \d+|features\[\d+\]|[^!\s]+![A-Z]+\d+)/.test(e.path ?? '');
      if (e.path || e.message)
        unplaced.push(e.path && !located ? `${e.path}：${e.message}` : e.message);
      continue;
    }
    const id = `${input.id || input.name}-error`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.closest('label, td, .field')?.append(h('span.field-error', { id }, e.message));
  }
  const placed = error.errors.length - unplaced.length;
  const text = [error.readable, placed ? `共 ${placed} 处，已在下方标出` : '', ...unplaced]
    .filter(Boolean)
    .join('。');
  box.show(text);
  // Focus the first field named (an error without a path names none).
  const first = error.errors.find((e) => e.path);
  if (first && form) findField(form, first.path)?.focus();
}

function findField(form, path) {
  const esc = (s) => s.replace(/"/g, '\\"');
  let el = form.querySelector(`[data-path="${esc(path)}"]`);
  // values.3.value → nearest indexed field
  for (let p = path; !el && p.includes('.');) {
    p = p.slice(0, p.lastIndexOf('.'));
    el = form.querySelector(`[data-path="${esc(p)}"]`);
  }
  return el;
}

// ---- building blocks ----

export function field(label, input, hint) {
  const id = input.id || (input.id = `f-${Math.random().toString(36).slice(2, 9)}`);
  return h(
    'div.field',
    h('label', { htmlFor: id }, label),
    input,
    hint ? h('small.hint', hint) : null,
  );
}

export function input(path, attrs = {}) {
  return h('input', { name: path, dataset: { path }, ...attrs });
}

export function select(path, options, attrs = {}) {
  const el = h('select', { name: path, dataset: { path }, ...attrs });
  for (const o of options) {
    const [value, label] = Array.isArray(o) ? o : [o, o];
    el.append(h('option', { value }, label));
  }
  if (attrs.value !== undefined) el.value = String(attrs.value);
  return el;
}

export function button(label, onClick, cls = '') {
  return h(`button${cls}`, { type: 'button', on: { click: onClick } }, label);
}

/**
 * A button that runs async work once at a time: disabled and marked busy meanwhile, errors to
 * `box`. Returns the button.
 */
export function action(label, work, box, form, cls = '') {
  const b = button(
    label,
    async () => {
      if (b.disabled) return;
      b.disabled = true;
      b.setAttribute('aria-busy', 'true');
      box?.clear();
      try {
        await work();
      } catch (e) {
        if (box) showError(e, box, form);
        else toast(e.readable ?? String(e), 'error');
      } finally {
        b.disabled = false;
        b.removeAttribute('aria-busy');
      }
    },
    cls,
  );
  return b;
}

/** columns: [{label, value: row => node|string, num?: true}] */
export function table(columns, rows, { caption, empty = '没有记录' } = {}) {
  if (!rows.length) return h('p.muted', empty);
  return h(
    'div.table-wrap',
    h(
      'table',
      caption ? h('caption', caption) : null,
      h(
        'thead',
        h(
          'tr',
          columns.map((c) => h(c.num ? 'th.num' : 'th', { scope: 'col' }, c.label)),
        ),
      ),
      h(
        'tbody',
        rows.map((r) =>
          h(
            'tr',
            columns.map((c) => h(c.num ? 'td.num' : 'td', c.value(r))),
          ),
        ),
      ),
    ),
  );
}

/** A paginated list: `load(page)` returns {items,total,page,pageSize}; `render(items)` a node. */
export function paged(load, render) {
  const host = h('div.paged');
  const go = async (page) => {
    host.replaceChildren(h('p.muted', '正在加载……'));
    try {
      const r = await load(page);
      const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
      host.replaceChildren(
        render(r.items),
        h(
          'nav.pager',
          { 'aria-label': '分页' },
          button('上一页', () => go(page - 1), page <= 1 ? '.disabled' : ''),
          h('span', `第 ${r.page} / ${pages} 页，共 ${r.total} 条`),
          button('下一页', () => go(page + 1), page >= pages ? '.disabled' : ''),
        ),
      );
      host.querySelectorAll('button.disabled').forEach((b) => (b.disabled = true));
    } catch (e) {
      host.replaceChildren(h('p.alert.error', { role: 'alert' }, e.readable ?? String(e)));
    }
  };
  host.reload = (page = 1) => go(page);
  void go(1);
  return host;
}

export function progressBar(label) {
  const bar = h('progress', { max: 100, value: 0 });
  const text = h('span.progress-text', '');
  const wrap = h('div.progress', { role: 'group', 'aria-label': label }, bar, text);
  wrap.set = (percent, phase) => {
    bar.value = percent ?? 0;
    text.textContent = `${phase ?? ''} ${Math.round(percent ?? 0)}%`;
  };
  return wrap;
}

/**
 * Draws the page at `hash` (the current one when omitted) again from the service; resolves once it
 * is drawn. A dialog that saved something closes after it, so no page from before the change is
 * left to click (its buttons would act on what the page showed: a draft's old revision, say).
 */
export function redraw(hash = location.hash) {
  const drawn = new Promise((resolve) =>
    window.addEventListener('gep:drawn', () => resolve(), { once: true }),
  );
  const before = location.hash;
  location.hash = hash; // a hashchange when the address changed (as the browser spells it)
  if (location.hash === before) window.dispatchEvent(new HashChangeEvent('hashchange'));
  return drawn;
}

/** A modal dialog (native <dialog>: Esc closes it, focus stays inside). */
export function dialog(title, ...content) {
  const d = h(
    'dialog',
    { 'aria-label': title },
    h(
      'header.dialog-head',
      h('h2', title),
      button('关闭', () => d.close(), '.link'),
    ),
    h('div.dialog-body', content),
  );
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  d.showModal();
  return d;
}

export function kv(pairs) {
  return h(
    'dl.kv',
    pairs.filter(Boolean).map(([k, v]) => [h('dt', k), h('dd', v ?? '—')]),
  );
}

export function link(href, text) {
  return h('a', { href }, text);
}

export function section(title, ...children) {
  return h('section.card', h('h2', title), children);
}

// ---- exact decimal sums (BigInt, no floating point) ----

function scaled(value, scale) {
  const s = String(value);
  const neg = s.startsWith('-');
  const [int, frac = ''] = s.replace('-', '').split('.');
  const n = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  return neg ? -n : n;
}

function unscaled(n, scale) {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const s = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return (neg ? '-' : '') + s;
}

/** Exact sum of decimal strings; null when any is missing (a sum over a gap is no total). */
export function sumDec(values) {
  if (!values.length || values.some((v) => v === null || v === undefined || v === '')) return null;
  const present = values;
  const scale = Math.max(...present.map((v) => (String(v).split('.')[1] ?? '').length));
  return unscaled(
    present.reduce((s, v) => s + scaled(v, scale), 0n),
    scale,
  );
}

/** Exact a − b of decimal strings; null if either is missing. */
export function subDec(a, b) {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const scale = Math.max(...[a, b].map((v) => (String(v).split('.')[1] ?? '').length));
  return unscaled(scaled(a, scale) - scaled(b, scale), scale);
}
