import { readFileSync } from 'node:fs';
import { sourceFiles } from '../../test/support/source-files';
import { LOGGED_WHOLE } from '../../test/support/logged-whole';
import { ENTRY_KINDS } from '../registry/registry-types';
import '../registry/ledger.service'; // registers the ledger's labels
import { FUND_STATES } from '../assessment/compensation/fund-event.entity';
import '../auth/auth.service'; // registers the failed logins' reasons
import { getMetadataArgsStorage } from 'typeorm';
import { ENTITIES } from '../database/entities';
import {
  actionLabel,
  auditFieldLabels,
  entityTypeLabel,
  entityTypeLabels,
  reasonLabel,
} from './action-labels';

/** The top-level keys of each object literal written as an entry's `before` or `after`. */
function literalKeys(text: string): string[] {
  const keys: string[] = [];
  for (const m of text.matchAll(/\b(?:before|after): \{/g)) {
    let depth = 0;
    let token = '';
    for (let i = m.index + m[0].length; i < text.length; i++) {
      const c = text[i];
      if ('{[('.includes(c)) depth++;
      else if ('}])'.includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0) {
        token += c;
        continue;
      }
    }
    for (const k of token.matchAll(/(?:^|,)\s*(?:\.\.\.\s*\w[\w.]*|(\w+))\s*(?=[:,]|$)/g))
      if (k[1]) keys.push(k[1]);
  }
  return keys;
}

describe('audit-log action labels', () => {
  it('names every action the service records in Chinese', () => {
    const literal = new Set<string>();
    for (const f of sourceFiles('src'))
      for (const m of readFileSync(f, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_.]+)'/g))
        literal.add(m[1]);
    expect(literal.size).toBeGreaterThan(30);
    const all = [
      ...literal,
      ...ENTRY_KINDS.map((k) => `registry.${k}`),
      ...['approve', 'return', 'correct'].map((v) => `survey_form.${v}`),
      ...FUND_STATES.map((s) => `compensation_fund.${s}`),
    ];
    const unnamed = all.filter((a) => !actionLabel(a));
    expect(unnamed).toEqual([]);
    for (const a of all) expect([a, /[\u4e00-\u9fff]/.test(actionLabel(a)!)]).toEqual([a, true]);
  });

  it('reads as people say it', () => {
    expect(actionLabel('accounting_run.publish')).toBe('发布核算');
    expect(actionLabel('survey_form.submit')).toBe('提交报表');
    expect(actionLabel('registry.first_registration')).toBe('首次登记（登簿）');
    expect(actionLabel('compensation_fund.paid')).toBe('拨付补偿资金');
    expect(actionLabel('user.reset_password')).toBe('用户重置密码');
    expect(actionLabel('something.unknown')).toBeNull();
  });

  it('names every object type the service records in Chinese', () => {
    const literal = new Set<string>();
    for (const f of sourceFiles('src')) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/entityType: '([a-z_]+)'/g)) literal.add(m[1]);
      // the set-based writers name it in SQL, after the action
      for (const m of text.matchAll(/'[a-z_]+\.[a-z_]+', '([a-z_]+)', /g)) literal.add(m[1]);
    }
    expect(literal.size).toBeGreaterThan(15);
    expect([...literal].filter((t) => !entityTypeLabel(t))).toEqual([]);
    expect(Object.keys(entityTypeLabels()).sort()).toEqual([...literal].sort());
    expect(entityTypeLabel('survey_form')).toBe('报表');
    expect(entityTypeLabel('something')).toBeNull();
  });

  it("reads a failed login's coded reason, and leaves a written reason as written", () => {
    expect(reasonLabel('auth.login_failed', { reason: 'wrong password' })).toBe('密码错误');
    expect(reasonLabel('auth.login_failed', { reason: 'unknown user' })).toBe('用户名不存在');
    expect(reasonLabel('auth.login_failed', { reason: 'account disabled' })).toBe('账户已停用');
    expect(reasonLabel('accounting_run.withdraw', { reason: '数据有误，需重算' })).toBeNull();
    expect(reasonLabel('auth.login_failed', null)).toBeNull();
  });

  it('names the fields of the entries it records in Chinese', () => {
    // the objects written to the log whole: every column but the password's hash (never logged)
    const whole = Object.keys(LOGGED_WHOLE);
    const storage = getMetadataArgsStorage();
    const fields = new Set<string>();
    for (const table of whole) {
      const target = storage.tables.find(
        (t) => t.name === table && (ENTITIES as unknown[]).includes(t.target),
      )?.target;
      expect([table, target !== undefined]).toEqual([table, true]);
      for (const c of storage.columns.filter((x) => x.target === target))
        if (c.propertyName !== 'passwordHash') fields.add(c.propertyName);
    }
    // the entries written field by field
    const literal = new Set<string>();
    for (const f of sourceFiles('src'))
      for (const k of literalKeys(readFileSync(f, 'utf8'))) literal.add(k);
    expect(literal.size).toBeGreaterThan(25);
    expect(literal).toContain('byIncompleteRun');
    const labels = auditFieldLabels();
    const unnamed = [...fields, ...literal].filter((k) => !labels[k]);
    expect(unnamed).toEqual([]);
    expect(labels.standardId).toBe('核算方法');
  });
});
