import { D } from './decimal';
import { zhEn } from './i18n/text';
import { NumberReading, readNumber } from './number-reading';

/** What a money unit word is worth in 元. */
const MONEY_UNITS: Record<string, string> = {
  元: '1',
  千元: '1000',
  万元: '10000',
  亿元: '100000000',
};
const WITH_UNIT = /^(.*?)\s*(亿元|万元|千元|元)$/;

/**
 * An amount of money as a finance clerk types it: a decimal in 元 (`50000000.00`), or with its
 * unit as the screen shows it (`5000 万元`, `0.5 亿元`, `１,２３４.５６ 元`). The number is read by
 * the one number rule and converted to 元 exactly; it must come to whole fen (0.01 元) and not be
 * negative. The result is a decimal string in 元.
 */
export function readYuan(raw: string): NumberReading {
  const text = raw.normalize('NFKC').trim();
  const m = WITH_UNIT.exec(text);
  const number = readNumber(m ? m[1] : text, { percent: false, nonNegative: true });
  if ('problem' in number) return number;
  const yuan = new D(number.value).times(MONEY_UNITS[m?.[2] ?? '元']);
  if (yuan.decimalPlaces() > 2)
    return {
      problem: zhEn(
        `“${raw.trim()}”折合 ${yuan.toFixed()} 元，不到分位；金额最多精确到分`,
        `"${raw.trim()}" is ${yuan.toFixed()} 元, finer than a fen; amounts are in whole fen`,
      ),
    };
  return { value: yuan.toFixed() };
}
