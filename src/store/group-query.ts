import { type Expression, type Kysely, sql } from 'kysely'
import type { AttributePath, Filter } from '../scim/filter/ast.js'
import type { Database } from './database.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { sqliteSql } from './dialects/sqlite-sql.js'
import { compileGroupFilter, isGroupIndexedLookup } from './group-filter-sql.js'
import { groupSortExpression } from './group-sort.js'
import type { GroupRow } from './groups-repository.js'
import { pageWithTotal } from './list-page.js'

export type { GroupRow }

export interface GroupQuery {
  filter?: Filter
  sortBy?: AttributePath
  sortOrder?: 'ascending' | 'descending'
  /** 1-based (RFC 7644 §3.4.2.4); below 1 means 1. */
  startIndex: number
  /** Page size; 0 asks for totalResults only. The caller caps it. */
  count: number
}

/**
 * One page of a tenant's groups and the total matching the filter. Ordering is total (ties broken by
 * `created`, then `id`) so pages never overlap or skip; without sortBy it is `created, id`, served by
 * the (tenant_id, created, id) index. sortOrder without sortBy is ignored.
 */
export async function queryGroups(
  db: Kysely<Database>,
  tenantId: string,
  query: GroupQuery,
  dialect: SqlDialect = sqliteSql,
): Promise<{ totalResults: number; rows: GroupRow[] }> {
  const count = Number.isFinite(query.count) ? Math.max(0, Math.floor(query.count)) : 0
  const offset = Number.isFinite(query.startIndex) ? Math.max(1, Math.floor(query.startIndex)) - 1 : 0

  // Compile first: an invalid filter or sortBy fails before any SQL runs.
  const where = query.filter ? compileGroupFilter(query.filter, dialect) : undefined
  const sortKey = query.sortBy ? groupSortExpression(query.sortBy, dialect) : undefined
  // An indexed lookup finds a few rows; keep ORDER BY from luring the planner onto a sort index.
  const lookup = query.filter !== undefined && isGroupIndexedLookup(query.filter)
  const key = (expr: Expression<unknown>) => (lookup ? dialect.unindexed(expr) : expr)
  const readPage = () => {
    let page = db.selectFrom('groups').selectAll('groups').where('groups.tenant_id', '=', tenantId)
    if (where) page = page.where(where)
    if (sortKey) {
      // RFC 7644 §3.4.2.3: groups without a value come last when ascending, first when descending.
      page = page.orderBy(key(sortKey), (order) =>
        query.sortOrder === 'descending' ? order.desc().nullsFirst() : order.asc().nullsLast(),
      )
    }
    return (
      page
        .orderBy(key(sql.ref('groups.created')))
        .orderBy(key(sql.ref('groups.id')))
        // A literal LIMIT, as in queryUsers: SQLite plans a bound one worse, and the size is a validated integer.
        .limit(sql.lit(count))
        .offset(offset)
        .execute()
    )
  }
  return pageWithTotal(db, 'groups', tenantId, where, { offset, count }, readPage)
}
