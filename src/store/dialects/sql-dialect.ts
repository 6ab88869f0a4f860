import type { Expression, RawBuilder, SqlBool } from 'kysely'

/**
 * The SQL fragments the SCIM filter and sort compilers need that differ between databases.
 * SQLite implements it with json_extract/json_each; PostgreSQL will with jsonb operators. The
 * compilers never write dialect-specific SQL themselves, and every user value reaches these
 * methods as an Expression (a bound parameter), never as text to splice.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres'

  /** Unicode lower-casing that agrees with JS toLowerCase(), which writes the *_lower columns. */
  fold(value: Expression<unknown>): RawBuilder<unknown>

  /**
   * The scalar at `path` (object keys) inside `source`, as a SQL value of `type`; NULL when absent.
   * An empty path means the source itself (an element of an array of strings, e.g. `schemas`).
   */
  jsonScalar(source: JsonSource, path: readonly string[], type: JsonScalarType): RawBuilder<unknown>

  /** Number of elements of the array at `path`; NULL or 0 when it is absent or not an array. */
  jsonArrayLength(source: JsonSource, path: readonly string[]): RawBuilder<unknown>

  /** True when some element of the array at `path` satisfies `predicate` (false when absent). */
  existsElement(
    source: JsonSource,
    path: readonly string[],
    predicate: (element: JsonSource) => Expression<SqlBool>,
  ): RawBuilder<SqlBool>

  /**
   * `value` of one element of the array at `path`: the first for which `preferred` holds, else the
   * first element; NULL for an absent or empty array. `preferred` must never yield NULL; without it
   * the first element is taken.
   */
  pickElement(
    source: JsonSource,
    path: readonly string[],
    value: (element: JsonSource) => Expression<unknown>,
    preferred?: (element: JsonSource) => Expression<SqlBool>,
  ): RawBuilder<unknown>

  /**
   * The same value, hidden from index matching (SQLite's unary `+`), so the planner keeps a selective
   * WHERE index instead of trading it for one that serves ORDER BY.
   */
  unindexed(value: Expression<unknown>): RawBuilder<unknown>

  /** A boolean literal, usable as a predicate or compared with a `jsonScalar(…, 'boolean')`. */
  bool(value: boolean): RawBuilder<SqlBool>

  /** Literal substring tests: no character of `needle` is a wildcard. NULL when either side is. */
  contains(haystack: Expression<unknown>, needle: Expression<unknown>): RawBuilder<SqlBool>
  startsWith(haystack: Expression<unknown>, needle: Expression<unknown>): RawBuilder<SqlBool>
  endsWith(haystack: Expression<unknown>, needle: Expression<unknown>): RawBuilder<SqlBool>
}

/** How a JSON value is read: PostgreSQL casts jsonb text to it, SQLite's json_extract needs no hint. */
export type JsonScalarType = 'string' | 'number' | 'boolean'

/**
 * Where JSON is read from: a document column (`users.resource`), or the current element of an array
 * being iterated by `existsElement`/`pickElement` (only the dialect creates those).
 */
export type JsonSource =
  | { readonly kind: 'document'; readonly column: Expression<unknown> }
  | { readonly kind: 'element'; readonly alias: string }

export function jsonDocument(column: Expression<unknown>): JsonSource {
  return { kind: 'document', column }
}
