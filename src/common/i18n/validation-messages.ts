import { isBilingual, zhEn } from './text';

/**
 * Chinese for class-validator's own messages, by constraint: what a field check says when the DTO
 * gave no message of its own. Each entry is recognised by the shape of class-validator's default
 * English (a DTO's own English message is left as it is); numbers and lists are taken from it. A
 * field's path is given beside its message, so the message does not repeat the field's code.
 */
const CHINESE: Record<string, [RegExp, (m: RegExpExecArray) => string]> = {
  isDefined: [/should not be null or undefined$/, () => '必填'],
  isNotEmpty: [/should not be empty$/, () => '不能为空'],
  isString: [/must be a string$/, () => '应为文字'],
  isInt: [/must be an integer number$/, () => '应为整数'],
  isNumber: [/must be a number conforming to the specified constraints$/, () => '应为数字'],
  isNumberString: [/must be a number string$/, () => '应为数字'],
  isDecimal: [/is not a valid decimal number\.?$/, () => '应为数字'],
  isBoolean: [/must be a boolean value$/, () => '应为是或否（true 或 false）'],
  isArray: [/must be an array$/, () => '应为列表'],
  isObject: [/must be an object$/, () => '应为对象'],
  isUuid: [/must be a UUID$/, () => '应为编号（UUID）'],
  isEmail: [/must be an email$/, () => '应为电子邮箱地址'],
  isEnum: [/must be one of the following values: (.*)$/, (m) => `应为以下之一：${m[1]}`],
  isIn: [/must be one of the following values: (.*)$/, (m) => `应为以下之一：${m[1]}`],
  min: [/must not be less than (\S+)$/, (m) => `不能小于 ${m[1]}`],
  max: [/must not be greater than (\S+)$/, (m) => `不能大于 ${m[1]}`],
  minLength: [/must be longer than or equal to (\d+) characters$/, (m) => `至少 ${m[1]} 个字符`],
  maxLength: [/must be shorter than or equal to (\d+) characters$/, (m) => `至多 ${m[1]} 个字符`],
  arrayMinSize: [/must contain at least (\d+) elements$/, (m) => `至少 ${m[1]} 项`],
  arrayMaxSize: [/must contain no more than (\d+) elements$/, (m) => `至多 ${m[1]} 项`],
  arrayNotEmpty: [/should not be empty$/, () => '不能为空列表'],
  arrayUnique: [/elements must be unique$/, () => '列表中有重复项'],
  isIso8601: [/must be a valid ISO 8601 date string$/, () => '日期格式应为 2024-01-05'],
  isDateString: [/must be a valid ISO 8601 date string$/, () => '日期格式应为 2024-01-05'],
  matches: [/must match .* regular expression$/, () => '格式不正确'],
  whitelistValidation: [/^property (\S+) should not exist$/, (m) => `不认识的字段 ${m[1]}，请删除`],
  nestedValidation: [/must be either object or array$/, () => '应为对象或对象列表'],
  isLatitude: [/must be a latitude string or number$/, () => '应为纬度（-90 到 90）'],
  isLongitude: [/must be a longitude string or number$/, () => '应为经度（-180 到 180）'],
  isPositive: [/must be a positive number$/, () => '应为正数'],
  isNegative: [/must be a negative number$/, () => '应为负数'],
};

/** A constraint's message in both languages (unchanged when it has both already). */
export function bilingualConstraint(constraint: string, message: string): string {
  if (isBilingual(message)) return message;
  const known = CHINESE[constraint];
  const m = known?.[0].exec(message);
  return known && m ? zhEn(known[1](m), message) : message;
}

/** Each known constraint with an example of its default English (for tests). */
export const KNOWN_CONSTRAINTS = Object.keys(CHINESE);
