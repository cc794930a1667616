/**
 * The objects the service writes to the audit log whole, by table, with the object type
 * (`entityType`) of their entries: the audit-log and vocabulary specs hold every column's name and
 * every enum value's name complete over them.
 */
export const LOGGED_WHOLE: Readonly<Record<string, string>> = {
  regions: 'region',
  users: 'user',
  methodologies: 'methodology',
  survey_forms: 'survey_form',
  accounting_runs: 'accounting_run',
  compensation_schemes: 'compensation_scheme',
  compensation_runs: 'compensation_run',
  officials: 'official',
  tenures: 'tenure',
  audit_reports: 'audit_report',
  monitoring_sections: 'monitoring_section',
  registry_parties: 'registry_party',
  parcel_sets: 'parcel_set',
  parcel_runs: 'parcel_run',
};
