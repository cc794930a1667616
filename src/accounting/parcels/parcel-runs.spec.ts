import { NDRC_NBS_2022_TRIAL } from '../../../seeds/reference/methodologies/ndrc-nbs-2022-trial';
import { resolveParameters } from '../methodology/methodology-model';
import { compileParcelModel, parcelSelectSql } from './parcel-model';
import { runParcelsSql, storedParcels } from './parcel-runs.service';
import { ParcelSet } from './parcel-set.entity';

describe("a parcel run's stored statement", () => {
  const model = compileParcelModel(NDRC_NBS_2022_TRIAL);
  const params = resolveParameters(NDRC_NBS_2022_TRIAL, ['360000', '361100', '361130'], 2024);
  const set = { inputCodes: model.parcel.variables } as unknown as ParcelSet;
  const now = parcelSelectSql(model, params, storedParcels(set, true));
  const parcels = ' AND ($3::text[] IS NULL OR p.parcel_id = ANY($3::text[]))';
  const part = ' AND (hashtext(p.parcel_id) & 2147483647) % $4::int = $5::int';

  it('is run as stored when it names the parcels ($3) and the part ($4, $5)', () => {
    expect(now).toContain(parcels + part);
    expect(runParcelsSql(now)).toBe(`(${now} OFFSET 0)`);
  });

  it('gets the conditions it lacks where it is run: what a run stored earlier is not rewritten', () => {
    const before = now.replace(parcels, ''); // stored before runs took $3
    const earlier = before.replace(part, ''); // before runs were computed in parts
    expect([before, earlier].map((s) => s === now)).toEqual([false, false]);
    expect(runParcelsSql(before)).toBe(runParcelsSql(now));
    expect(runParcelsSql(earlier)).toBe(runParcelsSql(now));
  });
});
