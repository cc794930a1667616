import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { CHART_SIZE, renderChart } from './charts';
import { Block, Column } from './blocks';
import { RenderMeta } from './pdf';
import { localize } from '../i18n/localize.interceptor';

/** Fonts Word uses: 宋体 for Chinese body text, 黑体 for headings (as audit offices expect). */
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const HEAD_FONT = { ascii: 'Arial', hAnsi: 'Arial', eastAsia: '黑体' };
/** A4 text width with 2.54 cm margins, in twentieths of a point. */
const TEXT_WIDTH = 9026;

/** The same blocks as the PDF, as an editable Word document (charts as PNG images). */
export function renderDocx(blocks: Block[], meta: RenderMeta): Promise<Buffer> {
  // reports are Chinese documents: a two-language message in them reads in Chinese
  blocks = localize(blocks, 'zh');
  const children: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        children.push(
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ text: b.text, bold: true, size: 40, font: HEAD_FONT })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 400 },
            children: [new TextRun({ text: b.subtitle, size: 24, color: '444444' })],
          }),
        );
        break;
      case 'heading':
        children.push(
          new Paragraph({
            heading: HeadingLevel.HEADING_1,
            spacing: { before: 320, after: 160 },
            children: [new TextRun({ text: b.text, bold: true, size: 30, font: HEAD_FONT })],
          }),
        );
        break;
      case 'subheading':
        children.push(
          new Paragraph({
            heading: HeadingLevel.HEADING_2,
            spacing: { before: 200, after: 100 },
            children: [new TextRun({ text: b.text, bold: true, size: 24, font: HEAD_FONT })],
          }),
        );
        break;
      case 'paragraph':
        children.push(
          new Paragraph({ spacing: { after: 120, line: 360 }, children: [new TextRun(b.text)] }),
        );
        break;
      case 'list':
        for (const item of b.items)
          children.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(item)] }));
        break;
      case 'table':
        children.push(table(b.columns, b.rows), new Paragraph({ children: [] }));
        break;
      case 'chart': {
        const w = 600;
        children.push(
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new ImageRun({
                type: 'png',
                data: renderChart(b.chart),
                transformation: { width: w, height: (w * CHART_SIZE.height) / CHART_SIZE.width },
                altText: { name: b.chart.title, title: b.chart.title, description: b.chart.title },
              }),
            ],
          }),
        );
        break;
      }
    }
  }
  const doc = new Document({
    creator: 'GEP 核算服务',
    title: meta.title,
    description: `report ${meta.reportId}, content SHA-256 ${meta.contentHash}`,
    styles: { default: { document: { run: { font: BODY_FONT, size: 21 } } } },
    sections: [
      {
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    size: 15,
                    color: '777777',
                    children: [
                      `${meta.label} ${meta.reportId} · 内容 SHA-256 ${meta.contentHash.slice(0, 16)}… · 第 `,
                      PageNumber.CURRENT,
                      ' 页 共 ',
                      PageNumber.TOTAL_PAGES,
                      ' 页',
                    ],
                  }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function table(columns: Column[], rows: string[][]): Table {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => Math.floor((c.width / total) * TEXT_WIDTH));
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i], type: WidthType.DXA },
      shading: header ? { type: ShadingType.CLEAR, fill: 'EEF3EF', color: 'auto' } : undefined,
      children: [
        new Paragraph({
          alignment:
            !header && columns[i].align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          children: [new TextRun({ text, bold: header, size: rows.length > 12 ? 16 : 19 })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, children: columns.map((c, i) => cell(c.title, i, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((t, i) => cell(t, i, false)) })),
    ],
  });
}
