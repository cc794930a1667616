import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobsService } from '../src/jobs/jobs.service';
import { LoadSource } from '../src/accounting/survey/load-sources';
import { SurveyService } from '../src/accounting/survey/survey.service';
import { expectProblem, Problem, signedIn, startTestApp, TestApp } from './support/test-app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = 'standard_id,department,region_code,year,variable,item,value,unit,source,note';
const STD = 'ndrc-nbs-2022-trial';

interface JobBody {
  id: string;
  kind: string;
  status: string;
  phase: string | null;
  percent: number;
  progress: Record<string, number> | null;
  input: { format: string; filename: string | null; sizeBytes: number; sha256: string };
  result: { rows: number; forms: number; formsCreated: number; valuesChanged: number } | null;
  problem: Problem | null;
}

async function workbook(rows: (string | number | null)[][], sheet = '数据'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  wb.addWorksheet('说明').addRow(['this sheet is not read']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('Survey imports (streamed bulk loads with progress, as jobs)', () => {
  let t: TestApp;
  let stat: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Uploads, then polls the job until it has ended. */
  async function importFile(
    body: Buffer | string,
    type: string,
    token = stat,
    filename?: string,
  ): Promise<JobBody> {
    const res = await t.http
      .post(`/survey/imports${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`)
      .set(as(token))
      .set('content-type', type)
      .send(body);
    expect(res.status).toBe(202);
    const job = res.body as JobBody;
    expect(res.headers.location).toBe(`/jobs/${job.id}`);
    expect(job.kind).toBe('survey_import');
    for (let i = 0; i < 200; i++) {
      const polled = await t.http.get(`/jobs/${job.id}`).set(as(token));
      expect(polled.status).toBe(200);
      const now = polled.body as JobBody;
      if (now.status === 'succeeded' || now.status === 'failed') return now;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${job.id} did not end`);
  }

  const valuesOf = async (year: number) =>
    (
      await t.db.query(
        `SELECT f.region_code, v.variable, v.item, v.value::text AS value, v.unit, v.source, v.note
           FROM survey_values v JOIN survey_forms f ON f.id = v.form_id
          WHERE f.year = $1 ORDER BY 1, 2, 3`,
        [year],
      )
    ).rows as Record<string, string | null>[];

  beforeAll(async () => {
    // rows are written 7 at a time while the next are read: every load here spans batches, and
    // forms span batches (test/number-reading and test/i18n load in one batch)
    t = await startTestApp({ IMPORT_BATCH_ROWS: '7' });
    stat = await t.token('wuyuan.stat');
  });
  afterAll(() => t.close());

  it('loads a CSV in the background, reports the counts and progress; the same file again changes nothing, a changed cell is audited with the value it replaced', async () => {
    const lines = [HEADER];
    for (const town of ['361130100', '361130101'])
      for (let year = 2030; year < 2070; year++)
        for (const [i, item] of ['forest', 'shrub'].entries())
          lines.push(`${STD},林业局,${town},${year},carbon_fixed,${item},${year + i / 10},tC,,`);
    const csv = lines.join('\n');
    const rows = csv.split('\n').length - 1;
    const job = await importFile(csv, 'text/csv', stat, 'carbon.csv');
    expect(job.problem).toBeNull();
    expect(job).toMatchObject({ status: 'succeeded', phase: 'done', percent: 100 });
    expect(job.result).toEqual({
      rows,
      forms: 80,
      formsCreated: 80,
      valuesChanged: rows,
    });
    expect(job.progress).toMatchObject({ rowsRead: rows, forms: 80, valuesChanged: rows });
    expect(job.input).toMatchObject({
      format: 'csv',
      filename: 'carbon.csv',
      sizeBytes: Buffer.byteLength(csv),
    });
    expect(job.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await importFile(csv, 'text/csv');
    expect(again.result).toEqual({ rows, forms: 80, formsCreated: 0, valuesChanged: 0 });
    // one audit entry per form, listing its changes
    const audit = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'survey_form.save_values' AND after->>'via' = 'bulk load (csv)'`,
    );
    expect(audit.rows[0].n).toBe(80);

    // a third load changing both cells of one form: only they are written, each audited with the
    // value it replaced; the other 79 forms are compared with what they hold and left alone
    const changedCsv = csv
      .replace(',2030,carbon_fixed,forest,2030,', ',2030,carbon_fixed,forest,2030.25,')
      .replace(',2030,carbon_fixed,shrub,2030.1,', ',2030,carbon_fixed,shrub,,');
    expect(changedCsv.split('\n')).toHaveLength(rows + 1);
    const third = await importFile(changedCsv, 'text/csv');
    expect(third.result).toEqual({ rows, forms: 80, formsCreated: 0, valuesChanged: 2 });
    expect((await valuesOf(2030)).map((v) => [v.region_code, v.item, v.value])).toEqual([
      ['361130100', 'forest', '2030.25'],
      ['361130100', 'shrub', null],
      ['361130101', 'forest', '2030'],
      ['361130101', 'shrub', '2030.1'],
    ]);
    // the entry is stored as a change table and read back, by the form's history, as changes
    const [{ entity_id: formId, after: stored }] = (
      await t.db.query<{ entity_id: string; after: Record<string, unknown> }>(
        `SELECT entity_id, after FROM audit_log WHERE action = 'survey_form.save_values'
            AND after->>'via' = 'bulk load (csv)' ORDER BY at DESC, id DESC LIMIT 1`,
      )
    ).rows;
    expect(stored.changeRows).toEqual([
      ['carbon_fixed', 'forest', '2030', 'tC', '2030.25', 'tC', null],
      ['carbon_fixed', 'shrub', '2030.1', 'tC', null, 'tC', null],
    ]);
    // a form the load opened has a time-ordered id (version 7), which the API takes like any other
    expect(formId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    const history = await t.http.get(`/survey/forms/${formId}/history`).set(as(stat));
    expect(history.status).toBe(200);
    const entries = (history.body as { action: string; after: { changes?: object[] } }[]).filter(
      (e) => e.action === 'survey_form.save_values',
    );
    expect(entries).toHaveLength(2);
    expect(entries[0].after.changes).toEqual([
      {
        variable: 'carbon_fixed',
        item: 'forest',
        from: null,
        to: { value: '2030', unit: 'tC' },
        source: null,
      },
      {
        variable: 'carbon_fixed',
        item: 'shrub',
        from: null,
        to: { value: '2030.1', unit: 'tC' },
        source: null,
      },
    ]);
    expect(entries.slice(1).map((e) => e.after.changes)).toEqual([
      [
        {
          variable: 'carbon_fixed',
          item: 'forest',
          from: { value: '2030', unit: 'tC' },
          to: { value: '2030.25', unit: 'tC' },
          source: null,
        },
        {
          variable: 'carbon_fixed',
          item: 'shrub',
          from: { value: '2030.1', unit: 'tC' },
          to: { value: null, unit: 'tC' },
          source: null,
        },
      ],
    ]);
  });

  it('loads the first sheet of an xlsx written by another program (LibreOffice)', async () => {
    // test/fixtures/bulk-libreoffice.xlsx: bulk-libreoffice.csv converted by LibreOffice 7.4 with
    // soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx bulk-libreoffice.csv
    const file = await readFile(join(process.cwd(), 'test/fixtures/bulk-libreoffice.xlsx'));
    const job = await importFile(file, XLSX, stat, 'bulk-libreoffice.xlsx');
    expect(job.problem).toBeNull();
    expect(job.result).toEqual({ rows: 5, forms: 2, formsCreated: 2, valuesChanged: 5 });
    expect(await valuesOf(2027)).toEqual([
      {
        region_code: '361130100',
        variable: 'carbon_fixed',
        item: 'forest',
        value: '1234.5',
        unit: 'tC',
        source: null,
        note: null,
      },
      {
        region_code: '361130100',
        variable: 'carbon_fixed',
        item: 'shrub',
        value: '0.1',
        unit: '万tC',
        source: null,
        note: '灌木林按万吨填报',
      },
      {
        region_code: '361130100',
        variable: 'stand_height',
        item: '',
        value: '12.75',
        unit: 'm',
        source: '森林资源二类调查, 2027',
        note: null,
      },
      {
        region_code: '361130101',
        variable: 'ion_lifetime',
        item: '',
        value: null,
        unit: 'min',
        source: null,
        note: '未监测',
      },
      {
        region_code: '361130101',
        variable: 'stand_height',
        item: '',
        value: '9',
        unit: 'm',
        source: null,
        note: null,
      },
    ]);
    const again = await importFile(file, XLSX);
    expect(again.result).toMatchObject({ formsCreated: 0, valuesChanged: 0 });
  });

  it('names the cell of every problem in an xlsx, and stores nothing', async () => {
    const file = await workbook([
      HEADER.split(','),
      [STD, '林业局', 361130100, 2028, 'stand_height', null, 12, 'm', null, null],
      [STD, '林业局', 361130100, 2028, 'stand_height', null, 'abc', 'm', null, null],
      [STD, '林业局', 361130100, 2028, 'ion_lifetime', null, 3, 'kg', null, null],
      [STD, '林业局', 999999999, 2028, 'stand_height', null, 1, 'm', null, null],
    ]);
    const job = await importFile(file, XLSX);
    expect(job.status).toBe('failed');
    expect(job.problem).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    expect(job.problem!.errors).toEqual([
      {
        path: '数据!G3',
        message: '数据!G3 (value): "abc" is not a number; leave it empty if not reported',
      },
      {
        path: '数据!E3',
        message: '数据!E3 (variable): stand_height is given twice (first on 数据 row 2)',
      },
      {
        path: '数据!H4',
        message: '数据!H4 (unit): ion_lifetime is in min (s); kg (kg) is not compatible',
      },
      { path: '数据!C5', message: '数据!C5 (region_code): region 999999999 does not exist' },
    ]);
    expect(await valuesOf(2028)).toEqual([]);
    const forms = await t.db.query('SELECT count(*)::int AS n FROM survey_forms WHERE year = 2028');
    expect(forms.rows[0].n).toBe(0);
  });

  it('fails the job with every problem: broken files, wrong headers, approved forms', async () => {
    const broken = await importFile(Buffer.from('PK\u0003\u0004 not really a zip'), XLSX);
    expect(broken.problem).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    expect(broken.problem!.errors[0].path).toBe('file');

    const header = await importFile('a,b,c\n1,2,3\n', 'text/csv');
    expect(header.problem!.errors[0].message).toMatch(/^line 1: the header must be exactly/);

    const quote = await importFile(`${HEADER}\n${STD},林业局,"361130100,2029\n`, 'text/csv');
    expect(quote.problem).toMatchObject({ status: 422 });
    expect(quote.problem!.errors[0].message).toMatch(/^line \d+: /);

    // demo data: 2021 forms are approved
    const locked = await importFile(
      `${HEADER}\n${STD},林业局,361130100,2021,stand_height,,99,m,,\n`,
      'text/csv',
    );
    expect(locked.problem).toMatchObject({ status: 409, code: 'FORM_LOCKED' });
    expect(locked.problem!.errors).toEqual([
      {
        path: 'line 2',
        message:
          'line 2: the form 林业局 紫阳镇 (361130100) 2021 is approved; its values cannot change',
      },
    ]);

    const outside = await importFile(
      `${HEADER}\n${STD},林业局,361130101,2029,stand_height,,1,m,,\n`,
      'text/csv',
      await t.token('ziyang.stat'),
    );
    expect(outside.problem).toMatchObject({
      status: 403,
      code: 'OUT_OF_REGION_SCOPE',
      detail: 'line 2: region 清华镇 (361130101) is outside your scope (紫阳镇 (361130100))',
    });
  });

  it('stores nothing when a later batch finds a problem, an approved form or a region outside the scope; a form spanning batches is opened once and audited once', async () => {
    // batches of 7 rows: the first is written while the rest is read
    const row = (town: string, year: number, item: string, value: string) =>
      `${STD},林业局,${town},${year},carbon_fixed,${item},${value},tC,,`;
    /** Two cells (forest, shrub) of each of three forms: 林业局 2080 紫阳镇, 2081 清华镇, 2082 紫阳镇. */
    const forms3 = (year: number, value = '1') =>
      [
        ['361130100', year],
        ['361130101', year + 1],
        ['361130100', year + 2],
      ].flatMap(([town, y]) =>
        ['forest', 'shrub'].map((item) => row(town as string, y as number, item, value)),
      );
    const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');
    const formsIn = async (from: number, to: number) =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM survey_forms WHERE year BETWEEN $1 AND $2`,
          [from, to],
        )
      ).rows[0].n;
    const formEntries = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'survey_form'`,
        )
      ).rows[0].n;
    const entries = await formEntries();
    const ziyang = await t.token('ziyang.stat');

    // a value that cannot be read on line 11, after the first batch (lines 2–8) was written
    const bad = await importFile(
      csv(...forms3(2080), ...forms3(2090).slice(0, 3), row('361130101', 2099, 'forest', 'abc')),
      'text/csv',
    );
    expect(bad.problem).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    expect(bad.problem!.errors.map((e) => e.path)).toEqual(['line 11']);

    // an approved form (demo data: 2021) named only in the second batch (line 14)
    const locked = await importFile(
      csv(...forms3(2080), ...forms3(2090), `${STD},林业局,361130100,2021,stand_height,,99,m,,`),
      'text/csv',
    );
    expect(locked.problem).toMatchObject({ status: 409, code: 'FORM_LOCKED' });
    expect(locked.problem!.errors.map((e) => e.path)).toEqual(['line 14']);

    // a region that does not exist, first named in the second batch (line 10)
    const unknown = await importFile(
      csv(...forms3(2080), ...forms3(2090).slice(0, 2), row('361130199', 2083, 'forest', '1')),
      'text/csv',
    );
    expect(unknown.problem).toMatchObject({ status: 422 });
    expect(unknown.problem!.errors).toEqual([
      { path: 'line 10', message: 'line 10, region_code: region 361130199 does not exist' },
    ]);

    // 紫阳镇's statistician: eight rows of 紫阳镇, then one of 清华镇 (line 10)
    const own = [...forms3(2080), ...forms3(2090)].filter((r) => r.includes(',361130100,'));
    expect(own).toHaveLength(8);
    const outside = await importFile(
      csv(...own, row('361130101', 2083, 'forest', '1')),
      'text/csv',
      ziyang,
    );
    expect(outside.problem).toMatchObject({ status: 403, code: 'OUT_OF_REGION_SCOPE' });
    expect(outside.problem!.detail).toMatch(/^line 10: region 清华镇 \(361130101\)/);

    // none of it was stored: no form opened, no entry written
    expect(await formsIn(2080, 2099)).toBe(0);
    expect(await formEntries()).toBe(entries);

    // the first form's shrub cell last (line 9, the second batch): four forms opened, each
    // entered once at revision 1 and once with its values at revision 2, which it is at
    const [aForest, aShrub, ...rest] = forms3(2080);
    const d = ['forest', 'shrub'].map((item) => row('361130101', 2083, item, '1'));
    const first = await importFile(csv(aForest, ...rest, ...d, aShrub), 'text/csv');
    expect(first.problem).toBeNull();
    expect(first.result).toEqual({ rows: 8, forms: 4, formsCreated: 4, valuesChanged: 8 });
    const formA = (
      await t.db.query<{ id: string; revision: number }>(
        `SELECT id, revision FROM survey_forms WHERE year = 2080 AND region_code = '361130100'`,
      )
    ).rows[0];
    expect(formA.revision).toBe(2);
    const history = async () =>
      (
        (await t.http.get(`/survey/forms/${formA.id}/history`).set(as(stat))).body as {
          action: string;
          after: { revision: number; changes?: { item: string }[] };
        }[]
      ).map((e) => [e.action, e.after.revision, e.after.changes?.map((c) => c.item)]);
    expect(await history()).toEqual([
      ['survey_form.create', 1, undefined],
      ['survey_form.save_values', 2, ['forest', 'shrub']],
    ]);

    // the same cells changed, the first form's again in two batches: each form's revision
    // bumped once, with one entry
    const changed = await importFile(
      csv(...[aForest, ...rest, ...d, aShrub].map((r) => r.replace(',1,tC,', ',2,tC,'))),
      'text/csv',
    );
    expect(changed.result).toEqual({ rows: 8, forms: 4, formsCreated: 0, valuesChanged: 8 });
    const revisions = await t.db.query<{ revision: number }>(
      `SELECT revision FROM survey_forms WHERE year BETWEEN 2080 AND 2083 ORDER BY year, region_code`,
    );
    expect(revisions.rows.map((r) => r.revision)).toEqual([3, 3, 3, 3]);
    expect((await history()).slice(2)).toEqual([
      ['survey_form.save_values', 3, ['forest', 'shrub']],
    ]);
    expect(await formEntries()).toBe(entries + 4 * 2 + 4);
  });

  it('runs two loads over the same forms at once, in opposite orders, one after the other: neither fails', async () => {
    const survey = t.app.get(SurveyService);
    const actor = await signedIn(t, 'wuyuan.stat');
    const years = [2090, 2091, 2092, 2093, 2094, 2095, 2096]; // a batch: 7 rows, 7 forms
    const rows = (town: string, value: number) =>
      years.map((y) => `${STD},林业局,${town},${y},carbon_fixed,forest,${value},tC,,`);
    const [a, b] = ['361130100', '361130101'];
    // the forms exist: each load locks them (rather than creating them) batch by batch
    await survey.loadCsv(actor, [HEADER, ...rows(a, 1), ...rows(b, 1)].join('\n'));
    // Each load writes its first batch (locking its 7 forms), then waits until the other has
    // written its own before reading its second — which holds the other's first batch's forms.
    let release!: () => void;
    const bothStarted = new Promise<void>((r) => (release = r));
    const source = (first: string[], second: string[]): LoadSource => {
      const lines = [...first, ...second];
      return {
        format: 'csv',
        bytesTotal: 1,
        bytesRead: () => 1,
        locate: (line) => ({ path: `line ${line}`, label: `line ${line}` }),
        records: (async function* () {
          yield { line: 1, fields: HEADER.split(',') };
          for (const [i, text] of lines.entries()) {
            if (i === first.length) await bothStarted;
            yield { line: i + 2, fields: text.split(',') };
          }
        })(),
      };
    };
    const phases: string[][] = [[], []];
    const progress = (i: number) => ({
      report: (phase: string) => void (phases[i].at(-1) !== phase && phases[i].push(phase)),
    });
    const one = survey.bulkLoad(actor, source(rows(a, 2), rows(b, 2)), progress(0));
    const two = survey.bulkLoad(actor, source(rows(b, 3), rows(a, 3)), progress(1));
    setTimeout(release, 1000);
    const settled = await Promise.allSettled([one, two]);
    expect(settled.map((x) => (x.status === 'rejected' ? String(x.reason) : x.status))).toEqual([
      'fulfilled',
      'fulfilled',
    ]);
    // the one that came second said it was waiting for the other, then went on as usual
    expect(phases.map((p) => p.join(' ')).sort()).toEqual([
      'checking writing',
      'waiting checking writing',
    ]);
    // whichever came second wrote every cell
    const values = new Set((await valuesOf(2090)).map((v) => v.value));
    expect(values.size).toBe(1);
  });

  it('refuses other media types and empty bodies at once', async () => {
    expectProblem(
      await t.http
        .post('/survey/imports')
        .set(as(stat))
        .set('content-type', 'application/json')
        .send('{}'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(
      await t.http.post('/survey/imports').set(as(stat)).set('content-type', 'text/csv').send(''),
      422,
      'VALIDATION_FAILED',
    );
  });

  it('refuses a file over IMPORT_MAX_MB with 413', async () => {
    const configured = t.config.IMPORT_MAX_MB;
    t.config.IMPORT_MAX_MB = 1; // the app's own config object, read per request
    try {
      const big = `${HEADER}\n${'x'.repeat(1024 * 1024 + 10)}\n`;
      expectProblem(
        await t.http
          .post('/survey/imports')
          .set(as(stat))
          .set('content-type', 'text/csv')
          .send(big),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    } finally {
      t.config.IMPORT_MAX_MB = configured;
    }
  });

  it("shows a job only to the user who started it (and a national admin); lists one's own jobs", async () => {
    const job = await importFile(`${HEADER}\n`, 'text/csv');
    const other = await t.token('ziyang.stat');
    expectProblem(await t.http.get(`/jobs/${job.id}`).set(as(other)), 404, 'NOT_FOUND');
    expectProblem(
      await t.http.get(`/jobs/${job.id}`).set(as(await t.token('wuyuan.admin'))),
      404,
      'NOT_FOUND',
    );
    const admin = await t.http.get(`/jobs/${job.id}`).set(as(await t.token('admin')));
    expect(admin.status).toBe(200);
    const mine = await t.http.get('/jobs?kind=survey_import&pageSize=100').set(as(stat));
    expect(mine.status).toBe(200);
    const items = (mine.body as { items: JobBody[] }).items;
    expect(items.map((j) => j.id)).toContain(job.id);
    expect(items.every((j) => j.kind === 'survey_import')).toBe(true);
    const theirs = await t.http.get('/jobs').set(as(other));
    expect((theirs.body as { items: JobBody[] }).items.map((j) => j.id)).not.toContain(job.id);
    expectProblem(await t.http.get('/jobs?status=lost').set(as(stat)), 422, 'VALIDATION_FAILED');
  });

  it('marks jobs cut short by a restart as failed', async () => {
    const { rows } = await t.db.query(
      `INSERT INTO jobs (kind, status, input, created_by) VALUES ('survey_import', 'running', '{}', 'wuyuan.stat') RETURNING id`,
    );
    await t.app.get(JobsService).onApplicationBootstrap();
    const job = (await t.http.get(`/jobs/${rows[0].id}`).set(as(stat))).body as JobBody;
    expect(job.status).toBe('failed');
    expect(job.problem).toMatchObject({ status: 409 });
    expect((job.problem as Problem).detail).toMatch(/stopped before this job finished/);
  });
});
