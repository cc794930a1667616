import { isBilingual, zhEn } from './text';

/**
 * Chinese for class-validator's own messages, by constraint: what a field check says when the DTO
 * gave no message of its own. Numbers and lists are taken from the English message. A field's
 * path is given beside its message, so the message does not repeat the field's code.
 */
const CHINESE: Record<string, (english: string) => string> = {
  isDefined: () => '必填',
  isNotEmpty: () => '不能为空',
  isString: () => '应为文字',
  isInt: () => '应为整数',
  isNumber: () => '应为数字',
  isNumberString: () => '应为数字',
  isDecimal: () => '应为数字',
  isBoolean: () => '应为是或否（true 或 false）',
  isArray: () => '应为列表',
  isObject: () => '应为对象',
  isUuid: () => '应为编号（UUID）',
  isUUID: () => '应为编号（UUID）',
  isEmail: () => '应为电子邮箱地址',
  isEnum: (en) => `应为以下之一：${after(en, /following values: (.*)$/)}`,
  isIn: (en) => `应为以下之一：${after(en, /following values: (.*)$/)}`,
  min: (en) => `不能小于 ${after(en, /less than (\S+)/)}`,
  max: (en) => `不能大于 ${after(en, /greater than (\S+)/)}`,
  minLength: (en) => `至少 ${after(en, /equal to (\d+)/)} 个字符`,
  maxLength: (en) => `至多 ${after(en, /equal to (\d+)/)} 个字符`,
  arrayMinSize: (en) => `至少 ${after(en, /at least (\d+)/)} 项`,
  arrayMaxSize: (en) => `至多 ${after(en, /more than (\d+)/)} 项`,
  arrayNotEmpty: () => '不能为空列表',
  arrayUnique: () => '列表中有重复项',
  isISO8601: () => '日期格式应为 2024-01-05',
  isDateString: () => '日期格式应为 2024-01-05',
  matches: () => '格式不正确',
  whitelistValidation: () => '不认识的字段：请删除该字段（字段名区分大小写）',
  nestedValidation: () => '应为对象或对象列表',
  isLatitude: () => '应为纬度（-90 到 90）',
  isLongitude: () => '应为经度（-180 到 180）',
  isPositive: () => '应为正数',
  isNegative: () => '应为负数',
};

function after(english: string, pattern: RegExp): string {
  return pattern.exec(english)?.[1] ?? '';
}

/** A constraint's message in both languages (unchanged when it has both already). */
export function bilingualConstraint(constraint: string, message: string): string {
  if (isBilingual(message)) return message;
  const zh = CHINESE[constraint];
  return zh ? zhEn(zh(message), message) : message;
}

export const KNOWN_CONSTRAINTS = Object.keys(CHINESE);
