import { MethodologyPackage } from '../../../src/accounting/methodology/methodology-content';
import { BAIYANGDIAN_2017 } from './rcees-baiyangdian-2017';

/** Methodologies every installation starts with, as published versions. */
export const METHODOLOGY_SEEDS: MethodologyPackage[] = [BAIYANGDIAN_2017];
