import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { userColumns } from '../../src/directory/user-record.js'
import { changedUserColumns, findUserById, insertUser, updateUser } from '../../src/store/users-repository.js'
import { TEST_DATABASES } from '../support/databases.js'
import { insertTenant, openTestStore, type TestStore, userRow } from './fixtures.js'

for (const database of TEST_DATABASES) {
  describe(`updateUser with only the changed columns [${database}]`, () => {
    let store: TestStore

    before(async () => {
      store = await openTestStore(database)
      await insertTenant(store.db, 't1')
    })
    after(() => store.close())

    it('changedUserColumns lists exactly the columns whose value differs', () => {
      const before = userColumns({ userName: 'a@x.test', title: 'Engineer', active: true }, 't0', 1)
      const after = userColumns({ userName: 'a@x.test', title: 'Designer', active: true }, 't1', 2)
      assert.deepEqual(changedUserColumns(before, after), {
        title: 'Designer',
        last_modified: 't1',
        version: 2,
        resource: after.resource,
      })
    })

    it('writes the given columns, keeps the others, and refuses a stale version', async () => {
      const row = userRow('t1', {
        id: 'u1',
        created: 't0',
        resource: { userName: 'u1@x.test', title: 'Engineer' },
      })
      await insertUser(store.db, row)
      const next = userColumns({ userName: 'u1@x.test', title: 'Designer' }, 't1', 2)
      const changed = changedUserColumns(row as never, next)
      assert.equal(await updateUser(store.db, 't1', 'u1', 1, changed), true)
      assert.deepEqual(await findUserById(store.db, 't1', 'u1'), {
        tenant_id: 't1',
        id: 'u1',
        created: 't0',
        ...next,
        // Inserted without the directory, so with no history.
        audit_head: null,
      })
      // Another writer got there first: version 1 is gone.
      assert.equal(await updateUser(store.db, 't1', 'u1', 1, { title: 'Lost', version: 2 }), false)
      assert.equal((await findUserById(store.db, 't1', 'u1'))?.title, 'Designer')
    })
  })
}
