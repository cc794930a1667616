import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { expandChanges } from './change-table';

/**
 * One write, appended in the same transaction as the write itself. Rows can be neither updated
 * nor deleted: a trigger refuses it (see the migration `AuditLogAppendOnly`).
 */
@Entity('audit_log')
@Index('audit_log_entity_idx', ['entityType', 'entityId', 'at'])
@Index('audit_log_actor_idx', ['actorId', 'at'])
@Index('audit_log_at_idx', ['at'])
export class AuditLogEntry {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    primaryKeyConstraintName: 'audit_log_pkey',
  })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  /** Kept as written: the user may later be renamed, and failed logins name no user id. */
  @Column({ name: 'actor_username', type: 'varchar', length: 64, nullable: true })
  actorUsername!: string | null;

  /** `<entity>.<verb>`, e.g. `region.create`, `auth.login_failed`. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 64 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 128, nullable: true })
  entityId!: string | null;

  /** `json`, not `jsonb`: written once, read whole (migration AuditEntriesAsJson). */
  @Column({ type: 'json', nullable: true })
  before!: object | null;

  /** A bulk load's change table is read back as `changes` (see {@link expandChanges}). */
  @Column({
    type: 'json',
    nullable: true,
    transformer: { to: (x: object | null) => x, from: (x: object | null) => expandChanges(x) },
  })
  after!: object | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp!: string | null;
}
