import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '../database.js'
import { startCheckpointer } from './sqlite-checkpointer.js'
import { TurnSnapshot } from './sqlite-turn-snapshot.js'
import { withStatementCache } from './statement-cache.js'

const handles = new WeakMap<Kysely<Database>, SQLite.Database>()

/**
 * The better-sqlite3 connection behind a Kysely instance made by openSqlite (undefined for any
 * other). Only for code that already holds Kysely's connection (see write-units.ts): using it
 * outside would bypass the connection mutex that keeps transactions apart.
 */
export function sqliteHandleOf(db: Kysely<Database>): SQLite.Database | undefined {
  return handles.get(db)
}

const held = new WeakMap<object, SQLite.Database>()

const readers = new WeakMap<Kysely<Database>, { db: Kysely<Database>; snapshot: TurnSnapshot }>()

/**
 * The read-only connection beside the writer of a Kysely instance made by openSqlite on a file
 * (undefined for :memory: and any other database), and its per-turn read transaction. See
 * read-units.ts.
 */
export function sqliteReaderOf(
  db: Kysely<Database>,
): { db: Kysely<Database>; snapshot: TurnSnapshot } | undefined {
  return readers.get(db)
}

/**
 * Marks `trx` — a Kysely instance bound to the connection (`db.connection()`) — as holding it, so
 * that statements run on `trx` may go straight to better-sqlite3 (heldSqliteConnection) instead of
 * through Kysely's executor. Only while the connection is held: call the returned release before
 * giving it back.
 */
export function holdSqliteConnection(trx: Kysely<Database>, handle: SQLite.Database): () => void {
  held.set(trx, handle)
  return () => held.delete(trx)
}

/** The better-sqlite3 connection `db` holds (see holdSqliteConnection), else undefined. */
export function heldSqliteConnection(db: object): SQLite.Database | undefined {
  return held.get(db)
}

/**
 * Opens (creating if needed) a SQLite file. WAL lets readers run beside the single writer;
 * synchronous=NORMAL in WAL mode never loses a committed transaction when the process dies
 * (kill -9) — only a power cut can cost the last few, which `options.synchronous: 'full'` closes too.
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
  // Checkpoints run in the background (sqlite-checkpointer.ts), but under a steady stream of writes
  // none of them completes (the writer appends while they copy), so the WAL only restarts when the
  // writer's own auto-checkpoint finishes the job on the event loop. At ~160 MB of WAL rather than
  // SQLite's 4 MB that happens forty times less often: at 100,000 users it takes ~7 % off a PATCH
  // (the file keeps that size on disk; a crash replays at most that much).
  database.pragma('wal_autocheckpoint = 40000')
  configureConnection(database, file)
  // Writes through Kysely (outside write units) end the readers' snapshot of this turn too.
  let readSnapshot: TurnSnapshot | undefined
  const connection = withStatementCache(database, { afterWrite: () => readSnapshot?.end() })
  if (file !== ':memory:') {
    const checkpointer = startCheckpointer(file)
    const close = connection.close
    connection.close = () => {
      checkpointer.stop()
      close()
    }
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) })
  handles.set(db, database)
  if (file !== ':memory:') {
    // Reads get a connection of their own (read-units.ts). Opened after the writer has set WAL mode.
    const reader = new SQLite(file, { readonly: true })
    configureConnection(reader, file)
    const readerConnection = withStatementCache(reader)
    const closeWriter = connection.close
    connection.close = () => {
      readerConnection.close()
      closeWriter()
    }
    const readerDb = new Kysely<Database>({ dialect: new SqliteDialect({ database: readerConnection }) })
    // Always "held": a read-only connection never has a transaction to keep apart, so prepared
    // statements may go straight to better-sqlite3 at any time.
    holdSqliteConnection(readerDb, reader)
    readSnapshot = new TurnSnapshot(reader)
    readers.set(db, { db: readerDb, snapshot: readSnapshot })
  }
  return db
}

/** What the writer and the reader connections share. */
function configureConnection(database: SQLite.Database, file: string): void {
  database.pragma('busy_timeout = 5000')
  // Reads straight from the page cache of the OS instead of copying into SQLite's own (2 MB) cache,
  // which keeps lookups flat as a directory grows past memory-sized caches.
  if (file !== ':memory:') database.pragma('mmap_size = 268435456')
  // SQLite's built-in lower() folds ASCII only; SCIM's case-insensitive rules are Unicode-wide,
  // and the *_lower columns are written with JS toLowerCase(), so comparisons must use the same fold.
  database.function('scim_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  )
}
