import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Db, UserTable } from './database.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { pageWithTotal } from './list-page.js'
import { PERSON_SUMMARY_COLUMNS } from './person-summary-columns.js'

export const EMPLOYEE_SORTS = ['userName', 'name', 'title', 'department', 'lastModified'] as const
export type EmployeeSort = (typeof EMPLOYEE_SORTS)[number]
export const EMPLOYEE_STATUSES = ['all', 'active', 'disabled'] as const
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number]

export interface EmployeeListQuery {
  /** Case-insensitive prefix of userName, work email, given, family or display name. */
  q?: string
  status: EmployeeStatus
  sort: EmployeeSort
  order: 'asc' | 'desc'
  /** 1-based. */
  page: number
  pageSize: number
}

export type EmployeeListRow = Pick<
  UserTable,
  | 'id'
  | 'user_name'
  | 'display_name'
  | 'given_name'
  | 'family_name'
  | 'title'
  | 'department'
  | 'manager_id'
  | 'active'
  | 'last_modified'
>

/** Above every character a prefix can continue with, in UTF-8 byte order (SQLite BINARY, PostgreSQL "C"). */
const AFTER_ALL = '\u{10FFFF}'

/**
 * The search: userName and work email as key ranges on their stored lower-cased columns (no
 * folding per row), the given, family and display names by folding each row's value. Decision: no
 * index for the names, so the OR makes a search one scan of the tenant's rows (~0.2–0.4 s at
 * 100,000 employees on SQLite, where folding is a JS function). An index per name column (or a
 * folded display-name column) would cost every SCIM write, the hot path, for a person typing in a
 * search box; the list itself, unsearched, is served by the userName index (see listEmployees).
 */
function searchCondition(q: string, dialect: SqlDialect): RawBuilder<SqlBool> {
  const lower = q.toLowerCase()
  const range = (column: string) =>
    sql<SqlBool>`(${sql.ref(column)} >= ${lower} and ${sql.ref(column)} < ${lower + AFTER_ALL})`
  const name = (column: string) => dialect.startsWith(dialect.fold(sql.ref(column)), sql.val(lower))
  return sql<SqlBool>`(${sql.join(
    [
      range('users.user_name_lower'),
      range('users.work_email_lower'),
      name('users.given_name'),
      name('users.family_name'),
      name('users.display_name'),
    ],
    sql` or `,
  )})`
}

function sortKeys(sort: EmployeeSort, dialect: SqlDialect): Expression<unknown>[] {
  const fold = (column: string) => dialect.fold(sql.ref(column))
  switch (sort) {
    // user_name_lower is unique per tenant: the index alone gives the order, and pages are cheap.
    case 'userName':
      return [sql.ref('users.user_name_lower')]
    case 'name':
      return [fold('users.family_name'), fold('users.given_name'), sql.ref('users.user_name_lower')]
    case 'title':
      return [fold('users.title'), sql.ref('users.user_name_lower')]
    case 'department':
      return [fold('users.department'), sql.ref('users.user_name_lower')]
    case 'lastModified':
      return [sql.ref('users.last_modified')]
  }
}

/** Every ANCHOR_EVERY-th userName of a listing is remembered: a deep page starts from the nearest. */
const ANCHOR_EVERY = 500
/** Anchors drift only by the rows added or removed before them, so they are kept longer than totals. */
const ANCHOR_TTL_FACTOR = 12

/**
 * Recent facts about a listing, per tenant and filter: its total and, for the default order, page
 * anchors. Counting 100,000 rows costs several milliseconds, and so does an OFFSET that skips
 * 50,000 index entries to reach a deep page; the console asks for every page it shows. With the
 * anchors a page skips fewer than ANCHOR_EVERY entries. Facts a little old are good enough for a
 * pager: a total may lag writes by up to the TTL, and while rows are added or removed a page may
 * start a few rows off; the rows themselves are always read fresh, in order.
 */
export class EmployeeListCache {
  private readonly totals = new Map<string, { total: number; until: number }>()
  private readonly anchors = new Map<string, { keys: string[]; until: number }>()
  private readonly ttlMs: number

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs
  }

  total(key: string, now = Date.now()): number | undefined {
    const entry = this.totals.get(key)
    return entry && entry.until > now ? entry.total : undefined
  }

  anchorsOf(key: string, now = Date.now()): string[] | undefined {
    const entry = this.anchors.get(key)
    return entry && entry.until > now ? entry.keys : undefined
  }

  remember(key: string, facts: { total?: number; anchors?: string[] }, now = Date.now()): void {
    if (this.totals.size + this.anchors.size >= 10_000) {
      this.totals.clear()
      this.anchors.clear()
    }
    if (facts.total !== undefined) this.totals.set(key, { total: facts.total, until: now + this.ttlMs })
    if (facts.anchors) {
      this.anchors.set(key, { keys: facts.anchors, until: now + this.ttlMs * ANCHOR_TTL_FACTOR })
    }
  }

  forget(key: string): void {
    this.totals.delete(key)
    this.anchors.delete(key)
  }
}

async function countEmployees(db: Db, tenantId: string, where: RawBuilder<SqlBool> | undefined) {
  const filter = where ? sql`and ${where}` : sql``
  const { rows } = await sql<{ total: number | bigint }>`
    select count(*) as total from users where users.tenant_id = ${tenantId} ${filter}`.execute(db)
  return Number(rows[0]?.total ?? 0)
}

/**
 * The userName starting each run of ANCHOR_EVERY rows, stepped along the (tenant_id,
 * user_name_lower) index: every step skips ANCHOR_EVERY - 1 index entries from the previous anchor,
 * so the whole walk reads each entry once and no row.
 */
async function userNameAnchors(
  db: Db,
  tenantId: string,
  where: RawBuilder<SqlBool> | undefined,
  order: 'asc' | 'desc',
): Promise<string[]> {
  const anchors: string[] = []
  let last: string | undefined
  for (;;) {
    let step = db
      .selectFrom('users')
      .select('users.user_name_lower as k')
      .where('users.tenant_id', '=', tenantId)
    if (where) step = step.where(where)
    if (last !== undefined) step = step.where('users.user_name_lower', order === 'desc' ? '<' : '>', last)
    const row = await step
      .orderBy('users.user_name_lower', order)
      .limit(sql.lit(1))
      .offset(last === undefined ? 0 : ANCHOR_EVERY - 1)
      .executeTakeFirst()
    if (!row) return anchors
    anchors.push(row.k)
    last = row.k
  }
}

/** One page of the console's employee list and the number of employees matching. */
export async function listEmployees(
  db: Db,
  tenantId: string,
  query: EmployeeListQuery,
  dialect: SqlDialect,
  cache?: EmployeeListCache,
): Promise<{ total: number; rows: EmployeeListRow[] }> {
  const conditions: RawBuilder<SqlBool>[] = []
  if (query.status !== 'all')
    conditions.push(sql<SqlBool>`users.active = ${query.status === 'active' ? 1 : 0}`)
  if (query.q) conditions.push(searchCondition(query.q, dialect))
  const where = conditions.length > 0 ? sql<SqlBool>`${sql.join(conditions, sql` and `)}` : undefined
  const offset = (query.page - 1) * query.pageSize
  // The default order walks the (tenant_id, user_name_lower) index; a search scans anyway.
  const anchored = query.sort === 'userName' && !query.q
  const readPage = (from?: { key: string; skip: number }) => {
    let select = db
      .selectFrom('users')
      .select([...PERSON_SUMMARY_COLUMNS, 'users.active', 'users.last_modified'])
      .where('users.tenant_id', '=', tenantId)
    if (where) select = select.where(where)
    if (from) select = select.where('users.user_name_lower', query.order === 'desc' ? '<=' : '>=', from.key)
    for (const key of sortKeys(query.sort, dialect)) {
      select = select.orderBy(key, (order) =>
        query.order === 'desc' ? order.desc().nullsFirst() : order.asc().nullsLast(),
      )
    }
    // userName is unique per tenant: it orders completely; other keys need the id to break ties.
    if (query.sort !== 'userName') select = select.orderBy('users.id', query.order)
    return (
      select
        // Written into the SQL, as in user-query.ts: a bound LIMIT costs SQLite its top-N sort.
        .limit(sql.lit(query.pageSize))
        .offset(from ? from.skip : offset)
        .execute()
    )
  }
  const key = JSON.stringify([tenantId, query.status, query.q ?? '', anchored ? query.order : ''])
  let total = cache?.total(key)
  let anchors = anchored ? cache?.anchorsOf(key) : undefined
  if (cache && anchored && (total === undefined || anchors === undefined)) {
    // Only what was just read is remembered anew: each fact keeps its own age.
    const fresh: { total?: number; anchors?: string[] } = {}
    if (total === undefined) total = fresh.total = await countEmployees(db, tenantId, where)
    if (anchors === undefined)
      anchors = fresh.anchors = await userNameAnchors(db, tenantId, where, query.order)
    cache.remember(key, fresh)
  }
  if (total !== undefined) {
    const index = Math.floor(offset / ANCHOR_EVERY)
    const anchor = anchors?.[index]
    const rows = await readPage(
      anchor === undefined ? undefined : { key: anchor, skip: offset - index * ANCHOR_EVERY },
    )
    // A full page, or a last page that ends at the total, agrees with the facts; anything else
    // proves them stale, and the page is read again the exact way.
    if (rows.length === query.pageSize || offset + rows.length === total) return { total, rows }
    cache?.forget(key)
  }
  const { totalResults, rows } = await pageWithTotal(
    db,
    'users',
    tenantId,
    where,
    { offset, count: query.pageSize },
    () => readPage(),
  )
  cache?.remember(key, { total: totalResults })
  return { total: totalResults, rows }
}
