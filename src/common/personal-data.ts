/**
 * Personal identity numbers (居民身份证号码) are personal data: only those who keep the register
 * (registry clerks and admins) see them in full; everyone else sees the first 6 and last 4
 * characters, wherever the number appears — a party, a right holder, an audit-log snapshot.
 */
export const SEES_ID_NUMBERS = ['registry_clerk', 'admin'] as const;

export const seesIdNumbers = (roles: readonly string[]): boolean =>
  roles.some((r) => (SEES_ID_NUMBERS as readonly string[]).includes(r));

export function maskIdNumber(id: string): string {
  return `${id.slice(0, 6)}${'*'.repeat(Math.max(0, id.length - 10))}${id.slice(-4)}`;
}

const ID_KEYS = new Set(['idNumber', 'id_number']);

/** A copy of a JSON value with every `idNumber` masked (snapshots of parties, holders…). */
export function maskIdNumbers<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => maskIdNumbers(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      ID_KEYS.has(k) && typeof v === 'string' ? maskIdNumber(v) : maskIdNumbers(v),
    ]),
  ) as T;
}
