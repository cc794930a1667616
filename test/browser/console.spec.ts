import DecimalJs from 'decimal.js';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import {
  latinIn,
  latinPhrases,
  launchBrowser,
  openPage,
  shot as screenshot,
  signIn,
} from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * One journey per role through the web console in headless Chromium, against the real service
 * on a port: a statistician fills and submits a form (with a wrong value, a warning to explain
 * and an xlsx round trip), a reviewer approves it, an accountant runs and publishes, finance
 * approves an allocation, an auditor downloads a report. Screenshots go to .data/console-screenshots.
 */
// Wide enough that the reference sums are exact.
const Decimal = DecimalJs.clone({ precision: 200 });

describe('web console (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const tmp = mkdtempSync(join(tmpdir(), 'gep-console-'));
  const faults: string[] = [];
  /** English seen at each screenshot (the console asks for zh-CN). */
  const english: string[] = [];
  const shot = async (page: Page, name: string) => {
    await screenshot(page, name);
    english.push(...(await latinPhrases(page)).map((x) => `${name}: ${x}`));
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page whose faults count for the last test, signed out. */
  async function fresh(): Promise<Page> {
    const p = await openPage(browser, base);
    p.page.on('close', () => faults.push(...p.faults));
    return p.page;
  }

  async function as(username: string): Promise<Page> {
    const page = await fresh();
    await signIn(page, username);
    return page;
  }

  const nav = (page: Page, name: string) =>
    page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name, exact: true })
      .click();

  let formId: string;

  it('a statistician creates a form, is told what is wrong, round-trips the xlsx template and submits', async () => {
    const page = await as('wuyuan.stat');
    await nav(page, '调查报表');
    const create = page.locator('section', {
      has: page.getByRole('heading', { name: '新建报表' }),
    });
    await create.getByLabel('填报部门').selectOption('文旅局');
    await create.getByLabel('地区').selectOption('361130101');
    await create.getByLabel('年份').fill('2023');
    await create.getByRole('button', { name: '新建报表' }).click();
    await page.waitForURL(/#\/forms\/[0-9a-f-]{36}$/);
    formId = /forms\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page
      .getByRole('heading', { level: 1, name: /文旅局 · 清华镇（361130101） · 2023 年/ })
      .waitFor();

    // A value that is not a number: refused, the message sits next to the field.
    const values = page.locator('form.entry input[name=value]');
    const n = await values.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await values.nth(i).fill('12.5');
    const visits = page.getByRole('textbox', { name: '游客人次（万人次）' });
    await visits.fill('abc');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '填写的内容有误' }).waitFor();
    expect(await visits.getAttribute('aria-invalid')).toBe('true');
    const err = page.locator(`#${await visits.getAttribute('aria-describedby')}`);
    expect((await err.textContent())?.length).toBeGreaterThan(0);
    await shot(page, '1-statistician-invalid-value');

    // Fixed; a jump in tourist visits raises a warning that needs an explanation.
    await visits.fill('999999');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('li.check.warning').first().waitFor();
    expect(await saved(formId, 'tourist_visits')).toBe('999999');

    // The xlsx template: a wrong cell is listed by position and nothing is stored; fixed, it loads.
    const file = await downloadTemplate(page);
    const sheet = await sheetOf(file);
    let row = 2;
    while (sheet.getCell(`A${row}`).value === 'tourist_visits') row++;
    const variable = sheet.getCell(`A${row}`).text;
    const item = sheet.getCell(`C${row}`).text || null;
    await upload(page, file, (s) => (s.getCell(`F${row}`).value = 'abc'));
    await page.getByRole('cell', { name: `填报!F${row}` }).waitFor();
    await shot(page, '1-statistician-upload-errors');
    expect(await saved(formId, variable, item)).toBe('12.5');
    // the form is slow to come back after an upload (as on a busy machine): until it is drawn
    // again the page still holds the revision before the upload, and submitting from it would be
    // refused — "imported" is said only once the page is drawn again
    const slowForm = new RegExp(`/survey/forms/${formId}$`);
    await page.route(slowForm, async (route) => {
      if (route.request().method() === 'GET') await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await upload(page, file, (s) => (s.getCell(`F${row}`).value = '7.25'));
    await page
      .getByText(/已导入/)
      .first()
      .waitFor();
    expect(await saved(formId, variable, item)).toBe('7.25');

    // Submitting without the explanation: the message is at the warning's text box.
    await page.getByRole('button', { name: '提交审核' }).click();
    const box = page.locator('li.check.warning textarea');
    await page.locator('li.check.warning .field-error').waitFor();
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    await shot(page, '1-statistician-warning-needs-explanation');
    await box.fill('2023 年起按景区闸机口径统计游客人次');
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.locator('.badge', { hasText: '已提交待审' }).waitFor();
    await page.unroute(slowForm);
    // Submitted: nothing left to type into.
    expect(await page.locator('form.entry input[name=value]:not([readonly])').count()).toBe(0);
    await shot(page, '1-statistician-submitted');
    const { rows } = await t.db.query<{ status: string }>(
      'SELECT status FROM survey_forms WHERE id = $1',
      [formId],
    );
    expect(rows[0].status).toBe('submitted');
    await page.close();
  });

  it("a statistician opens a year's forms for every township and department in one step", async () => {
    const page = await as('wuyuan.stat');
    await nav(page, '调查报表');
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: /按年开启报表/ }),
    });
    await card.getByLabel('县或乡镇').selectOption('361130');
    await card.getByLabel('年份').fill('2030');
    await card.getByRole('button', { name: '开启全年报表' }).click();
    await page.getByText(/已开启 \d+ 张报表（17 个乡镇 × \d+ 个部门）/).waitFor();
    const { rows } = await t.db.query<{ n: number; regions: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT region_code)::int AS regions
         FROM survey_forms WHERE year = 2030 AND status = 'draft'`,
    );
    expect(rows[0].regions).toBe(17);
    expect(rows[0].n % 17).toBe(0);
    await shot(page, '1-statistician-open-year');
    await page.close();
  });

  it('a statistician imports a CSV of many values: every problem by line, nothing stored; fixed, it loads', async () => {
    const page = await as('wuyuan.stat');
    await nav(page, '调查报表');
    const card = page.locator('section', { has: page.getByRole('heading', { name: /整批导入/ }) });
    const header = 'standard_id,department,region_code,year,variable,item,value,unit,source,note';
    const row = (region: string, value: string) =>
      `ndrc-nbs-2022-trial,林业局,${region},2029,carbon_fixed,forest,${value},tC,测试,`;
    const write = (name: string, lines: string[]) => {
      const path = join(tmp, name);
      writeFileSync(path, [header, ...lines].join('\n'));
      return path;
    };
    await card
      .locator('input[type=file]')
      .setInputFiles(write('bad.csv', [row('361130100', '12.5'), row('361130101', '十二')]));
    await card.getByRole('cell', { name: /“十二”不是数值/ }).waitFor();
    await shot(page, '1-statistician-bulk-import-errors');
    const count = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM survey_values v JOIN survey_forms f ON f.id = v.form_id
            WHERE f.year = 2029 AND v.variable = 'carbon_fixed'`,
        )
      ).rows[0].n;
    expect(await count()).toBe(0);
    await card
      .locator('input[type=file]')
      .setInputFiles(write('good.csv', [row('361130100', '12.5'), row('361130101', '"1,200"')]));
    await card.getByText(/good\.csv 已导入：2 行，涉及 2 张报表（新开 2 张）/).waitFor();
    expect(await count()).toBe(2);
    await page.close();
  });

  it('a reviewer finds it in the queue, cannot return it without a comment, and approves it', async () => {
    const page = await as('wuyuan.reviewer');
    await nav(page, '审核队列');
    const row = page.getByRole('row', { name: /清华镇（361130101）.*文旅局.*2023/ });
    await row.getByRole('link').click();
    await page.getByRole('button', { name: '退回修改' }).click();
    await page.getByRole('alert').filter({ hasText: '退回时必须填写退回意见' }).waitFor();
    // the statistician's explanation of the warning is in front of the reviewer
    await page
      .locator('li.check.warning')
      .getByText('2023 年起按景区闸机口径统计游客人次')
      .waitFor();
    await shot(page, '2-reviewer-form');
    await page.getByRole('button', { name: '审核通过' }).click();
    await page.waitForURL(/#\/review$/);
    const { rows } = await t.db.query<{ status: string; reviewed_by: string }>(
      'SELECT status, reviewed_by FROM survey_forms WHERE id = $1',
      [formId],
    );
    expect(rows[0]).toEqual({ status: 'approved', reviewed_by: 'wuyuan.reviewer' });
    await page.close();
  });

  it('an accountant runs the county with a progress bar, explains a number down to its inputs, exports and publishes', async () => {
    const page = await as('wuyuan.accountant');
    await nav(page, '核算结果');
    const start = page.locator('section', { has: page.getByRole('heading', { name: '发起核算' }) });
    await start.getByLabel('地区').selectOption('361130');
    await start.getByLabel('年份').fill('2022');
    await start.getByRole('button', { name: '开始核算' }).click();
    await page.locator('progress').waitFor({ state: 'attached' });
    await page.waitForURL(/#\/runs\/[0-9a-f-]{36}$/, { timeout: 120000 });
    const runId = /runs\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.locator('.badge', { hasText: '草稿' }).waitFor();
    await page.getByText(/^GEP [\d,]+\.\d\d 亿元/).waitFor();
    await shot(page, '3-accountant-run-draft');

    // The county's carbon value is a sum; one township's is a formula over cited inputs.
    await page.getByRole('button', { name: '解释 固碳', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('本数为下列地区之和').waitFor();
    await dialog.getByRole('button', { name: '清华镇（361130101）' }).click();
    await page.getByRole('dialog').getByText('价值量公式').waitFor();
    const explained = await page.getByRole('dialog').innerText();
    expect(explained).toContain('Q * C_PER_CO2 * carbon_price');
    // a survey source reads as the form it is, and opens it
    expect(explained).toMatch(/局 2022 年报表（第 \d+ 版/);
    expect(explained).not.toMatch(/survey form/);
    await page
      .getByRole('dialog')
      .getByRole('link', { name: /2022 年报表/ })
      .first()
      .waitFor();
    expect(explained).toContain('carbon_price');
    await shot(page, '3-accountant-explain');
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).click();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Excel' }).click();
    const xlsx = readFileSync(await (await download).path());
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '发布结果' }).click();
    await page.locator('.badge', { hasText: '已发布' }).waitFor();
    const { rows } = await t.db.query<{ status: string }>(
      'SELECT status FROM accounting_runs WHERE id = $1',
      [runId],
    );
    expect(rows[0].status).toBe('published');
    await page.close();
  });

  it('an incomplete run says 不完整 everywhere, shows no null or NaN, and is published only with a reason', async () => {
    // 2024 has no demo forms: every township's figures are missing
    const token = await t.token('wuyuan.accountant');
    const draft = await t.http
      .post('/accounting/runs')
      .set({ authorization: `Bearer ${token}` })
      .send({ standardId: 'ndrc-nbs-2022-trial', regionCode: '361130', year: 2024 });
    expect(draft.status).toBe(201);
    const page = await as('wuyuan.accountant');
    await page.goto(`/console/#/runs/${draft.body.id as string}`);
    await page.locator('.badge', { hasText: '不完整' }).waitFor();
    await page.getByText('GEP 缺失').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('缺口出自');
    expect(text).not.toMatch(/null|NaN|undefined/);
    const svg = await page
      .locator('main svg')
      .evaluateAll((els) => els.map((e) => e.outerHTML).join(''));
    expect(svg).not.toMatch(/NaN|null|undefined/);
    // the series over the years leaves a gap at 2024 and says so, instead of drawing through it
    const trend = page.getByRole('img', { name: /GEP 历年变化.*（2024 年缺失）/ });
    await trend.locator('canvas').waitFor();
    expect(await trend.getAttribute('aria-label')).not.toMatch(/NaN|null|undefined/);
    await shot(page, '3-accountant-run-incomplete');

    await page.getByRole('button', { name: '发布结果（不完整）' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('本次核算不完整').waitFor();
    await dialog.getByRole('button', { name: '仍然发布' }).click();
    await dialog
      .getByText(/写明理由/)
      .first()
      .waitFor(); // the service's refusal, at the field
    await dialog.getByLabel(/发布理由/).fill('2024 年报表尚未报送，先行发布供测试');
    await dialog.getByRole('button', { name: '仍然发布' }).click();
    await page.locator('.badge', { hasText: '已发布' }).waitFor();
    await page.getByText('2024 年报表尚未报送，先行发布供测试').waitFor();
    const { rows } = await t.db.query<{ status: string; incomplete_reason: string }>(
      'SELECT status, incomplete_reason FROM accounting_runs WHERE id = $1',
      [draft.body.id],
    );
    expect(rows[0]).toEqual({
      status: 'published',
      incomplete_reason: '2024 年报表尚未报送，先行发布供测试',
    });
    await page.close();
  });

  it('finance tries a budget, sees a wrong amount refused at the field, compares side by side and approves', async () => {
    const page = await as('wuyuan.finance');
    await nav(page, '生态补偿');
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: '新的测算（假设情形）' }),
    });
    await card
      .getByLabel('方案')
      .selectOption({ label: '婺源县乡镇生态产品价值补偿资金分配办法（演示）' });
    await card.getByLabel('地区').selectOption('361130');
    // 2023 already has an approved allocation (demo data): a 2024 budget on the 2022 GEP.
    await card.getByLabel('预算年度').fill('2024');
    await card.getByLabel('GEP 年份').fill('2022');
    const budget = card.getByLabel('资金总额', { exact: true });
    await budget.fill('四千万');
    await card.getByRole('button', { name: '测算' }).click();
    await card.locator('.field-error').waitFor();
    expect(await budget.getAttribute('aria-invalid')).toBe('true');
    await shot(page, '4-finance-invalid-budget');
    // typed as the list shows it, in 万元: converted exactly
    await budget.fill('4,000 万元');
    await card.getByRole('button', { name: '测算' }).click();
    await page.waitForURL(/#\/compensation\/runs\/[0-9a-f-]{36}$/);
    const runId = /runs\/([0-9a-f-]{36})/.exec(page.url())![1];
    await page.getByText('合计 40,000,000.00 元').waitFor();
    await page
      .getByRole('row', { name: /紫阳镇/ })
      .getByRole('button', { name: '说明' })
      .click();
    await page.getByRole('dialog').getByText('权重公式').waitFor();
    await shot(page, '4-finance-explanation');
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).click();

    // Side by side with the approved 50,000,000 allocation.
    await nav(page, '生态补偿');
    const runs = page.getByRole('table').last();
    await runs
      .getByRole('row', { name: /2023.*5,000\.00 万元/ })
      .getByRole('checkbox')
      .check();
    await runs
      .getByRole('row', { name: /2024.*4,000\.00 万元/ })
      .getByRole('checkbox')
      .check();
    await page.getByRole('link', { name: '并排比较所选测算' }).click();
    await page.getByRole('heading', { name: '补偿测算并排比较' }).waitFor();
    const compared = await page.getByRole('table').innerText();
    expect(compared).toContain('B − A（元）');
    expect(compared).toContain('紫阳镇');
    await shot(page, '4-finance-compare');

    await page.goto(`/console/#/compensation/runs/${runId}`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '批准' }).click();
    await page.locator('.badge', { hasText: '已批准' }).waitFor();
    const { rows } = await t.db.query<{ status: string }>(
      'SELECT status FROM compensation_runs WHERE id = $1',
      [runId],
    );
    expect(rows[0].status).toBe('approved');
    await page.close();
  });

  it('an auditor evaluates a tenure, generates the departure-audit report and downloads the PDF; the audit log shows the day', async () => {
    const page = await as('shangrao.auditor');
    await nav(page, '离任审计');
    await page
      .getByRole('row', { name: /甲某/ })
      .getByRole('link', { name: '任期评价与报告' })
      .click();
    await page.getByRole('button', { name: '任期评价' }).click();
    await page.getByText(/^评分 [\d.]+ · 等级 /).waitFor();
    await shot(page, '5-auditor-evaluation');
    await page.getByRole('button', { name: '生成离任审计报告' }).click();
    const reports = page.locator('section', {
      has: page.getByRole('heading', { name: '审计报告' }),
    });
    await reports.getByRole('button', { name: 'PDF' }).first().waitFor();
    const download = page.waitForEvent('download');
    await reports.getByRole('button', { name: 'PDF' }).first().click();
    const pdf = readFileSync(await (await download).path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);

    await nav(page, '审计日志');
    // actions chosen by name, among those the log holds
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '审核通过报表' });
    await page.getByRole('button', { name: '查询' }).click();
    const approved = page
      .getByRole('row', { name: /wuyuan\.reviewer.*审核通过报表.*报表 [0-9a-f]{8}/ })
      .first();
    await approved.waitFor();
    // the entry read by field name, before and after side by side
    await approved.getByText('查看', { exact: true }).click();
    await approved.getByRole('row', { name: /状态\s*已提交待审\s*已审核/ }).waitFor();
    await approved.getByRole('row', { name: /修订号/ }).waitFor();
    await approved.getByText('查看', { exact: true }).click();
    // a save's values as a table: 变量, 分项, 原值 → 新值
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '报表保存数值' });
    await page.getByRole('button', { name: '查询' }).click();
    const saved = page.getByRole('row', { name: /wuyuan\.stat.*报表保存数值/ }).first();
    await saved.getByText('查看', { exact: true }).click();
    await saved.getByRole('table', { name: '数值变化' }).waitFor();
    expect(await saved.getByRole('columnheader', { name: '新值' }).count()).toBe(1);
    await saved.getByText('查看', { exact: true }).click();
    // a monitoring month's change, its pollutant and state by name (such an entry used to stop
    // the page from drawing its list)
    const finance = await t.token('wuyuan.finance');
    await t.http
      .put('/assessment/compensation/sections/leanhe-yutan-bridge/values')
      .set('authorization', `Bearer ${finance}`)
      .send({
        values: [{ year: 2023, month: 7, pollutant: 'COD', state: 'dry', source: '监测站' }],
      })
      .expect(200);
    await nav(page, '审计日志');
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '录入监测数据' });
    await page.getByRole('button', { name: '查询' }).click();
    const reading = page.getByRole('row', { name: /wuyuan\.finance.*录入监测数据/ }).first();
    await reading.getByText('查看', { exact: true }).click();
    await reading
      .getByRole('row', { name: /2023\s*7\s*化学需氧量（COD）\s*（新填）\s*状态 断流/ })
      .waitFor();
    await reading.getByText('查看', { exact: true }).click();
    // objects by name, chosen by name
    await page.getByLabel('对象类型').selectOption({ label: '登录账户' });
    await page.getByLabel('操作', { exact: true }).selectOption({ label: '全部' });
    await page.getByRole('button', { name: '查询' }).click();
    await page
      .getByRole('row', { name: /shangrao\.auditor.*登录.*登录账户 [0-9a-f]{8}/ })
      .first()
      .waitFor();
    expect(await page.getByRole('cell', { name: /^(survey_form|auth)\b/ }).count()).toBe(0);
    await shot(page, '5-auditor-audit-log');
    await page.close();
  });

  // Each role's sections open without an error; what a role may not do is not offered.
  it.each([
    { user: 'wuyuan.stat', sees: ['调查报表', '核算结果'], not: ['审核队列', '审计日志', '用户'] },
    {
      user: 'wuyuan.reviewer',
      sees: ['调查报表', '审核队列', '核算结果', '确权登记'],
      not: ['用户', '生态补偿'],
    },
    {
      user: 'wuyuan.accountant',
      sees: ['调查报表', '核算方法', '核算结果', '生态补偿'],
      not: ['审核队列', '用户'],
    },
    { user: 'wuyuan.registrar', sees: ['确权登记'], not: ['调查报表', '生态补偿'] },
    { user: 'wuyuan.finance', sees: ['核算结果', '生态补偿'], not: ['调查报表', '离任审计'] },
    {
      user: 'shangrao.auditor',
      sees: ['调查报表', '核算方法', '核算结果', '生态补偿', '离任审计', '审计日志'],
      not: ['用户'],
    },
    {
      user: 'admin',
      sees: [
        '调查报表',
        '核算方法',
        '核算结果',
        '确权登记',
        '生态补偿',
        '离任审计',
        '审计日志',
        '用户',
        '行政区',
      ],
      not: [],
    },
    { user: 'viewer', sees: ['核算方法', '核算结果', '确权登记'], not: ['调查报表', '用户'] },
  ])('$user: every section of the menu opens without an error', async ({ user, sees, not }) => {
    const page = await as(user);
    const menu = page.getByRole('navigation', { name: '主导航' });
    const links = (await menu.getByRole('link').allInnerTexts()).filter((l) => l !== '首页');
    expect(links).toEqual(expect.arrayContaining(sees));
    for (const hidden of not) expect(links).not.toContain(hidden);
    for (const label of links) {
      await nav(page, label);
      await page.locator('#main h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect({
        label,
        errors: await page.locator('.alert.error:visible, p.alert.error').allInnerTexts(),
      }).toEqual({ label, errors: [] });
      if (user === 'viewer')
        expect(
          await page.getByRole('button', { name: /新建|开始核算|测算|批准|发布/ }).count(),
        ).toBe(0);
      await shot(page, `6-${user}-${label}`);
    }
    await page.close();
  });

  it("a county administrator enters the county's outline; the registry map draws it with labels, legend and scale", async () => {
    const admin = await as('wuyuan.admin');
    await admin.goto('/console/#/admin/regions?parentCode=361100');
    const row = admin.getByRole('row', { name: /婺源县/ });
    await row.getByRole('button', { name: '界线' }).click();
    const dialog = admin.getByRole('dialog');
    const outline = {
      type: 'Feature',
      properties: { name: '婺源县' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [117.55, 29.1],
            [117.95, 29.05],
            [118.2, 29.25],
            [118.15, 29.55],
            [117.8, 29.6],
            [117.5, 29.4],
            [117.55, 29.1],
          ],
        ],
      },
    };
    await dialog.getByLabel('界线文件（GeoJSON）').setInputFiles({
      name: '婺源县界线.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(outline)),
    });
    await dialog.locator('path.region-outline').waitFor(); // previewed before saving
    await dialog.getByRole('button', { name: '保存界线' }).click();
    await dialog.locator('.field-error', { hasText: '说明界线的来源' }).waitFor(); // at the field
    expect(await dialog.getByLabel('来源').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('来源').fill('第三次全国国土调查县级行政区界线（演示）');
    await dialog.getByRole('button', { name: '保存界线' }).click();
    await admin.getByText('界线已保存').waitFor();
    const stored = await t.db.query(
      "SELECT source, boundary FROM region_boundaries WHERE region_code = '361130'",
    );
    expect(stored.rows).toEqual([
      { source: '第三次全国国土调查县级行政区界线（演示）', boundary: outline.geometry },
    ]);
    await admin.close();

    const page = await as('wuyuan.registrar');
    await nav(page, '确权登记');
    const map = page.locator('svg.map');
    await map.locator('path.region-outline').waitFor();
    const legend = await page.locator('ul.map-legend li').allTextContents();
    expect(legend[0]).toBe('婺源县界线');
    expect(legend).toEqual(expect.arrayContaining(['森林', '自然保护区']));
    const labels = await map.locator('.map-labels text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['婺源森林鸟类国家级自然保护区']));
    expect(await map.locator('.map-scale').getAttribute('aria-label')).toMatch(
      /^比例尺 \d+ (千米|米)$/,
    );
    await shot(page, '7-registrar-map');
    await page.close();
  });

  it('a registry clerk opens a unit from the map and sees its ledger and an earlier state', async () => {
    const page = await as('wuyuan.registrar');
    await nav(page, '确权登记');
    const shape = page.locator('svg.map path.unit').first();
    await shape.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/registry\/units\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: /登记簿记录/ }).waitFor();
    const entries = page.getByRole('link', { name: '查看当日状态' });
    expect(await entries.count()).toBeGreaterThan(0);
    await entries.first().click();
    await page.getByText(/的登记状态（历史视图）/).waitFor();
    await shot(page, '7-registrar-unit-as-of');
    await page.close();
  });

  it("a registry clerk draws a new unit's boundary on the map instead of uploading one", async () => {
    const clerk = await as('wuyuan.registrar');
    await nav(clerk, '确权登记');
    const create = clerk.locator('section', {
      has: clerk.getByRole('heading', { name: '预划登记单元' }),
    });
    await create.getByLabel('地区').selectOption('361130');
    await create.getByLabel('单元类型').selectOption('grassland');
    await create.getByLabel('名称').fill('图上绘制的草地单元');
    await create.getByRole('button', { name: '或在地图上画出边界' }).click();
    const map = create.locator('svg.map');
    await map.waitFor();
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    const at = (fx: number, fy: number) =>
      clerk.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    await at(0.46, 0.46);
    await at(0.5, 0.46);
    await at(0.5, 0.5);
    await at(0.46, 0.5);
    await create.getByRole('button', { name: '完成范围' }).click();
    await create.getByText('已画出边界（4 个拐点）').waitFor();
    await shot(clerk, '6-registry-drawn-boundary');
    await create.getByRole('button', { name: '预划登记单元' }).click();
    await clerk.getByRole('heading', { level: 1, name: /图上绘制的草地单元/ }).waitFor();
    const [unit] = (
      await t.db.query<{ boundary: { type: string; coordinates: number[][][] } }>(
        `SELECT boundary FROM registration_unit_versions WHERE name = '图上绘制的草地单元'`,
      )
    ).rows;
    expect(unit.boundary.type).toBe('Polygon');
    expect(unit.boundary.coordinates[0]).toHaveLength(5); // four corners, closed
    await clerk.close();
  });

  it('a registry clerk pre-delimits a unit from a GeoJSON file and takes it through notice, survey, review, public notice and registration with the reviewer', async () => {
    const clerk = await as('wuyuan.registrar');
    await nav(clerk, '确权登记');
    const create = clerk.locator('section', {
      has: clerk.getByRole('heading', { name: '预划登记单元' }),
    });
    const boundary = join(tmp, 'unit.geojson');
    const ring = [
      [117.3, 29.1],
      [117.32, 29.1],
      [117.32, 29.12],
      [117.3, 29.12],
      [117.3, 29.1],
    ];
    writeFileSync(
      boundary,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } },
        ],
      }),
    );
    await create.getByLabel('地区').selectOption('361130');
    await create.getByLabel('单元类型').selectOption('grassland');
    await create.getByLabel('名称').fill('浏览器测试草原单元');
    await create.getByLabel('预划日期').fill('2025-01-02');
    // without a boundary the page says so at the field
    await create.getByRole('button', { name: '预划登记单元' }).click();
    await create.getByText('请选择边界文件（GeoJSON）').first().waitFor();
    await create.locator('input[type=file]').setInputFiles(boundary);
    await create.getByRole('button', { name: '预划登记单元' }).click();
    await clerk.getByRole('heading', { name: '浏览器测试草原单元' }).waitFor();
    const flow = clerk.locator('section', {
      has: clerk.getByRole('heading', { name: /登记流程/ }),
    });
    const stepOf = (title: RegExp) =>
      flow.locator('div.workflow-step', { has: clerk.getByRole('heading', { name: title }) });

    let s = stepOf(/发布首次登记通告/);
    await s.getByLabel('通告日期').fill('2025-01-10');
    await s.getByLabel('文号').fill('婺府告〔2025〕9 号');
    await s.getByRole('button', { name: '发布通告' }).click();
    await flow.getByRole('heading', { name: /登记流程（当前：已发布通告）/ }).waitFor();

    // survey done without resources is refused, in Chinese
    s = stepOf(/调查完成/);
    await s.getByLabel('调查完成日期').fill('2025-02-01');
    await s.getByRole('button', { name: '提交审核' }).click();
    await s.getByText(/尚未记录自然资源/).waitFor();
    s = stepOf(/录入自然资源/);
    await s.getByLabel('调查日期').fill('2025-02-01');
    await s.getByLabel('资源类型').selectOption('grassland');
    await s.getByLabel('生态系统类型').selectOption('grassland');
    await s.getByLabel('面积（公顷）', { exact: true }).fill('120');
    await s.getByLabel('全民所有面积（公顷）').fill('120');
    await s.getByRole('button', { name: '录入资源' }).click();
    await clerk.getByRole('heading', { name: /自然资源（1）/ }).waitFor();
    s = stepOf(/调查完成/);
    await s.getByLabel('调查完成日期').fill('2025-02-01');
    await s.getByRole('button', { name: '提交审核' }).click();
    await flow.getByRole('heading', { name: /当前：已完成调查/ }).waitFor();
    const unitUrl = clerk.url();
    await shot(clerk, '7-registrar-workflow-surveyed');
    await clerk.close();

    const reviewer = await as('wuyuan.reviewer');
    await reviewer.goto(unitUrl);
    const rflow = reviewer.locator('section', {
      has: reviewer.getByRole('heading', { name: /登记流程/ }),
    });
    await rflow.getByLabel('审核日期').fill('2025-02-10');
    await rflow.getByRole('button', { name: '提交审核结论' }).click();
    await rflow.getByRole('heading', { name: /当前：已审核/ }).waitFor();
    await reviewer.close();

    const clerk2 = await as('wuyuan.registrar');
    await clerk2.goto(unitUrl);
    const cflow = clerk2.locator('section', {
      has: clerk2.getByRole('heading', { name: /登记流程/ }),
    });
    await cflow.getByLabel('公告日期').fill('2025-02-12');
    await cflow.getByRole('button', { name: '发布公告' }).click();
    await cflow.getByRole('heading', { name: /当前：公告中/ }).waitFor();
    await cflow.getByText('公告期内没有异议').waitFor();
    await clerk2.close();

    const reviewer2 = await as('wuyuan.reviewer');
    await reviewer2.goto(unitUrl);
    const gflow = reviewer2.locator('section', {
      has: reviewer2.getByRole('heading', { name: /登记流程/ }),
    });
    // inside the objection period: refused, saying until when
    await gflow.getByLabel('登簿日期').fill('2025-02-20');
    await gflow.getByRole('button', { name: '登簿', exact: true }).click();
    await gflow
      .getByText(/应晚于 2025-03-|异议期至 2025-03-/)
      .first()
      .waitFor();
    await gflow.getByLabel('登簿日期').fill('2025-03-20');
    await gflow.getByRole('button', { name: '登簿', exact: true }).click();
    await reviewer2.locator('dd', { hasText: '已登簿' }).first().waitFor();
    await reviewer2
      .getByRole('cell', { name: /首次登记/ })
      .first()
      .waitFor();
    await shot(reviewer2, '7-reviewer-unit-registered');
    await reviewer2.close();
  });

  it('a registry clerk splits a resource (told how far the parts are off), merges the parts back and corrects the unit', async () => {
    const page = await as('wuyuan.registrar');
    await page.goto(`${base}/#/registry?q=${encodeURIComponent('浏览器测试草原单元')}`);
    await page.locator('tr', { hasText: '浏览器测试草原单元' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: '浏览器测试草原单元' }).waitFor();
    const resources = page.locator('section', {
      has: page.getByRole('heading', { name: /^自然资源（/ }),
    });
    await resources.getByRole('button', { name: '分割…' }).click();
    const split = page.getByRole('dialog');
    await split.locator('input[name="parts[0].areaHa"]').fill('70');
    await split.locator('input[name="parts[1].areaHa"]').fill('40');
    await split.getByText('合计 110 公顷，原面积 120 公顷，还差 10 公顷').waitFor();
    await split.getByRole('button', { name: '登记分割' }).click();
    await split.locator('.field-error, [role=alert]:not([hidden])').first().waitFor();
    await split.locator('input[name="parts[1].areaHa"]').fill('50.0');
    await split.getByText('合计 120.0 公顷，与原面积相等').waitFor();
    await split.locator('input[name="parts[0].name"]').fill('东片草地');
    await split.locator('input[name="parts[1].name"]').fill('西片草地');
    await split.getByLabel('原因').fill('划定禁牧区');
    await split.getByRole('button', { name: '登记分割' }).click();
    await page.getByText('已分割为 2 个自然资源').waitFor();
    await resources.getByRole('cell', { name: '东片草地' }).first().waitFor();

    await page.getByRole('button', { name: '合并自然资源…' }).click();
    const merge = page.getByRole('dialog');
    await merge.getByRole('button', { name: '登记合并' }).click();
    await merge.getByText('请至少选择两个自然资源').waitFor();
    await merge.getByLabel(/东片草地/).check();
    await merge.getByLabel(/西片草地/).check();
    await merge.getByLabel('名称').fill('合并草地');
    await merge.getByLabel('原因').fill('禁牧区撤销');
    await merge.getByRole('button', { name: '登记合并' }).click();
    await page.getByText('自然资源已合并').waitFor();
    await resources.getByRole('cell', { name: '合并草地' }).first().waitFor(); // the page redrawn

    const change = page.locator('div.workflow-step', {
      has: page.getByRole('heading', { name: '变更或更正登记' }),
    });
    await change.getByLabel('登记类型').selectOption('correction');
    await change.getByLabel('名称').fill('浏览器测试草原单元（更正）');
    await change.getByLabel('原因').fill('名称录入有误');
    await change.getByRole('button', { name: '登记变更' }).click();
    await page.getByRole('heading', { name: '浏览器测试草原单元（更正）' }).waitFor();
    await page
      .getByRole('cell', { name: /^婺源县自然资源局 登记员 · / })
      .first()
      .waitFor(); // the ledger names who recorded each entry
    await shot(page, '7-registrar-split-merge-correct');

    const live = await t.db.query(
      `SELECT v.name, v.area_ha::text AS area FROM registry_resources r
         JOIN registry_resource_versions v ON v.resource_id = r.id AND upper_inf(v.valid)
         JOIN registration_units u ON u.id = r.unit_id
         JOIN registration_unit_versions uv ON uv.unit_id = u.id AND upper_inf(uv.valid)
        WHERE uv.name = '浏览器测试草原单元（更正）'`,
    );
    expect(live.rows).toEqual([{ name: '合并草地', area: expect.stringMatching(/^120(\.0+)?$/) }]);
    const kinds = await t.db.query(
      `SELECT e.kind::text FROM registry_entries e JOIN registration_unit_versions uv ON uv.unit_id = e.unit_id
        WHERE uv.name = '浏览器测试草原单元（更正）' ORDER BY e.seq`,
    );
    expect(kinds.rows.map((r: { kind: string }) => r.kind).slice(-3)).toEqual([
      'split',
      'merge',
      'correction',
    ]);
    await page.close();
  });

  it('a registry clerk grants a right on a registered unit, transfers it at a price and ends it; the ledger says who → whom', async () => {
    const page = await as('wuyuan.registrar');
    await page.goto(`${base}/#/registry?q=${encodeURIComponent('晓起村集体林')}`);
    await page.locator('tr', { hasText: '江湾镇晓起村集体林' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: '江湾镇晓起村集体林' }).waitFor();
    const grant = page.locator('div.workflow-step', {
      has: page.getByRole('heading', { name: /登记权利/ }),
    });
    const optionC = grant.getByLabel('自然资源').locator('option', { hasText: '小班 C' });
    await grant.getByLabel('自然资源').selectOption((await optionC.getAttribute('value')) ?? '');
    await grant.getByLabel('权利类型').selectOption('management');
    await grant
      .getByLabel('权利人')
      .selectOption({ label: '婺源县生态产品运营有限公司（示例，两山转化平台）' });
    await grant.getByLabel('起始日期').fill('2026-11-01');
    // the document is required: refused at its field, in Chinese
    await grant.getByRole('button', { name: '登记权利' }).click();
    await grant.locator('.field-error, [role=alert]').first().waitFor();
    await grant.getByLabel('依据文件', { exact: true }).fill('林地经营权流转合同');
    await grant.getByLabel('文件编号').fill('JQ-2026-01');
    await grant.getByRole('button', { name: '登记权利' }).click();
    const row = page
      .locator('tr', { hasText: '婺源县生态产品运营有限公司' })
      .filter({ hasText: '经营权' });
    await row.first().waitFor();
    await row.first().getByRole('button', { name: '转让…' }).click();
    const d = page.getByRole('dialog');
    await d.getByLabel('受让方').selectOption({ label: '江某某（示例农户）' });
    await d.getByLabel('日期').fill('2026-11-15');
    await d.getByLabel('价款（元）').fill('50万元');
    await d.getByLabel('依据文件', { exact: true }).fill('林地经营权转让合同');
    await d.getByRole('button', { name: '登记交易' }).click();
    await page
      .getByRole('cell', { name: /婺源县生态产品运营有限公司.*→.*江某某/ })
      .first()
      .waitFor();
    await shot(page, '7-registrar-right-transferred');
    const held = page
      .locator('tr', { hasText: '江某某（示例农户）' })
      .filter({ hasText: '经营权' })
      .filter({ hasText: '2026-11-15' });
    await held.first().getByRole('button', { name: '注销…' }).click();
    const e = page.getByRole('dialog');
    await e.getByLabel('日期').fill('2026-11-20');
    await e.getByLabel('原因').fill('合同解除（测试）');
    await e.getByRole('button', { name: '注销权利' }).click();
    await page.getByText('权利已注销').waitFor();
    const [{ price }] = (
      await t.db.query<{ price: string }>(
        `SELECT r.price_yuan::text AS price FROM registry_rights r
           JOIN registry_right_holders h ON h.right_id = r.id JOIN registry_parties p ON p.id = h.party_id
          WHERE r.right_type = 'management' AND p.name = '江某某（示例农户）'`,
      )
    ).rows;
    expect(price).toMatch(/^500000(\.0+)?$/); // 「50万元」 read as 500000 元
    await page.close();
  });

  it('a registry clerk adds a party to the directory (the same ID number twice is refused) and grants it a right', async () => {
    const page = await as('wuyuan.registrar');
    await page.goto(`${base}/#/registry`);
    await page.getByRole('link', { name: '权利人名录' }).click();
    await page.getByRole('heading', { name: '权利人名录' }).waitFor();
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: '新增权利人' }),
    });
    await card.getByLabel('类型').selectOption({ label: '企业或其他组织' });
    await card.getByLabel('名称').fill('婺源县晓起茶叶专业合作社（测试）');
    await card.getByLabel('证件号码').fill('93361130MA35XQ0001');
    await card.getByRole('button', { name: '新增权利人' }).click();
    await page.getByRole('cell', { name: '婺源县晓起茶叶专业合作社（测试）' }).waitFor();
    // the same kind and ID number again: refused, in Chinese, nothing stored
    const again = page.locator('section', {
      has: page.getByRole('heading', { name: '新增权利人' }),
    });
    await again.getByLabel('类型').selectOption({ label: '企业或其他组织' });
    await again.getByLabel('名称').fill('同号的另一个合作社（测试）');
    await again.getByLabel('证件号码').fill('93361130MA35XQ0001');
    await again.getByRole('button', { name: '新增权利人' }).click();
    await again.locator('[role=alert]').first().waitFor();
    await shot(page, '7-registrar-party-directory');
    // the directory searches by name and kind
    await page.locator('form.filters input[name=q]').fill('晓起');
    await page.locator('form.filters').getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    // the unfiltered first page may hold the village's collective too (names sort by pinyin):
    // wait for the other parties to leave, which they never do if the search is ignored
    await page.getByRole('cell', { name: '自然资源部' }).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: '江湾镇晓起村农民集体' }).waitFor();
    // the unit's right form now offers the new party
    await page.goto(`${base}/#/registry?q=${encodeURIComponent('晓起村集体林')}`);
    await page.locator('tr', { hasText: '江湾镇晓起村集体林' }).getByRole('link').first().click();
    const grant = page.locator('div.workflow-step', {
      has: page.getByRole('heading', { name: /登记权利/ }),
    });
    await grant.getByLabel('权利人').selectOption({ label: '婺源县晓起茶叶专业合作社（测试）' });
    const rows = (
      await t.db.query<{ kind: string; region_code: string; created_by: string }>(
        `SELECT kind, region_code, created_by FROM registry_parties WHERE id_number = '93361130MA35XQ0001'`,
      )
    ).rows;
    expect(rows).toEqual([
      { kind: 'enterprise', region_code: '361130', created_by: 'wuyuan.registrar' },
    ]);
    await page.close();
  });

  it('a registry clerk pre-delimits units in bulk from a GeoJSON file: every problem by feature, nothing stored; fixed, the codes listed', async () => {
    const square = [
      [118.05, 29.45],
      [118.07, 29.45],
      [118.07, 29.47],
      [118.05, 29.47],
      [118.05, 29.45],
    ];
    const collection = (name: string | undefined) => ({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [square] },
          properties: {
            kind: 'unit',
            ref: 'a1',
            regionCode: '361130',
            unitType: 'forest',
            ...(name ? { name } : {}),
            ownership: { model: 'state', representative: '婺源县人民政府' },
          },
        },
        {
          type: 'Feature',
          geometry: null,
          properties: {
            kind: 'resource',
            unitRef: 'a1',
            resourceType: 'forest',
            ecosystemType: 'forest',
            areaHa: '12.5',
          },
        },
      ],
    });
    const file = (name: string, body: object) => {
      const path = join(tmp, name);
      writeFileSync(path, JSON.stringify(body));
      return path;
    };
    const units = async () =>
      (
        await t.db.query<{ code: string; resources: number }>(
          `SELECT u.code, (SELECT count(*)::int FROM registry_resources r WHERE r.unit_id = u.id) AS resources
             FROM registration_units u JOIN registration_unit_versions v ON v.unit_id = u.id
            WHERE v.name = '批量导入测试林'`,
        )
      ).rows;
    const page = await as('wuyuan.registrar');
    await page.goto(`${base}/#/registry`);
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: '批量预划（GeoJSON）' }),
    });
    await card
      .locator('input[type=file]')
      .setInputFiles(file('units-bad.geojson', collection(undefined)));
    await card.getByRole('button', { name: '导入' }).click();
    // where and what, in the clerk's words: the feature, the field, that it must be given
    await card.getByRole('cell', { name: '第 1 个要素 name：必须填写' }).waitFor();
    await card.getByRole('cell', { name: /第 2 个要素 unitRef：/ }).waitFor();
    await card.getByText(/没有保存任何登记单元/).waitFor();
    expect(await units()).toEqual([]);
    await shot(page, '7-registrar-import-problems');

    await card
      .locator('input[type=file]')
      .setInputFiles(file('units.geojson', collection('批量导入测试林')));
    await card.getByRole('button', { name: '导入' }).click();
    await card.getByText(/units\.geojson：.* 预划的登记单元/).waitFor();
    const stored = await units();
    expect(stored).toHaveLength(1);
    expect(stored[0].resources).toBe(1);
    await card.getByRole('link', { name: stored[0].code }).waitFor();
    await shot(page, '7-registrar-import-done');
    await page.close();
  });

  it('a wrong password is answered in Chinese at the sign-in form', async () => {
    const page = await fresh();
    await page.goto('/');
    await page.getByLabel('用户名').fill('wuyuan.stat');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
    await page.close();
  });

  it('an auditor computes the uncertainty of a published run: intervals and the tornado of what moves GEP most', async () => {
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM accounting_runs WHERE root_region_code = '361130' AND status = 'published'
          AND (completeness->>'complete')::boolean ORDER BY year DESC LIMIT 1`,
    );
    const page = await as('shangrao.auditor');
    await page.goto(`/console/#/runs/${rows[0].id}`);
    const part = page.locator('section', {
      has: page.getByRole('heading', { name: '不确定性与敏感性' }),
    });
    await part.getByLabel('抽样次数').fill('100');
    await part.getByLabel('随机数种子').fill('2026');
    await part.getByRole('button', { name: '计算不确定性' }).click();
    await part.getByText('100 次抽样，随机数种子 2026').waitFor({ timeout: 120_000 });
    const gepRow = part.getByRole('row', { name: /^GEP/ });
    const cells = await gepRow.getByRole('cell').allTextContents();
    expect(cells.slice(1).every((c) => /^[\d,]+\.\d{2}$/.test(c))).toBe(true);
    await part.getByRole('img', { name: '参数敏感性（龙卷风图）' }).waitFor();
    await screenshot(page, '8-auditor-uncertainty');
    await page.close();
  }, 180_000);

  it('an accountant compares two years: the change split into method, quantity and price', async () => {
    const { rows } = await t.db.query<{ id: string; year: number; version: number }>(
      `SELECT id, year, methodology_version AS version FROM accounting_runs
        WHERE root_region_code = '361130' AND status = 'published'
          AND (completeness->>'complete')::boolean ORDER BY year DESC`,
    );
    const latest = rows[0];
    const earlier = rows.find((r) => r.year < latest.year)!;
    const page = await as('wuyuan.accountant');
    await page.goto(`/console/#/runs/${latest.id}`);
    await page.getByRole('link', { name: /与其他年份比较/ }).click();
    await page.getByRole('heading', { level: 1, name: /GEP 比较/ }).waitFor();
    await page
      .getByLabel('与哪一年比较')
      .selectOption({ label: `${earlier.year} 年 · 第 ${earlier.version} 版（已发布）` });
    await page.getByRole('button', { name: '比较', exact: true }).click();
    const table = page.getByRole('table').filter({ hasText: 'GEP 变化的分解' });
    await table.getByText(`GEP 变化的分解（${earlier.year} → ${latest.year}）`).waitFor();
    // the page's figures are the service's, rounded once to 0.01 亿元
    const api = await t.http
      .get(`/accounting/runs/${earlier.id}/compare/${latest.id}`)
      .set('authorization', `Bearer ${await t.token('wuyuan.accountant')}`)
      .expect(200);
    const yi = (x: string) =>
      `${new Decimal(x)
        .div(1e8)
        .toFixed(2, Decimal.ROUND_HALF_UP)
        .replace(/\B(?=(\d{3})+(?!\d))/g, ',')} 亿元`;
    const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
    for (const [name, key] of [
      ['方法变化', 'method'],
      ['实物量变化', 'quantity'],
      ['价格变化', 'price'],
      ['合计', 'total'],
    ] as const)
      expect(await row(name).innerText()).toContain(yi(api.body.effects[key] as string));
    const e = api.body.effects as Record<string, string>;
    expect(new Decimal(e.method).plus(e.quantity).plus(e.price).equals(new Decimal(e.total))).toBe(
      true,
    );
    // the waterfall is Apache ECharts, served by the service itself, drawn on a canvas
    const waterfall = page.getByRole('img', { name: /GEP 变化的分解（亿元）/ });
    await waterfall.locator('canvas').waitFor();
    await page.waitForTimeout(300);
    await shot(page, '3-accountant-compare');
    await page.close();
  });

  it('shows exact decimals: rounding and sums in the page equal decimal.js', async () => {
    const page = await fresh();
    await page.goto('/console/');
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 30 }))
      .map(([n, scale]) =>
        new Decimal(n.toString()).div(new Decimal(10).pow(scale)).toFixed(scale),
      );
    const cases = fc.sample(fc.tuple(decimal, decimal, fc.integer({ min: 0, max: 4 })), {
      numRuns: 300,
      seed: 20261123,
    });
    const got = await page.evaluate(async (cs) => {
      const served: string = '/console/js/ui.js'; // the page's own module, not a local file
      const ui = (await import(served)) as {
        fmt(v: string, d: number): string;
        sumDec(v: string[]): string;
        subDec(a: string, b: string): string;
      };
      return cs.map(([a, b, d]) => [ui.fmt(a, d), ui.sumDec([a, b]), ui.subDec(a, b)]);
    }, cases);
    const group = (s: string) =>
      s.replace(
        /^(-?)(\d+)/,
        (_, sign: string, int: string) => sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ','),
      );
    cases.forEach(([a, b, d], i) => {
      const rounded = new Decimal(a).toDecimalPlaces(d, Decimal.ROUND_HALF_UP);
      expect(got[i][0]).toBe(
        group(rounded.isZero() ? rounded.abs().toFixed(d) : rounded.toFixed(d)),
      );
      expect(new Decimal(got[i][1]).equals(new Decimal(a).plus(b))).toBe(true);
      expect(new Decimal(got[i][2]).equals(new Decimal(a).minus(b))).toBe(true);
    });
    await page.close();
  });

  it('parcel-level: a statistician loads parcels (a bad file is listed and stored nothing), an accountant runs them, reads the sums with gaps marked, explains a parcel and evaluates a project', async () => {
    const header =
      'parcel_id,township,ecosystem,area[亩],precipitation,storm_runoff,evapotranspiration,rusle_r,rusle_k,rusle_ls,rusle_c,rusle_p,potential_wind_erosion,actual_wind_erosion,carbon_fixed,lon,lat';
    const write = (name: string, lines: string[]) => {
      const path = join(tmp, name);
      writeFileSync(path, [header, ...lines].join('\n'));
      return path;
    };
    const good = [
      'B1,361130100,forest,15,1800,200,600,4000,0.03,2,0.02,0.5,,,4,117.86,29.25',
      'B2,紫阳镇,森林,30,1600,150,700,3500,0.02,1.5,0.01,1,,,4.5,117.9,29.27',
      // no precipitation reported: its water conservation is missing, never 0
      'B3,361130101,forest,7.5,,300,500,4200,0.04,0.5,0.3,0.8,,,,117.95,29.3',
    ];
    const stat = await as('wuyuan.stat');
    await nav(stat, '地块级核算');
    const card = stat.locator('section', { has: stat.getByRole('heading', { name: '载入图斑' }) });
    await card.getByLabel('年份').fill('2024');
    await card.getByLabel('名称').fill('浏览器测试图斑');
    await card
      .locator('input[type=file]')
      .setInputFiles(
        write('parcels-bad.csv', [
          ...good,
          'B4,361130101,沙漠,-3,1700,300,500,4200,0.04,0.5,0.3,0.8,,,,117.9,29.2',
        ]),
      );
    await card.getByRole('button', { name: '载入图斑' }).click();
    await card.getByRole('cell', { name: /第 5 行 ecosystem/ }).waitFor();
    await card.getByRole('cell', { name: /第 5 行 area.*应大于 0/ }).waitFor();
    await shot(stat, '9-parcels-load-errors');
    const sets = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM parcel_sets WHERE name = '浏览器测试图斑'`,
        )
      ).rows[0].n;
    expect(await sets()).toBe(0);
    await card.locator('input[type=file]').setInputFiles(write('parcels.csv', good));
    await card.getByRole('button', { name: '载入图斑' }).click();
    await stat.getByRole('cell', { name: '浏览器测试图斑' }).waitFor();
    expect(await sets()).toBe(1);
    await stat.close();

    const acc = await as('wuyuan.accountant');
    await nav(acc, '地块级核算');
    const row = acc.locator('tr', { has: acc.getByRole('cell', { name: '浏览器测试图斑' }) });
    await row.getByRole('button', { name: '核算此图斑集' }).click();
    await acc.getByRole('heading', { name: /地块级核算：婺源县.*2024 年/ }).waitFor();
    const sums = acc.locator('section', {
      has: acc.getByRole('heading', { name: /按生态系统类型汇总/ }),
    });
    await sums.getByRole('cell', { name: '森林' }).waitFor();
    // the water-conservation sum of forest left B3 out: marked, not a total
    await sums
      .getByText(/不完整（1 个图斑无结果）/)
      .first()
      .waitFor();
    expect(await sums.textContent()).not.toMatch(/NaN|null|undefined/);
    await shot(acc, '9-parcels-run-sums');

    const explain = acc.locator('section', {
      has: acc.getByRole('heading', { name: '解释单个图斑' }),
    });
    await explain.getByLabel('图斑编号').fill('B3');
    await explain.getByRole('button', { name: '解释此图斑' }).click();
    await explain.getByRole('cell', { name: '缺数据' }).first().waitFor();
    await explain.getByRole('cell', { name: '一致' }).first().waitFor();

    const project = acc.locator('section', { has: acc.getByRole('heading', { name: /项目测算/ }) });
    await project.getByLabel('项目占用的图斑').fill('B1, B2');
    await project.getByLabel('改为生态系统类型').selectOption('urban');
    // construction land fixes no carbon: the carbon fixed after the change is 0
    await project.locator('input[name="scenario.inputs.carbon_fixed"]').fill('0');
    await project.getByRole('button', { name: '测算前后 GEP' }).click();
    await project.getByText('GEP 之前（万元）').waitFor();
    await project.getByText(/2 个，/).waitFor();
    const carbonRow = project.locator('tr', {
      has: acc.getByRole('cell', { name: '固碳', exact: true }),
    });
    expect(await carbonRow.locator('td').nth(3).textContent()).toBe('0.00 万元');
    expect(await carbonRow.locator('td').nth(4).textContent()).toMatch(/^-1\.12 万元$/);
    await explain.getByText('清华镇（361130101）').waitFor(); // names, not codes
    expect(await explain.textContent()).toContain('缺少：降水量');
    await shot(acc, '9-parcels-project');

    // the same project drawn on the map: a range around B1 and B2 (B3 outside)
    const mapCard = acc.locator('section', {
      has: acc.getByRole('heading', { name: '图斑分布图' }),
    });
    const dots = mapCard.locator('.map-points circle');
    await mapCard.locator('svg.map').scrollIntoViewIfNeeded();
    expect(await dots.count()).toBe(3);
    const centre = async (i: number) => {
      const b = (await dots.nth(i).boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    const [b1, b2] = [await centre(0), await centre(1)];
    const [l, r] = [Math.min(b1.x, b2.x) - 5, Math.max(b1.x, b2.x) + 5];
    const [top, bottom] = [Math.min(b1.y, b2.y) - 5, Math.max(b1.y, b2.y) + 5];
    for (const [x, y] of [
      [l, top],
      [r, top],
      [r, bottom],
      [l, bottom],
    ])
      await acc.mouse.click(x, y);
    await mapCard.getByRole('button', { name: '完成范围' }).click();
    await mapCard.getByText(/图上 2 个图斑的中心点在范围内/).waitFor();
    await shot(acc, '9-parcels-map-range');
    expect(await project.getByLabel('项目占用的图斑').isDisabled()).toBe(true);
    await project.getByText(/按分布图上画出的范围测算/).waitFor();
    const [sent] = await Promise.all([
      acc.waitForResponse((res) => res.url().endsWith('/projects')),
      project.getByRole('button', { name: '测算前后 GEP' }).click(),
    ]);
    expect(sent.status()).toBe(200);
    expect(sent.request().postDataJSON()).toMatchObject({ polygon: { type: 'Polygon' } });
    expect(await sent.json()).toMatchObject({ parcels: 2 });
    await project.getByText(/2 个，/).waitFor();

    // the sums by township, and the map coloured by them: a township with a gap is not coloured as 0
    const towns = acc.locator('section', { has: acc.getByRole('heading', { name: '按乡镇汇总' }) });
    await towns.getByRole('row', { name: /清华镇.*不完整（1 个图斑无结果）/ }).waitFor();
    expect(await towns.textContent()).not.toMatch(/NaN|null|undefined/);
    await mapCard.getByLabel('着色').selectOption({ label: '按乡镇单位面积价值量' });
    await mapCard.getByText('不完整（有图斑无结果，不按 0 着色）').waitFor();
    expect(await dots.count()).toBe(3);
    expect(await dots.nth(2).getAttribute('fill')).toBe('#b9b9b9'); // B3, in 清华镇
    // one indicator every parcel has: both townships complete, coloured by value per hectare
    await towns.getByLabel('指标').selectOption({ label: '土壤保持' });
    await towns.getByRole('row', { name: /清华镇.*万元/ }).waitFor();
    expect(await towns.getByText('不完整').count()).toBe(0);
    await mapCard
      .getByText(/万元\/公顷/)
      .first()
      .waitFor();
    const fills = await dots.evaluateAll((els) => els.map((e) => e.getAttribute('fill')));
    expect(fills[0]).toBe(fills[1]); // B1 and B2: 紫阳镇
    expect(fills[2]).not.toBe(fills[0]);
    expect(fills).not.toContain('#b9b9b9');
    await shot(acc, '9-parcels-map-townships');
    await acc.close();
  });

  it('an accountant copies a methodology, is told of a mistyped name as she types, changes a price; an admin publishes v2', async () => {
    const [v1] = (
      await t.db.query<{ id: string; version: number }>(
        `SELECT id, version FROM methodologies WHERE standard_id = 'ndrc-nbs-2022-trial' AND status = 'published' ORDER BY version DESC LIMIT 1`,
      )
    ).rows;
    const page = await as('wuyuan.accountant');
    await page.goto(`/#/methodologies/${v1.id}`);
    await page.getByRole('button', { name: '复制为新版本' }).click();
    await page.waitForURL(
      (u) => /#\/methodologies\/[0-9a-f-]{36}$/.test(u.hash) && !u.hash.includes(v1.id),
    );
    const draftId = /[0-9a-f-]{36}$/.exec(page.url())![0];
    await page.locator('.badge', { hasText: '草稿' }).waitFor();

    // the formula editor checks with the service as she types
    await page
      .getByRole('row')
      .filter({ hasText: 'water_conservation' })
      .getByRole('button', { name: '编辑' })
      .click();
    const editor = page.getByRole('dialog');
    const quantity = editor.getByLabel('实物量公式');
    await quantity.fill('(precipitaton - storm_runoff - evapotranspiration) .* eco_area');
    await editor
      .locator('.formula-check .field-error', { hasText: '是否指 precipitation' })
      .waitFor();
    await screenshot(page, 'methodology-formula-typo'); // the seeded citations quote English sources
    await quantity.fill('(precipitation - storm_runoff - evapotranspiration) .* eco_area * 1');
    await editor.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await editor.getByRole('button', { name: '保存' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // a price: a value that is not a number is refused as she types; a number is saved
    await page
      .locator('section', { has: page.getByRole('heading', { name: /参数与价格/ }) })
      .getByRole('row')
      .filter({ hasText: 'reservoir_cost' })
      .getByRole('button', { name: '编辑' })
      .click();
    const price = page.getByRole('dialog');
    await price.getByLabel('取值 1').fill('七元');
    await price.locator('.formula-check .field-error').first().waitFor();
    await price.getByLabel('取值 1').fill('7.50');
    await price.getByLabel('价格年 1').fill('2020');
    // the new price lies above the old range: she is told so, by name, and widens it
    await price
      .locator('.formula-check .field-error', {
        hasText: '水库单位库容工程造价（reservoir_cost）的上限 7.06 小于采用值 7.50',
      })
      .waitFor()
      .catch(async (e) => {
        throw new Error(`${String(e)}\n${await price.locator('.formula-check').innerText()}`);
      });
    await price.getByLabel('上限 1').fill('8.20');
    await price
      .locator('.formula-check', { hasText: '校验通过' })
      .waitFor({ timeout: 5000 })
      .catch(async (e) => {
        throw new Error(`${String(e)}\n${await price.locator('.formula-check').innerText()}`);
      });
    await screenshot(page, 'methodology-price-edit'); // the seeded citations quote English sources
    await price.getByRole('button', { name: '保存' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page
      .getByRole('cell', { name: /7\.50（?.*2020 年价/ })
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: '发布此版本' }).count()).toBe(0); // not hers

    const [draft] = (
      await t.db.query<{
        status: string;
        version: number;
        content: {
          indicators: { code: string; quantity: { formula: string } | null }[];
          parameters: { code: string; values: { value: string; priceYear: number }[] }[];
        };
      }>(`SELECT status, version, content FROM methodologies WHERE id = $1`, [draftId])
    ).rows;
    expect(draft).toMatchObject({ status: 'draft', version: v1.version + 1 });
    expect(
      draft.content.indicators.find((i) => i.code === 'water_conservation')!.quantity!.formula,
    ).toBe('(precipitation - storm_runoff - evapotranspiration) .* eco_area * 1');
    expect(
      draft.content.parameters.find((p) => p.code === 'reservoir_cost')!.values[0],
    ).toMatchObject({
      value: '7.50',
      priceYear: 2020,
      high: '8.20',
    });

    const admin = await as('admin');
    await admin.goto(`/#/methodologies/${draftId}`);
    await admin.getByRole('button', { name: '发布此版本' }).click();
    await admin.locator('.badge', { hasText: '已发布' }).waitFor();
    await screenshot(admin, 'methodology-published'); // the seeded citations quote English sources
    const [published] = (
      await t.db.query<{ status: string; published_by: string }>(
        `SELECT status, published_by FROM methodologies WHERE id = $1`,
        [draftId],
      )
    ).rows;
    expect(published).toEqual({ status: 'published', published_by: 'admin' });

    // she runs a year again with v2 and compares it with the year's v1 run: the method effect
    const [v1run] = (
      await t.db.query<{ id: string; year: number }>(
        `SELECT id, year FROM accounting_runs
          WHERE root_region_code = '361130' AND status = 'published' AND methodology_version = $1
            AND (completeness->>'complete')::boolean ORDER BY year DESC LIMIT 1`,
        [v1.version],
      )
    ).rows;
    await nav(page, '核算结果');
    const start = page.locator('section', { has: page.getByRole('heading', { name: '发起核算' }) });
    await start.getByLabel('核算方法').selectOption('ndrc-nbs-2022-trial');
    await start.getByLabel('地区').selectOption('361130');
    await start.getByLabel('年份').fill(String(v1run.year));
    await start.getByRole('button', { name: '开始核算' }).click();
    await page.waitForURL(/#\/runs\/[0-9a-f-]{36}$/, { timeout: 120000 });
    const v2run = /runs\/([0-9a-f-]{36})/.exec(page.url())![1];
    const [stored] = (
      await t.db.query<{ version: number }>(
        `SELECT methodology_version AS version FROM accounting_runs WHERE id = $1`,
        [v2run],
      )
    ).rows;
    expect(stored.version).toBe(v1.version + 1);
    await page.getByRole('link', { name: /与其他年份比较/ }).click();
    await page
      .getByLabel('与哪一年比较')
      .selectOption({ label: `${v1run.year} 年 · 第 ${v1.version} 版（已发布）` });
    await page.getByRole('button', { name: '比较', exact: true }).click();
    const effects = page.getByRole('table').filter({ hasText: 'GEP 变化的分解' });
    await effects.waitFor();
    const c = await t.http
      .get(`/accounting/runs/${v1run.id}/compare/${v2run}`)
      .set('authorization', `Bearer ${await t.token('wuyuan.accountant')}`)
      .expect(200);
    // a dearer reservoir (7.06 → 7.50 元/m³) raises water conservation: all of it method effect
    expect(new Decimal(c.body.effects.method).gt(0)).toBe(true);
    expect(new Decimal(c.body.effects.quantity).isZero()).toBe(true);
    expect(c.body.effects.total).toBe(c.body.effects.method);
    await shot(page, 'methodology-v2-compared');
    await page.close();
    await admin.close();
  });

  it('an accountant reads the 2025 standard (methods, deduction, crosswalk) and sets where a method applies', async () => {
    const [gbt] = (
      await t.db.query<{ id: string }>(
        `SELECT id FROM methodologies WHERE standard_id = 'gbt-46869-2025' AND status = 'published'`,
      )
    ).rows;
    const page = await as('wuyuan.accountant');
    await page.goto(`/console/#/methodologies/${gbt.id}`);
    await page.getByRole('heading', { level: 1, name: /GB\/T 46869/ }).waitFor();
    // the main method and the alternatives, in the order they are tried
    const co2 = page.getByRole('row').filter({ hasText: 'co2_fixation' });
    for (const name of ['生物量法', '固碳速率法', '净生态系统生产力（NEP）法'])
      await co2.getByText(name).first().waitFor();
    await page.getByText('发布核算前必须扣减').waitFor();

    // 标准对照 with the 2022 trial: synonyms meet in one row; what only one side counts is said
    const cross = page.locator('section', { has: page.getByRole('heading', { name: '标准对照' }) });
    const trial = await cross
      .getByLabel('对照方法')
      .locator('option', { hasText: 'ndrc-nbs-2022-trial' })
      .first()
      .getAttribute('value');
    await cross.getByLabel('对照方法').selectOption(trial as string);
    await cross.getByRole('button', { name: '对照' }).click();
    const caption = cross.locator('caption', { hasText: '项只有一方计入' });
    await caption.waitFor();
    await cross.getByRole('row').filter({ hasText: '水源涵养' }).first().waitFor();
    await screenshot(page, '3-accountant-crosswalk'); // the seeded citations quote English sources

    // a draft copy: the NEP method required in 婺源县 from 2024
    await page.getByRole('button', { name: '复制为新版本' }).click();
    await page.locator('.badge', { hasText: '草稿' }).waitFor();
    const draftId = decodeURIComponent(page.url().split('#/methodologies/')[1]);
    await page
      .getByRole('row')
      .filter({ hasText: 'co2_fixation' })
      .getByRole('button', { name: '编辑' })
      .click();
    const editor = page.getByRole('dialog');
    await editor.getByRole('heading', { name: /可选方法 2：净生态系统生产力/ }).waitFor();
    await editor.getByRole('button', { name: '添加规则' }).click();
    await editor.getByLabel('规则的方法').selectOption('nep');
    await editor.getByLabel('地区代码').fill('361130');
    await editor.getByLabel('起始年').fill('2024');
    await editor.getByLabel('依据').fill('该县有通量观测数据');
    await editor.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await screenshot(page, '3-accountant-method-rule'); // the seeded citations quote English sources
    await editor.getByRole('button', { name: '保存' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const rules = page.locator('section', {
      has: page.getByRole('heading', { name: /方法选用规则/ }),
    });
    await rules.getByRole('row').filter({ hasText: '婺源县' }).getByText(/NEP/).waitFor();

    const [draft] = (
      await t.db.query<{
        content: { indicators: { code: string; methodRules?: object[] }[] };
      }>(`SELECT content FROM methodologies WHERE id = $1`, [draftId])
    ).rows;
    expect(draft.content.indicators.find((i) => i.code === 'co2_fixation')!.methodRules).toEqual([
      {
        method: 'nep',
        region: '361130',
        validFrom: 2024,
        validTo: null,
        note: '该县有通量观测数据',
      },
    ]);
    await page.close();
  });

  it('an accountant adds a variable, a parameter, an indicator using them and a validation rule to a draft', async () => {
    const [v1] = (
      await t.db.query<{ id: string }>(
        `SELECT id FROM methodologies WHERE standard_id = 'ndrc-nbs-2022-trial' AND status = 'published' ORDER BY version DESC LIMIT 1`,
      )
    ).rows;
    const page = await as('wuyuan.accountant');
    await page.goto(`/console/#/methodologies/${v1.id}`);
    await page.getByRole('button', { name: '复制为新版本' }).click();
    await page.locator('.badge', { hasText: '草稿' }).waitFor();
    const draftId = decodeURIComponent(page.url().split('#/methodologies/')[1]);
    // the draft's page is slow to come back after a save: until it is drawn again the page behind
    // the dialog still shows the old revision, and a button clicked there would save over it
    await page.route(/\/methodologies\/[^/?]+$/, async (route) => {
      if (route.request().method() === 'GET') await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    const dialog = page.getByRole('dialog');
    const saved = async () => {
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.waitFor({ state: 'detached' });
    };

    await page.getByRole('button', { name: '新增变量' }).click();
    await dialog.getByLabel('代码').fill('quiet_area');
    await dialog.getByLabel('中文名称').fill('声环境功能区面积');
    await dialog.getByLabel('单位').fill('hm²');
    await dialog.getByLabel('填报部门').fill('生态环境局');
    await dialog.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await saved();

    await page.getByRole('button', { name: '新增参数' }).click();
    await dialog.getByLabel('代码').fill('quiet_price');
    await dialog.getByLabel('中文名称').fill('降噪单位面积价值');
    await dialog.getByLabel('单位', { exact: true }).fill('元/hm²');
    await dialog.getByLabel('取值').fill('120');
    await dialog.getByLabel('来源').fill('演示：本地降噪工程造价');
    await dialog.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await saved();

    // the new indicator: a mistyped name is named as she types, with the right one suggested
    await page.getByRole('button', { name: '新增指标' }).click();
    await dialog.getByLabel('代码').fill('quiet_zone');
    await dialog.getByLabel('中文名称').fill('安静区价值');
    await dialog.getByLabel('英文名称').fill('noise reduction');
    await dialog.getByLabel('实物量公式（无实物量时留空）').fill('quiet_aera');
    await dialog.getByLabel('实物量单位').fill('hm²');
    await dialog.getByLabel('价值量公式').fill('Q * quiet_price');
    await dialog.getByLabel('出处').fill('演示');
    await dialog
      .locator('.formula-check .field-error', { hasText: 'quiet_area' })
      .first()
      .waitFor();
    await dialog.getByLabel('实物量公式（无实物量时留空）').fill('quiet_area');
    await dialog
      .locator('.formula-check', { hasText: '校验通过' })
      .waitFor({ timeout: 5000 })
      .catch(async (e) => {
        throw new Error(`${String(e)}\n${await dialog.locator('.formula-check').innerText()}`);
      });
    await screenshot(page, '3-accountant-new-indicator'); // the seeded citations quote English sources
    await saved();

    await page.getByRole('button', { name: '新增校验规则' }).click();
    await dialog.getByLabel('代码', { exact: true }).fill('quiet_area_range');
    await dialog.getByLabel('变量', { exact: true }).selectOption('quiet_area');
    await dialog.getByLabel('最小值（取值范围）').fill('0');
    await dialog.getByLabel('最大值（取值范围）').fill('50000');
    await dialog.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await saved();
    const rules = page.locator('section', { has: page.getByRole('heading', { name: /校验规则/ }) });
    await rules
      .getByRole('row')
      .filter({ hasText: 'quiet_area_range' })
      .getByText('0 ≤ 值 ≤ 50000')
      .waitFor();

    // a rule and a variable edited in place: the dialog shows what they are now
    await rules
      .getByRole('row')
      .filter({ hasText: 'quiet_area_range' })
      .getByRole('button', { name: '编辑' })
      .click();
    expect(await dialog.getByLabel('最大值（取值范围）').inputValue()).toBe('50000');
    await dialog.getByLabel('最大值（取值范围）').fill('60000');
    await dialog.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await saved();
    await rules.getByText('0 ≤ 值 ≤ 60000').waitFor();
    await page
      .locator('section', { has: page.getByRole('heading', { name: /调查变量/ }) })
      .getByRole('row')
      .filter({ hasText: 'quiet_area' })
      .getByRole('button', { name: '编辑' })
      .click();
    expect(await dialog.getByLabel('填报部门').inputValue()).toBe('生态环境局');
    await dialog.getByLabel('填报部门').fill('自然资源局');
    await dialog.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await saved();

    // an index set: items one per line, then one more item added by editing it
    await page.getByRole('button', { name: '新增分项' }).click();
    await dialog.getByLabel('代码', { exact: true }).fill('noise_zone');
    await dialog.getByLabel('名称', { exact: true }).fill('声环境功能区');
    await dialog.getByLabel(/分项（每行一项/).fill('class1 1类区\nclass2，2类区');
    await dialog.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await saved();
    const setRow = page
      .getByRole('row')
      .filter({ has: page.locator('small.code', { hasText: /^noise_zone$/ }) });
    await setRow.getByText('1类区（class1）、2类区（class2）').waitFor();
    await setRow.getByRole('button', { name: '编辑' }).click();
    await dialog.getByLabel(/分项（每行一项/).fill('class1 1类区\nclass2 2类区\nclass3 3类区');
    await saved();
    await setRow.getByText('3类区（class3）').waitFor();

    // a county's own price from 2023 beside the national one: a second value of the parameter
    const parameterRow = (code: string) =>
      page
        .getByRole('row')
        .filter({ has: page.locator('small.code', { hasText: new RegExp(`^${code}$`) }) });
    await parameterRow('quiet_price').getByRole('button', { name: '编辑' }).click();
    await dialog.getByRole('button', { name: '新增取值' }).click();
    await dialog.getByLabel('适用地区 2').selectOption({ label: '婺源县（361130）' });
    await dialog.getByLabel('起始年 2').fill('2023');
    await dialog.getByLabel('取值 2').fill('150');
    await dialog.getByLabel('来源 2').fill('演示：婺源县降噪工程决算');
    await dialog.locator('.formula-check', { hasText: '校验通过' }).waitFor();
    await saved();
    await parameterRow('quiet_price')
      .getByText(/150（婺源县（361130））\s·\s2023–\s*年/)
      .waitFor();
    // a parameter by category is edited item by item, each named
    await parameterRow('water_price').getByRole('button', { name: '编辑' }).click();
    expect(await dialog.locator('input[name$=".value.agricultural"]').count()).toBe(1);
    await screenshot(page, '3-accountant-parameter-values');
    await dialog.getByRole('button', { name: '取消' }).click();

    // a variable an indicator still uses cannot be deleted: the service says why
    page.once('dialog', (d) => void d.accept());
    await page
      .locator('section', { has: page.getByRole('heading', { name: /调查变量/ }) })
      .getByRole('row')
      .filter({ hasText: 'quiet_area' })
      .getByRole('button', { name: '删除' })
      .click();
    await page.locator('#toast', { hasText: '未删除' }).waitFor();

    const [draft] = (
      await t.db.query<{
        content: {
          variables: { code: string; department: string }[];
          indexSets: { code: string }[];
          parameters: { code: string; values: object[] }[];
          indicators: { code: string; quantity: { formula: string }; service: string }[];
          validationRules: { code: string; kind: string; min: string; max: string }[];
        };
      }>(`SELECT content FROM methodologies WHERE id = $1`, [draftId])
    ).rows;
    expect(draft.content.variables.find((v) => v.code === 'quiet_area')).toMatchObject({
      department: '自然资源局',
      unit: 'hm²',
    });
    expect(draft.content.indexSets.find((x) => x.code === 'noise_zone')).toEqual({
      code: 'noise_zone',
      name: '声环境功能区',
      items: [
        { code: 'class1', name: '1类区' },
        { code: 'class2', name: '2类区' },
        { code: 'class3', name: '3类区' },
      ],
    });
    expect(draft.content.parameters.find((p) => p.code === 'quiet_price')?.values).toMatchObject([
      { value: '120', region: null },
      {
        value: '150',
        region: '361130',
        validFrom: 2023,
        validTo: null,
        source: '演示：婺源县降噪工程决算',
      },
    ]);
    expect(draft.content.indicators.find((i) => i.code === 'quiet_zone')).toMatchObject({
      quantity: { formula: 'quiet_area', unit: 'hm²' },
      value: { formula: 'Q * quiet_price', unit: '元' },
    });
    expect(draft.content.validationRules.find((r) => r.code === 'quiet_area_range')).toMatchObject({
      kind: 'range',
      min: '0',
      max: '60000',
    });
    await page.close();
  });

  it('an accountant exports a methodology package and imports it back as a new draft', async () => {
    const [v1] = (
      await t.db.query<{ id: string; version: number }>(
        `SELECT id, version FROM methodologies WHERE standard_id = 'ndrc-nbs-2022-trial' AND status = 'published' ORDER BY version LIMIT 1`,
      )
    ).rows;
    const page = await as('wuyuan.accountant');
    await page.goto(`/#/methodologies/${v1.id}`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出方法包（YAML）' }).click();
    const file = join(tmp, 'package.yaml');
    await (await download).saveAs(file);
    expect(readFileSync(file, 'utf8')).toMatch(/^format: gep-methodology\/1/m);

    await nav(page, '核算方法');
    const card = page.locator('section', {
      has: page.getByRole('heading', { name: '导入方法包' }),
    });
    await card.getByLabel('方法包文件').setInputFiles(file);
    const before = Number(
      (await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM methodologies`)).rows[0].n,
    );
    await card.getByRole('button', { name: '导入', exact: true }).click();
    await page
      .waitForURL((u) => /#\/methodologies\/[0-9a-f-]{36}$/.test(u.hash), { timeout: 10000 })
      .catch(async (e) => {
        throw new Error(`${String(e)}\n${await card.getByRole('alert').innerText()}`);
      });
    await page.getByRole('button', { name: '删除草稿' }).waitFor(); // the draft's own page
    const [imported] = (
      await t.db.query<{ status: string; indicators: number; n: string }>(
        `SELECT status, jsonb_array_length(content->'indicators') AS indicators,
                (SELECT count(*) FROM methodologies) AS n
           FROM methodologies WHERE id = $1`,
        [/[0-9a-f-]{36}$/.exec(page.url())![0]],
      )
    ).rows;
    expect(imported.status).toBe('draft');
    expect(Number(imported.n)).toBe(before + 1);
    const [original] = (
      await t.db.query<{ indicators: number }>(
        `SELECT jsonb_array_length(content->'indicators') AS indicators FROM methodologies WHERE id = $1`,
        [v1.id],
      )
    ).rows;
    expect(imported.indicators).toBe(original.indicators);
    await page.close();
  });

  it('met no script error, console error or 5xx on any page', () => {
    expect(faults).toEqual([]);
  });

  it('showed no message in English on any page it photographed', () => {
    expect(latinIn('第 3 行：the file is not valid CSV')).toEqual(['the file is not valid CSV']);
    expect(latinIn('361130ZB00001 · 12.5 hm² · GEP · eco_area * price · mg/L')).toEqual([]);
    expect(english).toEqual([]);
  });

  async function saved(
    form: string,
    variable: string,
    item: string | null = null,
  ): Promise<string | null> {
    const { rows } = await t.db.query<{ value: string | null }>(
      `SELECT value::text AS value FROM survey_values WHERE form_id = $1 AND variable = $2 AND coalesce(item, '') = coalesce($3, '')`,
      [form, variable, item],
    );
    return rows[0]?.value ?? null;
  }

  async function downloadTemplate(page: Page): Promise<string> {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 Excel 模板' }).click();
    const path = join(tmp, 'template.xlsx');
    await (await download).saveAs(path);
    return path;
  }

  async function sheetOf(path: string): Promise<ExcelJS.Worksheet> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    return wb.getWorksheet('填报')!;
  }

  async function upload(
    page: Page,
    template: string,
    edit: (sheet: ExcelJS.Worksheet) => void,
  ): Promise<void> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    edit(wb.getWorksheet('填报')!);
    const path = join(tmp, `upload-${Date.now()}.xlsx`);
    await wb.xlsx.writeFile(path);
    await page.locator('input[type=file]').setInputFiles(path);
  }
});
