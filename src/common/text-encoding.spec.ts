import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { DomainError } from './errors/domain-error';
import { inLanguage } from './i18n/text';
import { asUtf8 } from './text-encoding';

/** The bytes, split into chunks of `size` (cutting multi-byte characters), read through asUtf8. */
async function read(bytes: Buffer, size: number): Promise<string> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out: Buffer[] = [];
  for await (const c of asUtf8(Readable.from(chunks))) out.push(c as Buffer);
  return Buffer.concat(out).toString('utf8');
}

const TEXT = 'standard_id,department,region_code\nndrc,林业局,361130100\n备注：二类调查，2025 年\n';

describe('text encoding of uploaded files', () => {
  it.each([1, 2, 3, 7, 1000])('passes UTF-8 through, in chunks of %i bytes', async (size) => {
    expect(await read(Buffer.from(TEXT, 'utf8'), size)).toBe(TEXT);
  });

  it.each([1, 2, 3, 7, 1000])(
    'reads GBK as Excel on Chinese Windows saves it (chunks of %i)',
    async (size) => {
      const gbk = iconv.encode(TEXT, 'gbk');
      expect(gbk.equals(Buffer.from(TEXT, 'utf8'))).toBe(false);
      expect(await read(gbk, size)).toBe(TEXT);
    },
  );

  it('refuses a file that is neither, saying how to save it', async () => {
    const latin1 = Buffer.from('name\ncafé crème\n', 'latin1');
    const err = await read(latin1, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(inLanguage((err as DomainError).message, 'zh')).toContain('文件不是 UTF-8 编码');
  });

  it('refuses a UTF-8 file that stops being UTF-8 after its beginning', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n'.repeat(20_000)), Buffer.from([0xff, 0x0a])]);
    await expect(read(bytes, 4096)).rejects.toBeInstanceOf(DomainError);
  });
});
