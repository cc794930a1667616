import PDFDocument from 'pdfkit';
import { CHART_SIZE, FONT_BOLD, FONT_REGULAR, renderChart } from './charts';
import { Block, Column } from './blocks';
import { localize } from '../i18n/localize.interceptor';

export interface RenderMeta {
  /** Document title (PDF/DOCX metadata). */
  title: string;
  /** What the document is, before its id in the footer (报告, 登记簿). */
  label: string;
  reportId: string;
  contentHash: string;
  createdAt: Date;
}

const MARGIN = 56;
const BODY = 10.5;

/**
 * Draws the report blocks as an A4 PDF with Noto Sans SC embedded (subset), so Chinese renders on
 * any reader. Tables break across pages and repeat their header; every page carries the report id,
 * the content hash and its number.
 */
export function renderPdf(blocks: Block[], meta: RenderMeta): Promise<Buffer> {
  // reports are Chinese documents: a two-language message in them reads in Chinese
  blocks = localize(blocks, 'zh');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: meta.title,
      Author: 'GEP 核算服务',
      Subject: `report ${meta.reportId}`,
      CreationDate: meta.createdAt,
      ModDate: meta.createdAt,
    },
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 14;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };

  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        doc.moveDown(4);
        doc.font('bold').fontSize(20).text(b.text, { align: 'center' });
        doc.moveDown(0.6);
        doc.font('regular').fontSize(12).fillColor('#444').text(b.subtitle, { align: 'center' });
        doc.fillColor('#000').moveDown(2);
        break;
      case 'heading':
        ensure(100); // a heading is not left alone at the foot of a page
        doc.moveDown(0.8);
        doc.font('bold').fontSize(14).text(b.text, MARGIN);
        doc.moveDown(0.4);
        break;
      case 'subheading':
        ensure(40);
        doc.moveDown(0.4);
        doc.font('bold').fontSize(11.5).text(b.text, MARGIN);
        doc.moveDown(0.3);
        break;
      case 'paragraph':
        doc.font('regular').fontSize(BODY);
        ensure(doc.heightOfString(b.text, { width }));
        doc.text(b.text, MARGIN, doc.y, { width, lineGap: 3 });
        doc.moveDown(0.5);
        break;
      case 'list':
        doc.font('regular').fontSize(BODY);
        for (const item of b.items) {
          ensure(doc.heightOfString(`• ${item}`, { width }));
          doc.text(`• ${item}`, MARGIN, doc.y, { width, lineGap: 2 });
        }
        doc.moveDown(0.5);
        break;
      case 'table':
        drawTable(doc, b.columns, b.rows, width, bottom);
        doc.moveDown(0.6);
        break;
      case 'chart': {
        const w = width;
        const h = (w * CHART_SIZE.height) / CHART_SIZE.width;
        ensure(h + 6);
        doc.image(renderChart(b.chart), MARGIN, doc.y, { width: w, height: h });
        doc.y += h + 6;
        break;
      }
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // the footer sits in the margin; no page break for it
    const footer = `${meta.label} ${meta.reportId} · 内容 SHA-256 ${meta.contentHash.slice(0, 16)}… · 第 ${i + 1} 页 共 ${range.count} 页`;
    doc
      .font('regular')
      .fontSize(7.5)
      .fillColor('#777')
      .text(footer, MARGIN, doc.page.height - MARGIN + 10, {
        width,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

function drawTable(
  doc: PDFKit.PDFDocument,
  columns: Column[],
  rows: string[][],
  width: number,
  bottom: () => number,
) {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * width);
  const pad = 4;
  const size = rows.length > 12 ? 8 : 9.5;
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return (
      Math.max(...cells.map((t, i) => doc.heightOfString(t, { width: widths[i] - 2 * pad }))) +
      2 * pad
    );
  };
  const drawRow = (cells: string[], font: string, fill: string | null) => {
    const h = heightOf(cells, font);
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((t, i) => {
      if (fill) doc.rect(x, y, widths[i], h).fill(fill);
      doc.rect(x, y, widths[i], h).lineWidth(0.5).strokeColor('#999').stroke();
      doc
        .fillColor('#000')
        .font(font)
        .fontSize(size)
        .text(t, x + pad, y + pad, {
          width: widths[i] - 2 * pad,
          align: columns[i].align ?? 'left',
        });
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = y + h;
  };
  const header = columns.map((c) => c.title);
  if (doc.y + heightOf(header, 'bold') + heightOf(rows[0] ?? header, 'regular') > bottom())
    doc.addPage();
  drawRow(header, 'bold', '#eef3ef');
  for (const r of rows) {
    if (doc.y + heightOf(r, 'regular') > bottom()) {
      doc.addPage();
      drawRow(header, 'bold', '#eef3ef');
    }
    drawRow(r, 'regular', null);
  }
}
