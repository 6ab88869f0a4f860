import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CompiledQuery as Compiled, type CompiledQuery, type KyselyPlugin } from 'kysely'
import { isScimError } from '../../src/scim/errors.js'
import type { Filter } from '../../src/scim/filter/ast.js'
import { evaluateFilter } from '../../src/scim/filter/evaluate.js'
import { parseFilter } from '../../src/scim/filter/parse-filter.js'
import { groupResource } from '../../src/scim/schema/registry.js'
import {
  compileGroupFilter,
  compileMemberValueFilter,
  isGroupIndexedLookup,
} from '../../src/store/group-filter-sql.js'
import { queryGroups } from '../../src/store/group-query.js'
import { TEST_DATABASES } from '../support/databases.js'
import type { TestStore } from './fixtures.js'
import { groupJson, openGroupStore, sampleGroups } from './group-fixtures.js'

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ALL = sampleGroups.map((group) => group.id)
const except = (...ids: string[]) => ALL.filter((id) => !ids.includes(id))

function parse(text: string): Filter {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw new Error(`test filter does not parse: ${text}`)
  return parsed.value
}

/** [filter, ids of the matching groups in tenant t1]. */
const cases: [string, string[]][] = [
  // displayName: the lower-cased column, Unicode-aware
  ['displayName eq "tour guides"', ['g01']],
  ['DISPLAYNAME eq "TOUR GUIDES"', ['g01']],
  ['displayName eq "åsa team"', ['g03']],
  [`${GROUP}:displayName eq "Sales"`, ['g02']],
  [`${GROUP.toUpperCase()}:DisplayName eq "sales"`, ['g02']],
  ['displayName co "%"', ['g05']],
  ['displayName co "_"', ['g05']],
  ['displayName sw "T"', ['g01']],
  ['displayName ew "S"', ['g01', 'g02', 'g06']],
  ['displayName gt "m"', ['g01', 'g02', 'g03']],
  ['displayName le "ADMINS"', ['g05', 'g06']],
  ['displayName ne "sales"', except('g02')],
  ['displayName pr', ALL],
  ['displayName eq null', []],
  // caseExact id and externalId; an absent externalId
  ['externalId eq "EXT-guides"', ['g01']],
  ['externalId eq "ext-guides"', []],
  ['externalId sw "EXT-"', ['g01', 'g05', 'g06']],
  ['externalId gt "EXT-b"', ['g01', 'g02', 'g05']],
  ['externalId pr', ['g01', 'g02', 'g05', 'g06']],
  ['externalId eq null', ['g03', 'g04']],
  ['externalId ne "EXT-guides"', except('g01')],
  ['externalId ne null', ['g01', 'g02', 'g05', 'g06']],
  ['id eq "g04"', ['g04']],
  ['id eq "G04"', []],
  ['ID sw "g0"', ALL],
  ['id pr', ALL],
  // meta: instants, whatever the offset or precision the client writes
  ['meta.created gt "2012-01-01T00:00:00Z"', ['g04', 'g05', 'g06']],
  ['meta.created eq "2012-01-01T01:00:00+01:00"', ['g02']],
  ['meta.created ge "2012-01-01"', ['g02', 'g04', 'g05', 'g06']],
  ['meta.created sw "2014-"', ['g05', 'g06']],
  ['meta.lastModified lt "2012-01-01T00:00:00Z"', ['g01', 'g03']],
  ['meta.lastModified le "2015-01-01T00:00:00.000Z"', ['g01', 'g03', 'g04', 'g06']],
  ['meta[created lt "2011-01-01T00:00:00"]', ['g03']],
  ['meta.resourceType eq "Group"', ALL],
  ['meta.resourceType eq "group"', []],
  ['meta.resourceType eq "User"', []],
  ['meta pr', ALL],
  // schemas: every group has exactly the core schema
  [`schemas eq "${GROUP}"`, ALL],
  [`schemas eq "${GROUP.toUpperCase()}"`, ALL],
  ['schemas eq "urn:ietf:params:scim:schemas:core:2.0:User"', []],
  ['schemas co "Group"', ALL],
  // members: any member matches; `members` alone means members.value
  ['members eq "u02"', ['g01', 'g02']],
  ['members eq "u01"', ['g01']],
  ['members eq "U01"', ['g06']],
  ['members.value eq "u03"', ['g03']],
  [`${GROUP}:members.value eq "u03"`, ['g03']],
  ['Members.Value sw "g"', ['g01', 'g05']],
  ['members co "0"', except('g04')],
  ['members ne "u02"', except('g02')],
  ['not (members eq "u02")', except('g01', 'g02')],
  ['members pr', except('g04')],
  ['members.value pr', except('g04')],
  ['members eq null', ['g04']],
  ['members ne null', except('g04')],
  ['members.type eq "GROUP"', ['g01', 'g05']],
  ['members.type ne "User"', ['g01', 'g04', 'g05']],
  ['members.type pr', except('g04')],
  // members value filters, with and/or/not inside
  ['members[value eq "g03"]', ['g01']],
  ['MEMBERS[VALUE eq "u04"]', ['g06']],
  ['members[value eq "u02" and type eq "user"]', ['g01', 'g02']],
  ['members[type eq "Group"]', ['g01', 'g05']],
  ['members[type eq "User" and not (value sw "u0")]', ['g06']],
  ['members[value eq "u01" or value eq "u04"]', ['g01', 'g06']],
  ['members[type eq "User"].value eq "g03"', []],
  ['members[type eq "Group"].value eq "g03"', ['g01']],
  ['members[value pr]', except('g04')],
  ['not (members[type eq "User"])', ['g04', 'g05']],
  // the membership check (entra-scim.md §4)
  ['id eq "g01" and members eq "u01"', ['g01']],
  ['id eq "g02" and members eq "u01"', []],
  ['id eq "g01" and members[value eq "g03"]', ['g01']],
  // and/or/not across attributes and members
  ['displayName sw "t" or members[type eq "Group"]', ['g01', 'g05']],
  ['not (externalId pr) and not (members pr)', ['g04']],
  ['not (externalId eq "EXT-guides" or members eq "u03")', except('g01', 'g03')],
  ['displayName pr and (externalId eq null or members eq "u04")', ['g03', 'g04', 'g06']],
  ['externalId eq "EXT-guides" or externalId ne "EXT-guides"', ALL],
]

const invalid: [string, RegExp][] = [
  ['xyz eq "a"', /^filter: unknown attribute "xyz"$/],
  ['userName eq "a"', /unknown attribute "userName"/],
  ['urn:ietf:params:scim:schemas:core:2.0:User:displayName eq "x"', /unknown attribute/],
  ['members.display eq "Babs"', /"members\.display" cannot be filtered on/],
  ['members[display eq "Babs"]', /"members\.display" cannot be filtered on/],
  ['members.$ref pr', /"members\.\$ref" cannot be filtered on/],
  ['members.nope eq "x"', /unknown attribute "members\.nope"/],
  ['members[nope eq "x"]', /unknown attribute "members\.nope"/],
  ['displayName[value eq "x"]', /not a complex attribute/],
  ['schemas[value eq "x"]', /unknown attribute "schemas"/],
  ['meta eq "x"', /complex/],
  ['meta.location pr', /cannot be filtered/],
  ['meta.version eq "x"', /cannot be filtered/],
  ['meta.created gt "not a date"', /invalid dateTime/],
  ['displayName gt null', /is not a comparison/],
  ['members gt null', /is not a comparison/],
  ['members.type lt null', /is not a comparison/],
]

for (const database of TEST_DATABASES) {
  describe(`compileGroupFilter [${database}]`, () => {
    let store: TestStore

    before(async () => {
      store = await openGroupStore(database)
    })
    after(() => store.close())

    /** The caller scopes to the tenant; the filter must not need it to, nor leak across it. */
    async function ids(filter: Filter, tenant = 't1'): Promise<string[]> {
      const rows = await store.db
        .selectFrom('groups')
        .select('id')
        .where('tenant_id', '=', tenant)
        .where(compileGroupFilter(filter, store.dialect))
        .orderBy('id')
        .execute()
      return rows.map((row) => row.id)
    }

    for (const [text, expected] of cases) {
      it(text, async () => {
        assert.deepEqual(await ids(parse(text)), [...expected].sort())
      })
    }

    it('covers at least 60 filters', () => assert.ok(cases.length >= 60))

    it('makes not (…) the exact complement of every case', async () => {
      for (const [text, expected] of cases) {
        assert.deepEqual(await ids(parse(`not (${text})`)), except(...expected), `not (${text})`)
      }
    })

    it('agrees with evaluateFilter on every case', () => {
      for (const [text, expected] of cases) {
        const matched = sampleGroups.filter((seed) =>
          evaluateFilter(parse(text), groupJson(seed), groupResource),
        )
        assert.deepEqual(
          matched.map((seed) => seed.id),
          [...expected].sort(),
          text,
        )
      }
    })

    it('reads memberships of the same tenant only', async () => {
      assert.deepEqual(await ids(parse('members eq "u99"')), [])
      assert.deepEqual(await ids(parse('members eq "u99"'), 't2'), ['g04'])
      assert.deepEqual(await ids(parse('members eq null'), 't2'), [])
      assert.deepEqual(await ids(parse('members eq "u02"'), 't2'), ['g01', 'g02'])
      assert.deepEqual(await ids(parse('displayName pr'), 't3'), [])
    })

    for (const [text, detail] of invalid) {
      it(`rejects ${text}`, () => {
        assert.throws(
          () => compileGroupFilter(parse(text), store.dialect),
          (error) =>
            isScimError(error) &&
            error.status === 400 &&
            error.scimType === 'invalidFilter' &&
            detail.test(error.detail),
        )
      })
    }

    it('binds every value as a parameter', async () => {
      const hostile = `x' or 1=1 --`
      const filter = parse(
        `displayName eq "${hostile}" or members[value co "${hostile}"] or externalId sw "${hostile}" or members.type eq "${hostile}"`,
      )
      const compiled = store.db
        .selectFrom('groups')
        .select('id')
        .where(compileGroupFilter(filter, store.dialect))
        .compile()
      assert.ok(!compiled.sql.includes(hostile))
      assert.ok(compiled.parameters.includes(hostile))
      assert.ok(compiled.parameters.includes(hostile.toLowerCase()))
      assert.deepEqual(await ids(filter), [])
    })

    it('flags the equalities an index of groups finds', () => {
      for (const text of [
        'displayName eq "Sales"',
        'externalId eq "x"',
        'id eq "g01"',
        `${GROUP}:displayName eq "x"`,
        'id eq "g01" and members eq "u01"',
        'members eq "u01" and EXTERNALID eq "x"',
      ]) {
        assert.equal(isGroupIndexedLookup(parse(text)), true, text)
      }
      for (const text of [
        'members eq "u01"',
        'displayName sw "S"',
        'displayName eq null',
        'id eq "g01" or externalId eq "x"',
        'not (id eq "g01")',
        'nope eq "x"',
      ]) {
        assert.equal(isGroupIndexedLookup(parse(text)), false, text)
      }
    })
  })
}

for (const database of TEST_DATABASES) {
  describe(`compileMemberValueFilter [${database}]`, () => {
    let store: TestStore

    before(async () => {
      store = await openGroupStore(database)
    })
    after(() => store.close())

    /** The members of t1's g01 (u01, u02 and the group g03) that `members[text]` selects. */
    async function selected(text: string, groupId = 'g01', tenant = 't1'): Promise<string[]> {
      const rows = await store.db
        .selectFrom('group_members')
        .select('member_id')
        .where('tenant_id', '=', tenant)
        .where('group_id', '=', groupId)
        .where(compileMemberValueFilter(parse(text), store.dialect, `members[${text}]`))
        .orderBy('member_id')
        .execute()
      return rows.map((row) => row.member_id)
    }

    const selections: [string, string[]][] = [
      ['value eq "u01"', ['u01']],
      ['VALUE eq "U01"', []],
      ['type eq "group"', ['g03']],
      ['not (type eq "User")', ['g03']],
      ['value sw "u" and type eq "User"', ['u01', 'u02']],
      ['value eq "u01" or value eq "g03"', ['g03', 'u01']],
      ['value pr', ['g03', 'u01', 'u02']],
      ['value ne "u02"', ['g03', 'u01']],
      ['value eq "nobody"', []],
    ]
    for (const [text, expected] of selections) {
      it(`members[${text}]`, async () => {
        assert.deepEqual(await selected(text), expected)
      })
    }

    it('answers invalidPath quoting the PATCH path', () => {
      const cases: [string, string][] = [
        ['display eq "Babs"', '"members.display" cannot be filtered on'],
        ['nope eq "x"', 'unknown attribute "members.nope"'],
        ['members.value eq "x"', '"members.value" inside a value filter must be a sub-attribute name'],
        ['value gt null', '"gt null" is not a comparison; use "eq null", "ne null" or "pr"'],
      ]
      for (const [text, detail] of cases) {
        const path = `members[${text}]`
        assert.throws(
          () => compileMemberValueFilter(parse(text), store.dialect, path),
          (error) =>
            isScimError(error) &&
            error.status === 400 &&
            error.scimType === 'invalidPath' &&
            error.detail.startsWith(`path "${path}": ${detail}`),
          text,
        )
      }
    })
  })
}

describe('group query plans (SQLite)', () => {
  let store: TestStore

  before(async () => {
    store = await openGroupStore('sqlite')
  })
  after(() => store.close())

  /** The statements queryGroups runs: a first page (page only) and a later page (count, then page). */
  async function statements(filter: Filter): Promise<CompiledQuery[]> {
    const executor = store.db.getExecutor()
    const captured: CompiledQuery[] = []
    const capture: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        captured.push(executor.compileQuery(node, queryId))
        return node
      },
      transformResult: async ({ result }) => result,
    }
    await queryGroups(store.db.withPlugin(capture), 't1', { filter, startIndex: 1, count: 10 })
    await queryGroups(store.db.withPlugin(capture), 't1', { filter, startIndex: 2, count: 10 })
    return captured
  }

  async function plan(query: CompiledQuery): Promise<string[]> {
    const explain = Compiled.raw(`explain query plan ${query.sql}`, [...query.parameters])
    const result = await store.db.executeQuery<{ detail: string }>(explain)
    return result.rows.map((row) => row.detail)
  }

  /** [filter, the index SQLite must search groups with]; a composite PRIMARY KEY is an autoindex. */
  const indexed: [string, string][] = [
    ['displayName eq "Tour Guides"', 'groups_display_name'],
    ['externalId eq "EXT-guides"', 'groups_external_id'],
    ['id eq "g01"', 'sqlite_autoindex_groups_1'],
    ['id eq "g01" and members eq "u01"', 'sqlite_autoindex_groups_1'],
  ]
  for (const [text, index] of indexed) {
    it(`${text} searches ${index}`, async () => {
      const queries = await statements(parse(text))
      assert.ok(queries.some((query) => /count\(\*\)/i.test(query.sql)))
      for (const query of queries) {
        const details = await plan(query)
        const message = `${query.sql}\n${details.join('\n')}`
        assert.ok(
          details.some((detail) =>
            new RegExp(`^SEARCH groups USING (COVERING )?INDEX ${index} \\(`).test(detail),
          ),
          message,
        )
        assert.ok(!details.some((detail) => /^SCAN (groups|m)\b/.test(detail)), message)
      }
    })
  }

  it('members eq "<id>" probes group_members by its key, never scanning it', async () => {
    const queries = await statements(parse('members eq "u02"'))
    for (const query of queries) {
      const details = await plan(query)
      const message = `${query.sql}\n${details.join('\n')}`
      // The tenant's groups are walked through an index that starts with tenant_id…
      assert.ok(
        details.some((detail) => /^SEARCH groups USING (COVERING )?INDEX \w+ \(tenant_id=\?/.test(detail)),
        message,
      )
      // …and each is probed in group_members by (tenant_id, group_id, member_id).
      assert.ok(
        details.some((detail) =>
          /^SEARCH m (EXISTS )?USING (COVERING )?INDEX sqlite_autoindex_group_members_1 \(tenant_id=\? AND group_id=\? AND member_id=\?\)/.test(
            detail,
          ),
        ),
        message,
      )
      assert.ok(!details.some((detail) => /^SCAN (m|group_members)\b/.test(detail)), message)
    }
  })
})
