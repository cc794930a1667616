import iconv from 'iconv-lite';
import { Readable, Transform } from 'node:stream';
import { DomainError } from './errors/domain-error';
import { zhEn } from './i18n/text';

/** How much of a file is looked at to tell UTF-8 from GBK. */
const SNIFF_BYTES = 64 * 1024;

/**
 * A text file as UTF-8, whatever Excel saved it as: UTF-8 passes through (checked as it flows);
 * a file whose beginning is not UTF-8 but is GB 18030 (GBK, what Excel on Chinese Windows writes
 * for "CSV") is decoded from it. A file that is neither, or that stops being UTF-8 further on, is
 * refused with 「文件不是 UTF-8 编码」 and what to do.
 */
export function asUtf8(input: Readable): Readable {
  const out = toUtf8();
  input.on('error', (e) => out.destroy(e));
  return input.pipe(out);
}

/** {@link asUtf8} as a stage of a pipeline. */
export function toUtf8(): Transform {
  const head: Buffer[] = [];
  let headBytes = 0;
  let decided: 'utf8' | 'gbk' | null = null;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let gbk: ReturnType<typeof iconv.getDecoder> | null = null;

  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (decided === null) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_BYTES) return done();
        return decide(this, done);
      }
      pass(this, chunk, done);
    },
    flush(done) {
      if (decided === null) return decide(this, (e) => (e ? done(e) : finish(this, done)));
      finish(this, done);
    },
  });

  function decide(t: Transform, done: (e?: Error | null) => void) {
    const all = Buffer.concat(head);
    head.length = 0;
    decided = isUtf8(all) ? 'utf8' : isGb18030(all) ? 'gbk' : 'utf8';
    if (decided === 'gbk') gbk = iconv.getDecoder('gb18030');
    pass(t, all, done);
  }

  function pass(t: Transform, chunk: Buffer, done: (e?: Error | null) => void) {
    if (decided === 'gbk') {
      t.push(Buffer.from(gbk!.write(chunk), 'utf8'));
      return done();
    }
    try {
      utf8.decode(chunk, { stream: true });
    } catch {
      return done(notUtf8());
    }
    t.push(chunk);
    done();
  }

  function finish(t: Transform, done: (e?: Error | null) => void) {
    if (decided === 'gbk') {
      const rest = gbk!.end();
      if (rest) t.push(Buffer.from(rest, 'utf8'));
      return done();
    }
    try {
      utf8.decode();
    } catch {
      return done(notUtf8());
    }
    done();
  }

  return out;
}

/** Whether `bytes` are UTF-8 (a sequence cut at the end of a sniffed head is allowed). */
function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `bytes` read as GB 18030 without a replacement character (a multi-byte sequence cut at
 * the end of the head is allowed) and contain at least one Chinese character.
 */
function isGb18030(bytes: Buffer): boolean {
  const text = iconv.decode(bytes, 'gb18030');
  const body = text.endsWith('\ufffd') ? text.slice(0, -1) : text;
  return !body.includes('\ufffd') && /[\u4e00-\u9fff]/.test(body);
}

export const notUtf8 = (): DomainError =>
  DomainError.invalid(
    'file',
    zhEn(
      '文件不是 UTF-8 编码，也无法按 GBK 读取：请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”后重新上传',
      'the file is not UTF-8 (nor readable as GBK): save it as "CSV UTF-8" and upload it again',
    ),
  );
