import type SQLite from 'better-sqlite3'
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely'
import { heldSqliteConnection } from './dialects/sqlite.js'

/** A compiled query whose bound parameters are either call arguments or constants. */
interface Template {
  sql: string
  slots: ({ argument: number } | { constant: unknown })[]
}

function placeholdersFor(arity: number): string[] {
  return Array.from({ length: arity }, (_, i) => `\u0000prepared-argument-${i}\u0000`)
}

function compileTemplate<DB>(
  db: Kysely<DB>,
  arity: number,
  build: (db: Kysely<DB>, ...placeholders: string[]) => Compilable<unknown>,
): Template {
  const placeholders = placeholdersFor(arity)
  const compiled = build(db, ...placeholders).compile()
  // For each bound parameter: the index of the argument it stands for, or the constant it is.
  const slots = compiled.parameters.map((parameter) => {
    const index = placeholders.indexOf(parameter as string)
    return index >= 0 ? { argument: index } : { constant: parameter }
  })
  for (let i = 0; i < arity; i++) {
    if (!slots.some((slot) => 'argument' in slot && slot.argument === i))
      throw new TypeError(`preparedStatement: argument ${i} is not a bound parameter`)
  }
  return { sql: compiled.sql, slots }
}

function bindParameters(template: Template, args: readonly unknown[]): unknown[] {
  return template.slots.map((slot) => ('argument' in slot ? args[slot.argument] : slot.constant))
}

/**
 * A query built and compiled once, run many times with new arguments, on whichever Kysely it is
 * given — the database, a transaction or a held connection (write-units.ts, read-units.ts).
 * Building and compiling a Kysely query costs more than SQLite takes to run an indexed lookup, so
 * the hot statements skip it. The SQL is compiled on first use for each dialect (Kysely instances of
 * one database share their adapter), so the same statement serves SQLite and PostgreSQL.
 *
 * `build` receives placeholder values standing for the arguments; each placeholder must end up a
 * bound parameter of the compiled SQL (use them in `where`, not in `sql.lit` or identifiers).
 */
export function preparedStatement<DB, Args extends unknown[], Row = never>(
  arity: Args['length'],
  build: (db: Kysely<DB>, ...placeholders: string[]) => Compilable<Row>,
): (db: Kysely<DB>, ...args: Args) => Promise<QueryResult<Row>> {
  const templates = new WeakMap<object, Template>()
  const statements = new WeakMap<SQLite.Database, SQLite.Statement>()
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter
    let template = templates.get(adapter)
    if (!template) {
      template = compileTemplate(db, arity, build)
      templates.set(adapter, template)
    }
    const handle = heldSqliteConnection(db)
    if (!handle) return db.executeQuery<Row>(CompiledQuery.raw(template.sql, bindParameters(template, args)))
    // A held connection (write-units.ts, read-units.ts): better-sqlite3 directly, the statement prepared once
    // — what Kysely's driver would do, minus its executor's per-query work.
    let statement = statements.get(handle)
    if (!statement) {
      statement = handle.prepare(template.sql)
      statements.set(handle, statement)
    }
    const parameters = bindParameters(template, args)
    if (statement.reader) return { rows: statement.all(parameters) as Row[] }
    return { rows: [], numAffectedRows: BigInt(statement.run(parameters).changes) }
  }
}
