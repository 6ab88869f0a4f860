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
  // Reads straight from the page cache of the OS instead of copying into SQLite's own (2 MB) cache,
  // which keeps lookups flat as a directory grows past memory-sized caches.
  if (file !== ':memory:') database.pragma('mmap_size = 268435456')
  // Checkpoint every ~40 MB of WAL instead of every 4 MB: a checkpoint syncs the database file,
  // and running it ten times less often takes most of that cost off the commits that trigger it.
  database.pragma('wal_autocheckpoint = 10000')
  // SQLite's built-in lower() folds ASCII only; SCIM's case-insensitive rules are Unicode-wide,
  // and the *_lower columns are written with JS toLowerCase(), so comparisons must use the same fold.
  database.function('scim_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  )
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) })
}
