import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '../database.js'
import { withStatementCache } from './statement-cache.js'

/**
 * Opens (creating if needed) a SQLite file. WAL lets readers run beside the single writer;
 * synchronous=NORMAL in WAL mode never loses a committed transaction when the process dies
 * (kill -9) — only a power cut can cost the last few, which `ROSTER_SQLITE_SYNC=full` closes too.
 */
export function openSqlite(
  file: string,
  options: { synchronous?: 'normal' | 'full' } = {},
): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const database = new SQLite(file)
  database.pragma('journal_mode = WAL')
  database.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  // SQLite's built-in lower() folds ASCII only; SCIM's case-insensitive rules are Unicode-wide,
  // and the *_lower columns are written with JS toLowerCase(), so comparisons must use the same fold.
  database.function('scim_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  )
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) })
}
