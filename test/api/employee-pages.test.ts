/**
 * The employee list's paging shortcuts (remembered totals, userName anchors every 500 rows) give
 * exactly the pages plain OFFSET paging gives, on both databases, and notice when they are stale.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { seedTenant } from '../../bench/seed.js'
import type { Db } from '../../src/store/database.js'
import { sqlDialectOf } from '../../src/store/dialects/sql-dialect-of.js'
import {
  EmployeeListCache,
  type EmployeeListQuery,
  listEmployees,
} from '../../src/store/employee-list-query.js'
import { openStore } from '../../src/store/open.js'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js'

const USERS = 1_234

for (const kind of TEST_DATABASES) {
  describe(`employee list paging [${kind}]`, () => {
    let database: TestDatabase
    let db: Db
    let tenantId: string

    before(async () => {
      database = await createTestDatabase(kind)
      db = await openStore({ databaseUrl: database.url })
      tenantId = (await seedTenant(db, { slug: 'paged', users: USERS })).tenantId
      // Some disabled employees, so the status filter has work to do.
      await db
        .updateTable('users')
        .set({ active: 0 })
        .where('user_name', 'like', '%3@paged.example')
        .execute()
    })
    after(async () => {
      await db.destroy()
      await database.drop()
    })

    const query = (overrides: Partial<EmployeeListQuery>): EmployeeListQuery => ({
      status: 'all',
      sort: 'userName',
      order: 'asc',
      page: 1,
      pageSize: 50,
      ...overrides,
    })

    it('anchored pages equal OFFSET pages in both orders, with and without a status filter', async () => {
      const cache = new EmployeeListCache(60_000)
      const dialect = sqlDialectOf(db)
      for (const status of ['all', 'active', 'disabled'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          for (const [page, pageSize] of [
            [1, 50],
            [10, 50],
            [11, 50],
            [20, 50],
            [25, 50],
            [26, 50],
            [3, 200],
            [7, 200],
            [1, 1],
          ]) {
            const wanted = query({ status, order, page, pageSize })
            const fast = await listEmployees(db, tenantId, wanted, dialect, cache)
            const exact = await listEmployees(db, tenantId, wanted, dialect)
            assert.deepEqual(fast, exact, `${status} ${order} page ${page} of ${pageSize}`)
          }
        }
      }
    })

    it('stale anchors that the fresh total contradicts are dropped, and the page read exactly', async () => {
      // Totals live 100 ms here, anchors twelve times as long.
      const cache = new EmployeeListCache(100)
      const dialect = sqlDialectOf(db)
      const last = query({ page: Math.ceil(USERS / 50) })
      assert.equal((await listEmployees(db, tenantId, last, dialect, cache)).total, USERS)
      const gone = await db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .orderBy('user_name_lower')
        .limit(10)
        .execute()
      await db
        .deleteFrom('users')
        .where(
          'id',
          'in',
          gone.map((row) => row.id),
        )
        .execute()
      await new Promise((resolve) => setTimeout(resolve, 150))
      const after = await listEmployees(db, tenantId, last, dialect, cache)
      assert.equal(after.total, USERS - 10)
      assert.deepEqual(after, await listEmployees(db, tenantId, last, dialect))
    })
  })
}
