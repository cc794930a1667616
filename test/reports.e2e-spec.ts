import { D } from '../src/common/decimal';
import * as fontkit from 'fontkit';
import JSZip from 'jszip';
import { extractText, getDocumentProxy } from 'unpdf';
import { FONT_REGULAR } from '../src/common/documents/charts';
import { percent, reportBlocks, wan } from '../src/assessment/reports/report-document';
import { ReportContent } from '../src/assessment/reports/report-content';
import { binary } from './support/download';
import { expectProblem, startTestApp, TestApp } from './support/test-app';

interface Report {
  id: string;
  tenureId: string;
  grade: string;
  contentSha256: string;
  content: {
    official: { name: string };
    evaluation: {
      baselineYear: number;
      endYear: number;
      grade: string;
      score: string;
      gep: { start: string; end: string };
      series: { year: number; runId: string }[];
    };
    runs: { year: number; runId: string }[];
    traces: { year: number; indicators: { code: string; value: string | null }[] }[];
  };
}

/** Text with every kind of whitespace removed: PDF extraction breaks lines anywhere. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('Departure-audit reports (PDF and DOCX) from published runs', () => {
  let t: TestApp;
  let auditor: string;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startTestApp();
    auditor = await t.token('shangrao.auditor');
  });
  afterAll(() => t.close());

  const tenureOf = async (name: string) => {
    const list = await t.http
      .get(`/assessment/officials?q=${encodeURIComponent(name)}`)
      .set(as(auditor));
    const detail = await t.http
      .get(`/assessment/officials/${list.body.items[0].id}`)
      .set(as(auditor));
    return detail.body.tenures[0] as { id: string };
  };
  const create = (body: object) => t.http.post('/assessment/reports').set(as(auditor)).send(body);

  let report: Report;
  beforeAll(async () => {
    const tenure = await tenureOf('乙某');
    const res = await create({ tenureId: tenure.id });
    expect(res.status).toBe(201);
    report = res.body as Report;
  });

  it('stores the content with its hash; regenerating gives the same content', async () => {
    expect(report.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.grade).toBe(report.content.evaluation.grade);
    const e = report.content.evaluation;
    // every year shown comes from a published run, and the appendix traces baseline and end
    const published = await t.db.query<{ id: string }>(
      `SELECT id FROM accounting_runs WHERE status = 'published'`,
    );
    const ids = new Set(published.rows.map((r) => r.id));
    expect(report.content.runs.every((r) => ids.has(r.runId))).toBe(true);
    expect(report.content.traces.map((x) => x.year)).toEqual([e.baselineYear, e.endYear]);
    expect(report.content.traces[0].indicators.some((i) => i.value !== null)).toBe(true);

    const verify = await t.http.post(`/assessment/reports/${report.id}/verify`).set(as(auditor));
    expect(verify.status).toBe(200);
    expect(verify.body).toEqual({
      matches: true,
      storedSha256: report.contentSha256,
      regeneratedSha256: report.contentSha256,
      differences: [],
    });
    const again = await create({ tenureId: report.tenureId });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(report.id);
    expect(again.body.contentSha256).toBe(report.contentSha256);

    const list = await t.http
      .get(`/assessment/reports?tenureId=${report.tenureId}`)
      .set(as(auditor));
    expect(list.body.total).toBeGreaterThanOrEqual(2);
    expect(list.body.items[0]).not.toHaveProperty('content');
  });

  it('states how far the conclusion rests on parameters known within a range, reproducibly', () => {
    const u = (report.content as unknown as ReportContent).uncertainty!;
    const e = (report.content as unknown as ReportContent).evaluation;
    expect(u).toMatchObject({ method: 'monte_carlo', draws: 500, seed: 20260101 });
    expect(u.parameters.length).toBeGreaterThan(0);
    // the draws' central figure is the evaluation's own real change, to the sixth place
    expect(u.realChange.value).toBe(new D(e.gep.realChange!).toDecimalPlaces(6).toFixed(6));
    const [p05, p95] = [new D(u.realChange.p05!), new D(u.realChange.p95!)];
    expect(p05.lte(p95)).toBe(true);
    // every draw is graded; the point estimate's grade is among them
    expect(u.grades.reduce((s, g) => s + g.draws, 0)).toBe(500);
    expect(u.grades.map((g) => g.grade)).toContain(e.grade);
    expect(u.withinUncertainty).toBe(u.grades.length > 1 || (p05.lte(0) && p95.gte(0)));
    expect(u.sensitivity.map((p) => p.parameter).sort()).toEqual(
      u.parameters.map((p) => p.code).sort(),
    );

    // the document says it in one paragraph; the table comes when the conclusion is unsettled
    const text = (c: ReportContent) => JSON.stringify(reportBlocks(c));
    const settled = { ...(report.content as unknown as ReportContent) };
    settled.uncertainty = { ...u, withinUncertainty: false };
    const unsettled = { ...settled, uncertainty: { ...u, withinUncertainty: true } };
    expect(text(settled)).toContain(
      `实际变化 90% 区间为 ${percent(u.realChange.p05)} 至 ${percent(u.realChange.p95)}`,
    );
    expect(text(settled)).toContain('评价等级不因参数在其范围内取值而改变');
    expect(text(settled)).not.toContain('对实际变化影响最大的参数');
    expect(text(unsettled)).toContain('对实际变化影响最大的参数');
    expect(text(unsettled)).toContain(u.sensitivity[0].nameZh);
  });

  it('renders a PDF whose text is Chinese in an embedded font and carries name, grade and GEP', async () => {
    const res = await binary(t.http.get(`/assessment/reports/${report.id}/pdf`).set(as(auditor)));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('.pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // the font is embedded (a subset of Noto Sans SC), not referenced by name
    expect(pdf.toString('latin1')).toMatch(/\/FontFile[23]?\b/);
    expect(pdf.toString('latin1')).toMatch(/NotoSansHans/);

    const doc = await getDocumentProxy(new Uint8Array(pdf));
    expect(doc.numPages).toBeGreaterThanOrEqual(3);
    const { text } = await extractText(doc, { mergePages: true });
    const all = squeeze(text);
    const e = report.content.evaluation;
    expect(all).toContain('领导干部自然资源资产离任审计参考报告');
    expect(all).toContain(report.content.official.name);
    expect(all).toContain(`评价等级为「${e.grade}」`);
    expect(all).toContain(`得分${e.score}分`);
    expect(all).toContain(`${e.baselineYear}年GEP为${wan(e.gep.start)}万元`);
    expect(all).toContain(`${e.endYear}年为${wan(e.gep.end)}万元`);
    expect(all).toContain(report.content.runs[0].runId);
    expect(all).toContain('核算参数的不确定性');

    // no character of the text falls back to a missing glyph (which would draw as a box)
    const font = fontkit.openSync(FONT_REGULAR) as fontkit.Font;
    const missing = [...new Set(all)].filter(
      (ch) => !font.hasGlyphForCodePoint(ch.codePointAt(0)!),
    );
    expect(missing).toEqual([]);
  });

  it('renders a DOCX with the same text and the two charts as images', async () => {
    const res = await binary(t.http.get(`/assessment/reports/${report.id}/docx`).set(as(auditor)));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = squeeze(xml.replace(/<[^>]+>/g, ''));
    const e = report.content.evaluation;
    expect(text).toContain('领导干部自然资源资产离任审计参考报告');
    expect(text).toContain(report.content.official.name);
    expect(text).toContain(`评价等级为「${e.grade}」`);
    expect(text).toContain(`${e.baselineYear}年GEP为${wan(e.gep.start)}万元`);
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(2);
    const png = await zip.file(media[0])!.async('nodebuffer');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses a tenure without two published years (422 naming the tenure); nothing is stored', async () => {
    const official = await t.http
      .post('/assessment/officials')
      .set(as(auditor))
      .send({ name: '丙某' });
    const tenure = await t.http
      .post(`/assessment/officials/${official.body.id}/tenures`)
      .set(as(auditor))
      .send({
        regionCode: '361130',
        post: '县委书记',
        startDate: '2008-01-01',
        endDate: '2012-12-31',
      });
    expect(tenure.status).toBe(201);
    const before = await t.db.query('SELECT count(*)::int AS n FROM audit_reports');
    const p = expectProblem(await create({ tenureId: tenure.body.id }), 422, 'VALIDATION_FAILED');
    expect(p.errors[0].path).toBe('tenure');
    expect(p.errors[0].message).toContain('published');
    const after = await t.db.query('SELECT count(*)::int AS n FROM audit_reports');
    expect(after.rows[0].n).toBe(before.rows[0].n);

    expectProblem(
      await create({ tenureId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'NOT_FOUND',
    );
    const bad = expectProblem(await create({ tenureId: 'x' }), 422);
    expect(bad.errors[0].path).toBe('tenureId');
  });

  it('keeps reports append-only in the database', async () => {
    await expect(
      t.db.query(`UPDATE audit_reports SET grade = '好' WHERE id = $1`, [report.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.query(`DELETE FROM audit_reports WHERE id = $1`, [report.id]),
    ).rejects.toThrow(/append-only/);
  });
});
