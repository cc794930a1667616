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

/** The roles as the bureaus name them. */
export const ROLE_ZH: Record<Role, string> = {
  admin: '系统管理员',
  statistician: '统计填报员',
  reviewer: '审核员',
  accountant: '核算员',
  finance: '财政',
  auditor: '审计',
  registry_clerk: '登记员',
  viewer: '查阅',
};
