import { zhEn } from '../i18n/text';
import { FieldProblem } from './domain-error';

/**
 * Named database constraints and what their violation means to the person who sent the request.
 * A constraint missing here still maps to 409/422, with a generic message naming the constraint.
 */
export const CONSTRAINT_MESSAGES: Record<string, FieldProblem> = {
  regions_pkey: {
    path: 'code',
    message: zhEn('已有此代码的行政区', 'a region with this code already exists'),
  },
  regions_parent_fk: {
    path: 'parentCode',
    message: zhEn('上级行政区不存在', 'the parent region does not exist'),
  },
  users_username_key: {
    path: 'username',
    message: zhEn('该用户名已被使用', 'this username is taken'),
  },
  registry_parties_id_number_key: {
    path: 'idNumber',
    message: zhEn(
      '已有同一类型、同一证件号码的权利人；请在权利人名录中选用它',
      'a party of this kind with this ID number already exists; choose it from the directory',
    ),
  },
  registration_units_code_key: {
    path: 'code',
    message: zhEn('已有此编号的登记单元', 'a registration unit with this code already exists'),
  },
  registry_resources_code_key: {
    path: 'code',
    message: zhEn('已有此编号的自然资源', 'a resource with this code already exists'),
  },
  survey_forms_instance_key: {
    path: 'year',
    message: zhEn(
      '该部门在此地区、年度已有这一核算标准的报表；请打开已有报表填写',
      'this department already has a form of this standard for this region and year; open that form',
    ),
  },
  survey_values_pkey: {
    path: 'values',
    message: zhEn('同一指标（分项）在报表中填写了两次', 'a value is given twice in the form'),
  },
  registry_entries_seq_key: {
    path: 'id',
    message: zhEn(
      '该登记单元同时有另一项登记写入；请刷新后重试',
      'another entry was written to this unit at the same moment; reload and try again',
    ),
  },
  registry_rights_exclusive_no_overlap: {
    path: 'rightType',
    message: zhEn(
      '该资源的同类排他性权利期限重叠（另一项登记同时写入）；请刷新后查看现有权利',
      'exclusive rights of one type on this resource would overlap (another entry was written at the same moment); reload and look at the current rights',
    ),
  },
  registration_unit_versions_no_overlap: {
    path: 'date',
    message: zhEn(
      '该登记单元在此日期已有另一项登记写入；请刷新后重试',
      'another entry changed this unit on this date at the same moment; reload and try again',
    ),
  },
  registry_resource_versions_no_overlap: {
    path: 'date',
    message: zhEn(
      '该自然资源在此日期已有另一项登记写入；请刷新后重试',
      'another entry changed this resource on this date at the same moment; reload and try again',
    ),
  },
  users_region_fk: {
    path: 'regionCode',
    message: zhEn('行政区不存在', 'the region does not exist'),
  },
  users_roles_check: { path: 'roles', message: zhEn('未知的角色', 'unknown role') },
  methodologies_standard_version_key: {
    path: 'version',
    message: zhEn(
      '该核算标准已有此版本号（导入方法包可用 ?version=next 成为下一版本）',
      'this standard already has a version with this number (a package can be imported with ?version=next)',
    ),
  },
  compensation_schemes_code_version_key: {
    path: 'code',
    message: zhEn(
      '该方案编号已有此版本号',
      'this scheme code already has a version with this number',
    ),
  },
  accounting_runs_one_published: {
    path: 'id',
    message: zhEn(
      '同一标准、地区、年度的另一核算同时发布了；请重新核算后再发布以取代它',
      'another run of this standard, region and year was published at the same moment; compute the run again to supersede it',
    ),
  },
  tenures_no_overlap: {
    path: 'startDate',
    message: zhEn(
      '该地区该职务在这些日期已有任期；同一职务的任期不能重叠',
      'this post of this region already has a tenure in these dates; tenures of one post cannot overlap',
    ),
  },
  tenures_dates_check: {
    path: 'endDate',
    message: zhEn('任期结束日期不能早于开始日期', 'a tenure cannot end before it starts'),
  },
  compensation_runs_one_approved: {
    path: 'id',
    message: zhEn(
      '该方案在此地区、预算年度已有审批的补偿计算；审批后不能更改',
      'another run of this scheme is already approved for this region and budget year; approved runs are final',
    ),
  },
};
