import { getMetadataArgsStorage } from 'typeorm';
import { ENTITIES } from '../database/entities';
import { POLLUTANTS } from '../assessment/compensation/cross-section';
import { SECTION_STATES } from '../assessment/compensation/monitoring.entity';
import { FOREST_LEVELS, FOREST_OWNERSHIPS } from '../assessment/compensation/forest-compensation';
import { VocabularyController } from './vocabulary.controller';
import { LOGGED_WHOLE } from '../../test/support/logged-whole';

describe('the vocabulary the console reads', () => {
  const { auditValues, auditObjects, auditFields } = new VocabularyController().get();

  it('names every coded value of the objects the audit log holds whole', () => {
    const storage = getMetadataArgsStorage();
    const unnamed: string[] = [];
    let enums = 0;
    for (const [table, entityType] of Object.entries(LOGGED_WHOLE)) {
      expect(auditObjects[entityType]).toBeTruthy();
      const target = storage.tables.find(
        (t) => t.name === table && (ENTITIES as unknown[]).includes(t.target),
      )?.target;
      expect([table, target !== undefined]).toEqual([table, true]);
      for (const c of storage.columns.filter((x) => x.target === target)) {
        const values = c.options.enum;
        if (!values) continue;
        enums++;
        const list = Array.isArray(values) ? values : Object.values(values);
        for (const v of list)
          if (!auditValues[entityType]?.[c.propertyName]?.[String(v)])
            unnamed.push(`${entityType}.${c.propertyName} = ${String(v)}`);
      }
    }
    expect(unnamed).toEqual([]);
    expect(enums).toBeGreaterThanOrEqual(8);
    expect(auditValues.region.level.county).toBe('县');
    expect(auditValues.compensation_scheme.type.cross_section).toBe('跨界断面横向补偿');
  });

  it('names the codes inside the changes of monitoring months and forest areas', () => {
    for (const s of SECTION_STATES) expect(auditValues.monitoring_section.state[s]).toBeTruthy();
    for (const p of POLLUTANTS) expect(auditValues.monitoring_section.pollutant[p]).toBeTruthy();
    for (const l of FOREST_LEVELS) expect(auditValues.forest_area.forestLevel[l]).toBeTruthy();
    for (const o of FOREST_OWNERSHIPS) expect(auditValues.forest_area.ownership[o]).toBeTruthy();
    expect(auditValues.monitoring_section.state.dry).toBe('断流');
    // and the fields of those changes (monitoring.service, forest-areas.service)
    const changeFields = ['year', 'month', 'pollutant', 'state', 'concentration', 'inflow'];
    changeFields.push('regionCode', 'forestLevel', 'ownership', 'zone');
    expect(changeFields.filter((f) => !auditFields[f])).toEqual([]);
  });

  it('names only object types the audit log has', () => {
    expect(Object.keys(auditValues).filter((t) => !auditObjects[t])).toEqual([]);
  });
});
