// Statistician and reviewer pages: forms, value entry with checks, xlsx round trip, history,
// review queue.

import { api, download, get, post, put, session } from '../api.js';
import {
  action,
  alertBox,
  badge,
  button,
  date,
  dialog,
  field,
  FORM_STATUS,
  h,
  input,
  kv,
  link,
  mount,
  paged,
  progressBar,
  section,
  select,
  showError,
  table,
  toast,
  toastWhenDrawn,
} from '../ui.js';
import {
  emptyOption,
  heading,
  methodology,
  publishedMethodologies,
  regionIndex,
  regionLabel,
  regionOptions,
  yearOptions,
  query,
  searchForm,
  standardSelect,
  yearInput,
  knowNames,
  uploadJob,
  byAt,
} from './common.js';

const EDITABLE = ['draft', 'returned'];

/** A check names the methodology's rule and its (Chinese) message last: show that first. */
/** A check's message: the rule's own words first, the figures after (「…（校核规则 code：words）」). */
function ruleText(message) {
  const m =
    /^(.*)（校核规则 [\w-]+：(.+)）\s*$/s.exec(message) ??
    /^(.*)\(rule [\w-]+: (.+)\)\s*$/s.exec(message);
  return m ? { zh: m[2], detail: m[1].trim() } : { zh: message, detail: '' };
}

/** The explanations the statistician gave with the last submission, by rule. */
async function submittedExplanations(formId) {
  const entries = await get(`/survey/forms/${formId}/history`);
  const submit = [...entries].reverse().find((e) => e.action === 'survey_form.submit');
  return new Map(
    (submit?.after?.warnings ?? [])
      .filter((w) => w.explanation)
      .map((w) => [w.rule, w.explanation]),
  );
}

function formsTable(index, items) {
  return table(
    [
      { label: '地区', value: (f) => regionLabel(index, f.regionCode) },
      { label: '填报部门', value: (f) => f.department },
      { label: '年份', value: (f) => String(f.year) },
      { label: '状态', value: (f) => badge(f.status, FORM_STATUS) },
      { label: '更新时间', value: (f) => date(f.updatedAt) },
      {
        label: '',
        value: (f) =>
          link(
            `#/forms/${f.id}`,
            session.has('statistician') && EDITABLE.includes(f.status) ? '填报' : '查看',
          ),
      },
    ],
    items,
    { caption: '报表（地区 × 年份 × 部门）' },
  );
}

export async function formsPage() {
  const q = query();
  const index = await regionIndex();
  const filters = searchForm(
    '#/forms',
    [
      field('年份', select('year', [emptyOption(), ...yearOptions()], { value: q.year ?? '' })),
      field(
        '状态',
        select('status', [emptyOption(), ...Object.entries(FORM_STATUS)], {
          value: q.status ?? '',
        }),
      ),
      field(
        '地区',
        select('regionCode', [emptyOption(), ...(await regionOptions())], {
          value: q.regionCode ?? '',
        }),
      ),
      field('部门', input('department', { value: q.department ?? '', placeholder: '如 林业局' })),
    ],
    '筛选',
  );
  const list = paged(
    (page) => get('/survey/forms', { ...q, page, pageSize: 20 }),
    (items) => formsTable(index, items),
  );
  mount(
    heading('调查报表'),
    session.has('statistician') ? await newFormCard() : null,
    session.has('statistician') ? await openYearCard() : null,
    session.has('statistician') ? importCard() : null,
    section('查询', filters),
    list,
  );
}

async function newFormCard() {
  const box = alertBox();
  const methodologies = await publishedMethodologies();
  const standard = await standardSelect(methodologies);
  const department = select('department', []);
  const fillDepartments = async () => {
    const m = methodologies.find((x) => x.standardId === standard.value);
    const full = m ? await methodology(m.id) : null;
    const departments = [
      ...new Set((full?.content.variables ?? []).map((v) => v.department).filter(Boolean)),
    ];
    department.replaceChildren(...departments.map((d) => h('option', { value: d }, d)));
  };
  standard.addEventListener('change', () => void fillDepartments());
  await fillDepartments();
  const region = select('regionCode', await regionOptions());
  const year = yearInput();
  const form = h(
    'form.inline',
    box,
    field('核算方法', standard),
    field('填报部门', department),
    field('地区', region),
    field('年份', year),
  );
  form.append(
    action(
      '新建报表',
      async () => {
        const created = await post('/survey/forms', {
          standardId: standard.value,
          department: department.value,
          regionCode: region.value,
          year: Number(year.value),
        });
        toast('报表已创建');
        location.hash = `#/forms/${created.id}`;
      },
      box,
      form,
      '.primary',
    ),
  );
  return section('新建报表', form);
}

/** The year's forms for every township and reporting department of a county, in one step. */
async function openYearCard() {
  const box = alertBox();
  const methodologies = await publishedMethodologies();
  const standard = await standardSelect(methodologies);
  const region = select('regionCode', await regionOptions());
  const year = yearInput();
  const form = h(
    'form.inline',
    box,
    field('核算方法', standard),
    field('县或乡镇', region),
    field('年份', year),
  );
  form.append(
    action(
      '开启全年报表',
      async () => {
        const r = await post('/survey/forms/open-year', {
          standardId: standard.value,
          regionCode: region.value,
          year: Number(year.value),
        });
        toast(
          `已开启 ${r.created} 张报表（${r.regions.length} 个乡镇 × ${r.departments.length} 个部门${r.existing ? `，另有 ${r.existing} 张原已存在` : ''}）`,
        );
        location.hash = `#/forms?year=${year.value}`;
      },
      box,
      form,
    ),
  );
  return section('按年开启报表（所有乡镇 × 所有填报部门）', form);
}

export async function reviewQueue() {
  const index = await regionIndex();
  mount(
    heading('审核队列'),
    h('p.muted', '已提交、等待审核的报表。打开报表后可审核通过或退回。'),
    paged(
      (page) => get('/survey/forms', { status: 'submitted', page, pageSize: 20 }),
      (items) => formsTable(index, items),
    ),
  );
}

/** One row of the entry table: a variable, or one item of an indexed variable. */
function entryRows(variables, values) {
  const saved = new Map(values.map((v) => [`${v.variable}|${v.item ?? ''}`, v]));
  return variables.flatMap((v) =>
    (v.items?.length ? v.items : [null]).map((item) => ({
      variable: v,
      item,
      saved: saved.get(`${v.code}|${item?.code ?? ''}`) ?? null,
    })),
  );
}

export async function formPage(id) {
  const { form, variables, values } = await get(`/survey/forms/${id}`);
  await knowNames([form.submittedBy, form.reviewedBy]);
  const index = await regionIndex();
  const box = alertBox();
  const editable = session.has('statistician') && EDITABLE.includes(form.status);
  const rows = entryRows(variables, values);

  const entry = h('form.entry', { noValidate: true });
  const inputs = rows.map((r) => {
    const value = input('value', {
      value: r.saved?.value ?? '',
      inputMode: 'decimal',
      readOnly: !editable,
      'aria-label': `${r.variable.nameZh}${r.item ? ` ${r.item.name}` : ''}（${r.variable.unit}）`,
      autocomplete: 'off',
    });
    const source = input('source', {
      value: r.saved?.source ?? '',
      readOnly: !editable,
      'aria-label': `${r.variable.nameZh}${r.item ? ` ${r.item.name}` : ''} 数据来源`,
    });
    return { ...r, value, source };
  });
  entry.append(
    table(
      [
        {
          label: '指标',
          value: (r) => h('span', r.variable.nameZh, h('small.code', r.variable.code)),
        },
        { label: '分项', value: (r) => r.item?.name ?? '' },
        { label: '数值', value: (r) => h('div.field.value-cell', r.value), num: true },
        { label: '单位', value: (r) => r.variable.unit },
        { label: '数据来源', value: (r) => h('div.field', r.source) },
        { label: '', value: (r) => button('历史', () => void valueHistory(form.id, r)) },
      ],
      inputs,
      { caption: '填报数值（留空表示未报送，不按零计）' },
    ),
  );

  const checksHost = h('div');
  const explanations = new Map();
  const loadChecks = async () => {
    const checks = await get(`/survey/forms/${id}/checks`);
    // the reviewer reads what the statistician wrote for each warning
    const given = editable ? new Map() : await submittedExplanations(id);
    checksHost.replaceChildren(
      checks.length
        ? h(
            'ul.checks',
            checks.map((c) => {
              const li = h(
                `li.check.${c.severity}`,
                { dataset: { path: `rules.${c.rule}` } },
                h('strong', c.severity === 'error' ? '错误' : '警告'),
                ` ${ruleText(c.message).zh}`,
                ruleText(c.message).detail ? h('small.detail', ruleText(c.message).detail) : null,
                h('small.code', c.rule),
                given.has(c.rule)
                  ? h('p.explanation', h('strong', '填报人的情况说明：'), given.get(c.rule))
                  : null,
              );
              if (c.severity === 'warning' && editable) {
                const t = h('textarea', {
                  name: `explanations.${c.rule}`,
                  dataset: { path: `explanations.${c.rule}` },
                  rows: 2,
                  value: explanations.get(c.rule) ?? '',
                });
                t.addEventListener('input', () => explanations.set(c.rule, t.value));
                li.append(field('情况说明（提交时必填）', t));
              }
              return li;
            }),
          )
        : h('p.ok', '校验通过：没有错误或警告。'),
    );
  };

  const save = async (quiet = false) => {
    // Paths in the answer are indexes of what was sent: values[3].value
    for (const r of inputs) {
      r.value.dataset.path = '';
      r.source.dataset.path = '';
    }
    const cleared = inputs.filter((r) => r.saved && r.value.value.trim() === '');
    if (cleared.length) {
      cleared[0].value.focus();
      throw new Error(
        `已报送的数值不能清空（${cleared.map((r) => r.variable.nameZh).join('、')}）；如需更改请填写新数值`,
      );
    }
    const sent = inputs.filter(
      (r) =>
        r.value.value.trim() !== '' &&
        (r.value.value.trim() !== (r.saved?.value ?? '') ||
          r.source.value !== (r.saved?.source ?? '')),
    );
    if (!sent.length) {
      if (!quiet) toast('没有修改');
      return false;
    }
    sent.forEach((r, i) => {
      r.value.dataset.path = `values[${i}].value`;
      r.source.dataset.path = `values[${i}].source`;
      r.value.closest('tr').dataset.path = `values[${i}]`;
    });
    const saved = await put(`/survey/forms/${id}/values`, {
      revision: form.revision,
      values: sent.map((r) => ({
        variable: r.variable.code,
        ...(r.item ? { item: r.item.code } : {}),
        value: r.value.value.trim(),
        ...(r.source.value.trim() ? { source: r.source.value.trim() } : {}),
      })),
    });
    form.revision = saved.revision;
    for (const r of sent)
      r.saved = { value: r.value.value.trim(), source: r.source.value.trim() || null };
    entry.querySelectorAll('.field-error').forEach((e) => e.remove());
    entry.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    toast(`已保存 ${sent.length} 个数值`);
    await loadChecks();
    return true;
  };

  // Where the answer's fields are looked for: the checks (explanations) and the entry table.
  const scope = h('div', section('数据校验', checksHost), section('填报', entry));
  const actions = h('div.actions');
  const wrapError = (work) => async () => {
    try {
      await work();
    } catch (e) {
      if (e.errors) throw e;
      box.show(e.message);
    }
  };
  if (editable) {
    actions.append(
      action('保存', wrapError(save), box, entry, '.primary'),
      action(
        '提交审核',
        wrapError(async () => {
          await save(true);
          const text = Object.fromEntries([...explanations].filter(([, v]) => v.trim()));
          await post(`/survey/forms/${id}/submit`, {
            revision: form.revision,
            ...(Object.keys(text).length ? { explanations: text } : {}),
          });
          await toastWhenDrawn(formPage(id), '报表已提交审核');
        }),
        box,
        scope,
      ),
      action(
        '下载 Excel 模板',
        () =>
          download(
            `/survey/forms/${id}/template`,
            `报表-${form.department.replace(/\//g, '-')}-${form.regionCode}-${form.year}.xlsx`,
          ),
        box,
      ),
      uploadControl(id, box),
    );
  }
  if (session.has('reviewer') && form.status === 'submitted')
    actions.append(reviewControls(form, box));
  if (session.has('statistician') && form.status === 'approved')
    actions.append(correctControl(form, box));

  mount(
    heading(
      `${form.department} · ${regionLabel(index, form.regionCode)} · ${form.year} 年`,
      link('#/forms', '返回报表列表'),
    ),
    kv([
      ['状态', badge(form.status, FORM_STATUS)],
      ['核算方法', form.standardId],
      ['版本号', String(form.revision)],
      ['提交', form.submittedAt ? byAt(form.submittedBy, form.submittedAt) : '—'],
      ['审核', form.reviewedAt ? byAt(form.reviewedBy, form.reviewedAt) : '—'],
      form.comment ? ['审核意见', h('strong', form.comment)] : null,
      form.corrections ? ['更正次数', String(form.corrections)] : null,
    ]),
    box,
    actions,
    scope,
    section('报表历史', h('div', await historyTable(id))),
  );
  await loadChecks();
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Many forms at once: a CSV or xlsx with the columns standard_id, department, region_code, year,
 * variable, item, value, unit, source, note, loaded in the background with progress; all or
 * nothing, every problem listed by its line or cell.
 */
function importCard() {
  const box = alertBox();
  const file = h('input', {
    type: 'file',
    accept: `.csv,.xlsx,text/csv,${XLSX_TYPE}`,
    id: 'bulk-import',
  });
  const label = h('label.button', { htmlFor: file.id }, '选择 CSV 或 xlsx 文件并导入');
  const progress = progressBar('导入进度');
  progress.hidden = true;
  const results = h('div.upload-result');
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    box.clear();
    try {
      const done = await uploadJob('/survey/imports', f, {
        contentType: /\.xlsx$/i.test(f.name) ? XLSX_TYPE : 'text/csv',
        progress,
        problems: results,
        phases: IMPORT_PHASE,
        problemLabel: '问题（含所在行或单元格）',
        refused: '以下问题导致文件未导入（没有保存任何数值）',
      });
      const r = done.result ?? {};
      results.replaceChildren(
        h(
          'p.ok',
          `${f.name} 已导入：${r.rows} 行，涉及 ${r.forms} 张报表（新开 ${r.formsCreated} 张），更新 ${r.valuesChanged} 个数值`,
        ),
      );
      toast(`${f.name} 已导入`);
    } catch (e) {
      showError(e, box);
    } finally {
      file.value = '';
    }
  });
  return section(
    '整批导入（多张报表）',
    h(
      'p.muted',
      '列：standard_id 核算标准、department 填报部门、region_code 区划代码、year 年度、variable 变量、item 分项、value 数值、unit 单位、source 来源、note 备注。缺少的报表自动开启为草稿；有任何错误则整个文件不导入，并列出每个错误所在的行或单元格；同一文件导入两次不会重复。',
    ),
    box,
    h('span.upload', file, label),
    progress,
    results,
  );
}

const IMPORT_PHASE = {
  queued: '排队中',
  waiting: '等待另一次导入完成',
  reading: '读取文件',
  checking: '校验',
  writing: '写入',
};

function uploadControl(id, box) {
  const file = h('input', {
    type: 'file',
    accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    id: `upload-${id}`,
  });
  const label = h('label.button', { htmlFor: file.id }, '上传填好的模板');
  const results = h('div.upload-result');
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    box.clear();
    results.replaceChildren(h('p.muted', `正在上传 ${f.name}……`));
    try {
      await api('PUT', `/survey/forms/${id}/upload`, {
        body: f,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      });
      await toastWhenDrawn(formPage(id), `${f.name} 已导入`);
    } catch (e) {
      showError(e, box);
      results.replaceChildren(
        e.errors?.length
          ? table(
              [
                { label: '位置', value: (p) => p.path || '文件' },
                { label: '问题', value: (p) => p.message },
              ],
              e.errors,
              { caption: `${f.name}：以下问题导致文件未导入（没有保存任何数值）` },
            )
          : '',
      );
    } finally {
      file.value = '';
    }
  });
  return h('span.upload', file, label, results);
}

function reviewControls(form, box) {
  const comment = h('textarea', { name: 'comment', dataset: { path: 'comment' }, rows: 2 });
  const wrap = h('div.review');
  wrap.append(
    action(
      '审核通过',
      async () => {
        await post(`/survey/forms/${form.id}/approve`, { revision: form.revision });
        toast('已审核通过');
        location.hash = '#/review';
      },
      box,
      wrap,
      '.primary',
    ),
    field('退回意见', comment),
    action(
      '退回修改',
      async () => {
        if (!comment.value.trim()) {
          comment.setAttribute('aria-invalid', 'true');
          comment.focus();
          box.show('退回时必须填写退回意见');
          return;
        }
        await post(`/survey/forms/${form.id}/return`, {
          revision: form.revision,
          comment: comment.value.trim(),
        });
        toast('已退回');
        location.hash = '#/review';
      },
      box,
      wrap,
    ),
  );
  return wrap;
}

function correctControl(form, box) {
  const reason = h('textarea', { name: 'reason', dataset: { path: 'reason' }, rows: 2 });
  const wrap = h('div.review');
  wrap.append(
    field('更正原因（审核后发现错误时，重新打开报表）', reason),
    action(
      '申请更正',
      async () => {
        if (!reason.value.trim()) {
          reason.focus();
          box.show('请填写更正原因');
          return;
        }
        await post(`/survey/forms/${form.id}/correct`, {
          revision: form.revision,
          reason: reason.value.trim(),
        });
        await toastWhenDrawn(formPage(form.id), '报表已重新打开，可修改后再次提交');
      },
      box,
      wrap,
    ),
  );
  return wrap;
}

const ACTION = {
  'survey_form.create': '创建',
  'survey_form.save_values': '保存数值',
  'survey_form.submit': '提交',
  'survey_form.approve': '审核通过',
  'survey_form.return': '退回',
  'survey_form.correct': '更正',
};

async function historyTable(id) {
  const entries = await get(`/survey/forms/${id}/history`);
  return table(
    [
      { label: '时间', value: (e) => date(e.at) },
      { label: '操作人', value: (e) => e.actorUsername ?? '—' },
      { label: '操作', value: (e) => ACTION[e.action] ?? e.action },
      {
        label: '内容',
        value: (e) =>
          e.after?.changes
            ? `${e.after.changes.length} 个数值`
            : e.after?.warnings?.some((w) => w.explanation)
              ? h(
                  'ul.plain',
                  e.after.warnings
                    .filter((w) => w.explanation)
                    .map((w) => h('li', `情况说明（${ruleText(w.message).zh}）：${w.explanation}`)),
                )
              : (e.after?.comment ?? e.after?.reason ?? ''),
      },
    ],
    entries,
  );
}

async function valueHistory(formId, row) {
  const entries = await get(`/survey/forms/${formId}/history`);
  const changes = entries.flatMap((e) =>
    (e.after?.changes ?? [])
      .filter(
        (c) => c.variable === row.variable.code && (c.item || null) === (row.item?.code ?? null),
      )
      .map((c) => ({ ...c, at: e.at, who: e.actorUsername, via: e.after?.via })),
  );
  dialog(
    `数值历史：${row.variable.nameZh}${row.item ? ` · ${row.item.name}` : ''}`,
    table(
      [
        { label: '时间', value: (c) => date(c.at) },
        { label: '操作人', value: (c) => c.who ?? '—' },
        {
          label: '原值',
          value: (c) => (c.from ? `${c.from.value} ${c.from.unit ?? ''}` : '（未报送）'),
          num: true,
        },
        {
          label: '新值',
          value: (c) => (c.to ? `${c.to.value} ${c.to.unit ?? ''}` : '—'),
          num: true,
        },
        { label: '来源', value: (c) => c.source ?? c.via ?? '' },
      ],
      changes,
      { empty: '该数值没有修改记录（演示数据为初始导入）。' },
    ),
  );
}
