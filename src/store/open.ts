import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { openSqlite } from './dialects/sqlite.js'
import { migrateToLatest } from './migrate.js'

export interface StoreOptions {
  /** `file:./data/roster.db`, a plain path, or `:memory:`. PostgreSQL arrives with issue 4. */
  databaseUrl: string
  migrate?: boolean
}

export function sqliteFileFromUrl(databaseUrl: string): string | undefined {
  if (databaseUrl === ':memory:') return databaseUrl
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '')
  if (databaseUrl.startsWith('file:')) return databaseUrl.slice('file:'.length).replace(/^\/\//, '')
  if (!databaseUrl.includes('://')) return databaseUrl
  return undefined
}

/** Opens the configured database and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Kysely<Database>> {
  const file = sqliteFileFromUrl(options.databaseUrl)
  if (file === undefined) {
    throw new TypeError(
      `DATABASE_URL: unsupported database "${options.databaseUrl.split(':')[0]}"; use a SQLite file path`,
    )
  }
  const db = openSqlite(file)
  if (options.migrate !== false) await migrateToLatest(db)
  return db
}
