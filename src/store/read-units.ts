import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { holdSqliteConnection, sqliteHandleOf, sqliteReaderOf } from './dialects/sqlite.js'

/**
 * Runs the reads that render one response. On a SQLite file they run on a read-only connection of
 * their own: they never wait for the writer's connection (which Kysely hands out through an async
 * mutex, and which a write batch holds across turns of the event loop, see write-units.ts), and
 * being another connection they never see a batch's uncommitted rows — WAL gives each statement the
 * last committed state, so a write is visible to every read that starts after it was answered. The
 * reads of one turn of the event loop share one transaction (dialects/sqlite-turn-snapshot.ts).
 * Prepared statements (prepared-query.ts) go straight to better-sqlite3 there: each query through
 * Kysely's executor costs more than an indexed lookup itself (a user by id is ~8 µs in SQLite).
 * On an in-memory SQLite database (one connection only) the writer's connection is held for the
 * unit instead; on PostgreSQL the reads simply run on the pool.
 *
 * `unit` must use only the handle it is given, and must not wait on anything else.
 */
export async function runRead<T>(
  db: Kysely<Database>,
  unit: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const reader = sqliteReaderOf(db)
  if (reader) {
    reader.snapshot.enter()
    return unit(reader.db)
  }
  const handle = sqliteHandleOf(db)
  if (!handle) return unit(db)
  return db.connection().execute(async (connection) => {
    const release = holdSqliteConnection(connection, handle)
    try {
      return await unit(connection)
    } finally {
      release()
    }
  })
}
