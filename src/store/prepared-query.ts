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

interface PreparedSqlite {
  statement: SQLite.Statement
  /** For a statement that returns rows: turns one (fetched as an array) into an object. */
  row?: (values: unknown[]) => unknown
}

/**
 * Rows come from better-sqlite3 as arrays and become objects of one fixed shape, built by an object
 * literal compiled once per statement: better-sqlite3's own objects look every column name up in
 * V8's string table and grow property by property, on every row — about a fifth of a one-row
 * lookup, and more of a 100-row page.
 */
function prepareSqlite(handle: SQLite.Database, sql: string): PreparedSqlite {
  const statement = handle.prepare(sql)
  if (!statement.reader) return { statement }
  statement.raw(true)
  const names = statement.columns().map((column) => column.name)
  // Keys are JSON string literals, so any column name is safe; a repeated name keeps its last value,
  // as better-sqlite3's objects do.
  const literal = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ')
  const row = new Function('values', `return { ${literal} }`) as (values: unknown[]) => unknown
  return { statement, row }
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
  const statements = new WeakMap<SQLite.Database, PreparedSqlite>()
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
    let prepared = statements.get(handle)
    if (!prepared) {
      prepared = prepareSqlite(handle, template.sql)
      statements.set(handle, prepared)
    }
    const parameters = bindParameters(template, args)
    const { statement, row } = prepared
    if (row) return { rows: (statement.all(parameters) as unknown[][]).map(row) as Row[] }
    return { rows: [], numAffectedRows: BigInt(statement.run(parameters).changes) }
  }
}
