import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CompiledQuery as Compiled, type CompiledQuery, type KyselyPlugin, sql } from 'kysely'
import type { Filter } from '../../src/scim/filter/ast.js'
import { parseFilter } from '../../src/scim/filter/parse-filter.js'
import { queryUsers } from '../../src/store/user-query.js'
import { TEST_DATABASES } from '../support/databases.js'
import {
  insertTenant,
  insertUsers,
  openSeededStore,
  openTestStore,
  type TestStore,
  type UserSeed,
} from './fixtures.js'

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

/**
 * SQLite only by nature: EXPLAIN QUERY PLAN and its index names are SQLite's. The PostgreSQL
 * counterpart (EXPLAIN on an analysed table large enough for index scans to win) follows below.
 */
describe('user query plans (SQLite)', () => {
  let store: TestStore

  before(async () => {
    store = await openSeededStore('sqlite')
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

/** [filter, the index PostgreSQL must scan users with]; the primary key is (tenant_id, id). */
const postgresIndexed: [string, string][] = [
  ['userName eq "BJensen@example.com"', 'users_user_name'],
  ['userName eq "Member4242@Plan.test"', 'users_user_name'],
  ['externalId eq "ext-4242"', 'users_external_id'],
  ['id eq "p04242"', 'users_pk'],
  ['emails[type eq "work"].value eq "member4242@plan.test"', 'users_work_email'],
  ['emails[type eq "work" and value eq "member4242@plan.test"]', 'users_work_email'],
  ['manager eq "p00007"', 'users_manager'],
  ['id eq "p04242" and manager eq "p00007"', 'users_pk'],
]

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)]
}

/**
 * On PostgreSQL the planner's choice depends on statistics: with a dozen rows a sequential scan is
 * cheapest and right. So the tenant holds 20,000 users and the table is ANALYZEd first; then every
 * indexed lookup must be an index scan, and no statement may scan users sequentially.
 */
describe('user query plans (PostgreSQL)', { skip: !TEST_DATABASES.includes('postgres') }, () => {
  const USERS = 20_000
  let store: TestStore

  before(async () => {
    store = await openTestStore('postgres')
    for (const tenant of ['t1', 't2']) await insertTenant(store.db, tenant)
    const start = Date.UTC(2020, 0, 1)
    // Ten direct reports per manager, as in a real directory (a manager of 2% of the tenant would
    // rightly be read by walking users_created until ten reports are found).
    const seeds: UserSeed[] = Array.from({ length: USERS }, (_, n) => ({
      id: `p${String(n).padStart(5, '0')}`,
      created: new Date(start + n * 1000).toISOString(),
      resource: {
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:User',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        ],
        userName: `Member${n}@Plan.test`,
        externalId: `ext-${n}`,
        emails: [{ value: `member${n}@plan.test`, type: 'work' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          manager: { value: `p${String(n % 2000).padStart(5, '0')}` },
        },
      },
    }))
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < seeds.length; i += 1000) await insertUsers(trx, 't1', seeds.slice(i, i + 1000))
    })
    await insertUsers(store.db, 't2', seeds.slice(0, 100))
    await sql`analyze`.execute(store.db)
  })
  after(() => store?.close())

  async function statements(filter?: Filter): Promise<CompiledQuery[]> {
    const executor = store.db.getExecutor()
    const captured: CompiledQuery[] = []
    const capture: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        const compiled = executor.compileQuery(node, queryId)
        // Templates of prepared lookups are compiled with placeholder arguments, never run as such.
        if (!compiled.parameters.some((value) => typeof value === 'string' && value.includes('\u0000')))
          captured.push(compiled)
        return node
      },
      transformResult: async ({ result }) => result,
    }
    const db = store.db.withPlugin(capture)
    await queryUsers(db, 't1', { filter, startIndex: 1, count: 10 }, store.dialect)
    await queryUsers(db, 't1', { filter, startIndex: 2, count: 10 }, store.dialect)
    return captured
  }

  async function plan(query: CompiledQuery): Promise<PlanNode[]> {
    const explain = Compiled.raw(`explain (format json) ${query.sql}`, [...query.parameters])
    // The store reads json columns as their text (dialects/postgres.ts), EXPLAIN's output included.
    const result = await store.db.executeQuery<{ 'QUERY PLAN': string }>(explain)
    const text = result.rows[0]?.['QUERY PLAN']
    assert.ok(text, query.sql)
    const root = (JSON.parse(text) as [{ Plan: PlanNode }])[0]?.Plan
    assert.ok(root, query.sql)
    return planNodes(root)
  }

  for (const [text, index] of postgresIndexed) {
    it(`${text} scans ${index}`, async () => {
      const queries = await statements(parse(text))
      assert.ok(
        queries.some((query) => /count\(\*\)/i.test(query.sql)),
        'a count query is among them',
      )
      for (const query of queries) {
        const nodes = await plan(query)
        const message = `${query.sql}\n${JSON.stringify(nodes.map((node) => [node['Node Type'], node['Relation Name'], node['Index Name']]))}`
        assert.ok(
          nodes.some((node) => /Index( Only)? Scan$/.test(node['Node Type']) && node['Index Name'] === index),
          message,
        )
        assert.ok(
          !nodes.some((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'users'),
          message,
        )
      }
    })
  }

  it('lists a tenant in (created, id) order straight from its index, without a sort', async () => {
    const [page] = await statements()
    assert.ok(page)
    const nodes = await plan(page)
    const message = JSON.stringify(nodes.map((node) => [node['Node Type'], node['Index Name']]))
    assert.ok(
      nodes.some((node) => node['Index Name'] === 'users_created'),
      message,
    )
    assert.ok(!nodes.some((node) => node['Node Type'] === 'Sort'), message)
  })
})
