import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { JsonScalarType, JsonSource, SqlDialect } from './sql-dialect.js'

/**
 * `resource` stays a text column holding JSON.stringify's output, as on SQLite, and is read here as
 * `::jsonb`. A jsonb column would re-serialise it (keys reordered, spaces added), and the services
 * depend on the stored text: user-json.ts splices it into responses and keeps its key order.
 */
function document(source: JsonSource): Expression<unknown> {
  return source.kind === 'document' ? sql`(${source.column})::jsonb` : sql.ref(`${source.alias}.value`)
}

/** The jsonb node at `path` (`doc -> 'a' -> 'b'`); keys come from the schema registry, as literals. */
function node(source: JsonSource, path: readonly string[]): RawBuilder<unknown> {
  return path.reduce<RawBuilder<unknown>>(
    (json, key) => sql`${json} -> ${sql.lit(key)}`,
    sql`${document(source)}`,
  )
}

/** The text of the scalar at `path`: a string unquoted, other scalars as JSON text, NULL when absent. */
function text(source: JsonSource, path: readonly string[]): RawBuilder<unknown> {
  const last = path.at(-1)
  if (last === undefined) return sql`(${document(source)} #>> '{}')`
  return sql`(${node(source, path.slice(0, -1))} ->> ${sql.lit(last)})`
}

/** The value at `path` when it is an array, else NULL (jsonb's array functions throw on anything else). */
function array(source: JsonSource, path: readonly string[]): RawBuilder<unknown> {
  const json = node(source, path)
  return sql`(case jsonb_typeof(${json}) when 'array' then ${json} end)`
}

/** The elements of an array in order; nested iterations get distinct aliases. */
function eachElement(source: JsonSource, path: readonly string[]) {
  const alias = source.kind === 'document' ? 'elem' : `${source.alias}_n`
  const from = sql`jsonb_array_elements(${array(source, path)}) with ordinality as ${sql.id(alias)}(value, position)`
  return { from, element: { kind: 'element', alias } as const }
}

function scalar(source: JsonSource, path: readonly string[], type: JsonScalarType): RawBuilder<unknown> {
  if (type === 'string') return sql`(${text(source, path)} collate "C")`
  // A JSON value of another type reads as NULL (SQLite yields it untyped, and it matches nothing either).
  const json = node(source, path)
  const target = sql.raw(type === 'number' ? 'numeric' : 'boolean')
  return sql`(case jsonb_typeof(${json}) when ${sql.lit(type)} then (${json})::${target} end)`
}

/**
 * PostgreSQL: jsonb operators over the `resource` text, and ICU's root-locale lower-casing.
 *
 * Why ICU for `fold`: the *_lower columns are written with JS toLowerCase(), i.e. Unicode's default
 * full case mapping. lower() follows the column's collation: under "C" it folds ASCII only, and
 * under a libc locale such as C.UTF-8 it maps character by character ('İ' → 'i', where JS gives
 * 'i̇'; a final 'Σ' → 'σ', where JS gives 'ς'). ICU's root locale ("und-x-icu", present when
 * PostgreSQL is built with ICU, as Debian's and the official images are) applies the same
 * mapping as JS. The result is put back into "C", so folded text compares and sorts by bytes, like
 * the columns (see schema-types.ts) and SQLite.
 */
export const postgresSql: SqlDialect = {
  name: 'postgres',

  // The cast types a bare parameter (`$1 collate …` is rejected while its type is unknown).
  fold: (value) => sql`(lower(cast(${value} as text) collate "und-x-icu") collate "C")`,

  jsonScalar: scalar,

  jsonArrayLength: (source, path) => sql`jsonb_array_length(${array(source, path)})`,

  existsElement(source, path, predicate) {
    const { from, element } = eachElement(source, path)
    return sql<SqlBool>`exists (select 1 from ${from} where ${predicate(element)})`
  },

  pickElement(source, path, value, preferred) {
    const { from, element } = eachElement(source, path)
    // Ties on `preferred` (never NULL) fall back to list order; true sorts after false, hence desc.
    const position = sql.ref(`${element.alias}.position`)
    const order = preferred ? sql`${preferred(element)} desc, ${position}` : position
    return sql`(select ${value(element)} from ${from} order by ${order} limit 1)`
  },

  // PostgreSQL plans from statistics and does not trade a selective index for ORDER BY the way
  // SQLite does; and no no-op hides a column of every type (`+` is numeric only), so none is added.
  unindexed: (value) => sql`${value}`,

  bool: (value) => sql<SqlBool>`${sql.raw(value ? 'true' : 'false')}`,

  // strpos/starts_with/right compare characters literally (no LIKE wildcards). On "C" text,
  // starts_with can use a B-tree index (userName sw "…" on user_name_lower).
  contains: (haystack, needle) => sql<SqlBool>`(strpos(${haystack}, ${needle}) > 0)`,
  startsWith: (haystack, needle) => sql<SqlBool>`starts_with(${haystack}, ${needle})`,
  endsWith: (haystack, needle) =>
    sql<SqlBool>`(right(${haystack}, length(cast(${needle} as text))) = ${needle})`,
}
