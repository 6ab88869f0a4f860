import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { CompiledQuery, KyselyPlugin } from 'kysely'
import { isScimError } from '../../src/scim/errors.js'
import type { AttributePath, Filter } from '../../src/scim/filter/ast.js'
import { parseFilter } from '../../src/scim/filter/parse-filter.js'
import { type GroupQuery, queryGroups } from '../../src/store/group-query.js'
import { groupSortExpression } from '../../src/store/group-sort.js'
import { TEST_DATABASES } from '../support/databases.js'
import type { TestStore } from './fixtures.js'
import { openGroupStore } from './group-fixtures.js'

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'

function parse(text: string): Filter {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw new Error(`test filter does not parse: ${text}`)
  return parsed.value
}

/** Default order: created, then id (g05 and g06 share a created instant). */
const BY_CREATED = ['g03', 'g01', 'g02', 'g04', 'g05', 'g06']

for (const database of TEST_DATABASES) {
  describe(`queryGroups [${database}]`, () => {
    let store: TestStore

    before(async () => {
      store = await openGroupStore(database)
    })
    after(() => store.close())

    async function page(
      query: Partial<GroupQuery> = {},
      tenant = 't1',
    ): Promise<{ totalResults: number; ids: string[] }> {
      const { totalResults, rows } = await queryGroups(
        store.db,
        tenant,
        {
          startIndex: 1,
          count: 100,
          ...query,
        },
        store.dialect,
      )
      assert.ok(rows.every((row) => row.tenant_id === tenant))
      return { totalResults, ids: rows.map((row) => row.id) }
    }

    async function sorted(sortBy: AttributePath, sortOrder?: 'ascending' | 'descending'): Promise<string[]> {
      return (await page({ sortBy, sortOrder })).ids
    }

    /** The SQL queryGroups runs for `query`. */
    async function statements(query: Partial<GroupQuery>): Promise<string[]> {
      const executor = store.db.getExecutor()
      const captured: CompiledQuery[] = []
      const capture: KyselyPlugin = {
        transformQuery: ({ node, queryId }) => {
          captured.push(executor.compileQuery(node, queryId))
          return node
        },
        transformResult: async ({ result }) => result,
      }
      await queryGroups(
        store.db.withPlugin(capture),
        't1',
        { startIndex: 1, count: 100, ...query },
        store.dialect,
      )
      return captured.map((compiled) => compiled.sql)
    }

    it('lists every group of the tenant in (created, id) order, as stored', async () => {
      assert.deepEqual(await page(), { totalResults: 6, ids: BY_CREATED })
      const { rows } = await queryGroups(store.db, 't1', { startIndex: 1, count: 1 }, store.dialect)
      assert.deepEqual(rows, [
        {
          tenant_id: 't1',
          id: 'g03',
          display_name: 'ÅSA Team',
          display_name_lower: 'åsa team',
          external_id: null,
          created: '2010-05-05T10:00:00.000Z',
          last_modified: '2010-05-05T10:00:00.000Z',
          version: 1,
          // Inserted without the directory, so with no history.
          audit_head: null,
        },
      ])
    })

    it('pages with a 1-based startIndex and a stable totalResults', async () => {
      const pages = [
        await page({ count: 2 }),
        await page({ startIndex: 3, count: 2 }),
        await page({ startIndex: 5, count: 2 }),
      ]
      assert.deepEqual(
        pages.map((result) => result.totalResults),
        [6, 6, 6],
      )
      assert.deepEqual(
        pages.flatMap((result) => result.ids),
        BY_CREATED,
      )
    })

    it('returns no rows past the end, with the full total', async () => {
      assert.deepEqual(await page({ startIndex: 7, count: 5 }), { totalResults: 6, ids: [] })
      assert.deepEqual(await page({ startIndex: 500, count: 5 }), { totalResults: 6, ids: [] })
    })

    it('reads a startIndex below 1 as 1, and a count below 0 as 0', async () => {
      assert.deepEqual((await page({ startIndex: 0, count: 2 })).ids, ['g03', 'g01'])
      assert.deepEqual((await page({ startIndex: -4, count: 2 })).ids, ['g03', 'g01'])
      assert.deepEqual(await page({ count: -1 }), { totalResults: 6, ids: [] })
    })

    it('count=0 returns only totalResults', async () => {
      assert.deepEqual(await page({ count: 0 }), { totalResults: 6, ids: [] })
      assert.deepEqual(await page({ count: 0, filter: parse('members pr') }), { totalResults: 5, ids: [] })
    })

    it('totalResults counts the whole filter, not the page', async () => {
      assert.deepEqual(await page({ filter: parse('members pr'), startIndex: 2, count: 2 }), {
        totalResults: 5,
        ids: ['g01', 'g02'],
      })
      assert.deepEqual(await page({ filter: parse('displayName eq "nobody"') }), { totalResults: 0, ids: [] })
    })

    it('skips the COUNT when the first page is not full', async () => {
      const counts = (sqls: string[]) => sqls.filter((text) => /count\(\*\)/i.test(text)).length
      assert.equal(counts(await statements({ count: 10 })), 0)
      assert.equal(counts(await statements({ filter: parse('displayName eq "Sales"'), count: 1 })), 1)
      assert.equal(counts(await statements({ count: 6 })), 1)
      assert.equal(counts(await statements({ startIndex: 2, count: 10 })), 1)
    })

    it("answers Entra's lookup and the membership check", async () => {
      assert.deepEqual(await page({ filter: parse('displayName eq "SALES"') }), {
        totalResults: 1,
        ids: ['g02'],
      })
      assert.deepEqual(await page({ filter: parse('id eq "g01" and members eq "u01"') }), {
        totalResults: 1,
        ids: ['g01'],
      })
      assert.deepEqual(await page({ filter: parse('id eq "g02" and members eq "u01"') }), {
        totalResults: 0,
        ids: [],
      })
    })

    it("never returns another tenant's groups", async () => {
      assert.deepEqual(await page({ filter: parse('members eq "u99"') }), { totalResults: 0, ids: [] })
      assert.deepEqual(await page({ filter: parse('members eq "u99"') }, 't2'), {
        totalResults: 1,
        ids: ['g04'],
      })
      assert.deepEqual(await page({}, 't3'), { totalResults: 0, ids: [] })
    })

    it('sorts by displayName, case-insensitively', async () => {
      const ascending = ['g05', 'g06', 'g04', 'g02', 'g01', 'g03']
      assert.deepEqual(await sorted({ name: 'displayName' }), ascending)
      assert.deepEqual(await sorted({ uri: GROUP, name: 'DISPLAYNAME' }, 'ascending'), ascending)
      assert.deepEqual(await sorted({ name: 'displayName' }, 'descending'), [...ascending].reverse())
    })

    it('sorts by externalId exactly, groups without one last ascending and first descending', async () => {
      assert.deepEqual(await sorted({ name: 'externalId' }), ['g06', 'g05', 'g01', 'g02', 'g03', 'g04'])
      assert.deepEqual(await sorted({ name: 'externalId' }, 'descending'), [
        'g03',
        'g04',
        'g02',
        'g01',
        'g05',
        'g06',
      ])
    })

    it('sorts by id and by meta dates, ties broken by created then id in either direction', async () => {
      assert.deepEqual(await sorted({ name: 'id' }, 'descending'), ['g06', 'g05', 'g04', 'g03', 'g02', 'g01'])
      assert.deepEqual(await sorted({ name: 'meta', sub: 'lastModified' }), [
        'g03',
        'g01',
        'g04',
        'g06',
        'g05',
        'g02',
      ])
      assert.deepEqual(await sorted({ name: 'meta', sub: 'created' }), BY_CREATED)
      assert.deepEqual(await sorted({ name: 'meta', sub: 'created' }, 'descending'), [
        'g05',
        'g06',
        'g04',
        'g02',
        'g01',
        'g03',
      ])
    })

    it('ignores sortOrder without sortBy', async () => {
      assert.deepEqual((await page({ sortOrder: 'descending' })).ids, BY_CREATED)
    })

    it('sorts and pages a filtered list', async () => {
      const filter = parse('members[type eq "User"]')
      const sortBy = { name: 'displayName' }
      assert.deepEqual(await page({ filter, sortBy, count: 2 }), { totalResults: 4, ids: ['g06', 'g02'] })
      assert.deepEqual(await page({ filter, sortBy, startIndex: 3, count: 2 }), {
        totalResults: 4,
        ids: ['g01', 'g03'],
      })
    })

    const unsortable: AttributePath[] = [
      { name: 'nope' },
      { name: 'members' },
      { name: 'members', sub: 'value' },
      { name: 'meta' },
      { name: 'meta', sub: 'resourceType' },
      { name: 'meta', sub: 'location' },
      { name: 'schemas' },
      { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'userName' },
    ]
    for (const sortBy of unsortable) {
      const label = `${sortBy.name}${sortBy.sub ? `.${sortBy.sub}` : ''}`
      it(`rejects sortBy=${label} with invalidValue before querying`, async () => {
        assert.throws(
          () => groupSortExpression(sortBy),
          (error) => isScimError(error) && error.status === 400 && error.scimType === 'invalidValue',
        )
        await assert.rejects(
          page({ sortBy }),
          (error) =>
            isScimError(error) && error.scimType === 'invalidValue' && error.detail.startsWith('sortBy: '),
        )
      })
    }

    it('rejects an invalid filter before querying', async () => {
      await assert.rejects(
        page({ filter: parse('members.display eq "x"') }),
        (error) => isScimError(error) && error.scimType === 'invalidFilter',
      )
    })

    it('runs inside a caller transaction', async () => {
      const result = await store.db
        .transaction()
        .execute((trx) => queryGroups(trx, 't1', { startIndex: 1, count: 2 }, store.dialect))
      assert.deepEqual(
        result.rows.map((row) => row.id),
        ['g03', 'g01'],
      )
    })
  })
}
