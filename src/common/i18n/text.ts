/**
 * Messages in two languages. The service answers in Chinese by default and in English when the
 * request prefers it (`Accept-Language: en`). A message that a user can trigger is written once,
 * where it arises, in both languages with {@link zhEn}; the text travels as an ordinary string
 * (through class-validator, FieldProblem lists, joined lists of problems, job records) and is
 * resolved to one language when the answer is rendered ({@link inLanguage}).
 *
 * The two versions are held between control characters that messages do not otherwise carry:
 * STX zh US en ETX. Pieces may be nested and joined; each resolves on its own. Names refuse
 * control characters; a marker that arrives in other echoed input (a CSV cell) can only pick
 * between texts of the sender's own, and a stray one is shown as a space.
 */
export type Lang = 'zh' | 'en';

const OPEN = '\u0002';
const SEP = '\u001f';
const CLOSE = '\u0003';

/** One message in Chinese and English. */
export const zhEn = (zh: string, en: string): string => `${OPEN}${zh}${SEP}${en}${CLOSE}`;

// eslint-disable-next-line no-control-regex -- the markers are control characters on purpose
const INNERMOST = /\u0002([^\u0002\u0003\u001f]*)\u001f([^\u0002\u0003\u001f]*)\u0003/g;

/** The message in one language: every two-language piece resolved, innermost first. */
export function inLanguage(text: string, lang: Lang): string {
  if (!text.includes(OPEN)) return text;
  let out = text;
  for (let guard = 0; out.includes(OPEN) && guard < 32; guard++) {
    const next = out.replace(INNERMOST, (_, zh: string, en: string) => (lang === 'zh' ? zh : en));
    if (next === out) break;
    out = next;
  }
  // a malformed piece (cut in the middle) loses its markers rather than showing them
  // eslint-disable-next-line no-control-regex -- the markers
  return out.replace(/[\u0002\u0003\u001f]/g, ' ');
}

/** Whether a message has a Chinese version (a test helper and a lint for new messages). */
export const isBilingual = (text: string): boolean => text.includes(OPEN);

/**
 * The language a request prefers: English when `Accept-Language` ranks an English tag above every
 * Chinese one (by q-value, then order); Chinese otherwise, and when the header is absent.
 */
export function languageOf(acceptLanguage: string | string[] | undefined): Lang {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  if (!header) return 'zh';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh';
}
