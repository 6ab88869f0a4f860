import { type Expression, sql } from 'kysely'
import type { AttributePath } from '../scim/filter/ast.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { sqliteSql } from './dialects/sqlite-sql.js'
import { GROUP_COLUMNS, groupAttributeKey } from './group-filter-sql.js'
import { failWith, pathLabel } from './user-operands.js'

const fail = failWith('invalidValue', 'sortBy')

/**
 * The ORDER BY key for a SCIM sortBy on groups (RFC 7644 §3.4.2.3): one of the typed columns —
 * displayName (its lower-cased column, so case-insensitive), externalId, id, meta.created,
 * meta.lastModified. Anything else, members included, is rejected with invalidValue. NULL
 * (a group without externalId) means "no value": the caller orders those last when ascending.
 * The dialect is taken for symmetry with userSortExpression; these columns need nothing of it.
 */
export function groupSortExpression(
  sortBy: AttributePath,
  _dialect: SqlDialect = sqliteSql,
): Expression<unknown> {
  const mapping = GROUP_COLUMNS[groupAttributeKey(sortBy, fail)]
  if (!mapping) throw fail(`groups cannot be sorted by "${pathLabel(sortBy)}"`)
  return sql.ref(`groups.${mapping.column}`)
}
