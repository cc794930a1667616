export const ROLES = [
  'admin',
  'statistician',
  'reviewer',
  'accountant',
  'finance',
  'auditor',
  'viewer',
  'registry_clerk',
] as const;
export type Role = (typeof ROLES)[number];
