import type { Database, Statement } from 'better-sqlite3'
import type { SqliteDatabase } from 'kysely'

/**
 * Kysely's SQLite driver prepares every statement anew, which costs more than running it. SCIM
 * traffic repeats a handful of statements, so this keeps the most recent ones prepared. Safe
 * because better-sqlite3 is synchronous: a statement is never in use by two queries at once
 * (Kysely only streams with `iterate`, which we don't use).
 */
export function withStatementCache(
  database: Database,
  options: {
    capacity?: number
    /** Called after each statement that may have written (e.g. to end readers' snapshots). */
    afterWrite?: () => void
  } = {},
): SqliteDatabase {
  const { capacity = 256, afterWrite } = options
  const statements = new Map<string, Statement | WritingStatement>()
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
        const prepared = database.prepare(sql)
        statement = afterWrite && !prepared.readonly ? notifying(prepared, afterWrite) : prepared
        if (statements.size >= capacity) statements.delete(statements.keys().next().value as string)
      }
      statements.set(sql, statement)
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>
    },
  }
}

/** What Kysely's SQLite driver uses of a statement. */
interface WritingStatement {
  readonly reader: boolean
  all(parameters: unknown[]): unknown[]
  run(parameters: unknown[]): unknown
  iterate(parameters: unknown[]): IterableIterator<unknown>
}

function notifying(statement: Statement, afterWrite: () => void): WritingStatement {
  return {
    reader: statement.reader,
    all: (parameters) => {
      try {
        return statement.all(parameters)
      } finally {
        afterWrite()
      }
    },
    run: (parameters) => {
      try {
        return statement.run(parameters)
      } finally {
        afterWrite()
      }
    },
    iterate: (parameters) => statement.iterate(parameters),
  }
}
