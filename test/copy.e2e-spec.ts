import { createHash } from 'node:crypto';
import { Client, PoolClient } from 'pg';
import { copyIn, CopyPieces, CopyText } from '../src/database/copy';
import { recreateDatabase } from '../src/database/database-server';

/**
 * COPY text written into pieces that are used again as soon as the connection has written them
 * out (`copyIn`'s `written`). Each piece is overwritten with zeros as soon as it is reported: had
 * any of its bytes not left yet, the table would not hold the rows made (or the COPY would fail).
 */
describe('COPY from pieces used again once written', () => {
  let client: Client;

  beforeAll(async () => {
    const url = await recreateDatabase(process.env.GEP_TEST_ADMIN_URL!, 'gep_test_copy');
    client = new Client({ connectionString: url });
    await client.connect();
    // indexed, so that PostgreSQL takes the rows slower than they are made: the connection's socket
    // then holds pieces not yet written out while the next rows are made
    await client.query('CREATE TABLE copied (line int PRIMARY KEY, body text NOT NULL)');
    await client.query('CREATE INDEX ON copied (body, line)');
  }, 60_000);
  afterAll(() => client.end());

  it('stores every row as it was made, each piece reported once, the pieces going round', async () => {
    const pieces = new CopyPieces(64);
    const made = new Set<ArrayBufferLike>();
    const yielded: Buffer[] = [];
    const reported = new Map<Buffer, number>();
    const expected = createHash('md5');
    const ROWS = 400_000;
    function* rows(): Generator<Buffer> {
      const filled: Buffer[] = [];
      const text = new CopyText(
        (piece) => filled.push(piece),
        () => {
          const piece = pieces.take();
          made.add(piece.buffer);
          return piece;
        },
      );
      for (let i = 0; i < ROWS; i++) {
        const body = `第${i}行 ${'林'.repeat(i % 97)} ${(i * 7919) % 10007}`;
        expected.update(`${body}\n`);
        text.add(`${i}\t${body}\n`);
        for (const piece of filled.splice(0)) {
          yielded.push(piece);
          yield piece;
        }
      }
      for (const piece of [...filled, ...text.bytes()]) {
        yielded.push(piece);
        yield piece;
      }
    }
    await copyIn(
      client as unknown as PoolClient,
      'COPY copied (line, body) FROM STDIN',
      rows(),
      (chunk) => {
        reported.set(chunk, (reported.get(chunk) ?? 0) + 1);
        chunk.fill(0); // what was still to be sent of it would now be zeros
        pieces.written(chunk);
      },
    );
    const [stored] = (
      await client.query<{ n: number; md5: string }>(
        `SELECT count(*)::int AS n, md5(string_agg(body || E'\\n', '' ORDER BY line)) AS md5 FROM copied`,
      )
    ).rows;
    expect(stored.n).toBe(ROWS);
    expect(stored.md5).toBe(expected.digest('hex'));
    expect(yielded.length).toBeGreaterThan(50); // ~70 MB
    expect(reported.size).toBe(yielded.length);
    expect(yielded.every((piece) => reported.get(piece) === 1)).toBe(true);
    // the pieces read ahead and on their way at any time, not one per piece of the text
    expect(made.size).toBeLessThan(yielded.length / 2);
  }, 120_000);
});
