import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely'
import type { Database } from './database.js'
import * as initial from './migrations/0001-initial.js'
import * as groups from './migrations/0002-groups.js'

/** Migrations are listed in code (not read from disk) so the compiled app and tsx agree. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-groups': groups,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
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
