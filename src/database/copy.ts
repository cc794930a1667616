import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * COPY text format: backslash, tab, newline and carriage return escaped; null as \N. Looked for
 * with `indexOf`, not a regular expression: over a province run's 30 MB of traces (none needing
 * an escape) 13–20 ms against 28–67 ms.
 */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.indexOf('\\') < 0 &&
    value.indexOf('\t') < 0 &&
    value.indexOf('\n') < 0 &&
    value.indexOf('\r') < 0
    ? value
    : value
        .replace(/\\/g, '\\\\')
        .replace(/\t/g, '\\t')
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r');
}

/** Bytes of a {@link CopyText} piece. */
export const COPY_PIECE_BYTES = 1 << 20;

/**
 * COPY text (rows made with {@link copyField}) written as UTF-8 into buffers of 1 MiB as it is
 * made, outside the JavaScript heap. A batch of 100,000 survey rows held as strings until it was
 * sent lived through the young generation's collections and was copied by each: over the same
 * three quarters of a 1,000,000-row file, those collections took 1.59 s, and 0.94 s since.
 */
export class CopyText {
  private readonly pieces: Buffer[] = [];
  private piece: Buffer | null = null;
  private used = 0;

  constructor(
    /** Given each piece as it is filled, instead of its being kept for {@link bytes}. */
    private readonly filled?: (piece: Buffer) => void,
    /**
     * A new piece of {@link COPY_PIECE_BYTES} bytes (contents ignored): a buffer used before and
     * handed back (see `RowsChunk.release`), or a new one.
     */
    private readonly newPiece: () => Buffer = () => Buffer.allocUnsafe(COPY_PIECE_BYTES),
  ) {}

  /**
   * Appends `text`: whole rows, each ending in a newline, where the pieces are counted in rows
   * (COPY itself takes a row split across pieces, as a run's snapshot is written).
   */
  add(text: string): void {
    if (!this.piece || this.used + 3 * text.length > this.piece.length) {
      if (this.used) {
        const full = this.piece!.subarray(0, this.used);
        if (this.filled) this.filled(full);
        else this.pieces.push(full);
      }
      this.piece =
        3 * text.length > COPY_PIECE_BYTES ? Buffer.allocUnsafe(3 * text.length) : this.newPiece();
      this.used = 0;
    }
    this.used += this.piece.write(text, this.used);
  }

  /** The text so far (not handed to `filled`), as pieces to hand to {@link copyIn}. */
  bytes(): Buffer[] {
    return this.used ? [...this.pieces, this.piece!.subarray(0, this.used)] : [...this.pieces];
  }
}

/**
 * Pieces for a {@link CopyText} on this thread, each used again once {@link copyIn} has written it
 * out (pass {@link written} to it). A buffer made and dropped for every piece counts against V8's
 * allowance of memory outside its heap, and every 64 MB of it start a full collection of the
 * thread's heap — of a national run's ~440 MB, ~0.6 s of marking each.
 */
export class CopyPieces {
  private readonly spare: Buffer[] = [];
  /** The pieces this stock made: only those come back to it. */
  private readonly own = new WeakSet<ArrayBufferLike>();

  constructor(private readonly keep = 16) {}

  /** A piece for {@link CopyText}: a spare one, or a new one. */
  readonly take = (): Buffer => {
    const spare = this.spare.pop();
    if (spare) return spare;
    const piece = Buffer.allocUnsafe(COPY_PIECE_BYTES);
    this.own.add(piece.buffer);
    return piece;
  };

  /** For {@link copyIn}'s `written`: a piece of this stock, written out, is spare again. */
  readonly written = (chunk: Buffer): void => {
    if (this.own.has(chunk.buffer)) this.handedBack(chunk.buffer);
  };

  /**
   * A piece's memory given to this stock from elsewhere (a piece this thread made and handed to
   * another, handed back once stored: see `RowsChunk.release`), spare if it is a piece's size.
   */
  handedBack(piece: ArrayBufferLike): void {
    if (piece.byteLength === COPY_PIECE_BYTES && this.spare.length < this.keep)
      this.spare.push(Buffer.from(piece, 0, COPY_PIECE_BYTES));
  }

  /** Lets the spare pieces go (their memory is then collected). */
  clear(): void {
    this.spare.length = 0;
  }
}

/**
 * Streams `chunks` (COPY text, fields through {@link copyField}; or its UTF-8 bytes) into `COPY …
 * FROM STDIN`. `written`, when given, is called with each Buffer chunk once the connection has
 * written all of it out (the socket's own callback for it): from then on nothing reads its memory,
 * which can be used again. A chunk of a COPY that fails may never be reported.
 */
export async function copyIn(
  client: PoolClient,
  sql: string,
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
  written?: (chunk: Buffer) => void,
): Promise<void> {
  const stream = copyFrom(sql);
  if (written) reportWrites(stream, written);
  await pipeline(Readable.from(chunks), client.query(stream));
}

/** What {@link reportWrites} replaces of pg-copy-streams' COPY stream (7.x). */
interface CopyDataWriter {
  flushChunk(chunk: Buffer | string): boolean;
  connection: { stream: Writable };
}

/**
 * Makes `stream` (pg-copy-streams' `from`) call `written` with each Buffer chunk when its socket
 * has written it. The stream sends each chunk as one CopyData message from `flushChunk`, writing
 * to the socket without a callback; this sends the same message (`d`, its length, the bytes)
 * with one.
 */
function reportWrites(stream: object, written: (chunk: Buffer) => void): void {
  const writer = stream as CopyDataWriter;
  if (typeof writer.flushChunk !== 'function')
    throw new Error('pg-copy-streams no longer writes its chunks with flushChunk');
  writer.flushChunk = function (this: CopyDataWriter, chunk: Buffer | string): boolean {
    const socket = this.connection.stream;
    const head = Buffer.alloc(5);
    head[0] = 0x64; // CopyData
    head.writeUInt32BE(Buffer.byteLength(chunk) + 4, 1);
    socket.write(head);
    return Buffer.isBuffer(chunk)
      ? socket.write(chunk, (error?: Error | null) => {
          if (!error) written(chunk);
        })
      : socket.write(chunk);
  };
}
