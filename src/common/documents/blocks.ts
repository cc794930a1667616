/**
 * A document as a list of format-neutral blocks. The PDF and DOCX renderers draw these blocks and
 * nothing else, so the two formats say the same thing (the departure-audit report, the register
 * extract).
 */
export type Block =
  | { kind: 'title'; text: string; subtitle: string }
  | { kind: 'heading'; text: string }
  | { kind: 'subheading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; columns: Column[]; rows: string[][] }
  | { kind: 'chart'; chart: ChartSpec };

export interface Column {
  title: string;
  /** Relative width. */
  width: number;
  align?: 'left' | 'right';
}

export interface ChartSpec {
  title: string;
  /** Axis unit, e.g. 万元. */
  unit: string;
  labels: string[];
  series: { name: string; color: string; values: (number | null)[] }[];
  stacked: boolean;
}
