export const ROLES = [
  'admin',
  'statistician',
  'reviewer',
  'accountant',
  'finance',
  'auditor',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];
