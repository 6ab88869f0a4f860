import {
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from 'kysely'
import type { Database } from './database.js'
import * as initial from './migrations/0001-initial.js'
import * as groups from './migrations/0002-groups.js'
import * as consoleTables from './migrations/0003-console.js'
import * as provisioning from './migrations/0004-provisioning.js'
import * as provisioningTenant from './migrations/0005-provisioning-tenant.js'
import * as provisioningLeases from './migrations/0006-provisioning-leases.js'
import * as provisioningGoneSince from './migrations/0007-provisioning-gone-since.js'
import * as auditChains from './migrations/0008-audit-chains.js'
import * as lastModifiedUnindexed from './migrations/0009-users-last-modified-unindexed.js'
import * as workEmailDistinct from './migrations/0010-users-work-email-distinct.js'

/** Migrations are listed in code (not read from disk) so the compiled app and tsx agree. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-groups': groups,
  '0003-console': consoleTables,
  '0004-provisioning': provisioning,
  '0005-provisioning-tenant': provisioningTenant,
  '0006-provisioning-leases': provisioningLeases,
  '0007-provisioning-gone-since': provisioningGoneSince,
  '0008-audit-chains': auditChains,
  '0009-users-last-modified-unindexed': lastModifiedUnindexed,
  '0010-users-work-email-distinct': workEmailDistinct,
}

/** The migrations this build knows, in order. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(migrations).sort()

const provider: MigrationProvider = { getMigrations: async () => migrations }

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/**
 * The database's schema does not fit this build: newer (migrated by a later Roster) or, when the
 * caller asked not to migrate, older. Operator-facing: the message says what to do.
 */
export class SchemaVersionError extends Error {
  override name = 'SchemaVersionError'
}

export interface SchemaState {
  /** Applied migrations, in the order they were applied. */
  applied: string[]
  /** Known to this build and not applied yet. */
  pending: string[]
  /** Applied, but unknown to this build: the database was migrated by a newer Roster. */
  unknown: string[]
}

/** Names in Kysely's migration table; empty before the first migration. */
async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  if (!tables.some((table) => table.name === DEFAULT_MIGRATION_TABLE)) return []
  const { rows } = await sql<{
    name: string
  }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)} order by timestamp, name`.execute(db)
  return rows.map((row) => row.name)
}

export async function schemaState(db: Kysely<Database>): Promise<SchemaState> {
  const applied = await appliedMigrations(db)
  const done = new Set(applied)
  return {
    applied,
    pending: KNOWN_MIGRATIONS.filter((name) => !done.has(name)),
    unknown: applied.filter((name) => !KNOWN_MIGRATIONS.includes(name)),
  }
}

/**
 * Refuses a schema this build would misread: one migrated by a newer Roster (it may have renamed or
 * repurposed columns), and, with `requireCurrent`, one with migrations still to apply.
 */
export function assertUsableSchema(state: SchemaState, options: { requireCurrent?: boolean } = {}): void {
  if (state.unknown.length > 0) {
    throw new SchemaVersionError(
      `the database schema is newer than this Roster: it has migration(s) ${state.unknown.join(', ')}, ` +
        `which this build (latest ${KNOWN_MIGRATIONS.at(-1)}) does not know. Run the Roster version that ` +
        'migrated it, or a later one; never an older one.',
    )
  }
  if (options.requireCurrent && state.pending.length > 0) {
    throw new SchemaVersionError(
      `the database schema is behind this Roster: migration(s) ${state.pending.join(', ')} are pending. ` +
        'Run `roster migrate` first (or start without --no-migrate / AUTO_MIGRATE=false).',
    )
  }
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  assertUsableSchema(await schemaState(db))
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error) {
    throw new MigrationError(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, {
      cause: error,
    })
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}

/**
 * Applies the pending migrations up to and including `target` (a name in KNOWN_MIGRATIONS): how a
 * migration's backfill is tested against data written by the schema before it.
 */
export async function migrateUpTo(db: Kysely<Database>, target: string): Promise<void> {
  if (!KNOWN_MIGRATIONS.includes(target)) throw new MigrationError(`unknown migration "${target}"`)
  const { error } = await new Migrator({ db, provider }).migrateTo(target)
  if (error) throw new MigrationError(`migrating to ${target} failed: ${String(error)}`, { cause: error })
}
