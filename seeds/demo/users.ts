import { Role } from '../../src/auth/roles';

/** Shared password of every demo user; demo data is for trying the service, never production. */
export const DEMO_PASSWORD = 'gep-demo-2026';

export interface DemoUserSeed {
  username: string;
  displayName: string;
  roles: Role[];
  regionCode: string | null;
}

/** One user per role, scoped as a county (婺源县) or township (紫阳镇) office would be. */
export const DEMO_USERS: DemoUserSeed[] = [
  { username: 'admin', displayName: '系统管理员', roles: ['admin'], regionCode: null },
  { username: 'wuyuan.admin', displayName: '婺源县管理员', roles: ['admin'], regionCode: '361130' },
  {
    username: 'wuyuan.stat',
    displayName: '婺源县统计局 统计员',
    roles: ['statistician'],
    regionCode: '361130',
  },
  {
    username: 'ziyang.stat',
    displayName: '紫阳镇 统计员',
    roles: ['statistician'],
    regionCode: '361130100',
  },
  {
    username: 'wuyuan.reviewer',
    displayName: '婺源县统计局 审核员',
    roles: ['reviewer'],
    regionCode: '361130',
  },
  {
    username: 'wuyuan.accountant',
    displayName: '婺源县 GEP 核算员',
    roles: ['accountant'],
    regionCode: '361130',
  },
  {
    username: 'wuyuan.finance',
    displayName: '婺源县财政局',
    roles: ['finance'],
    regionCode: '361130',
  },
  {
    username: 'shangrao.auditor',
    displayName: '上饶市审计局',
    roles: ['auditor'],
    regionCode: '361100',
  },
  {
    username: 'wuyuan.registrar',
    displayName: '婺源县自然资源局 登记员',
    roles: ['registry_clerk'],
    regionCode: '361130',
  },
  {
    username: 'dexing.registrar',
    displayName: '德兴市自然资源局 登记员',
    roles: ['registry_clerk'],
    regionCode: '361181',
  },
  { username: 'viewer', displayName: '公众查询', roles: ['viewer'], regionCode: null },
];
