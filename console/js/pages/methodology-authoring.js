// Methodology authoring for accountants (and publishing for admins): copy a version into a new
// draft, edit an indicator's formulas with the service's own validation as one types, edit a
// parameter's values and sources, import and export the package file, publish, delete a draft.
// Every check is the service's: the editor sends the unsaved content to
// POST /methodologies/:id/validate and shows the problems of the field being edited.
import { api, del, download, patch, post, session } from '../api.js';
import {
  action,
  alertBox,
  button,
  dialog,
  field,
  h,
  input,
  redraw,
  section,
  select,
  showError,
  toast,
} from '../ui.js';
import { forgetMethodologies, regionIndex, regionLabel, regionOptions } from './common.js';

// the service's evidence grades (methodology-content.ts EVIDENCE)
const EVIDENCE = {
  verified: '已核对原文',
  secondary: '转引（二手来源）',
  unconfirmed: '未核实',
};

/**
 * Reopens the methodology page after a change (its cached content is forgotten first); resolves
 * once it is drawn.
 */
function reopen(id) {
  forgetMethodologies();
  return redraw(`#/methodologies/${id}`);
}

/** The page's 编辑与发布 card: what the signed-in user may do with this version. */
export function authoringCard(m) {
  const box = alertBox();
  const accountant = session.has('accountant');
  const admin = session.has('admin');
  const draft = m.status === 'draft';
  const name = `${m.standardId}-v${m.version}`;
  return section(
    '编辑与发布',
    h(
      'p.muted',
      draft
        ? '这是草稿：核算员可修改指标公式和参数取值（修改时即校验），管理员校验通过后发布；发布后不可再改。'
        : '已发布的版本不可修改；复制为新版本后在草稿上修改，再由管理员发布。',
    ),
    box,
    h(
      'div.inline',
      accountant
        ? action(
            '复制为新版本',
            async () => {
              const copy = await post(`/methodologies/${m.id}/clone`);
              toast(`已复制为 ${copy.standardId} 第 ${copy.version} 版（草稿）`);
              await reopen(copy.id);
            },
            box,
          )
        : null,
      action(
        '导出方法包（JSON）',
        () => download(`/methodologies/${m.id}/package`, `${name}.json`),
        box,
      ),
      action(
        '导出方法包（YAML）',
        () => download(`/methodologies/${m.id}/package`, `${name}.yaml`, { format: 'yaml' }),
        box,
      ),
      draft && admin
        ? action(
            '发布此版本',
            async () => {
              await post(`/methodologies/${m.id}/publish`);
              toast(`${m.standardId} 第 ${m.version} 版已发布`);
              await reopen(m.id);
            },
            box,
          )
        : null,
      draft && accountant
        ? action(
            '删除草稿',
            async () => {
              if (!confirm(`删除草稿 ${m.standardId} 第 ${m.version} 版？`)) return;
              await del(`/methodologies/${m.id}`);
              forgetMethodologies();
              location.hash = '#/methodologies';
            },
            box,
          )
        : null,
    ),
  );
}

/** 导入方法包: a package file (JSON or YAML) becomes a new draft. */
export function importCard() {
  if (!session.has('accountant')) return null;
  const box = alertBox();
  const file = h('input', { type: 'file', accept: '.json,.yaml,.yml', name: 'package' });
  return section(
    '导入方法包',
    h(
      'p.muted',
      '方法包文件（JSON 或 YAML，格式见 docs/methodology-package.md）导入为新草稿；文件中的每个问题都会列出。',
    ),
    box,
    h(
      'div.inline',
      field('方法包文件', file),
      action(
        '导入',
        async () => {
          const f = file.files?.[0];
          if (!f) {
            box.show('请先选择方法包文件');
            return;
          }
          const yaml = /\.ya?ml$/i.test(f.name);
          // a new draft: the standard's next version, whatever version the file names
          const created = await api('POST', '/methodologies/import', {
            body: f,
            query: { version: 'next' },
            contentType: yaml ? 'application/yaml' : 'application/json',
          });
          toast(`已导入为 ${created.standardId} 第 ${created.version} 版（草稿）`);
          await reopen(created.id);
        },
        box,
      ),
    ),
  );
}

/** Whether this user may edit this version's content. */
export const editable = (m) => m.status === 'draft' && session.has('accountant');

/** Saves new content on the draft (based on the revision shown). */
async function save(m, content, box, form) {
  try {
    await patch(`/methodologies/${m.id}`, { content, revision: m.revision });
  } catch (e) {
    showError(e, box, form);
    return false;
  }
  toast('已保存');
  return true;
}

/** A dialog around an editor's form: 保存 stores `edited()` on the draft and reopens its page. */
function editorDialog(m, title, form, box, edited) {
  const d = dialog(
    title,
    form,
    h(
      'div.inline',
      action(
        '保存',
        async () => {
          if (await save(m, edited(), box, form)) {
            await reopen(m.id); // the dialog stays over the old page until the new one is drawn
            d.close();
          }
        },
        box,
        form,
      ),
      button('取消', () => d.close(), '.link'),
    ),
  );
}

/**
 * The service's verdict on `content`, for the fields under `prefix` (e.g. `indicators[3]`):
 * shown in `out` as the accountant types, a moment after the last key.
 */
function liveCheck(m, prefix, out) {
  let timer;
  let asked = 0;
  return (content) => {
    clearTimeout(timer);
    out.replaceChildren(h('span.muted', '校验中…'));
    timer = setTimeout(async () => {
      const mine = ++asked;
      let problems;
      try {
        const report = await post(`/methodologies/${m.id}/validate`, { content });
        problems = report.problems.filter(
          (p) => p.path === prefix || p.path.startsWith(`${prefix}.`),
        );
      } catch (e) {
        problems = e.errors?.length ? e.errors : [{ message: e.readable ?? String(e) }];
      }
      if (mine !== asked) return; // an older answer after a newer question
      out.replaceChildren(
        problems.length
          ? h(
              'ul.problems',
              problems.map((p) => h('li.field-error', p.message)),
            )
          : h('span.ok', '✓ 公式和单位校验通过'),
      );
    }, 400);
  };
}

/** A method's formula fields (quantity and value, with units) under `path` (e.g. `indicators[3]`). */
function formulaFields(path, m, label = '') {
  const q = m.quantity
    ? {
        formula: h('textarea', {
          name: `${path}.quantity.formula`,
          rows: 3,
          value: m.quantity.formula,
          dataset: { path: `content.${path}.quantity.formula` },
          'aria-label': `${label}实物量公式`,
        }),
        unit: input(`content.${path}.quantity.unit`, {
          value: m.quantity.unit,
          'aria-label': `${label}实物量单位`,
        }),
      }
    : null;
  const v = {
    formula: h('textarea', {
      name: `${path}.value.formula`,
      rows: 3,
      value: m.value.formula,
      dataset: { path: `content.${path}.value.formula` },
      'aria-label': `${label}价值量公式`,
    }),
    unit: input(`content.${path}.value.unit`, {
      value: m.value.unit,
      'aria-label': `${label}价值量单位`,
    }),
  };
  return {
    nodes: [
      q
        ? field(
            `${label}实物量公式`,
            q.formula,
            '用本方法的变量、参数和其他指标的代码，如 (precipitation - storm_runoff) .* eco_area',
          )
        : null,
      q ? field(`${label}实物量单位`, q.unit) : null,
      field(`${label}价值量公式`, v.formula, '用 Q 表示本指标的实物量，如 Q * reservoir_cost'),
      field(`${label}价值量单位`, v.unit),
    ],
    /** The method with the fields' text in it. */
    read: (target) => ({
      ...target,
      ...(target.quantity
        ? { quantity: { ...target.quantity, formula: q.formula.value, unit: q.unit.value } }
        : {}),
      value: { ...target.value, formula: v.formula.value, unit: v.unit.value },
    }),
  };
}

/**
 * 编辑指标: the formulas and units of its main method and of each alternative, and the rules
 * that say which method applies where (without a rule: the first whose data are all reported),
 * checked by the service as typed.
 */
export function editIndicator(m, index) {
  const ind = m.content.indicators[index];
  const box = alertBox();
  const out = h('div.formula-check', { role: 'status', 'aria-live': 'polite' });
  const path = `indicators[${index}]`;
  const main = formulaFields(path, ind);
  const alternatives = (ind.alternatives ?? []).map((a, k) => ({
    a,
    fields: formulaFields(`${path}.alternatives[${k}]`, a, `${a.nameZh}：`),
  }));
  const methods = [ind.method, ...(ind.alternatives ?? [])].filter(Boolean);
  const rulesHost = h('div.stack');
  const ruleRow = (r = {}) => {
    const row = h(
      'div.inline.rule-row',
      field(
        '方法',
        h(
          'select',
          { name: 'rule-method', 'aria-label': '规则的方法' },
          methods.map((x) =>
            h(
              'option',
              { value: x.code, selected: x.code === r.method },
              `${x.nameZh}（${x.code}）`,
            ),
          ),
        ),
      ),
      field('地区代码', input('rule-region', { value: r.region ?? '', placeholder: '空 = 全国' })),
      field('起始年', input('rule-from', { value: r.validFrom ?? '', inputMode: 'numeric' })),
      field('终止年', input('rule-to', { value: r.validTo ?? '', inputMode: 'numeric' })),
      field('依据', input('rule-note', { value: r.note ?? '' })),
      button(
        '删除规则',
        () => {
          row.remove();
          check(edited());
        },
        '.link',
      ),
    );
    rulesHost.append(row);
  };
  (ind.methodRules ?? []).forEach(ruleRow);
  const readRules = () =>
    [...rulesHost.querySelectorAll('.rule-row')].map((row) => {
      const val = (name) => row.querySelector(`[name="${name}"]`).value.trim();
      const year = (name) => (val(name) ? Number(val(name)) : null);
      return {
        method: val('rule-method'),
        region: val('rule-region') || null,
        validFrom: year('rule-from'),
        validTo: year('rule-to'),
        ...(val('rule-note') ? { note: val('rule-note') } : {}),
      };
    });
  const edited = () => {
    const content = structuredClone(m.content);
    const target = main.read(content.indicators[index]);
    if (alternatives.length) {
      target.alternatives = alternatives.map(({ fields }, k) =>
        fields.read(target.alternatives[k]),
      );
      const rules = readRules();
      if (rules.length) target.methodRules = rules;
      else delete target.methodRules;
    }
    content.indicators[index] = target;
    return content;
  };
  const check = liveCheck(m, path, out);
  const form = h(
    'form.stack',
    {
      on: {
        input: () => check(edited()),
        change: () => check(edited()),
        submit: (e) => e.preventDefault(),
      },
    },
    ...(alternatives.length
      ? [h('h4', `主方法：${ind.method?.nameZh ?? ''}`), ...main.nodes]
      : main.nodes),
    ...alternatives.flatMap(({ a, fields }, k) => [
      h('h4', `可选方法 ${k + 1}：${a.nameZh}（${a.code}）`),
      ...fields.nodes,
    ]),
    alternatives.length
      ? h(
          'fieldset',
          h('legend', '方法选用规则'),
          h(
            'p.muted',
            '规则指定某地区（及其下级）在某些年份必须采用的方法，最具体的地区优先；没有规则时按上面的顺序采用数据齐全的第一种方法。',
          ),
          rulesHost,
          button(
            '添加规则',
            () => {
              ruleRow();
              check(edited());
            },
            '.link',
          ),
        )
      : null,
    out,
    box,
  );
  editorDialog(m, `编辑指标：${ind.nameZh}（${ind.code}）`, form, box, edited);
  check(edited());
}

/** 区域外扣减: whether a run may be published only after the out-of-region deduction. */
export function deductionToggle(m) {
  const on = Boolean(m.content.requireOutOfRegionDeduction);
  // requiring it needs a deduction line to require (an out_of_region service)
  const possible = on || m.content.services.some((s) => s.category === 'out_of_region');
  if (!editable(m) || !possible) return null;
  const box = alertBox();
  return h(
    'div',
    box,
    action(
      on ? '取消“发布前必须扣减”' : '设为“发布前必须扣减区域外生态产品”',
      async () => {
        const content = structuredClone(m.content);
        if (on) delete content.requireOutOfRegionDeduction;
        else content.requireOutOfRegionDeduction = true;
        if (await save(m, content, box)) await reopen(m.id);
      },
      box,
    ),
  );
}

/**
 * 编辑参数取值: each value's number (one per item when the parameter is by category), where and
 * when it applies (region, years), range, source, evidence and price year; values can be added
 * (a county's own price, a new period) and removed.
 */
export async function editParameter(m, index) {
  const p = m.content.parameters[index];
  const [known, inScope] = await Promise.all([regionIndex(), regionOptions('township')]);
  const where = (code) => (code ? regionLabel(known, code) : '全国通用');
  const box = alertBox();
  const items = p.index ? (m.content.indexSets.find((x) => x.code === p.index)?.items ?? []) : [];
  const text = (x) => (x === null || x === undefined ? '' : String(x));
  const orNumber = (x) => (x.trim() ? Number(x) : null);
  /** The values as shown, read back from the fields before the list is drawn again. */
  let values = structuredClone(p.values);
  let rows = [];
  const list = h('div.stack');
  const read = () =>
    rows.map((r) => ({
      ...r.v,
      value: p.index
        ? Object.fromEntries(
            r.items.map(([code, x]) => [code, x.value.trim()]).filter(([, x]) => x !== ''),
          )
        : r.value.value.trim(),
      region: r.region.value.trim() || null,
      validFrom: orNumber(r.validFrom.value),
      validTo: orNumber(r.validTo.value),
      low: r.low.value.trim() || null,
      high: r.high.value.trim() || null,
      priceYear: orNumber(r.priceYear.value),
      source: r.source.value,
      evidence: r.evidence.value,
    }));
  const draw = () => {
    rows = values.map((v, i) => {
      const base = `content.parameters[${index}].values[${i}]`;
      const number = (key, label, value, mode = 'decimal') =>
        input(`${base}.${key}`, {
          value: text(value),
          inputMode: mode,
          'aria-label': `${label} ${i + 1}`,
        });
      const r = {
        v,
        value: p.index ? null : number('value', '取值', v.value),
        items: p.index
          ? items.map((it) => [
              it.code,
              input(`${base}.value.${it.code}`, {
                value: text(v.value?.[it.code]),
                inputMode: 'decimal',
                'aria-label': `${it.name} ${i + 1}`,
              }),
            ])
          : [],
        region: select(
          `${base}.region`,
          [
            ['', '全国通用（未指定地区）'],
            ...(v.region && !inScope.some(([code]) => code === v.region)
              ? [[v.region, where(v.region)]]
              : []),
            ...inScope,
          ],
          { value: text(v.region), 'aria-label': `适用地区 ${i + 1}` },
        ),
        validFrom: number('validFrom', '起始年', v.validFrom, 'numeric'),
        validTo: number('validTo', '截止年', v.validTo, 'numeric'),
        low: number('low', '下限', v.low),
        high: number('high', '上限', v.high),
        priceYear: number('priceYear', '价格年', v.priceYear, 'numeric'),
        source: h('textarea', {
          name: `${base}.source`,
          rows: 2,
          value: v.source ?? '',
          dataset: { path: `${base}.source` },
          'aria-label': `来源 ${i + 1}`,
        }),
        evidence: h(
          'select',
          {
            name: `${base}.evidence`,
            dataset: { path: `${base}.evidence` },
            'aria-label': `依据类型 ${i + 1}`,
          },
          Object.entries(EVIDENCE).map(([code, label]) =>
            h('option', { value: code, selected: code === v.evidence }, label),
          ),
        ),
      };
      r.fieldset = h(
        'fieldset',
        h(
          'legend',
          `取值 ${i + 1}（${where(v.region)}）${v.validFrom || v.validTo ? ` · ${v.validFrom ?? ''}–${v.validTo ?? ''} 年` : ''}`,
        ),
        p.index
          ? h(
              'div.inline',
              r.items.map(([code, x]) =>
                field(`${items.find((it) => it.code === code).name}（${p.unit}）`, x),
              ),
            )
          : field(`取值（${p.unit}）`, r.value),
        h(
          'div.inline',
          field('适用地区', r.region),
          field('起始年', r.validFrom),
          field('截止年', r.validTo),
        ),
        h('div.inline', field('下限', r.low), field('上限', r.high), field('价格年', r.priceYear)),
        field('来源', r.source),
        field('依据类型', r.evidence),
        values.length > 1
          ? button(
              `删除取值 ${i + 1}`,
              () => {
                values = read().filter((_, j) => j !== i);
                draw();
                check(edited());
              },
              '.link',
            )
          : null,
      );
      return r;
    });
    list.replaceChildren(...rows.map((r) => r.fieldset));
  };
  const edited = () => {
    const content = structuredClone(m.content);
    content.parameters[index].values = read();
    return content;
  };
  const out = h('div.formula-check', { role: 'status', 'aria-live': 'polite' });
  const check = liveCheck(m, `parameters[${index}]`, out);
  draw();
  const form = h(
    'form.stack',
    {
      on: {
        input: () => check(edited()),
        change: () => check(edited()),
        submit: (e) => e.preventDefault(),
      },
    },
    h(
      'p.muted',
      '同一参数可按地区和年份给出不同取值：核算时取适用于该地区（最具体的一级）和核算年份的取值。',
    ),
    list,
    button('新增取值', () => {
      values = read();
      const last = values.at(-1) ?? {};
      values.push({
        value: p.index ? {} : '',
        region: null,
        validFrom: null,
        validTo: null,
        low: null,
        high: null,
        priceYear: last.priceYear ?? null,
        source: '',
        evidence: 'unconfirmed',
      });
      draw();
      check(edited());
      rows.at(-1).fieldset.querySelector('input')?.focus();
    }),
    out,
    box,
  );
  editorDialog(m, `编辑参数：${p.nameZh}（${p.code}）`, form, box, edited);
}

const VALUATION = {
  market_value: '市场价值法',
  replacement_cost: '替代成本法',
  shadow_project: '影子工程法',
  avoided_cost: '防护成本法（避免损失）',
  travel_cost: '旅行费用法',
  hedonic: '享乐价格法',
  contingent_valuation: '条件价值法',
  equivalent_factor: '当量因子法',
};
const RULE_KIND = {
  range: '取值范围',
  required: '必填',
  yoy_change: '同比变化',
  parts_sum: '分项之和等于总数',
  compare: '两项比较',
};

/**
 * A form for one new element of the content (an indicator, parameter, variable or validation
 * rule): `fields` [{key, label, options?: [[value, text]…], hint?, rows?, checkbox?}], `make(v)`
 * builds it from the field values (strings; booleans for checkboxes), `place(content, item)`
 * adds it and returns its path (e.g. `indicators[24]`), whose problems the service shows as typed.
 */
function addDialog(m, title, fields, make, place) {
  const box = alertBox();
  const out = h('div.formula-check', { role: 'status', 'aria-live': 'polite' });
  const controls = new Map(
    fields.map((f) => [
      f.key,
      f.options
        ? h(
            'select',
            { name: f.key },
            f.options.map(([value, text]) =>
              h('option', { value, selected: value === f.value }, text),
            ),
          )
        : f.checkbox
          ? h('input', { type: 'checkbox', name: f.key, checked: f.value ?? true })
          : f.rows
            ? h('textarea', { name: f.key, rows: f.rows, value: f.value ?? '' })
            : input(f.key, { value: f.value ?? '', placeholder: f.placeholder ?? '' }),
    ]),
  );
  const values = () =>
    Object.fromEntries(
      [...controls].map(([k, c]) => [k, c.type === 'checkbox' ? c.checked : c.value.trim()]),
    );
  let path = '';
  const edited = () => {
    const content = structuredClone(m.content);
    path = place(content, make(values()));
    return content;
  };
  edited();
  const check = liveCheck(m, path, out);
  const form = h(
    'form.stack',
    {
      on: {
        input: () => check(edited()),
        change: () => check(edited()),
        submit: (e) => e.preventDefault(),
      },
    },
    fields.map((f) => field(f.label, controls.get(f.key), f.hint)),
    out,
    box,
  );
  editorDialog(m, title, form, box, edited);
  check(edited());
}

/**
 * Puts an edited element back where it was, over what it had (fields the dialog does not show are
 * kept; a field emptied in the dialog is removed).
 */
const replaceAt = (list, index) => (content, item) => {
  const merged = { ...content[list][index], ...item };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  content[list][index] = merged;
  return `${list}[${index}]`;
};

const push = (list) => (content, item) => {
  content[list] = [...(content[list] ?? []), item];
  return `${list}[${content[list].length - 1}]`;
};
const orNull = (x) => (x === '' ? null : x);

/** 新增指标: code, names, service, formulas with units, valuation method, citation, counted. */
export function addIndicator(m) {
  const c = m.content;
  addDialog(
    m,
    '新增指标',
    [
      { key: 'code', label: '代码', placeholder: '英文字母开头，如 noise_reduction' },
      { key: 'nameZh', label: '中文名称' },
      { key: 'nameEn', label: '英文名称' },
      {
        key: 'service',
        label: '生态系统服务',
        options: c.services.map((s) => [s.code, `${s.nameZh}（${s.code}）`]),
      },
      {
        key: 'quantityFormula',
        label: '实物量公式（无实物量时留空）',
        rows: 2,
        hint: '用本方法的变量、参数和其他指标的代码',
      },
      { key: 'quantityUnit', label: '实物量单位', placeholder: '如 t、m³、hm²' },
      { key: 'valueFormula', label: '价值量公式', rows: 2, hint: '用 Q 表示本指标的实物量' },
      { key: 'valueUnit', label: '价值量单位', value: '元' },
      { key: 'valuationMethod', label: '定价方法', options: Object.entries(VALUATION) },
      { key: 'citation', label: '出处' },
      {
        key: 'evidence',
        label: '依据类型',
        options: Object.entries(EVIDENCE),
        value: 'unconfirmed',
      },
      { key: 'counted', label: '计入 GEP', checkbox: true },
    ],
    (v) => ({
      code: v.code,
      service: v.service,
      nameZh: v.nameZh,
      nameEn: v.nameEn,
      quantity: v.quantityFormula ? { formula: v.quantityFormula, unit: v.quantityUnit } : null,
      value: { formula: v.valueFormula, unit: v.valueUnit },
      valuationMethod: v.valuationMethod,
      citation: v.citation,
      evidence: v.evidence,
      counted: v.counted,
    }),
    push('indicators'),
  );
}

/** 新增参数: a price or coefficient with its first value and source. */
export function addParameter(m) {
  addDialog(
    m,
    '新增参数',
    [
      { key: 'code', label: '代码', placeholder: '如 noise_price' },
      { key: 'nameZh', label: '中文名称' },
      { key: 'unit', label: '单位', placeholder: '如 元/t、1' },
      { key: 'value', label: '取值', placeholder: '十进制数' },
      { key: 'low', label: '下限（可空）' },
      { key: 'high', label: '上限（可空）' },
      { key: 'priceYear', label: '价格年（可空）' },
      { key: 'source', label: '来源', rows: 2 },
      {
        key: 'evidence',
        label: '依据类型',
        options: Object.entries(EVIDENCE),
        value: 'unconfirmed',
      },
    ],
    (v) => ({
      code: v.code,
      nameZh: v.nameZh,
      unit: v.unit,
      values: [
        {
          value: v.value,
          low: orNull(v.low),
          high: orNull(v.high),
          priceYear: v.priceYear ? Number(v.priceYear) : null,
          source: v.source,
          evidence: v.evidence,
          region: null,
        },
      ],
    }),
    push('parameters'),
  );
}

/** Lines 「code 名称」 (or 「code，名称」) as index items; a line without a name keeps its code. */
const itemsOf = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(\S+?)[\s,，、:：]+(.+)$/.exec(l);
      return m ? { code: m[1], name: m[2].trim() } : { code: l, name: '' };
    });

/**
 * 新增或编辑分项（指标集）: the items a variable, parameter or indicator is broken down by (ecosystem
 * types, pollutants, water uses…), one 「code 名称」 per line; whether quantities over them add up.
 */
export function indexSetDialog(m, index) {
  const set = index === undefined ? null : m.content.indexSets[index];
  addDialog(
    m,
    set ? `编辑分项：${set.name}（${set.code}）` : '新增分项',
    [
      { key: 'code', label: '代码', placeholder: '如 pollutant', value: set?.code },
      { key: 'name', label: '名称', placeholder: '如 污染物', value: set?.name },
      {
        key: 'items',
        label: '分项（每行一项：代码 名称）',
        rows: 6,
        value: set?.items.map((it) => `${it.code} ${it.name}`).join('\n'),
        hint: '如：so2 二氧化硫',
      },
      {
        key: 'quantityAdditive',
        label: '各项实物量可以相加（不同物质时取消勾选）',
        checkbox: true,
        value: set ? set.quantityAdditive !== false : true,
      },
    ],
    (v) => ({
      code: v.code,
      name: v.name,
      items: itemsOf(v.items),
      ...(v.quantityAdditive ? {} : { quantityAdditive: false }),
    }),
    set
      ? (content, item) => {
          content.indexSets[index] = item;
          return `indexSets[${index}]`;
        }
      : push('indexSets'),
  );
}

/** 新增或编辑调查变量 (without `index`, a new one): what a department reports, in which unit. */
export function variableDialog(m, index) {
  const sets = m.content.indexSets ?? [];
  const x = index === undefined ? {} : m.content.variables[index];
  addDialog(
    m,
    index === undefined ? '新增调查变量' : `编辑调查变量：${x.nameZh}（${x.code}）`,
    [
      { key: 'code', label: '代码', placeholder: '如 noise_area', value: x.code },
      { key: 'nameZh', label: '中文名称', value: x.nameZh },
      { key: 'unit', label: '单位', placeholder: '如 hm²、万t、人次', value: x.unit },
      {
        key: 'department',
        label: '填报部门',
        placeholder: '如 统计局、林业局',
        value: x.department,
      },
      {
        key: 'index',
        label: '分项',
        options: [['', '不分项'], ...sets.map((s) => [s.code, `按${s.name}（${s.code}）`])],
        value: x.index ?? '',
      },
      {
        key: 'nonNegative',
        label: '不能为负',
        checkbox: true,
        value: index === undefined ? true : x.nonNegative === true,
      },
      { key: 'description', label: '说明', rows: 2, value: x.description },
    ],
    (v) => ({
      code: v.code,
      nameZh: v.nameZh,
      unit: v.unit,
      department: v.department || undefined,
      index: orNull(v.index),
      nonNegative: v.nonNegative,
      description: v.description || undefined,
    }),
    index === undefined ? push('variables') : replaceAt('variables', index),
  );
}

/**
 * 新增或编辑校验规则 (without `index`, a new one): a check run when a form is submitted (error
 * blocks, warning needs a reason).
 */
export function ruleDialog(m, index) {
  const variables = m.content.variables.map((x) => [x.code, `${x.nameZh}（${x.code}）`]);
  const r = index === undefined ? {} : m.content.validationRules[index];
  addDialog(
    m,
    index === undefined ? '新增校验规则' : `编辑校验规则：${r.code}`,
    [
      { key: 'code', label: '代码', placeholder: '如 forest_area_range', value: r.code },
      { key: 'kind', label: '类型', options: Object.entries(RULE_KIND), value: r.kind },
      {
        key: 'severity',
        label: '级别',
        options: [
          ['error', '错误（不能提交）'],
          ['warning', '警告（须写明理由）'],
        ],
        value: r.severity,
      },
      { key: 'variable', label: '变量', options: variables, value: r.variable },
      { key: 'min', label: '最小值（取值范围）', value: r.min },
      { key: 'max', label: '最大值（取值范围）', value: r.max },
      { key: 'maxChangePercent', label: '最大同比变化 %（同比变化）', value: r.maxChangePercent },
      {
        key: 'parts',
        label: '分项变量（分项之和，用逗号分隔代码）',
        value: r.parts?.join('，'),
      },
      {
        key: 'op',
        label: '比较（两项比较）',
        options: ['<=', '<', '>=', '>', '=='].map((x) => [x, x]),
        value: r.op,
      },
      {
        key: 'other',
        label: '比较对象变量（两项比较）',
        options: [['', '—'], ...variables],
        value: r.other ?? '',
      },
      { key: 'message', label: '提示文字（可空）', value: r.message },
    ],
    (v) => ({
      code: v.code,
      kind: v.kind,
      severity: v.severity,
      variable: v.variable,
      // the fields of the other kinds are dropped (the rule is rewritten whole)
      min: undefined,
      max: undefined,
      maxChangePercent: undefined,
      parts: undefined,
      op: undefined,
      other: undefined,
      ...(v.kind === 'range' ? { min: orNull(v.min), max: orNull(v.max) } : {}),
      ...(v.kind === 'yoy_change' ? { maxChangePercent: v.maxChangePercent } : {}),
      ...(v.kind === 'parts_sum' ? { parts: v.parts.split(/[\s,，、]+/).filter(Boolean) } : {}),
      ...(v.kind === 'compare' ? { op: v.op, other: v.other } : {}),
      message: v.message || undefined,
    }),
    index === undefined ? push('validationRules') : replaceAt('validationRules', index),
  );
}

/**
 * The 修改 column of a draft's list `list` (编辑 opens `edit(m, index)`, 删除 asks to remove the
 * element `label(x)` names); none when the methodology cannot be edited. Spread into the columns.
 */
export function editColumn(m, list, edit, label) {
  if (!editable(m)) return [];
  const at = (x) => m.content[list].indexOf(x);
  return [
    {
      label: '修改',
      value: (x) =>
        h(
          'span',
          button('编辑', () => edit(m, at(x)), '.link'),
          button('删除', () => removeFrom(m, list, at(x), label(x)), '.link'),
        ),
    },
  ];
}

/** 删除: removes one element of the draft (the service refuses what others still use). */
export async function removeFrom(m, list, index, label) {
  if (!confirm(`从草稿中删除${label}？`)) return;
  const content = structuredClone(m.content);
  content[list] = content[list].filter((_, i) => i !== index);
  try {
    await patch(`/methodologies/${m.id}`, { content, revision: m.revision });
  } catch (e) {
    // e.g. 「公式使用了未定义的名称 …」: what still uses it, named by the service
    toast(`未删除：${e.errors?.[0]?.message ?? e.readable ?? String(e)}`, 'error');
    return;
  }
  toast('已删除');
  await reopen(m.id);
}
