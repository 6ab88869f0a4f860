import { type Compilable, CompiledQuery, type Kysely } from 'kysely'

/**
 * A query built and compiled once, run many times with new arguments. Building and compiling a
 * Kysely query costs more than SQLite takes to run an indexed lookup, so the hottest lookups
 * (a user by id, Entra's `userName eq` matching) skip it.
 *
 * `build` receives placeholder values standing for the arguments; each placeholder must end up a
 * bound parameter of the compiled SQL (use them in `where`, not in `sql.lit` or identifiers).
 */
export function preparedQuery<DB, Args extends unknown[], Row>(
  db: Kysely<DB>,
  arity: Args['length'],
  build: (db: Kysely<DB>, ...placeholders: string[]) => Compilable<Row>,
): (...args: Args) => Promise<Row[]> {
  const placeholders = Array.from({ length: arity }, (_, i) => `\u0000prepared-argument-${i}\u0000`)
  const compiled = build(db, ...placeholders).compile()
  // For each bound parameter: the index of the argument it stands for, or the constant it is.
  const slots = compiled.parameters.map((parameter) => {
    const index = placeholders.indexOf(parameter as string)
    return index >= 0 ? { argument: index } : { constant: parameter }
  })
  for (let i = 0; i < arity; i++) {
    if (!slots.some((slot) => slot.argument === i))
      throw new TypeError(`preparedQuery: argument ${i} is not a bound parameter`)
  }
  return async (...args) => {
    const parameters = slots.map((slot) =>
      'argument' in slot ? args[slot.argument as number] : slot.constant,
    )
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters))
    return result.rows
  }
}
