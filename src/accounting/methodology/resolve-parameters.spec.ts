import { MethodologyContent } from './methodology-content';
import { resolveParameters } from './methodology-model';

const content = (
  values: MethodologyContent['parameters'][number]['values'],
): MethodologyContent => ({
  indexSets: [],
  services: [],
  variables: [],
  indicators: [],
  parameters: [{ code: 'price', nameZh: '价格', unit: '元/t', values }],
});

describe('resolveParameters', () => {
  const lineage = ['360000', '361100', '361130', '361130100'];
  const values = [
    { value: '100', source: 'national', evidence: 'verified' as const, region: null },
    { value: '110', source: 'Jiangxi', evidence: 'verified' as const, region: '360000' },
    {
      value: '130',
      source: 'Wuyuan 2020+',
      evidence: 'verified' as const,
      region: '361130',
      validFrom: 2020,
    },
    {
      value: '120',
      source: 'Wuyuan before 2020',
      evidence: 'verified' as const,
      region: '361130',
      validTo: 2019,
    },
    { value: '999', source: 'Dexing', evidence: 'verified' as const, region: '361181' },
  ];

  it('takes the most specific region whose period covers the year', () => {
    expect(resolveParameters(content(values), lineage, 2021).price.value).toBe('130');
    expect(resolveParameters(content(values), lineage, 2018).price).toMatchObject({
      value: '120',
      source: 'Wuyuan before 2020',
    });
    expect(
      resolveParameters(content(values), ['360000', '360200', '360281'], 2021).price.value,
    ).toBe('110');
    expect(resolveParameters(content(values), ['120000', '120114'], 2021).price.value).toBe('100');
  });

  it('gives null (not reported), never zero, when nothing applies', () => {
    const onlyLocal = [
      { value: '5', source: 'x', evidence: 'verified' as const, region: '361181' },
    ];
    expect(resolveParameters(content(onlyLocal), lineage, 2021).price).toMatchObject({
      value: null,
      chosen: null,
    });
  });

  it('carries the citation and price year into the source', () => {
    const v = [
      { value: '7.06', source: 'LY/T 1721-2008', evidence: 'verified' as const, priceYear: 2010 },
    ];
    expect(resolveParameters(content(v), lineage, 2021).price.source).toBe(
      'LY/T 1721-2008 (price year 2010)',
    );
  });
});
