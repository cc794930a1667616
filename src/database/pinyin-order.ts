/**
 * `column` in the order a Chinese reader looks names up — by pinyin (阿明, 李四, 王五, 张三), through
 * ICU's Chinese collation — instead of the databases' C collation (code points: 张三 before 李四).
 * ICU is in the embedded PostgreSQL, Debian's and Citus's builds.
 */
export const pinyinOrder = (column: string): string => `${column} COLLATE "zh-x-icu"`;
