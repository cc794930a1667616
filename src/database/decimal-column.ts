import { ColumnOptions, ValueTransformer } from 'typeorm';
import { D, Dec, decimalOf } from '../common/decimal';

/**
 * numeric ↔ Decimal. PostgreSQL returns numeric as a string (no global pg type parser is
 * installed), which becomes a Decimal without passing through floating point; Decimals are
 * written back as their exact string. JSON serialisation of a Decimal is its string.
 */
export const decimalTransformer: ValueTransformer = {
  to: (v: Dec | string | null | undefined) => (v == null ? v : new D(v).toString()),
  from: (v: string | null) => (v == null ? null : decimalOf(v)),
};

/** Column options for an exact decimal: `numeric` without a fixed scale. */
export const decimalColumn = (
  options: Omit<ColumnOptions, 'type' | 'transformer'> = {},
): ColumnOptions => ({
  type: 'numeric',
  transformer: decimalTransformer,
  ...options,
});
