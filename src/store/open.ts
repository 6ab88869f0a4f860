import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { openPostgres } from './dialects/postgres.js'
import { openSqlite } from './dialects/sqlite.js'
import { migrateToLatest } from './migrate.js'

export interface StoreOptions {
  /** `postgres://…` / `postgresql://…`, or for SQLite `file:./data/roster.db`, a plain path, or `:memory:`. */
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

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl)
}

/** Opens the configured database and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Kysely<Database>> {
  if (isPostgresUrl(options.databaseUrl)) {
    const db = openPostgres(options.databaseUrl)
    try {
      if (options.migrate !== false) await migrateToLatest(db)
    } catch (error) {
      await db.destroy()
      throw error
    }
    return db
  }
  const file = sqliteFileFromUrl(options.databaseUrl)
  if (file === undefined) {
    throw new TypeError(
      `DATABASE_URL: unsupported database "${options.databaseUrl.split(':')[0]}"; use a SQLite file path or a postgres:// URL`,
    )
  }
  const db = openSqlite(file)
  if (options.migrate !== false) await migrateToLatest(db)
  return db
}
