import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CompiledQuery as Compiled, type CompiledQuery, type KyselyPlugin } from 'kysely'
import type { Filter } from '../../src/scim/filter/ast.js'
import { parseFilter } from '../../src/scim/filter/parse-filter.js'
import { queryUsers } from '../../src/store/user-query.js'
import { openSeededStore, type TestStore } from './fixtures.js'

function parse(text: string): Filter {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw new Error(`test filter does not parse: ${text}`)
  return parsed.value
}

/** [filter, the index SQLite must search with]; the PRIMARY KEY of a rowid table is an autoindex. */
const indexed: [string, string][] = [
  ['userName eq "BJensen@example.com"', 'users_user_name'],
  ['externalId eq "EXT-bjensen"', 'users_external_id'],
  ['id eq "u01"', 'sqlite_autoindex_users_1'],
  ['emails[type eq "work"].value eq "bjensen@example.com"', 'users_work_email'],
  ['emails[type eq "work" and value eq "bjensen@example.com"]', 'users_work_email'],
  ['manager eq "u03"', 'users_manager'],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "u03"', 'users_manager'],
  ['id eq "u01" and manager eq "u03"', 'sqlite_autoindex_users_1'],
]

describe('user query plans (SQLite)', () => {
  let store: TestStore

  before(async () => {
    store = await openSeededStore()
  })
  after(() => store.close())

  /**
   * The statements queryUsers really runs, captured as compiled: a first page (page query only)
   * and a later page (count, then page).
   */
  async function statements(filter?: Filter): Promise<CompiledQuery[]> {
    const executor = store.db.getExecutor()
    const captured: CompiledQuery[] = []
    const capture: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        captured.push(executor.compileQuery(node, queryId))
        return node
      },
      transformResult: async ({ result }) => result,
    }
    await queryUsers(store.db.withPlugin(capture), 't1', { filter, startIndex: 1, count: 10 })
    await queryUsers(store.db.withPlugin(capture), 't1', { filter, startIndex: 2, count: 10 })
    return captured
  }

  async function plan(query: CompiledQuery): Promise<string[]> {
    const explain = Compiled.raw(`explain query plan ${query.sql}`, [...query.parameters])
    const result = await store.db.executeQuery<{ detail: string }>(explain)
    return result.rows.map((row) => row.detail)
  }

  for (const [text, index] of indexed) {
    it(`${text} searches ${index}`, async () => {
      const queries = await statements(parse(text))
      assert.ok(
        queries.some((query) => /count\(\*\)/i.test(query.sql)),
        'a count query is among them',
      )
      assert.ok(
        queries.some((query) => !/count\(\*\)/i.test(query.sql)),
        'a page query is among them',
      )
      for (const query of queries) {
        const details = await plan(query)
        const message = `${query.sql}\n${details.join('\n')}`
        assert.ok(
          details.some((detail) =>
            new RegExp(`^SEARCH users USING (COVERING )?INDEX ${index} \\(`).test(detail),
          ),
          message,
        )
        assert.ok(!details.some((detail) => /^SCAN users\b/.test(detail)), message)
      }
    })
  }

  it('lists a tenant in (created, id) order straight from its index', async () => {
    const [page] = await statements()
    assert.ok(page)
    const details = await plan(page)
    assert.ok(
      details.some((detail) => /^SEARCH users USING INDEX users_created \(tenant_id=\?\)/.test(detail)),
      details.join('\n'),
    )
    assert.ok(!details.some((detail) => /TEMP B-TREE/.test(detail)), details.join('\n'))
  })
})
