import { MigrationInterface } from 'typeorm';
import { Foundation1795368645646 } from './1795368645646-Foundation';

/** Every migration, oldest first. A test checks that each file in this folder is listed. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Foundation1795368645646];
