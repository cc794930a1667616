import { startTestApp, TestApp } from './support/test-app';

interface Indicator {
  code: string;
  service: string;
  citation: string;
  evidence: string;
  method?: { code: string; nameZh: string } | null;
  alternatives?: { code: string; nameZh: string; citation: string; evidence: string }[];
}

/** The seeded methodology keyed to GB/T 46869—2025, beside the unchanged 2022 trial one. */
describe('seeded standard GB/T 46869—2025', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token('wuyuan.accountant');
  });
  afterAll(() => t.close());

  const methodology = async (standardId: string) => {
    const list = await t.http
      .get(`/methodologies?standardId=${standardId}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    return (
      await t.http
        .get(`/methodologies/${list.body.items[0].id}`)
        .set('authorization', `Bearer ${token}`)
        .expect(200)
    ).body;
  };

  it('is its own published standard with the A.7 and A.11 alternatives and the deduction line', async () => {
    const m = await methodology('gbt-46869-2025');
    expect(m.status).toBe('published');
    const content = m.content as {
      requireOutOfRegionDeduction: boolean;
      services: { code: string; category: string; nameZh: string }[];
      indicators: Indicator[];
      parameters: { code: string; values: { evidence: string; source: string }[] }[];
    };
    expect(content.requireOutOfRegionDeduction).toBe(true);
    const ind = (code: string) => content.indicators.find((i) => i.code === code)!;
    expect(ind('co2_fixation').method?.nameZh).toBe('生物量法');
    expect(ind('co2_fixation').alternatives!.map((a) => a.nameZh)).toEqual([
      '固碳速率法',
      '净生态系统生产力（NEP）法',
    ]);
    expect(ind('co2_fixation').citation).toContain('附录 A.7');
    expect(ind('local_climate').method?.nameZh).toBe('蒸散发能量法');
    expect(ind('local_climate').alternatives!.map((a) => a.nameZh)).toEqual(['实测温差法']);
    expect(ind('flood_regulation').citation).toContain('附录 A.6');
    const deduction = content.services.filter((s) => s.category === 'out_of_region');
    expect(deduction.map((s) => s.nameZh)).toEqual(['区域外来水']);
    expect(content.indicators.filter((i) => i.service === 'inflow_water')).toHaveLength(1);
    // nothing is confirmed from the standard's own text: every item says so, and where it came from
    for (const i of content.indicators) {
      expect([i.code, i.evidence]).toEqual([i.code, 'unconfirmed']);
      expect(i.citation).toContain('GB/T 46869');
      for (const a of i.alternatives ?? []) expect(a.evidence).toBe('unconfirmed');
    }
    for (const p of content.parameters)
      for (const v of p.values) expect([p.code, v.evidence]).toEqual([p.code, 'unconfirmed']);
  });

  it('leaves the 2022 trial methodology as it was', async () => {
    const m = await methodology('ndrc-nbs-2022-trial');
    const content = m.content as {
      requireOutOfRegionDeduction?: boolean;
      services: { category: string }[];
      indicators: Indicator[];
    };
    expect(content.requireOutOfRegionDeduction).toBeUndefined();
    expect(content.services.some((s) => s.category === 'out_of_region')).toBe(false);
    expect(content.indicators.some((i) => i.alternatives?.length)).toBe(false);
    expect(content.indicators.find((i) => i.code === 'carbon')?.evidence).toBe('verified');
  });
});
