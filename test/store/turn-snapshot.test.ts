/**
 * The reads of one turn of the event loop share one read transaction on SQLite's read-only
 * connection (store/dialects/sqlite-turn-snapshot.ts): what a read may see, and when it must see more.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import SQLite from 'better-sqlite3'
import { sqliteHandleOf } from '../../src/store/dialects/sqlite.js'
import { runRead } from '../../src/store/read-units.js'
import { runWrite } from '../../src/store/write-units.js'
import { insertTenant, openTestStore, type TestStore, userRow } from './fixtures.js'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('per-turn read snapshot (SQLite)', () => {
  let store: TestStore
  let n = 0

  before(async () => {
    store = await openTestStore('sqlite')
    await insertTenant(store.db, 't1')
  })
  after(() => store.close())

  const count = () =>
    runRead(store.db, async (read) => {
      const row = await read
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    })
  const user = () =>
    userRow('t1', { id: `u${++n}`, created: '2020-01-01T00:00:00.000Z', resource: { userName: `u${n}` } })

  it("keeps one snapshot for a turn's reads, and takes a new one the next turn", async () => {
    await nextTurn()
    const before = await count()
    const other = new SQLite(sqliteHandleOf(store.db)?.name as string)
    try {
      const row = user()
      const columns = Object.keys(row)
      other
        .prepare(
          `insert into users (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
        )
        .run(row)
    } finally {
      other.close()
    }
    assert.equal(await count(), before, 'same turn: the snapshot of its first read')
    await nextTurn()
    assert.equal(await count(), before + 1, 'next turn: a new snapshot')
  })

  it('ends the snapshot when a write unit of this process commits, before it is answered', async () => {
    await nextTurn()
    const before = await count()
    await runWrite(store.db, (trx) => trx.insertInto('users').values(user()).execute())
    assert.equal(await count(), before + 1)
  })

  it('ends the snapshot when this process writes outside write units', async () => {
    await nextTurn()
    const before = await count()
    await store.db.insertInto('users').values(user()).execute()
    assert.equal(await count(), before + 1)
    await store.db.transaction().execute((trx) => trx.insertInto('users').values(user()).execute())
    assert.equal(await count(), before + 2)
  })
})
