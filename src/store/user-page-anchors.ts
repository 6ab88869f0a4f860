import type SQLite from 'better-sqlite3'
import { type CompiledQuery, type Kysely, type SqlBool, sql } from 'kysely'
import type { Database } from './database.js'
import { heldSqliteConnection } from './dialects/sqlite.js'
import { type RenderableUser, selectRenderableUsers } from './users-repository.js'

/**
 * Identity providers (Okta's imports) read a whole directory as unfiltered pages of `startIndex` and
 * `count`. Each such page costs an OFFSET that walks `startIndex` index entries plus a COUNT of the
 * tenant's users: ~7 ms of CPU at 100,000 users on SQLite. So, per tenant, the count and the
 * (created, id) key of every ANCHOR_EVERY-th user are remembered, and a page is read from the anchor
 * below it, skipping fewer than ANCHOR_EVERY entries.
 *
 * The cache is exact, not time-based. It is built at a PRAGMA data_version of the connection that
 * reads, which changes whenever another connection commits; a connection's own writes leave it
 * unchanged, so only a read-only connection (the reader of read-units.ts) uses the cache. The version
 * check, any rebuild and the page read share one read transaction, hence one snapshot: a page is row
 * for row what the OFFSET query would return.
 */
export const ANCHOR_EVERY = 1000
/** Tenants remembered per connection; the least recently used go first. */
const MAX_TENANTS = 1000
/** Unused this long, a tenant's anchors are dropped (only for memory: they stay exact). */
const IDLE_MS = 5 * 60_000
/** Page statements kept prepared per connection: one per page size in use. */
const MAX_PAGE_STATEMENTS = 64

export interface UserKey {
  created: string
  id: string
}

/** A tenant's users as they were at one data_version of the reading connection. */
export interface UserPageAnchors {
  version: number
  total: number
  /** keys[j]: the key of the user at 0-based position (j + 1) * ANCHOR_EVERY - 1 in (created, id) order. */
  keys: readonly UserKey[]
}

interface Reader {
  handle: SQLite.Database
  tenants: Map<string, { anchors: UserPageAnchors; usedAt: number }>
  first: SQLite.Statement
  next: SQLite.Statement
  countAll: SQLite.Statement
  countAfter: SQLite.Statement
  pages: Map<string, SQLite.Statement>
  /** Any read: starts a deferred transaction's snapshot. */
  snapshot: SQLite.Statement
  dataVersion: SQLite.Statement
  /** readPage in a read transaction: better-sqlite3's deferred BEGIN, its snapshot taken by the first read. */
  read: SQLite.Transaction<typeof readPage>
}

interface Page {
  offset: number
  count: number
}

interface UserPage {
  totalResults: number
  rows: RenderableUser[]
}

const readers = new WeakMap<SQLite.Database, Reader>()

function readerOf(handle: SQLite.Database): Reader {
  let reader = readers.get(handle)
  if (reader) return reader
  // Stepping from anchor to anchor reads each index entry once and no row; measured at 100,000 users
  // ~5 ms, against ~45 ms for one `row_number() over (order by created, id)` statement.
  const step = `order by created, id limit 1 offset ${ANCHOR_EVERY - 1}`
  reader = {
    handle,
    tenants: new Map(),
    first: handle.prepare(`select created, id from users where tenant_id = ? ${step}`),
    next: handle.prepare(
      `select created, id from users where tenant_id = ? and (created, id) > (?, ?) ${step}`,
    ),
    countAll: handle.prepare('select count(*) from users where tenant_id = ?').pluck(),
    countAfter: handle
      .prepare('select count(*) from users where tenant_id = ? and (created, id) > (?, ?)')
      .pluck(),
    pages: new Map(),
    snapshot: handle.prepare('select 1 from sqlite_schema limit 1'),
    // Prepared once: pragma() would compile it on every page. (data_version is read when it runs.)
    dataVersion: handle.prepare('pragma data_version').pluck(),
    read: handle.transaction(readPage),
  }
  readers.set(handle, reader)
  return reader
}

function buildAnchors(reader: Reader, tenantId: string, version: number): UserPageAnchors {
  const keys: UserKey[] = []
  let key = reader.first.get(tenantId) as UserKey | undefined
  while (key) {
    keys.push(key)
    key = reader.next.get(tenantId, key.created, key.id) as UserKey | undefined
  }
  const last = keys.at(-1)
  // Fewer than ANCHOR_EVERY users follow the last anchor.
  const rest = last ? reader.countAfter.get(tenantId, last.created, last.id) : reader.countAll.get(tenantId)
  return { version, total: keys.length * ANCHOR_EVERY + Number(rest), keys }
}

/**
 * The tenant's anchors on the read-only connection `handle`, rebuilt if another connection has
 * committed since they were built. Inside a read transaction they match what its reads see.
 */
export function userPageAnchors(
  handle: SQLite.Database,
  tenantId: string,
  now = Date.now(),
): UserPageAnchors {
  if (!handle.readonly) throw new TypeError('userPageAnchors: the connection must be read-only')
  const reader = readerOf(handle)
  // Inside readPage's transaction, a read first takes the snapshot; data_version then describes it,
  // so a commit by another process between the check and the page cannot split them.
  if (handle.inTransaction) reader.snapshot.get()
  const version = Number(reader.dataVersion.get())
  const cached = reader.tenants.get(tenantId)
  const anchors =
    cached && cached.anchors.version === version ? cached.anchors : buildAnchors(reader, tenantId, version)
  // Map order is insertion order: re-inserting keeps the least recently used first.
  reader.tenants.delete(tenantId)
  for (const [tenant, { usedAt }] of reader.tenants) {
    if (reader.tenants.size < MAX_TENANTS && now - usedAt < IDLE_MS) break
    reader.tenants.delete(tenant)
  }
  reader.tenants.set(tenantId, { anchors, usedAt: now })
  return anchors
}

/** Placeholders standing for the page statement's parameters, in the order they are bound. */
const TENANT = '\u0000tenant\u0000'
const CREATED = '\u0000created\u0000'
const ID = '\u0000id\u0000'
const SKIP = '\u0000skip\u0000'

/**
 * The page statement: queryUsers's unfiltered page, from the first user (`after` false; bound:
 * tenant, skip) or from the first after a key (bound: tenant, created, id, skip). A row value
 * comparison makes the key a range of the (tenant_id, created, id) index; its expanded form
 * (`created > ? or (created = ? and id > ?)`) would scan the tenant's entries instead.
 */
export function userPageQuery(db: Kysely<Database>, count: number, after: boolean): CompiledQuery {
  let query = selectRenderableUsers(db).where('users.tenant_id', '=', TENANT)
  if (after)
    query = query.where(
      sql<SqlBool>`(${sql.ref('users.created')}, ${sql.ref('users.id')}) > (${CREATED}, ${ID})`,
    )
  const compiled = query
    .orderBy(sql.ref('users.created'))
    .orderBy(sql.ref('users.id'))
    // Written into the SQL, as in queryUsers: a bound LIMIT costs SQLite its top-N sort.
    .limit(sql.lit(count))
    .offset(sql<number>`${SKIP}`)
    .compile()
  const expected = after ? [TENANT, CREATED, ID, SKIP] : [TENANT, SKIP]
  if (compiled.parameters.join() !== expected.join())
    throw new TypeError('userPageQuery: parameters compiled out of the expected order')
  return compiled
}

function pageStatement(
  reader: Reader,
  db: Kysely<Database>,
  count: number,
  after: boolean,
): SQLite.Statement {
  const key = `${after}:${count}`
  let statement = reader.pages.get(key)
  if (statement) return statement
  if (reader.pages.size >= MAX_PAGE_STATEMENTS)
    reader.pages.delete(reader.pages.keys().next().value as string)
  statement = reader.handle.prepare(userPageQuery(db, count, after).sql)
  reader.pages.set(key, statement)
  return statement
}

function readPage(reader: Reader, db: Kysely<Database>, tenantId: string, page: Page): UserPage {
  const { total, keys } = userPageAnchors(reader.handle, tenantId)
  if (page.count === 0 || page.offset >= total) return { totalResults: total, rows: [] }
  // The anchor just before the run of ANCHOR_EVERY users that holds the offset (none in the first run).
  const index = Math.min(Math.floor(page.offset / ANCHOR_EVERY), keys.length) - 1
  const skip = page.offset - (index + 1) * ANCHOR_EVERY
  const anchor = keys[index]
  const rows = anchor
    ? pageStatement(reader, db, page.count, true).all(tenantId, anchor.created, anchor.id, skip)
    : pageStatement(reader, db, page.count, false).all(tenantId, skip)
  return { totalResults: total, rows: rows as RenderableUser[] }
}

/**
 * queryUsers without filter and sortBy, served from the tenant's anchors: one page in (created, id)
 * order and the tenant's total. Undefined unless `db` holds a read-only SQLite connection (the
 * reader of read-units.ts); then the caller runs the OFFSET query.
 */
export function anchoredUserPage(db: Kysely<Database>, tenantId: string, page: Page): UserPage | undefined {
  const handle = heldSqliteConnection(db)
  if (!handle?.readonly) return undefined
  const reader = readerOf(handle)
  return reader.read(reader, db, tenantId, page)
}
