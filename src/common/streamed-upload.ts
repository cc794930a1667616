import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { DomainError } from './errors/domain-error';
import { zhEn } from './i18n/text';

/**
 * Routes whose request body is streamed to a file by the handler instead of being parsed into
 * memory by a body parser (see `createApp`).
 */
export const STREAMED_UPLOAD_ROUTES = [
  { method: 'POST', path: '/survey/imports' },
  { method: 'POST', path: '/registry/imports' },
  { method: 'POST', path: '/parcels/imports' },
];

export function isStreamedUpload(req: Request): boolean {
  const path = req.originalUrl.split('?')[0].replace(/\/+$/, '');
  return STREAMED_UPLOAD_ROUTES.some((r) => r.method === req.method && r.path === path);
}

export interface ReceivedFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Streams the request body to a temporary file, hashing it on the way; refuses more than
 * `maxBytes` (413) and an empty body (422), and anything `admit` refuses. The caller deletes the
 * file.
 */
export async function receiveUpload(
  req: Request,
  maxBytes: number,
  /** Throws to refuse the upload before a byte is read (e.g. the job queue is full). */
  admit: () => Promise<void> = () => Promise.resolve(),
): Promise<ReceivedFile> {
  try {
    await admit();
  } catch (e) {
    req.resume();
    throw e;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new DomainError(
      'PAYLOAD_TOO_LARGE',
      zhEn(
        `文件有 ${declared} 字节；最多接受 ${maxBytes} 字节`,
        `the file has ${declared} bytes; at most ${maxBytes} are accepted`,
      ),
    );
  }
  const dir = join(tmpdir(), 'gep-uploads');
  await mkdir(dir, { recursive: true });
  const path = join(dir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(
          new DomainError(
            'PAYLOAD_TOO_LARGE',
            zhEn(
              `文件超过 ${maxBytes} 字节的上限`,
              `the file is larger than ${maxBytes} bytes, the most accepted`,
            ),
          ),
        );
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, meter, createWriteStream(path));
  } catch (e) {
    await rm(path, { force: true });
    if (e instanceof DomainError) throw e;
    throw new DomainError(
      'MALFORMED_REQUEST',
      zhEn('上传在完成前中断', 'the upload was interrupted before it ended'),
    );
  }
  const { size: sizeBytes } = await stat(path);
  if (sizeBytes === 0) {
    await rm(path, { force: true });
    throw DomainError.invalid('body', zhEn('文件是空的', 'the file is empty'));
  }
  return { path, sizeBytes, sha256: hash.digest('hex') };
}
