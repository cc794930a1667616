import { FieldProblem } from './domain-error';

/**
 * Named database constraints and what their violation means to the person who sent the request.
 * A constraint missing here still maps to 409/422, with a generic message naming the constraint.
 */
export const CONSTRAINT_MESSAGES: Record<string, FieldProblem> = {
  regions_pkey: { path: 'code', message: 'a region with this code already exists' },
  regions_parent_fk: { path: 'parentCode', message: 'the parent region does not exist' },
  users_username_key: { path: 'username', message: 'this username is taken' },
  users_region_fk: { path: 'regionCode', message: 'the region does not exist' },
  users_roles_check: { path: 'roles', message: 'unknown role' },
  compensation_schemes_code_version_key: {
    path: 'code',
    message: 'this scheme code already has a version with this number',
  },
  accounting_runs_one_published: {
    path: 'id',
    message:
      'another run of this standard, region and year was published at the same moment; compute the run again to supersede it',
  },
  tenures_no_overlap: {
    path: 'startDate',
    message:
      'this post of this region already has a tenure in these dates; tenures of one post cannot overlap',
  },
  tenures_dates_check: { path: 'endDate', message: 'a tenure cannot end before it starts' },
  compensation_runs_one_approved: {
    path: 'id',
    message:
      'another run of this scheme is already approved for this region and budget year; approved runs are final',
  },
};
