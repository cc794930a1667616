import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

/** Streams `chunks` (COPY text, fields through {@link copyField}; or its UTF-8 bytes) into `COPY … FROM STDIN`. */
export async function copyIn(
  client: PoolClient,
  sql: string,
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}
