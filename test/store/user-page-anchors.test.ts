import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import SQLite from 'better-sqlite3'
import { type Kysely, sql } from 'kysely'
import { mulberry32 } from '../../src/provisioning/source/seeded-random.js'
import type { Database } from '../../src/store/database.js'
import { heldSqliteConnection, sqliteHandleOf, sqliteReaderOf } from '../../src/store/dialects/sqlite.js'
import { openStore } from '../../src/store/open.js'
import { runRead } from '../../src/store/read-units.js'
import {
  ANCHOR_EVERY,
  anchoredUserPage,
  type UserKey,
  userPageAnchors,
  userPageQuery,
} from '../../src/store/user-page-anchors.js'
import { queryUsers } from '../../src/store/user-query.js'
import { type RenderableUser, selectRenderableUsers } from '../../src/store/users-repository.js'
import { runWrite } from '../../src/store/write-units.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import {
  insertTenant,
  insertUsers,
  openTestStore,
  type TestStore,
  type UserSeed,
  userRow,
} from './fixtures.js'

/**
 * `n` users created three to a second (ties are broken by id) whose ids do not follow their
 * creation order; `from` shifts both the instants and the ids.
 */
function seeds(prefix: string, n: number, { from = 0, base = '2020-01-01T00:00:00.000Z' } = {}): UserSeed[] {
  const start = Date.parse(base)
  return Array.from({ length: n }, (_, i) => {
    const at = from + i
    const id = `${prefix}-${((at * 7919) % 1009).toString(36).padStart(2, '0')}-${at}`
    return {
      id,
      created: new Date(start + Math.floor(at / 3) * 1000).toISOString(),
      resource: { userName: `${id}@example.com`, name: { familyName: `F${at}` }, active: true },
    }
  })
}

/** insertUsers in chunks: one INSERT binds at most 32,766 values. */
async function insertMany(db: Kysely<Database>, tenantId: string, users: UserSeed[]): Promise<void> {
  for (let i = 0; i < users.length; i += 500) await insertUsers(db, tenantId, users.slice(i, i + 500))
}

interface Page {
  totalResults: number
  rows: RenderableUser[]
}

/** What queryUsers returned before the anchors: the OFFSET query and a COUNT, on the writer. */
async function offsetPage(
  db: Kysely<Database>,
  tenantId: string,
  startIndex: number,
  count: number,
): Promise<Page> {
  const offset = Math.max(1, startIndex) - 1
  const rows =
    count === 0
      ? []
      : await selectRenderableUsers(db)
          .where('users.tenant_id', '=', tenantId)
          .orderBy(sql.ref('users.created'))
          .orderBy(sql.ref('users.id'))
          .limit(count)
          .offset(offset)
          .execute()
  const { rows: counted } = await sql<{ total: number }>`
    select count(*) as total from users where tenant_id = ${tenantId}`.execute(db)
  return { totalResults: Number(counted[0]?.total), rows }
}

/** queryUsers as the SCIM route runs it: on the read-only connection (read-units.ts). */
async function routePage(
  db: Kysely<Database>,
  tenantId: string,
  startIndex: number,
  count: number,
): Promise<Page> {
  return runRead(db, (read) => queryUsers(read, tenantId, { startIndex, count })) as Promise<Page>
}

const START_INDEXES = [
  -3, 0, 1, 2, 999, 1000, 1001, 1002, 1999, 2000, 2001, 2002, 3000, 3001, 3499, 3500, 3501, 3502, 5000,
]
const COUNTS = [0, 1, 7, 100, 1000]

async function assertPagesAsOffset(
  db: Kysely<Database>,
  tenantId: string,
  startIndexes: number[],
  counts = COUNTS,
): Promise<void> {
  for (const startIndex of startIndexes) {
    for (const count of counts) {
      const expected = await offsetPage(db, tenantId, startIndex, count)
      assert.deepEqual(
        await routePage(db, tenantId, startIndex, count),
        expected,
        `startIndex=${startIndex} count=${count}`,
      )
    }
  }
}

/** Every ANCHOR_EVERY-th key of the tenant, read the slow way. */
async function expectedAnchors(db: Kysely<Database>, tenantId: string): Promise<UserKey[]> {
  const keys = await db
    .selectFrom('users')
    .select(['created', 'id'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created')
    .orderBy('id')
    .execute()
  return keys.filter((_, i) => i % ANCHOR_EVERY === ANCHOR_EVERY - 1)
}

describe('user page anchors (SQLite)', () => {
  let store: TestStore
  let reader: SQLite.Database
  const next = mulberry32(20261126)

  before(async () => {
    store = await openTestStore('sqlite')
    // What runRead hands queryUsers: the read-only connection, held (dialects/sqlite.ts).
    const handle = heldSqliteConnection(sqliteReaderOf(store.db)?.db ?? store.db)
    assert.ok(handle?.readonly)
    reader = handle
    await insertTenant(store.db, 't1')
    await insertTenant(store.db, 't2')
    // t2's users are created at the same instants as t1's: a query that let them in would shift t1's pages.
    await insertMany(store.db, 't1', seeds('a', 3500))
    await insertMany(store.db, 't2', seeds('b', 1700))
  })
  after(() => store.close())

  it('returns pages and totals equal to the OFFSET query, for every startIndex and count', async () => {
    const randomIndexes = Array.from({ length: 25 }, () => 1 + Math.floor(next() * 3600))
    await assertPagesAsOffset(store.db, 't1', [...START_INDEXES, ...randomIndexes])
    await assertPagesAsOffset(store.db, 't2', [1, 999, 1000, 1001, 1700, 1701], [0, 1, 100])
  })

  it('serves the page from the anchors on the read-only connection only', async () => {
    const readerDb = sqliteReaderOf(store.db)?.db
    assert.ok(readerDb)
    assert.deepEqual(
      anchoredUserPage(readerDb, 't1', { offset: 2500, count: 3 }),
      await offsetPage(store.db, 't1', 2501, 3),
    )
    // The writer's own commits would leave its data_version unchanged.
    assert.equal(anchoredUserPage(store.db, 't1', { offset: 2500, count: 3 }), undefined)
    await runWrite(store.db, async (trx) => {
      assert.equal(anchoredUserPage(trx, 't1', { offset: 2500, count: 3 }), undefined)
    })
  })

  it('remembers the key of every 1,000th user and the total, until the database changes', async () => {
    const anchors = userPageAnchors(reader, 't1')
    assert.equal(anchors.total, 3500)
    assert.deepEqual(anchors.keys, await expectedAnchors(store.db, 't1'))
    assert.equal(userPageAnchors(reader, 't1'), anchors, 'unchanged database: the same anchors')
    await insertMany(store.db, 't1', seeds('c', 1, { from: 9000 }))
    const rebuilt = userPageAnchors(reader, 't1')
    assert.notEqual(rebuilt, anchors)
    assert.equal(rebuilt.total, 3501)
    await store.db.deleteFrom('users').where('tenant_id', '=', 't1').where('id', 'like', 'c-%').execute()
  })

  it("shows the writer's inserts and deletes on the very next page", async () => {
    // Warm the anchors, then move every position: users created before all others, and deletions.
    await assertPagesAsOffset(store.db, 't1', [1000, 2001], [100])
    await insertMany(store.db, 't1', seeds('early', 5, { base: '2019-01-01T00:00:00.000Z' }))
    await assertPagesAsOffset(store.db, 't1', [1, 996, 1000, 1001, 2001, 3501, 3505, 3506], [1, 100])
    await store.db.deleteFrom('users').where('tenant_id', '=', 't1').where('id', 'like', 'early-%').execute()
    await assertPagesAsOffset(store.db, 't1', [1, 1000, 1001, 3500, 3501], [1, 100])
    // Through a write unit (batched commit), as the SCIM routes write.
    const first = await store.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', 't1')
      .orderBy('created')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    await runWrite(store.db, (trx) =>
      trx.deleteFrom('users').where('tenant_id', '=', 't1').where('id', '=', first.id).execute(),
    )
    await assertPagesAsOffset(store.db, 't1', [1, 999, 1000, 1001, 3499, 3500], [1, 100])
    await runWrite(store.db, (trx) => trx.insertInto('users').values(first).execute())
    await assertPagesAsOffset(store.db, 't1', [1, 1000, 1001, 3500], [1, 100])
  })

  it('shows commits of another connection (another process) on the very next page', async () => {
    const file = sqliteHandleOf(store.db)?.name
    assert.ok(file)
    const other = new SQLite(file)
    // The next page is the next request: a later turn of the event loop. Within one turn, reads
    // share a snapshot taken at the turn's first read (dialects/sqlite-turn-snapshot.ts).
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve))
    try {
      await assertPagesAsOffset(store.db, 't1', [1001, 3001], [100])
      const rows = seeds('other', 1500, { from: 1500 }).map((seed) => userRow('t1', seed))
      const columns = Object.keys(rows[0] ?? {})
      const insert = other.prepare(
        `insert into users (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      )
      other.transaction(() => {
        for (const row of rows) insert.run(row)
      })()
      await nextTurn()
      assert.equal((await routePage(store.db, 't1', 1, 0)).totalResults, 5000)
      await assertPagesAsOffset(
        store.db,
        't1',
        [1, 1000, 1001, 2001, 3001, 4000, 4001, 5000, 5001],
        [1, 100, 1000],
      )
      other
        .prepare("delete from users where tenant_id = 't1' and id like 'other-%' and created < ?")
        .run('2020-01-01T00:10:00.000Z')
      await nextTurn()
      await assertPagesAsOffset(store.db, 't1', [1, 999, 1000, 1001, 3001, 4001, 5001], [1, 100])
      other.prepare("delete from users where tenant_id = 't1' and id like 'other-%'").run()
      await nextTurn()
      assert.equal((await routePage(store.db, 't1', 1, 0)).totalResults, 3500)
    } finally {
      other.close()
    }
  })

  it("neither shows another tenant's users nor shifts the anchors by them", async () => {
    const before = userPageAnchors(reader, 't1')
    await insertMany(store.db, 't2', seeds('t2-early', 2000, { base: '2019-06-01T00:00:00.000Z' }))
    await insertMany(store.db, 't2', seeds('t2-mixed', 2000))
    const after = userPageAnchors(reader, 't1')
    assert.notEqual(after, before, 'rebuilt: the database changed')
    assert.deepEqual(after, { ...before, version: after.version })
    for (const startIndex of [1, 1000, 1001, 3401]) {
      const { rows } = await routePage(store.db, 't1', startIndex, 100)
      assert.ok(rows.every((row) => row.tenant_id === 't1'))
    }
    await assertPagesAsOffset(store.db, 't1', [1, 1000, 1001, 2001, 3500], [100])
    await assertPagesAsOffset(store.db, 't2', [1, 1000, 1001, 5700, 5701], [1, 100])
    assert.equal(userPageAnchors(reader, 't-none').total, 0)
  })

  it('forgets tenants unused for 5 minutes, and keeps at most 1,000', () => {
    const now = Date.now()
    const anchors = userPageAnchors(reader, 't1', now)
    assert.equal(userPageAnchors(reader, 't2', now + 60_000), userPageAnchors(reader, 't2', now + 60_000))
    assert.equal(userPageAnchors(reader, 't1', now + 60_000), anchors)
    userPageAnchors(reader, 't2', now + 6 * 60_000)
    assert.notEqual(
      userPageAnchors(reader, 't1', now + 6 * 60_000),
      anchors,
      'dropped while idle, then rebuilt',
    )
    const kept = userPageAnchors(reader, 't1', now + 7 * 60_000)
    for (let i = 0; i < 1000; i++) userPageAnchors(reader, `empty-${i}`, now + 7 * 60_000)
    assert.notEqual(
      userPageAnchors(reader, 't1', now + 7 * 60_000),
      kept,
      'the least recently used went first',
    )
  })

  it('reads a deep page as a range of the (tenant_id, created, id) index, not a scan', () => {
    const plan = (query: string, parameters: unknown[]) =>
      (reader.prepare(`explain query plan ${query}`).all(...parameters) as { detail: string }[]).map(
        (row) => row.detail,
      )
    assert.deepEqual(plan(userPageQuery(store.db, 100, true).sql, ['t1', '2020', 'a', 5]), [
      'SEARCH users USING INDEX users_created (tenant_id=? AND (created,id)>(?,?))',
    ])
    assert.deepEqual(plan(userPageQuery(store.db, 100, false).sql, ['t1', 5]), [
      'SEARCH users USING INDEX users_created (tenant_id=?)',
    ])
  })
})

describe('user pages on in-memory SQLite (one connection)', () => {
  it('keep the OFFSET query, and see the writes of the same connection', async () => {
    const db = await openStore({ databaseUrl: ':memory:' })
    try {
      await insertTenant(db, 't1')
      await insertMany(db, 't1', seeds('m', 1200))
      assert.equal(
        await runRead(db, async (read) => anchoredUserPage(read, 't1', { offset: 1000, count: 10 })),
        undefined,
      )
      assert.deepEqual(await routePage(db, 't1', 1001, 10), await offsetPage(db, 't1', 1001, 10))
      await insertMany(db, 't1', seeds('early', 3, { base: '2019-01-01T00:00:00.000Z' }))
      assert.deepEqual(await routePage(db, 't1', 1001, 10), await offsetPage(db, 't1', 1001, 10))
      assert.equal((await routePage(db, 't1', 1001, 10)).totalResults, 1203)
    } finally {
      await db.destroy()
    }
  })
})

describe('GET /Users pages over HTTP (SQLite file)', () => {
  let server: TestServer
  let tenant: TestTenant

  before(async () => {
    server = await startTestServer({}, { database: 'sqlite' })
    tenant = await server.addTenant('anchors')
    await insertMany(server.server.db, tenant.tenant.id, seeds('h', 2100))
  })
  after(() => server.close())

  const ids = async (startIndex: number, count: number) => {
    const response = await tenant.scim('GET', `/Users?startIndex=${startIndex}&count=${count}`)
    assert.equal(response.status, 200)
    return {
      totalResults: response.body.totalResults as number,
      ids: (response.body.Resources as { id: string }[]).map((user) => user.id),
    }
  }

  it('answers a deep page with what the OFFSET query holds, also right after a DELETE and a POST', async () => {
    const expected = async (startIndex: number, count: number) => {
      const page = await offsetPage(server.server.db, tenant.tenant.id, startIndex, count)
      return { totalResults: page.totalResults, ids: page.rows.map((row) => row.id) }
    }
    for (const startIndex of [1, 1000, 1001, 2001, 2100, 2101]) {
      assert.deepEqual(await ids(startIndex, 50), await expected(startIndex, 50))
    }
    const [firstOfSecondRun] = (await ids(1001, 1)).ids
    const deleted = (await ids(1, 1)).ids[0]
    assert.equal((await tenant.scim('DELETE', `/Users/${deleted}`)).status, 204)
    // Every position moved up by one: the 1,002nd user is now the 1,001st.
    assert.deepEqual((await ids(1000, 1)).ids, [firstOfSecondRun])
    assert.deepEqual(await ids(1001, 50), await expected(1001, 50))
    const created = await tenant.scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'newest@example.com',
      name: { givenName: 'New', familyName: 'Est' },
      emails: [{ type: 'work', value: 'newest@example.com', primary: true }],
      active: true,
    })
    assert.equal(created.status, 201, created.text)
    assert.deepEqual(await ids(2100, 5), { totalResults: 2100, ids: [created.body.id] })
  })
})
