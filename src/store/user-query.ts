import { type Expression, type Kysely, sql } from 'kysely'
import type { AttributePath, Filter } from '../scim/filter/ast.js'
import type { Database } from './database.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { sqliteSql } from './dialects/sqlite-sql.js'
import { pageWithTotal } from './list-page.js'
import { compileUserFilter, isIndexedLookup } from './user-filter-sql.js'
import { keyLookupOf, runKeyLookup } from './user-key-lookup.js'
import { anchoredUserPage } from './user-page-anchors.js'
import { userSortExpression } from './user-sort.js'
import { type RenderableUser, selectRenderableUsers, type UserRowWithManager } from './users-repository.js'

export interface UserQuery {
  filter?: Filter
  sortBy?: AttributePath
  sortOrder?: 'ascending' | 'descending'
  /** 1-based (RFC 7644 §3.4.2.4); below 1 means 1. */
  startIndex: number
  /** Page size; 0 asks for totalResults only. The caller caps it. */
  count: number
}

/**
 * One page of a tenant's users and the total matching the filter. Ordering is total (ties broken by
 * `created`, then `id`) so pages never overlap or skip; without sortBy it is `created, id`, served by
 * the (tenant_id, created, id) index. sortOrder without sortBy is ignored.
 */
export async function queryUsers(
  db: Kysely<Database>,
  tenantId: string,
  query: UserQuery,
  dialect: SqlDialect = sqliteSql,
): Promise<{ totalResults: number; rows: (RenderableUser | UserRowWithManager)[] }> {
  const count = Number.isFinite(query.count) ? Math.max(0, Math.floor(query.count)) : 0
  const offset = Number.isFinite(query.startIndex) ? Math.max(1, Math.floor(query.startIndex)) - 1 : 0

  // How identity providers read a whole directory. On SQLite's read-only connection the total and
  // the start of a deep page come from cached anchors (user-page-anchors.ts); elsewhere (PostgreSQL,
  // a write unit, in-memory SQLite) the OFFSET query and COUNT below.
  if (!query.filter && !query.sortBy && !db.isTransaction) {
    const anchored = anchoredUserPage(db, tenantId, { offset, count })
    if (anchored) return anchored
  }

  // Matching lookups (`userName eq …`: most SCIM traffic) run as prepared statements and need no
  // compiling; a first page that is not full is also the total (RFC 7644 §3.4.2.4 promises no
  // snapshot across the page and the count anyway).
  const keyLookup =
    query.filter && !query.sortBy && offset === 0 && count > 0 && !db.isTransaction
      ? keyLookupOf(query.filter)
      : undefined
  if (keyLookup) {
    const rows = await runKeyLookup(db, tenantId, keyLookup, count)
    if (rows.length < count) return { totalResults: rows.length, rows }
  }

  // Compile first: an invalid filter or sortBy fails before any SQL runs.
  const where = query.filter ? compileUserFilter(query.filter, dialect) : undefined
  const sortKey = query.sortBy ? userSortExpression(query.sortBy, dialect) : undefined
  // An indexed lookup finds a few rows; keep ORDER BY from luring the planner onto a sort index.
  const lookup = query.filter !== undefined && isIndexedLookup(query.filter, dialect)
  const key = (expr: Expression<unknown>) => (lookup ? dialect.unindexed(expr) : expr)
  const readPage = () => {
    let page = selectRenderableUsers(db).where('users.tenant_id', '=', tenantId)
    if (where) page = page.where(where)
    if (sortKey) {
      // RFC 7644 §3.4.2.3: users without a value come last when ascending, first when descending.
      page = page.orderBy(key(sortKey), (order) =>
        query.sortOrder === 'descending' ? order.desc().nullsFirst() : order.asc().nullsLast(),
      )
    }
    return (
      page
        .orderBy(key(sql.ref('users.created')))
        .orderBy(key(sql.ref('users.id')))
        // A bound LIMIT keeps SQLite from its top-N sort and costs ~3× on every lookup; the page size
        // is a validated integer, so it is written into the statement (few distinct sizes are used).
        .limit(sql.lit(count))
        .offset(offset)
        .execute()
    )
  }
  return pageWithTotal(db, 'users', tenantId, where, { offset, count }, readPage)
}
