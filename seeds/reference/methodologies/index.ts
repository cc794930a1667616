import { MethodologyPackage } from '../../../src/accounting/methodology/methodology-content';
import { GBT_46869_2025 } from './gbt-46869-2025';
import { NDRC_NBS_2022_TRIAL } from './ndrc-nbs-2022-trial';
import { BAIYANGDIAN_2017 } from './rcees-baiyangdian-2017';

/** Methodologies every installation starts with, as published versions. */
export const METHODOLOGY_SEEDS: MethodologyPackage[] = [
  NDRC_NBS_2022_TRIAL,
  BAIYANGDIAN_2017,
  GBT_46869_2025,
];
