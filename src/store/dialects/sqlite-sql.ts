import { type Expression, type SqlBool, sql } from 'kysely'
import type { JsonSource, SqlDialect } from './sql-dialect.js'

/** `['urn:…:User', 'manager', '$ref']` → `$."urn:…:User"."manager"."$ref"` (keys hold ':', '.' and '$'). */
function jsonPath(path: readonly string[]): string {
  return `$${path
    .map((key) => {
      // Keys come from the schema registry, never from a request; SQLite paths cannot escape '"'.
      if (key.includes('"')) throw new TypeError(`JSON key cannot contain '"': ${key}`)
      return `."${key}"`
    })
    .join('')}`
}

function document(source: JsonSource): Expression<unknown> {
  return source.kind === 'document' ? source.column : sql.ref(`${source.alias}.value`)
}

/** Table-valued json_each over an array; nested iterations get distinct aliases. */
function eachElement(source: JsonSource, path: readonly string[]) {
  const alias = source.kind === 'document' ? 'elem' : `${source.alias}_n`
  const from = sql`json_each(${document(source)}, ${jsonPath(path)}) as ${sql.id(alias)}`
  return { from, element: { kind: 'element', alias } as const }
}

/** SQLite: JSON1 functions over the `resource` text, and `scim_lower()` registered by openSqlite. */
export const sqliteSql: SqlDialect = {
  name: 'sqlite',

  fold: (value) => sql`scim_lower(${value})`,

  // json_extract already yields SQL text/number/0-1 for JSON strings/numbers/booleans.
  jsonScalar: (source, path) =>
    path.length === 0 && source.kind === 'element'
      ? sql`${document(source)}`
      : sql`json_extract(${document(source)}, ${jsonPath(path)})`,

  jsonArrayLength: (source, path) => sql`json_array_length(${document(source)}, ${jsonPath(path)})`,

  existsElement(source, path, predicate) {
    const { from, element } = eachElement(source, path)
    return sql<SqlBool>`exists (select 1 from ${from} where ${predicate(element)})`
  },

  pickElement(source, path, value, preferred) {
    const { from, element } = eachElement(source, path)
    // json_each's `key` is the array index: ties on `preferred` fall back to list order.
    const position = sql.ref(`${element.alias}.key`)
    // A constant ORDER BY term would be read as a column number, so an absent preference is left out.
    const order = preferred ? sql`${preferred(element)} desc, ${position}` : position
    return sql`(select ${value(element)} from ${from} order by ${order} limit 1)`
  },

  unindexed: (value) => sql`+${value}`,

  bool: (value) => sql<SqlBool>`${sql.raw(value ? '1' : '0')}`,

  // instr/substr compare characters literally, unlike LIKE (wildcards, and ASCII case folding).
  contains: (haystack, needle) => sql<SqlBool>`instr(${haystack}, ${needle}) > 0`,
  startsWith: (haystack, needle) => sql<SqlBool>`substr(${haystack}, 1, length(${needle})) = ${needle}`,
  endsWith: (haystack, needle) =>
    sql<SqlBool>`(length(${haystack}) >= length(${needle}) and substr(${haystack}, length(${haystack}) - length(${needle}) + 1) = ${needle})`,
}
