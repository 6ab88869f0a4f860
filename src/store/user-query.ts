import { type Expression, type Kysely, type Selectable, sql } from 'kysely'
import type { AttributePath, Filter } from '../scim/filter/ast.js'
import type { Database, UserTable } from './database.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { sqliteSql } from './dialects/sqlite-sql.js'
import { compileUserFilter, isIndexedLookup } from './user-filter-sql.js'
import { userSortExpression } from './user-sort.js'

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
): Promise<{ totalResults: number; rows: Selectable<UserTable>[] }> {
  // Compile first: an invalid filter or sortBy fails before any SQL runs.
  const where = query.filter ? compileUserFilter(query.filter, dialect) : undefined
  const sortKey = query.sortBy ? userSortExpression(query.sortBy, dialect) : undefined
  // An indexed lookup finds a few rows; keep ORDER BY from luring the planner onto a sort index.
  const lookup = query.filter !== undefined && isIndexedLookup(query.filter, dialect)
  const key = (expr: Expression<unknown>) => (lookup ? dialect.unindexed(expr) : expr)
  const count = Number.isFinite(query.count) ? Math.max(0, Math.floor(query.count)) : 0
  const offset = Number.isFinite(query.startIndex) ? Math.max(1, Math.floor(query.startIndex)) - 1 : 0

  const filtered = (from: Kysely<Database>) => {
    const base = from.selectFrom('users').where('users.tenant_id', '=', tenantId)
    return where ? base.where(where) : base
  }
  const readPage = () => {
    let page = filtered(db).selectAll('users')
    if (sortKey) {
      // RFC 7644 §3.4.2.3: users without a value come last when ascending, first when descending.
      page = page.orderBy(key(sortKey), (order) =>
        query.sortOrder === 'descending' ? order.desc().nullsFirst() : order.asc().nullsLast(),
      )
    }
    return page
      .orderBy(key(sql.ref('users.created')))
      .orderBy(key(sql.ref('users.id')))
      .limit(count)
      .offset(offset)
      .execute()
  }
  const countAll = async () => {
    const { total } = await filtered(db)
      .select((eb) => eb.fn.countAll<number | bigint>().as('total'))
      .executeTakeFirstOrThrow()
    return Number(total)
  }

  // RFC 7644 §3.4.2.4 does not promise a snapshot across page requests, so the page and the total
  // are read separately, and the COUNT is skipped when the page itself proves the total: a first
  // page that is not full. That is every Entra lookup (`userName eq …`, 0 or 1 result).
  const rows = count > 0 ? await readPage() : []
  if (offset === 0 && rows.length < count) return { totalResults: rows.length, rows }
  return { totalResults: await countAll(), rows }
}
