import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { openPostgres, type PostgresOptions } from './dialects/postgres.js'
import { openSqlite } from './dialects/sqlite.js'
import { assertUsableSchema, migrateToLatest, schemaState } from './migrate.js'

export interface StoreOptions {
  /** `postgres://…` / `postgresql://…`, or for SQLite `file:./data/roster.db`, a plain path, or `:memory:`. */
  databaseUrl: string
  /**
   * true (default): apply pending migrations. false: leave the schema alone (`roster migrate` opens
   * the store this way). 'require-current': apply nothing and refuse a schema with pending migrations.
   * A schema migrated by a newer Roster is refused unless this is false.
   */
  migrate?: boolean | 'require-current'
  /** PostgreSQL pool settings (ignored for SQLite). */
  postgres?: PostgresOptions
}

export function sqliteFileFromUrl(databaseUrl: string): string | undefined {
  if (databaseUrl === ':memory:') return databaseUrl
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '')
  if (databaseUrl.startsWith('file:')) return databaseUrl.slice('file:'.length).replace(/^\/\//, '')
  if (!databaseUrl.includes('://')) return databaseUrl
  return undefined
}

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl)
}

function openDatabase(options: StoreOptions): Kysely<Database> {
  if (isPostgresUrl(options.databaseUrl)) return openPostgres(options.databaseUrl, options.postgres)
  const file = sqliteFileFromUrl(options.databaseUrl)
  if (file === undefined) {
    throw new TypeError(
      `DATABASE_URL: unsupported database "${options.databaseUrl.split(':')[0]}"; use a SQLite file path or a postgres:// URL`,
    )
  }
  return openSqlite(file)
}

/** Opens the configured database and brings its schema up to date (see StoreOptions.migrate). */
export async function openStore(options: StoreOptions): Promise<Kysely<Database>> {
  const db = openDatabase(options)
  try {
    const migrate = options.migrate ?? true
    if (migrate === true) await migrateToLatest(db)
    else if (migrate === 'require-current')
      assertUsableSchema(await schemaState(db), { requireCurrent: true })
  } catch (error) {
    await db.destroy()
    throw error
  }
  return db
}
