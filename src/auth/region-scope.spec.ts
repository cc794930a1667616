import { nounZh } from '../common/errors/domain-error';
import { SCOPED_OBJECT_NOUNS, SCOPED_OBJECTS } from './region-scope';

describe('region scope refusals', () => {
  it('name every kind of scoped object in Chinese as well as in English', () => {
    const kinds = Object.keys(SCOPED_OBJECTS) as (keyof typeof SCOPED_OBJECTS)[];
    const untranslated = kinds.filter((k) => {
      const noun = SCOPED_OBJECT_NOUNS[k];
      return !noun || !/^[\u4e00-\u9fff]+$/.test(nounZh(noun));
    });
    expect(untranslated).toEqual([]);
    expect(nounZh(SCOPED_OBJECT_NOUNS.survey_form)).toBe('报表');
  });
});
