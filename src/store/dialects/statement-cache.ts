import type { Database, Statement } from 'better-sqlite3'
import type { SqliteDatabase } from 'kysely'

/**
 * Kysely's SQLite driver prepares every statement anew, which costs more than running it. SCIM
 * traffic repeats a handful of statements, so this keeps the most recent ones prepared. Safe
 * because better-sqlite3 is synchronous: a statement is never in use by two queries at once
 * (Kysely only streams with `iterate`, which we don't use).
 */
export function withStatementCache(database: Database, capacity = 256): SqliteDatabase {
  const statements = new Map<string, Statement>()
  return {
    close: () => {
      statements.clear()
      database.close()
    },
    prepare: (sql: string) => {
      let statement = statements.get(sql)
      if (statement) {
        // Map order is insertion order: re-inserting marks it most recently used.
        statements.delete(sql)
      } else {
        statement = database.prepare(sql)
        if (statements.size >= capacity) statements.delete(statements.keys().next().value as string)
      }
      statements.set(sql, statement)
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>
    },
  }
}
