import { FieldProblem } from '../../common/errors/domain-error';
import { inLanguage } from '../../common/i18n/text';
import { compileFigureFormula } from './scheme-content';

describe('a scheme formula', () => {
  it('asks for a condition where an eligibility rule is not one, in both languages', () => {
    const problems: FieldProblem[] = [];
    expect(compileFigureFormula('eligibility', 'gep_real_change', true, problems)).toBeNull();
    expect(problems.map((p) => [p.path, inLanguage(p.message, 'zh')])).toEqual([
      ['eligibility', '应为条件（比较式），如 gep_real_change >= -0.05'],
    ]);
    expect(inLanguage(problems[0].message, 'en')).toBe(
      'eligibility must be a condition (a comparison), e.g. gep_real_change >= -0.05',
    );
  });

  it('names the character and the figures it knows for another mistake', () => {
    const problems: FieldProblem[] = [];
    compileFigureFormula('weight', 'gep_prev * nope', false, problems);
    expect(inLanguage(problems[0].message, 'zh')).toMatch(/可用数据：gep, gep_prev/);
  });
});
