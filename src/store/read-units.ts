import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { holdSqliteConnection, sqliteHandleOf } from './dialects/sqlite.js'

/**
 * Runs several reads that render one response on one acquisition of the connection. On SQLite,
 * Kysely hands its single connection out through an async mutex, and each query through its
 * executor costs more than an indexed lookup itself (a user by id is ~8 µs in SQLite); holding the
 * connection once lets prepared statements (prepared-query.ts) go straight to better-sqlite3.
 * Holding it also keeps the reads off a write batch's uncommitted rows (see write-units.ts), exactly
 * as separate queries would. On PostgreSQL the reads simply run on the pool.
 *
 * `unit` must use only the handle it is given, and must not wait on anything else.
 */
export async function runRead<T>(
  db: Kysely<Database>,
  unit: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
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
