import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { Db } from '../../src/store/database.js'
import { isUniqueViolation } from '../../src/store/errors.js'
import { findUserById, insertUser } from '../../src/store/users-repository.js'
import { MAX_UNITS_PER_BATCH, runWrite } from '../../src/store/write-units.js'
import { TEST_DATABASES } from '../support/databases.js'
import { insertTenant, openTestStore, type TestStore, userRow } from './fixtures.js'

/**
 * What a write unit promises on every database: a result once committed, a failing unit alone
 * undone, any number of concurrent units. (On SQLite the units share a batch; on PostgreSQL each is
 * its own transaction.)
 */
for (const database of TEST_DATABASES) {
  describe(`runWrite [${database}]`, () => {
    let store: TestStore
    let db: Db
    let seq = 0
    const newRow = (userName = `user${++seq}@x.test`) =>
      userRow('t1', {
        id: `u-${++seq}`,
        created: '2026-01-01T00:00:00.000Z',
        resource: { userName },
      })
    const insert = (row: ReturnType<typeof newRow>) => (trx: Db) => insertUser(trx, row)
    const exists = async (id: string) => (await findUserById(db, 't1', id)) !== undefined

    before(async () => {
      store = await openTestStore(database)
      db = store.db
      await insertTenant(db, 't1')
    })
    after(() => store.close())

    it('resolves each unit with its result once committed', async () => {
      const rows = [newRow(), newRow(), newRow()]
      const results = await Promise.all(
        rows.map((row) =>
          runWrite(db, async (trx) => {
            await insertUser(trx, row)
            return row.id
          }),
        ),
      )
      assert.deepEqual(
        results,
        rows.map((row) => row.id),
      )
      for (const row of rows) assert.ok(await exists(row.id))
    })

    it('a failing unit undoes only its own writes; the others of the batch commit', async () => {
      const [first, failing, last] = [newRow(), newRow(), newRow()]
      const outcomes = await Promise.allSettled([
        runWrite(db, insert(first)),
        runWrite(db, async (trx) => {
          await insertUser(trx, failing)
          throw new Error('refused after writing')
        }),
        runWrite(db, insert(last)),
      ])
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      )
      assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /refused after writing/)
      assert.ok(await exists(first.id))
      assert.ok(!(await exists(failing.id)))
      assert.ok(await exists(last.id))
    })

    it('more units than fit in one batch all commit', async () => {
      const rows = Array.from({ length: MAX_UNITS_PER_BATCH * 2 + 3 }, () => newRow())
      await Promise.all(rows.map((row) => runWrite(db, insert(row))))
      const stored = await db
        .selectFrom('users')
        .select('id')
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .execute()
      assert.equal(stored.length, rows.length)
    })

    it('concurrent units inserting one userName: exactly one commits, the other fails on the unique index', async () => {
      const original = newRow('racing.name@x.test')
      const duplicate = newRow('RACING.NAME@x.test')
      const outcomes = await Promise.allSettled([
        runWrite(db, insert(original)),
        runWrite(db, insert(duplicate)),
      ])
      // On SQLite the first unit of the batch wins; on PostgreSQL whichever INSERT reaches the index first.
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled')
      const lost = outcomes.filter(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
      )
      assert.equal(won.length, 1)
      assert.equal(lost.length, 1)
      assert.ok(isUniqueViolation(lost[0]!.reason))
      const stored = [await exists(original.id), await exists(duplicate.id)]
      assert.deepEqual(stored, [won[0] === outcomes[0], won[0] === outcomes[1]])
    })

    // PostgreSQL only: there a unit holds a pooled connection of its own, so the root instance can
    // read while the unit is open (on SQLite that read would wait for the batch: see below).
    if (database === 'postgres')
      it("a read on another connection never sees a unit's uncommitted writes", async () => {
        const doomed = newRow()
        let seenInside: number | undefined
        await assert.rejects(
          runWrite(db, async (trx) => {
            await insertUser(trx, doomed)
            seenInside = (await db.selectFrom('users').select('id').where('id', '=', doomed.id).execute())
              .length
            throw new Error('rolled back')
          }),
          /rolled back/,
        )
        assert.equal(seenInside, 0)
        assert.ok(!(await exists(doomed.id)))
      })
  })
}

/**
 * Batched commit on a real SQLite file: several concurrent units, one COMMIT. SQLite only by nature:
 * PostgreSQL runs each unit as its own transaction (no batch, no shared COMMIT, no pragmas).
 */
describe('runWrite (SQLite batched commit)', () => {
  let store: TestStore
  let db: Db
  let seq = 0
  const newRow = (userName = `user${++seq}@x.test`) =>
    userRow('t1', {
      id: `u-${++seq}`,
      created: '2026-01-01T00:00:00.000Z',
      resource: { userName },
    })
  const insert = (row: ReturnType<typeof newRow>) => (trx: Db) => insertUser(trx, row)
  const exists = async (id: string) => (await findUserById(db, 't1', id)) !== undefined

  before(async () => {
    store = await openTestStore('sqlite')
    db = store.db
    await insertTenant(db, 't1')
  })
  after(() => store.close())

  it('a unit sees the writes of the units before it: a duplicate userName in the same batch fails alone', async () => {
    const original = newRow('same.name@x.test')
    const duplicate = newRow('SAME.NAME@x.test')
    const outcomes = await Promise.allSettled([
      runWrite(db, insert(original)),
      runWrite(db, insert(duplicate)),
    ])
    assert.equal(outcomes[0].status, 'fulfilled')
    assert.equal(outcomes[1].status, 'rejected')
    assert.ok(isUniqueViolation((outcomes[1] as PromiseRejectedResult).reason))
    assert.ok(await exists(original.id))
    assert.ok(!(await exists(duplicate.id)))
  })

  it('a failed COMMIT fails every unit of its batch and keeps none of their writes', async () => {
    const innocent = newRow()
    const orphan = { ...newRow(), tenant_id: 'no-such-tenant' }
    const outcomes = await Promise.allSettled([
      runWrite(db, insert(innocent)),
      runWrite(db, async (trx) => {
        // A real constraint that SQLite checks only at COMMIT: the orphan's tenant does not exist.
        await sql`pragma defer_foreign_keys = on`.execute(trx)
        await insertUser(trx, orphan)
      }),
    ])
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
    )
    for (const outcome of outcomes) {
      assert.match(String((outcome as PromiseRejectedResult).reason), /FOREIGN KEY/)
    }
    assert.ok(!(await exists(innocent.id)))
    const orphans = await db.selectFrom('users').select('id').where('id', '=', orphan.id).execute()
    assert.equal(orphans.length, 0)
    // The connection is usable again: the next batch commits.
    const next = newRow()
    await runWrite(db, insert(next))
    assert.ok(await exists(next.id))
  })

  it('a read outside the batch never sees its uncommitted writes', async () => {
    const doomed = { ...newRow(), tenant_id: 'no-such-tenant' }
    let seen: unknown = 'not run'
    let read: Promise<void> | undefined
    await assert.rejects(
      runWrite(db, async (trx) => {
        await sql`pragma defer_foreign_keys = on`.execute(trx)
        await insertUser(trx, doomed)
        // Issued while the row exists uncommitted in the batch; must not observe it.
        read = db
          .selectFrom('users')
          .select('id')
          .where('id', '=', doomed.id)
          .execute()
          .then((rows) => {
            seen = rows.length
          })
      }),
      /FOREIGN KEY/,
    )
    await read
    assert.equal(seen, 0)
  })

  it('keeps temp storage in memory only during a batch', async () => {
    const tempStore = () => sql<{ temp_store: number }>`pragma temp_store`.execute(db)
    const before = (await tempStore()).rows[0]?.temp_store
    const during = await runWrite(db, async (trx) => {
      await insertUser(trx, newRow())
      return (await sql<{ temp_store: number }>`pragma temp_store`.execute(trx)).rows[0]?.temp_store
    })
    assert.equal(during, 2)
    assert.equal((await tempStore()).rows[0]?.temp_store, before)
    assert.notEqual(before, 2)
  })

  it('waits for a transaction other code holds, and other code waits for the batch', async () => {
    const [inside, unit] = [newRow(), newRow()]
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const transaction = db.transaction().execute(async (trx) => {
      await insertUser(trx, inside)
      await held
    })
    const write = runWrite(db, async (trx) => {
      // Runs only after the transaction committed: it sees the row.
      return (await findUserById(trx, 't1', inside.id)) !== undefined
    })
    await new Promise((resolve) => setImmediate(resolve))
    release()
    await transaction
    assert.equal(await write, true)
    await runWrite(db, insert(unit))
    assert.ok(await exists(unit.id))
  })
})
