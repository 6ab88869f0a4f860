import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isScimError } from '../../src/scim/errors.js'
import type { AttributePath, Filter } from '../../src/scim/filter/ast.js'
import { parseFilter } from '../../src/scim/filter/parse-filter.js'
import { queryUsers, type UserQuery } from '../../src/store/user-query.js'
import { TEST_DATABASES } from '../support/databases.js'
import { openSeededStore, type TestStore } from './fixtures.js'

function parse(text: string): Filter {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw new Error(`test filter does not parse: ${text}`)
  return parsed.value
}

/** Default order: created, then id (u11 and u12 share a created instant). */
const BY_CREATED = ['u03', 'u01', 'u02', 'u04', 'u05', 'u06', 'u07', 'u08', 'u09', 'u10', 'u11', 'u12']

for (const database of TEST_DATABASES) {
  describe(`queryUsers [${database}]`, () => {
    let store: TestStore

    before(async () => {
      store = await openSeededStore(database)
    })
    after(() => store.close())

    async function page(query: Partial<UserQuery> = {}): Promise<{ totalResults: number; ids: string[] }> {
      const { totalResults, rows } = await queryUsers(
        store.db,
        't1',
        { startIndex: 1, count: 100, ...query },
        store.dialect,
      )
      assert.ok(rows.every((row) => row.tenant_id === 't1'))
      return { totalResults, ids: rows.map((row) => row.id) }
    }

    async function sorted(sortBy: AttributePath, sortOrder?: 'ascending' | 'descending'): Promise<string[]> {
      return (await page({ sortBy, sortOrder })).ids
    }

    it('lists every user of the tenant in (created, id) order', async () => {
      assert.deepEqual(await page(), { totalResults: 12, ids: BY_CREATED })
    })

    it('pages with a 1-based startIndex and a stable totalResults', async () => {
      const pages = [
        await page({ count: 5 }),
        await page({ startIndex: 6, count: 5 }),
        await page({ startIndex: 11, count: 5 }),
      ]
      assert.deepEqual(
        pages.map((result) => result.totalResults),
        [12, 12, 12],
      )
      assert.deepEqual(
        pages.map((result) => result.ids.length),
        [5, 5, 2],
      )
      assert.deepEqual(
        pages.flatMap((result) => result.ids),
        BY_CREATED,
      )
    })

    it('returns no rows past the end, with the full total', async () => {
      assert.deepEqual(await page({ startIndex: 13, count: 5 }), { totalResults: 12, ids: [] })
      assert.deepEqual(await page({ startIndex: 500, count: 5 }), { totalResults: 12, ids: [] })
    })

    it('reads a startIndex below 1 as 1', async () => {
      assert.deepEqual((await page({ startIndex: 0, count: 2 })).ids, ['u03', 'u01'])
      assert.deepEqual((await page({ startIndex: -4, count: 2 })).ids, ['u03', 'u01'])
    })

    it('count=0 returns only totalResults', async () => {
      assert.deepEqual(await page({ count: 0 }), { totalResults: 12, ids: [] })
      assert.deepEqual(await page({ count: 0, filter: parse('active eq false') }), {
        totalResults: 2,
        ids: [],
      })
    })

    it('totalResults counts the whole filter, not the page', async () => {
      const filter = parse('active eq true')
      assert.deepEqual(await page({ filter, startIndex: 2, count: 3 }), {
        totalResults: 10,
        ids: ['u01', 'u04', 'u05'],
      })
      assert.deepEqual(await page({ filter: parse('userName eq "nobody"') }), { totalResults: 0, ids: [] })
    })

    it('pages an indexed lookup', async () => {
      assert.deepEqual(await page({ filter: parse('manager eq "u01"'), count: 1 }), {
        totalResults: 2,
        ids: ['u06'],
      })
      assert.deepEqual(await page({ filter: parse('manager eq "u01"'), startIndex: 2 }), {
        totalResults: 2,
        ids: ['u10'],
      })
    })

    it('sorts by userName, case-insensitively', async () => {
      const ascending = ['u01', 'u06', 'u07', 'u08', 'u09', 'u10', 'u11', 'u12', 'u02', 'u04', 'u05', 'u03']
      assert.deepEqual(await sorted({ name: 'userName' }), ascending)
      assert.deepEqual(await sorted({ name: 'USERNAME' }, 'ascending'), ascending)
      assert.deepEqual(await sorted({ name: 'userName' }, 'descending'), [...ascending].reverse())
    })

    it('sorts by name.familyName with missing values last ascending, first descending', async () => {
      const withName = ['u08', 'u07', 'u06', 'u10', 'u12', 'u01', 'u11', 'u04', 'u02', 'u09', 'u03']
      assert.deepEqual(await sorted({ name: 'name', sub: 'familyName' }), [...withName, 'u05'])
      assert.deepEqual(await sorted({ name: 'name', sub: 'familyName' }, 'descending'), [
        'u05',
        ...withName.reverse(),
      ])
    })

    it('sorts by meta.lastModified', async () => {
      const ascending = ['u01', 'u12', 'u04', 'u06', 'u07', 'u09', 'u10', 'u05', 'u11', 'u08', 'u03', 'u02']
      assert.deepEqual(await sorted({ name: 'meta', sub: 'lastModified' }), ascending)
      assert.deepEqual(
        await sorted({ name: 'meta', sub: 'lastModified' }, 'descending'),
        [...ascending].reverse(),
      )
    })

    it('breaks ties by created, then id, in either direction', async () => {
      // "tour guide" ×3 and the users without a title tie; each group stays in (created, id) order.
      assert.deepEqual(await sorted({ name: 'title' }), [
        ...['u05', 'u06', 'u03', 'u02'],
        ...['u01', 'u08', 'u12'],
        ...['u04', 'u07', 'u09', 'u10', 'u11'],
      ])
      assert.deepEqual(await sorted({ name: 'title' }, 'descending'), [
        ...['u04', 'u07', 'u09', 'u10', 'u11'],
        ...['u01', 'u08', 'u12'],
        ...['u02', 'u03', 'u06', 'u05'],
      ])
    })

    it('sorts a multi-valued attribute by its primary value, else its first', async () => {
      // u03's roles are [viewer, admin (primary)]: it sorts as "admin".
      assert.deepEqual(await sorted({ name: 'roles', sub: 'value' }), [
        ...['u03', 'u01', 'u07', 'u02'],
        ...['u04', 'u05', 'u06', 'u08', 'u09', 'u10', 'u11', 'u12'],
      ])
      // emails: u05 has no primary, so its first ("u5@other.org") counts.
      assert.deepEqual(await sorted({ name: 'emails' }), [
        ...['u03', 'u01', 'u08', 'u09', 'u11', 'u02', 'u05'],
        ...['u04', 'u06', 'u07', 'u10', 'u12'],
      ])
    })

    it('sorts by an extension attribute and the manager', async () => {
      const department = {
        uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        name: 'department',
      }
      assert.deepEqual((await page({ sortBy: department, count: 5 })).ids, [
        'u03',
        'u02',
        'u11',
        'u01',
        'u06',
      ])
      assert.deepEqual((await page({ sortBy: { name: 'manager' }, count: 4 })).ids, [
        'u06',
        'u10',
        'u01',
        'u02',
      ])
    })

    it('sorts by meta.resourceType as a tie: (created, id) order', async () => {
      assert.deepEqual(await sorted({ name: 'meta', sub: 'resourceType' }, 'descending'), BY_CREATED)
    })

    it('sorts and pages a filtered list', async () => {
      const filter = parse('title pr')
      const sortBy = { name: 'userName' }
      assert.deepEqual(await page({ filter, sortBy, count: 3 }), {
        totalResults: 6,
        ids: ['u01', 'u06', 'u08'],
      })
      assert.deepEqual(await page({ filter, sortBy, startIndex: 4, count: 3 }), {
        totalResults: 6,
        ids: ['u12', 'u02', 'u03'],
      })
    })

    for (const sortBy of [{ name: 'nope' }, { name: 'name' }, { name: 'addresses' }, { name: 'password' }]) {
      it(`rejects sortBy=${sortBy.name} with invalidValue`, async () => {
        await assert.rejects(
          page({ sortBy }),
          (error) => isScimError(error) && error.status === 400 && error.scimType === 'invalidValue',
        )
      })
    }

    it('rejects an invalid filter before querying', async () => {
      await assert.rejects(
        page({ filter: parse('nope eq 1') }),
        (error) => isScimError(error) && error.scimType === 'invalidFilter',
      )
    })

    it('runs inside a caller transaction', async () => {
      const result = await store.db
        .transaction()
        .execute((trx) => queryUsers(trx, 't1', { startIndex: 1, count: 2 }, store.dialect))
      assert.deepEqual(
        result.rows.map((row) => row.id),
        ['u03', 'u01'],
      )
    })
  })
}
