import { readFileSync } from 'node:fs';
import { sourceFiles } from '../../test/support/source-files';
import { ENTRY_KINDS } from '../registry/registry-types';
import '../registry/ledger.service'; // registers the ledger's labels
import { FUND_STATES } from '../assessment/compensation/fund-event.entity';
import { actionLabel } from './action-labels';

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
});
