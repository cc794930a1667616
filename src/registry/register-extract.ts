import { contentHash } from '../common/canonical-json';
import { Block } from '../common/documents/blocks';
import { ATTRIBUTE_LABELS_ZH, ATTRIBUTE_VALUES_ZH } from './resource-attributes';
import {
  ECOSYSTEM_ZH,
  ENTRY_ZH,
  RESOURCE_TYPE_ZH,
  UNIT_STATUS_ZH,
  UNIT_TYPE_ZH,
} from './registry-types';
import { EntryView, RightView, UnitView } from './registry-views';
import type { ObjectionView } from './workflow.service';

/** A unit's register extract (登记簿摘录) as of a date: what the register says and how it got there. */
export interface RegisterExtract {
  title: string;
  asOf: string;
  regionName: string;
  unit: UnitView;
  entries: EntryView[];
  objections: ObjectionView[];
  /** SHA-256 of the canonical JSON of the fields above: the same register gives the same hash. */
  contentSha256: string;
}

export function buildExtract(x: Omit<RegisterExtract, 'contentSha256' | 'title'>): RegisterExtract {
  const content = { ...x, title: '自然资源登记簿（摘录）' };
  return {
    ...content,
    contentSha256: contentHash(content),
  };
}

const OWNER_ZH = { state: '全民所有', collective: '集体所有' } as const;
const OBJECTION_ZH = { open: '未处理', upheld: '成立', dismissed: '不成立' } as const;
const orDash = (s: string | null | undefined): string =>
  s === null || s === undefined || s === '' ? '—' : s;
const period = (from: string | null, to: string | null) =>
  `${orDash(from)} 至 ${to ?? '（无期限/现行）'}`;

function attributesText(a: Record<string, unknown>): string {
  return Object.entries(a)
    .map(
      ([k, v]) =>
        `${ATTRIBUTE_LABELS_ZH[k] ?? k}：${Array.isArray(v) ? v.join('、') : (ATTRIBUTE_VALUES_ZH[k]?.[String(v)] ?? String(v))}`,
    )
    .join('；');
}

const holdersText = (r: RightView): string =>
  r.holders
    .map((h) =>
      h.share === '100.0000' || h.share === '100' ? h.name : `${h.name}（${Number(h.share)}%）`,
    )
    .join('、');

/** The extract as the same format-neutral blocks the PDF renderer draws for reports. */
export function extractBlocks(x: RegisterExtract): Block[] {
  const u = x.unit;
  const v = u.version;
  const blocks: Block[] = [
    {
      kind: 'title',
      text: x.title,
      subtitle: `${v?.name ?? ''}  登记单元号 ${u.code}\n截至 ${x.asOf}`,
    },
    { kind: 'heading', text: '一、自然状况' },
  ];
  const kv = (rows: [string, string][]): Block => ({
    kind: 'table',
    columns: [
      { title: '项目', width: 1 },
      { title: '内容', width: 3 },
    ],
    rows,
  });
  if (!v) {
    blocks.push({ kind: 'paragraph', text: `${x.asOf} 该登记单元尚未预划或已注销，无现行记载。` });
  } else {
    blocks.push(
      kv([
        ['登记单元号', u.code],
        ['登记单元名称', v.name],
        ['登记单元类型', UNIT_TYPE_ZH[u.unitType]],
        ['坐落', `${x.regionName}（${u.regionCode}）`],
        ['登记单元总面积（hm²，按边界计算）', v.areaHa],
        ['国有面积（hm²）', orDash(v.stateAreaHa)],
        ['集体面积（hm²）', orDash(v.collectiveAreaHa)],
        ['争议区面积（hm²）', orDash(v.disputedAreaHa)],
        [
          '四至',
          v.fourBounds
            ? `东：${orDash(v.fourBounds.east)}；南：${orDash(v.fourBounds.south)}；西：${orDash(v.fourBounds.west)}；北：${orDash(v.fourBounds.north)}`
            : '—',
        ],
        [
          '登记状态',
          `${u.statusAsOf ? UNIT_STATUS_ZH[u.statusAsOf] : '—'}${u.registeredOn && u.statusAsOf === 'registered' ? `（登簿日期 ${u.registeredOn}）` : ''}`,
        ],
      ]),
      { kind: 'heading', text: '二、权属状况' },
      kv([
        ['所有权主体', v.ownership.model === 'state' ? '全民' : orDash(v.ownership.collectiveName)],
        ['所有制', OWNER_ZH[v.ownership.model]],
        ['所有权代表行使主体', orDash(v.ownership.representative)],
        ['所有权代理行使主体', orDash(v.ownership.proxy)],
        ['日常管理主体', orDash(v.ownership.manager)],
        ['权利行使方式', orDash(v.ownership.exerciseMode)],
        ['行使内容', orDash(v.ownership.exerciseContent)],
      ]),
      { kind: 'heading', text: '三、关联信息与公共管制' },
      {
        kind: 'list',
        items: [
          `生态保护红线面积（hm²）：${orDash(v.controls.redLineAreaHa)}`,
          `保护区功能分区：${orDash(v.controls.protectedAreaZone)}`,
          `国土空间规划用途：${orDash(v.controls.plannedUse)}`,
          `特殊保护要求：${orDash(v.controls.specialRules)}`,
          ...v.links.map((l) => `关联（${l.kind}）：${l.reference}${l.note ? `，${l.note}` : ''}`),
        ],
      },
    );
  }
  blocks.push({ kind: 'heading', text: '四、自然资源' });
  blocks.push(
    u.resources.length
      ? {
          kind: 'table',
          columns: [
            { title: '资源编号', width: 2.2 },
            { title: '类型', width: 0.8 },
            { title: '生态系统', width: 0.9 },
            { title: '面积（hm²）', width: 1, align: 'right' },
            { title: '主要属性', width: 3.5 },
          ],
          rows: u.resources.map((r) => [
            r.code + (r.name ? `\n${r.name}` : ''),
            RESOURCE_TYPE_ZH[r.resourceType],
            ECOSYSTEM_ZH[r.ecosystemType],
            r.areaHa,
            orDash(attributesText(r.attributes)),
          ]),
        }
      : { kind: 'paragraph', text: '无。' },
  );
  blocks.push({ kind: 'heading', text: '五、权利及权利限制' });
  const codeOf = new Map(u.resources.map((r) => [r.id, r.code]));
  blocks.push(
    u.rights.length
      ? {
          kind: 'table',
          columns: [
            { title: '权利类型', width: 1.3 },
            { title: '资源编号', width: 2 },
            { title: '权利人', width: 2 },
            { title: '期限', width: 1.8 },
            { title: '依据', width: 1.6 },
          ],
          rows: u.rights.map((r) => [
            r.rightTypeZh + (r.areaHa ? `\n${r.areaHa} hm²` : ''),
            codeOf.get(r.resourceId) ?? r.resourceId,
            holdersText(r),
            period(r.period.from, r.period.to),
            `${r.document.type}${r.document.number ? ` ${r.document.number}` : ''}`,
          ]),
        }
      : { kind: 'paragraph', text: '无。' },
  );
  blocks.push({ kind: 'heading', text: '六、登记记录' });
  blocks.push({
    kind: 'table',
    columns: [
      { title: '生效日期', width: 1.1 },
      { title: '登记类型', width: 1.4 },
      { title: '依据文件', width: 2 },
      { title: '原因', width: 2 },
      { title: '登簿人', width: 1.4 },
    ],
    rows: x.entries.map((e) => [
      e.effectiveDate,
      ENTRY_ZH[e.kind] + (e.summary ? `\n${e.summary}` : ''),
      e.document ? `${e.document.type}${e.document.number ? ` ${e.document.number}` : ''}` : '—',
      orDash(e.reason),
      e.recordedByName ?? e.recordedBy,
    ]),
  });
  blocks.push({ kind: 'heading', text: '七、异议' });
  blocks.push(
    x.objections.length
      ? {
          kind: 'list',
          items: x.objections.map(
            (o) =>
              `${o.raisedOn} ${o.objector}：${o.content}（${OBJECTION_ZH[o.status]}${o.resolvedOn ? `，${o.resolvedOn} 处理：${orDash(o.resolution)}` : ''}）`,
          ),
        }
      : { kind: 'paragraph', text: '无。' },
  );
  blocks.push({
    kind: 'paragraph',
    text: `本摘录由 GEP 核算服务依登记簿记载生成，内容 SHA-256：${x.contentSha256}。总面积按边界经纬度在球面上计算（近似值），与地籍调查面积可能有差异。`,
  });
  return blocks;
}
