import { CHANGE_COLUMNS, expandChanges } from './change-table';

describe('change table', () => {
  it('reads back as the changes a form save writes, a new cell with no "from"', () => {
    const after = {
      revision: 3,
      via: 'bulk load (csv)',
      changeColumns: [...CHANGE_COLUMNS],
      changeRows: [
        ['carbon_fixed', 'forest', '12.5', 'tC', '13', 'tC', '林业局台账'],
        ['carbon_fixed', 'shrub', null, 'tC', '4', 't', null],
        ['area', '', null, null, null, 'hm2', null],
      ],
    };
    expect(expandChanges(after)).toEqual({
      revision: 3,
      via: 'bulk load (csv)',
      changes: [
        {
          variable: 'carbon_fixed',
          item: 'forest',
          from: { value: '12.5', unit: 'tC' },
          to: { value: '13', unit: 'tC' },
          source: '林业局台账',
        },
        // the cell existed, blank (not reported): "from" has a unit and no value
        {
          variable: 'carbon_fixed',
          item: 'shrub',
          from: { value: null, unit: 'tC' },
          to: { value: '4', unit: 't' },
          source: null,
        },
        // the cell did not exist: no "from"
        { variable: 'area', item: '', from: null, to: { value: null, unit: 'hm2' }, source: null },
      ],
    });
  });

  it('follows the columns named in the entry, not their position', () => {
    const after = {
      changeColumns: ['toValue', 'variable', 'toUnit'],
      changeRows: [['7', 'v', 'm']],
    };
    expect(expandChanges(after)).toEqual({
      changes: [
        { variable: 'v', item: null, from: null, to: { value: '7', unit: 'm' }, source: null },
      ],
    });
  });

  it('leaves every other entry as it is', () => {
    const saved = { revision: 2, changes: [{ variable: 'x' }] };
    expect(expandChanges(saved)).toBe(saved);
    expect(expandChanges(null)).toBeNull();
    expect(expandChanges({ status: 'approved' })).toEqual({ status: 'approved' });
  });
});
