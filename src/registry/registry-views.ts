import { Dec } from '../common/decimal';
import { EntryDocument } from './ledger-entry.entity';
import type { Boundary } from '../common/geometry/geometry';
import { FourBounds, UnitControls, UnitLink } from './registration-unit-version.entity';
import {
  EcosystemType,
  EntryKind,
  OwnerModel,
  PartyKind,
  ResourceType,
  RightType,
  UnitStatus,
  UnitType,
} from './registry-types';

/** A PostgreSQL daterange as two dates: `from` inclusive, `to` exclusive (null: open). */
export interface Period {
  from: string | null;
  to: string | null;
}

/** Parses `[2024-01-01,2025-01-01)`; `empty` (a version superseded on its first day) has no dates. */
export function parsePeriod(range: string): Period {
  const m = /^[[(]([^,]*),([^\])]*)[\])]$/.exec(range);
  if (!m) return { from: null, to: null };
  return { from: m[1] || null, to: m[2] || null };
}

export const decimalOrNull = (d: Dec | string | null | undefined): string | null =>
  d === null || d === undefined ? null : d.toString();

export interface UnitVersionView {
  period: Period;
  name: string;
  boundary: Boundary;
  areaHa: string;
  fourBounds: FourBounds | null;
  ownership: {
    model: OwnerModel;
    collectivePartyId: string | null;
    collectiveName: string | null;
    representative: string | null;
    proxy: string | null;
    manager: string | null;
    exerciseMode: string | null;
    exerciseContent: string | null;
  };
  stateAreaHa: string | null;
  collectiveAreaHa: string | null;
  disputedAreaHa: string | null;
  controls: UnitControls;
  links: UnitLink[];
  remarks: string | null;
  entryId: string;
}

export interface ResourceView {
  id: string;
  code: string;
  unitId: string;
  resourceType: ResourceType;
  derivedFrom: string[];
  period: Period;
  name: string | null;
  ecosystemType: EcosystemType;
  areaHa: string;
  stateAreaHa: string | null;
  collectiveAreaHa: string | null;
  disputedAreaHa: string | null;
  patchCount: number | null;
  geometry: Boundary | null;
  attributes: Record<string, unknown>;
  entryId: string;
}

export interface HolderView {
  partyId: string;
  name: string;
  kind: PartyKind;
  /** Percent. */
  share: string;
}

export interface RightView {
  id: string;
  resourceId: string;
  rightType: RightType;
  rightTypeZh: string;
  exclusive: boolean;
  period: Period;
  holders: HolderView[];
  encumbersRightId: string | null;
  derivedFromRightId: string | null;
  areaHa: string | null;
  priceYuan: string | null;
  document: EntryDocument;
  createdEntryId: string;
  endedEntryId: string | null;
}

export interface UnitView {
  id: string;
  code: string;
  regionCode: string;
  unitType: UnitType;
  /** Where the unit stands now. */
  status: UnitStatus;
  objectionDeadline: string | null;
  registeredOn: string | null;
  cancelledOn: string | null;
  /** The date read, and the unit's workflow state on that date (null: not yet pre-delimited). */
  asOf: string;
  statusAsOf: UnitStatus | null;
  version: UnitVersionView | null;
  resources: ResourceView[];
  rights: RightView[];
}

export interface EntryView {
  id: string;
  seq: string;
  unitId: string;
  kind: EntryKind;
  kindZh: string;
  effectiveDate: string;
  document: EntryDocument | null;
  reason: string | null;
  subjects: string[];
  payload: object;
  /** What the entry did to rights, in words: 「张三 → 李四：林地经营权，2.5 公顷」 (null when it did not touch one). */
  summary?: string | null;
  /** The user's username, as stored with the entry. */
  recordedBy: string;
  /** Who that is, for people: the user's display name (the username when the user is gone). */
  recordedByName?: string;
  recordedAt: Date;
}
