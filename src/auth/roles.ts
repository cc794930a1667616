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

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'manages users, roles, scopes and regions',
  statistician: 'enters survey data for the regions in scope',
  reviewer: 'approves or returns submitted survey data in scope',
  accountant: 'maintains methodologies and runs the accounting',
  finance: 'defines compensation schemes and approves allocations',
  auditor: 'evaluates officials, writes departure-audit reports, reads the audit log',
  viewer: 'reads published results',
};
