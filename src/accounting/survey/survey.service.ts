import { clock } from '../../common/clock';
import { zhEn } from '../../common/i18n/text';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditLogEntry } from '../../audit-log/audit-log.entity';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { AuthUser, SignedIn } from '../../auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { Page, pageOf, PageQuery } from '../../common/pagination';
import { RegionsService } from '../../regions/regions.service';
import { D } from '../../common/decimal';
import { MethodologyContent } from '../methodology/methodology-content';
import { MethodologiesService } from '../methodology/methodologies.service';
import { Readable } from 'node:stream';
import { NO_PROGRESS, Progress } from '../../jobs/progress';
import { bulkLoad, BulkLoadResult } from './bulk-load';
import { csvSource, LoadSource } from './load-sources';
import { CheckedRow, checkEntries, formVariables, FormVariable, ValueEntry } from './form-entries';
import { CheckFailure, checkForm } from './form-checks';
import { buildTemplate, locateProblem, parseUpload } from './form-workbook';
import { FormStatus, SurveyForm } from './survey-form.entity';
import { SurveyValue } from './survey-value.entity';
import { lockRow } from '../../database/lock-row';
import { RegionsRepository } from '../../regions/regions.repository';
import { scopeCondition } from '../../auth/region-scope';
import { AppConfig } from '../../config/app-config';

export interface FormFilter {
  standardId?: string;
  department?: string;
  regionCode?: string;
  year?: number;
  status?: FormStatus;
}

/** Form states as the bureaus say them (报表已提交…). */
const FORM_STATUS_ZH: Record<FormStatus, string> = {
  draft: '为草稿',
  submitted: '已提交',
  approved: '已审核通过',
  returned: '已退回',
};
const VERB_ZH: Record<string, string> = {
  approve: '审核通过',
  return: '退回',
  correct: '发起更正',
};

@Injectable()
export class SurveyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly methodologies: MethodologiesService,
    private readonly regions: RegionsService,
    private readonly auditLog: AuditLogService,
    private readonly config: AppConfig,
  ) {}

  async list(user: AuthUser, filter: FormFilter, page: PageQuery): Promise<Page<SurveyForm>> {
    const qb = this.dataSource.getRepository(SurveyForm).createQueryBuilder('f');
    if (user.regionCode) {
      qb.andWhere(scopeCondition('survey_form', 'f', ':scope::varchar', false), {
        scope: user.regionCode,
      });
    }
    if (filter.standardId)
      qb.andWhere('f.standardId = :standardId', { standardId: filter.standardId });
    if (filter.department)
      qb.andWhere('f.department = :department', { department: filter.department });
    if (filter.regionCode)
      qb.andWhere('f.regionCode = :regionCode', { regionCode: filter.regionCode });
    if (filter.year) qb.andWhere('f.year = :year', { year: filter.year });
    if (filter.status) qb.andWhere('f.status = :status', { status: filter.status });
    const [items, total] = await qb
      .orderBy('f.year', 'DESC')
      .addOrderBy('f.regionCode')
      .addOrderBy('f.department')
      .skip(page.offset)
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** A form with the variables it asks for and the values entered so far. */
  async get(
    user: AuthUser,
    id: string,
  ): Promise<{ form: SurveyForm; variables: FormVariable[]; values: SurveyValue[] }> {
    const form = await this.dataSource.getRepository(SurveyForm).findOneBy({ id });
    if (!form) throw DomainError.notFound('form', id);
    await this.regions.assertInScope(user, form.regionCode);
    const content = await this.contentOf(form.standardId);
    const values = await this.dataSource
      .getRepository(SurveyValue)
      .find({ where: { formId: id }, order: { variable: 'ASC', item: 'ASC' } });
    return { form, variables: formVariables(content, form.department), values };
  }

  async create(
    actor: SignedIn,
    input: { standardId: string; department: string; regionCode: string; year: number },
  ): Promise<SurveyForm> {
    const content = await this.contentOf(input.standardId, 'standardId');
    if (formVariables(content, input.department).length === 0) {
      const departments = [...new Set(content.variables.map((v) => v.department ?? '未指定'))].join(
        ', ',
      );
      throw DomainError.invalid(
        'department',
        zhEn(
          `${input.department}在 ${input.standardId} 中没有要填报的指标；填报部门有：${departments}`,
          `no variable of ${input.standardId} is reported by ${input.department}; departments: ${departments}`,
        ),
      );
    }
    await this.regions.assertInScope(actor.user, input.regionCode);
    return this.dataSource.transaction(async (manager) => {
      const { identifiers } = await manager.insert(SurveyForm, {
        ...input,
        status: 'draft',
        createdBy: actor.user.username,
      });
      const form = await manager.findOneByOrFail(SurveyForm, { id: identifiers[0].id as string });
      await this.auditLog.record(manager, actor, {
        action: 'survey_form.create',
        entityType: 'survey_form',
        entityId: form.id,
        after: form,
      });
      return form;
    });
  }

  /**
   * Opens the year's forms in one step: for every township of `regionCode` (or the township
   * itself) and every department that reports a variable (or the ones named), a draft form where
   * none exists yet; existing forms are left as they are. All or nothing; each form opened is in
   * the audit log.
   */
  async openYear(
    actor: SignedIn,
    input: { standardId: string; regionCode: string; year: number; departments?: string[] },
  ): Promise<{
    created: number;
    existing: number;
    regions: { code: string; name: string }[];
    departments: string[];
  }> {
    const content = await this.contentOf(input.standardId, 'standardId');
    const reporting = [
      ...new Set(content.variables.map((v) => v.department).filter((d): d is string => !!d)),
    ].filter((d) => formVariables(content, d).length > 0);
    const unknown = (input.departments ?? [])
      .map((d, i) => ({ d, i }))
      .filter(({ d }) => !reporting.includes(d));
    if (unknown.length)
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(
          `${unknown.map((u) => u.d).join('、')}在 ${input.standardId} 中没有要填报的指标；填报部门有：${reporting.join('、')}`,
          `${unknown.map((u) => u.d).join(', ')} report no variable of ${input.standardId}; departments: ${reporting.join(', ')}`,
        ),
        unknown.map(({ d, i }) => ({
          path: `departments[${i}]`,
          message: zhEn(`${d}没有要填报的指标`, `${d} reports no variable`),
        })),
      );
    const departments = input.departments?.length ? [...new Set(input.departments)] : reporting;
    await this.regions.assertInScope(actor.user, input.regionCode);
    return this.dataSource.transaction(async (manager) => {
      const regions = await RegionsRepository.within(manager, input.regionCode, 'township');
      if (regions.length === 0) {
        const region = await RegionsRepository.label(manager, input.regionCode);
        throw DomainError.invalid(
          'regionCode',
          zhEn(
            `${region.zh}没有乡镇级行政区：请选择一个县或乡镇`,
            `${region.en} has no township: choose a county or a township`,
          ),
        );
      }
      const wanted = regions.flatMap((r) =>
        departments.map((department) => ({
          standardId: input.standardId,
          department,
          regionCode: r.code,
          year: input.year,
          status: 'draft' as const,
          createdBy: actor.user.username,
        })),
      );
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(SurveyForm)
        .values(wanted)
        .orIgnore()
        .returning('id')
        .execute();
      const ids = (inserted.raw as { id: string }[]).map((r) => r.id);
      const forms = ids.length ? await manager.findBy(SurveyForm, { id: In(ids) }) : [];
      for (const form of forms)
        await this.auditLog.record(manager, actor, {
          action: 'survey_form.create',
          entityType: 'survey_form',
          entityId: form.id,
          after: form,
        });
      return {
        created: forms.length,
        existing: wanted.length - forms.length,
        regions,
        departments,
      };
    });
  }

  /**
   * Enters or changes values of a draft or returned form, all or nothing: every entry is checked
   * (known variable and item, compatible unit, decimal or null) and all problems are reported.
   */
  async saveValues(
    actor: SignedIn,
    id: string,
    revision: number,
    entries: ValueEntry[],
  ): Promise<SurveyForm> {
    return this.dataSource.transaction(async (manager) => {
      // The revision is checked only if something changes: saving what is stored is a no-op.
      const form = await this.lockForm(manager, actor.user, id, null);
      this.assertEditable(form);
      const variables = formVariables(await this.contentOf(form.standardId), form.department);
      const { problems, rows } = checkEntries(form, variables, entries);
      if (problems.length) {
        throw new DomainError(
          'VALIDATION_FAILED',
          zhEn(
            `填报的数值中有 ${problems.length} 处问题，未保存`,
            `${problems.length} problem(s) in the values; nothing was saved`,
          ),
          problems,
        );
      }
      return (await this.applyEntries(manager, actor, form, revision, rows)).form;
    });
  }

  /** Loads many forms at once from a CSV given in the request: see {@link bulkLoad}. */
  loadCsv(actor: SignedIn, text: string): Promise<BulkLoadResult> {
    return this.bulkLoad(actor, csvSource(Readable.from([text]), Buffer.byteLength(text)));
  }

  /** Loads values into many forms from a CSV or xlsx file, all or nothing: see {@link bulkLoad}. */
  bulkLoad(
    actor: SignedIn,
    source: LoadSource,
    progress: Progress = NO_PROGRESS,
  ): Promise<BulkLoadResult> {
    return bulkLoad(
      this.dataSource,
      (standardId) => this.methodologies.findPublished(standardId),
      actor,
      source,
      progress,
      this.config.IMPORT_BATCH_ROWS,
    );
  }

  private assertEditable(form: SurveyForm): void {
    if (form.status === 'submitted' || form.status === 'approved') {
      throw new DomainError(
        'FORM_LOCKED',
        zhEn(
          `报表${FORM_STATUS_ZH[form.status]}；${form.status === 'approved' ? '如需修改请先发起更正' : '请等待审核'}`,
          `the form is ${form.status}; ${form.status === 'approved' ? 'open a correction to change it' : 'wait for the review'}`,
        ),
      );
    }
  }

  /**
   * Writes checked entries that differ from what is stored, bumps the revision and audits the
   * changes; a no-op when nothing differs. `revision` null skips the optimistic-lock check.
   */
  private async applyEntries(
    manager: EntityManager,
    actor: SignedIn,
    form: SurveyForm,
    revision: number | null,
    rows: CheckedRow[],
  ): Promise<{ form: SurveyForm; changes: number }> {
    const before = await manager.find(SurveyValue, { where: { formId: form.id } });
    const old = new Map(before.map((b) => [`${b.variable}\u0000${b.item}`, b]));
    const changes = [];
    for (const { entry, item, unit } of rows) {
      const prev = old.get(`${entry.variable}\u0000${item}`);
      const value = entry.value === null ? null : new D(entry.value);
      const unchanged =
        prev !== undefined &&
        (prev.value === null ? value === null : value !== null && prev.value.eq(value)) &&
        prev.unit === unit &&
        prev.source === (entry.source ?? null) &&
        prev.note === (entry.note ?? null);
      if (unchanged) continue; // saving the same values again changes nothing
      if (revision !== null) this.assertRevision(form, revision);
      await manager.upsert(
        SurveyValue,
        {
          formId: form.id,
          variable: entry.variable,
          item,
          value,
          unit,
          source: entry.source ?? null,
          note: entry.note ?? null,
          updatedBy: actor.user.username,
        },
        ['formId', 'variable', 'item'],
      );
      changes.push({
        variable: entry.variable,
        item,
        from: prev ? { value: prev.value?.toString() ?? null, unit: prev.unit } : null,
        to: { value: entry.value, unit },
        source: entry.source ?? null,
      });
    }
    if (changes.length === 0) return { form, changes: 0 };
    const after = await this.bump(manager, form, {});
    await this.auditLog.record(manager, actor, {
      action: 'survey_form.save_values',
      entityType: 'survey_form',
      entityId: form.id,
      after: { revision: after.revision, changes },
    });
    return { form: after, changes: changes.length };
  }

  /**
   * Submits a draft or returned form for review. The methodology's validation rules run first:
   * an error blocks submission; a warning needs a written explanation (`explanations[rule]`).
   */
  async submit(
    actor: SignedIn,
    id: string,
    revision: number,
    explanations: Record<string, string> = {},
  ): Promise<SurveyForm> {
    return this.dataSource.transaction(async (manager) => {
      const form = await this.lockForm(manager, actor.user, id, revision);
      if (form.status !== 'draft' && form.status !== 'returned') {
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            `报表${FORM_STATUS_ZH[form.status]}，不能提交（草稿或已退回的报表才能提交）`,
            `cannot submit a form that is ${form.status} (only when draft or returned)`,
          ),
        );
      }
      const failures = await this.runChecks(manager, form);
      const errors = failures.filter((f) => f.severity === 'error');
      const explained = (rule: string) => {
        const text: unknown = explanations[rule];
        return typeof text === 'string' && text.trim() !== '';
      };
      const unexplained = failures.filter((f) => f.severity === 'warning' && !explained(f.rule));
      if (errors.length || unexplained.length) {
        throw new DomainError(
          'VALIDATION_FAILED',
          zhEn(
            `有 ${errors.length} 项错误，不能提交${unexplained.length ? `；${unexplained.length} 项警告需要说明理由` : ''}`,
            `${errors.length} error(s) block submission${unexplained.length ? `; ${unexplained.length} warning(s) need an explanation` : ''}`,
          ),
          [
            ...errors.map((f) => ({ path: `rules.${f.rule}`, message: f.message })),
            ...unexplained.map((f) => ({
              path: `explanations.${f.rule}`,
              message: zhEn(
                `此警告需要说明理由：${f.message}`,
                `warning needs an explanation: ${f.message}`,
              ),
            })),
          ],
        );
      }
      const after = await this.bump(manager, form, {
        status: 'submitted',
        submittedBy: actor.user.username,
        submittedAt: clock.now(),
      });
      const warnings = failures.map((f) => ({
        rule: f.rule,
        message: f.message,
        explanation: explanations[f.rule],
      }));
      await this.auditLog.record(manager, actor, {
        action: 'survey_form.submit',
        entityType: 'survey_form',
        entityId: id,
        before: { status: form.status, revision: form.revision },
        after: { status: after.status, revision: after.revision, warnings },
      });
      return after;
    });
  }

  /** The validation rules' findings on the form as it stands (errors and warnings). */
  async checks(user: AuthUser, id: string): Promise<CheckFailure[]> {
    const { form } = await this.get(user, id);
    return this.runChecks(this.dataSource.manager, form);
  }

  private async runChecks(manager: EntityManager, form: SurveyForm): Promise<CheckFailure[]> {
    const content = await this.contentOf(form.standardId);
    const values = await manager.find(SurveyValue, { where: { formId: form.id } });
    const prevForm = await manager.findOneBy(SurveyForm, {
      standardId: form.standardId,
      department: form.department,
      regionCode: form.regionCode,
      year: form.year - 1,
      status: 'approved',
    });
    const previous = prevForm
      ? await manager.find(SurveyValue, { where: { formId: prevForm.id } })
      : null;
    return checkForm(
      content,
      formVariables(content, form.department).map((v) => v.code),
      { region: form.regionCode, year: form.year },
      values,
      previous,
    );
  }

  async approve(actor: SignedIn, id: string, revision: number): Promise<SurveyForm> {
    return this.transition(actor, id, revision, ['submitted'], 'approved', 'approve', () => ({
      reviewedBy: actor.user.username,
      reviewedAt: clock.now(),
      comment: null,
    }));
  }

  async returnForm(
    actor: SignedIn,
    id: string,
    revision: number,
    comment: string,
  ): Promise<SurveyForm> {
    return this.transition(actor, id, revision, ['submitted'], 'returned', 'return', () => ({
      reviewedBy: actor.user.username,
      reviewedAt: clock.now(),
      comment,
    }));
  }

  /** Reopens an approved form for a correction, with a reason; it goes through review again. */
  async correct(
    actor: SignedIn,
    id: string,
    revision: number,
    reason: string,
  ): Promise<SurveyForm> {
    return this.transition(actor, id, revision, ['approved'], 'draft', 'correct', (f) => ({
      corrections: f.corrections + 1,
      comment: reason,
    }));
  }

  /** The form as an xlsx template to fill in (existing values prefilled). */
  async template(user: AuthUser, id: string): Promise<{ filename: string; data: Buffer }> {
    const { form, variables, values } = await this.get(user, id);
    const region = await this.regions.get(form.regionCode);
    const data = await buildTemplate(form, region.name, variables, values);
    return {
      filename: `${form.standardId}-${form.regionCode}-${form.year}-${form.department}.xlsx`,
      data,
    };
  }

  /**
   * Applies an uploaded template, all or nothing: every problem is reported with its sheet cell and
   * nothing is stored; the template's revision must still be the form's. Uploading the same file
   * twice changes nothing the second time.
   */
  async upload(actor: SignedIn, id: string, file: Buffer): Promise<SurveyForm> {
    const parsed = await parseUpload(file);
    if (parsed.problems.length) {
      throw new DomainError(
        'VALIDATION_FAILED',
        zhEn(
          `文件中有 ${parsed.problems.length} 处问题，未保存任何数据`,
          `${parsed.problems.length} problem(s) in the file; nothing was stored`,
        ),
        parsed.problems,
      );
    }
    if (parsed.formId !== id || parsed.revision === null) {
      throw DomainError.invalid(
        '说明!B1',
        zhEn(
          `此文件是报表 ${parsed.formId ?? '（无）'} 的模板，不是本报表（${id}）的；请下载本报表的模板`,
          `this file is the template of form ${parsed.formId ?? '(none)'}, not of form ${id}; download this form's template`,
        ),
      );
    }
    try {
      return await this.saveValues(actor, id, parsed.revision, parsed.entries);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'VALIDATION_FAILED') {
        throw new DomainError(
          'VALIDATION_FAILED',
          zhEn(
            `文件中有 ${e.errors.length} 处问题，未保存任何数据`,
            `${e.errors.length} problem(s) in the file; nothing was stored`,
          ),
          e.errors.map((p) => locateProblem(p, parsed.rows)),
        );
      }
      if (e instanceof DomainError && e.code === 'STALE_REVISION') {
        throw new DomainError(
          'STALE_REVISION',
          zhEn(
            `下载模板后报表已被修改（模板版本 ${parsed.revision}）；请重新下载模板`,
            `the form changed after this template was downloaded (template revision ${parsed.revision}); download it again`,
          ),
        );
      }
      throw e;
    }
  }

  /** Every change to the form and its values, oldest first (from the audit log). */
  async history(user: AuthUser, id: string): Promise<AuditLogEntry[]> {
    await this.get(user, id);
    return this.dataSource
      .getRepository(AuditLogEntry)
      .find({ where: { entityType: 'survey_form', entityId: id }, order: { id: 'ASC' } });
  }

  private async transition(
    actor: SignedIn,
    id: string,
    revision: number,
    from: FormStatus[],
    to: FormStatus,
    verb: string,
    extra: (f: SurveyForm) => Partial<SurveyForm>,
  ): Promise<SurveyForm> {
    return this.dataSource.transaction(async (manager) => {
      const form = await this.lockForm(manager, actor.user, id, revision);
      if (!from.includes(form.status)) {
        throw new DomainError(
          'STATE_NOT_ALLOWED',
          zhEn(
            `报表${FORM_STATUS_ZH[form.status]}，不能${VERB_ZH[verb] ?? verb}（只有${from.map((s) => FORM_STATUS_ZH[s]).join('或')}的报表可以）`,
            `cannot ${verb} a form that is ${form.status} (only when ${from.join(' or ')})`,
          ),
        );
      }
      const after = await this.bump(manager, form, { status: to, ...extra(form) });
      await this.auditLog.record(manager, actor, {
        action: `survey_form.${verb}`,
        entityType: 'survey_form',
        entityId: id,
        before: { status: form.status, revision: form.revision },
        after: { status: after.status, revision: after.revision, comment: after.comment },
      });
      return after;
    });
  }

  /** Locks the form, checks scope and that the caller's revision is current (409 if stale). */
  private async lockForm(
    manager: EntityManager,
    user: AuthUser,
    id: string,
    /** null: check the revision later (see saveValues). */
    revision: number | null,
  ): Promise<SurveyForm> {
    const form = await lockRow(manager, SurveyForm, id, 'form');
    await this.regions.assertInScope(user, form.regionCode);
    if (revision !== null) this.assertRevision(form, revision);
    return form;
  }

  private assertRevision(form: SurveyForm, revision: number): void {
    if (form.revision !== revision) {
      throw new DomainError(
        'STALE_REVISION',
        zhEn(
          `报表已被他人修改（当前版本 ${form.revision}，您提交的是 ${revision}）；请刷新后重试`,
          `the form was changed meanwhile (revision ${form.revision}; you sent ${revision}); reload it and retry`,
        ),
        [
          {
            path: 'revision',
            message: zhEn(`当前版本为 ${form.revision}`, `current revision is ${form.revision}`),
          },
        ],
      );
    }
  }

  private async bump(
    manager: EntityManager,
    form: SurveyForm,
    changes: Partial<SurveyForm>,
  ): Promise<SurveyForm> {
    await manager.update(SurveyForm, { id: form.id }, { ...changes, revision: form.revision + 1 });
    return manager.findOneByOrFail(SurveyForm, { id: form.id });
  }

  private async contentOf(standardId: string, field?: string): Promise<MethodologyContent> {
    const m = await this.methodologies.findPublished(standardId);
    if (!m) {
      const message = zhEn(
        `没有已发布的核算方法 ${standardId}`,
        `no published methodology has the standard id ${standardId}`,
      );
      throw new DomainError('VALIDATION_FAILED', message, field ? [{ path: field, message }] : []);
    }
    return m.content;
  }
}
