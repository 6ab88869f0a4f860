import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { mulberry32 } from '../../../src/provisioning/source/seeded-random.js'
import { isScimError } from '../../../src/scim/errors.js'
import type { AttributePath, Filter } from '../../../src/scim/filter/ast.js'
import { parseFilter } from '../../../src/scim/filter/parse-filter.js'
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/enterprise-user.js'
import { GROUP_SCHEMA } from '../../../src/scim/schema/group.js'
import { postgresSql } from '../../../src/store/dialects/postgres-sql.js'
import type { SqlDialect } from '../../../src/store/dialects/sql-dialect.js'
import { sqlDialectOf } from '../../../src/store/dialects/sql-dialect-of.js'
import { sqliteSql } from '../../../src/store/dialects/sqlite-sql.js'
import { compileGroupFilter } from '../../../src/store/group-filter-sql.js'
import { queryGroups } from '../../../src/store/group-query.js'
import { compileUserFilter } from '../../../src/store/user-filter-sql.js'
import { queryUsers } from '../../../src/store/user-query.js'
import { TEST_DATABASES } from '../../support/databases.js'
import { type OpenedStore, openSeededDatabase } from './open.js'
import { seedGroups, seedUsers } from './seed.js'

/**
 * The same generated filters and sorts, run on SQLite and on PostgreSQL over the same seeded data,
 * must select the same users and groups in the same order: the dialects are interchangeable.
 */

const E = ENTERPRISE_USER_SCHEMA
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const

/** Attribute paths and filter values (as written in a filter) that hit, miss and straddle the data. */
const USER_ATTRIBUTES: [string, string[]][] = [
  [
    'userName',
    ['"bjensen@example.com"', '"BJENSEN"', '"j"', '".COM"', '"grace"', '"é"', '"İSTANBUL"', '"%"', '"_"'],
  ],
  ['name.givenName', ['"barbara"', '"B"', '"a"', '"i̇lker"', '"ÉMILE"']],
  ['name.familyName', ['"groß"', '"ΟΔΟΣ"', '"er"', '"b"', '"Zimmer"']],
  ['title', ['"tour guide"', '"TOUR"', '"guide"', '"a"', '"émile"', '""']],
  ['displayName', ['"åsa öberg"', '"STRASSE"', '"j"']],
  ['nickName', ['"babs"', '"σ"', '"Marvel"']],
  ['userType', ['"Employee"', '"contractor"', '"e"']],
  ['externalId', ['"EXT-bjensen"', '"ext-"', '"EXT-"', '"ext-jsmith"']],
  ['id', ['"u07"', '"U07"', '"u1"']],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName', ['"b"', '"CAROL"']],
  ['emails', ['"example.com"', '"EXAMPLE"', '".org"', '"%"']],
  ['emails.value', ['"asa@example.se"', '"emile@example.FR"', '"f"', '"u5"']],
  ['emails.type', ['"work"', '"HOME"', '"o"']],
  ['emails.primary', ['true', 'false']],
  ['emails[type eq "work"].value', ['"JOHN.SMITH@example.com"', '"emile@example.fr"', '"frank@example.org"']],
  ['roles.value', ['"guide"', '"ADMIN"', '"s"']],
  ['roles.primary', ['true', 'false', '"True"']],
  ['addresses.locality', ['"boston"', '"PAR"']],
  ['addresses.country', ['"US"']],
  ['phoneNumbers.value', ['"555"', '"+1 555 0100"']],
  ['phoneNumbers', ['"0111"']],
  ['active', ['true', 'false', '"False"']],
  [
    'meta.created',
    ['"2011-05-13T04:42:34Z"', '"2020-01-01T00:00:00Z"', '"2015"', '"2011-05-13T06:42:34+02:00"'],
  ],
  ['meta.lastModified', ['"2012-12-12"', '"2021-01-02T00:00:00.000Z"', '"2024-"']],
  ['meta.resourceType', ['"User"', '"user"']],
  [`${E}:department`, ['"sales"', '"straße"', '"TOUR"', '"S"']],
  ['department', ['"Tour Operations"', '"e"']],
  [`${E}:employeeNumber`, ['"701984"', '"1"', '7']],
  [`${E}:costCenter`, ['"4130"', '"41"']],
  [`${E}:organization`, ['"universal"', '"odoς"', '"ODOΣ"']],
  [`${E}:division`, ['"PARK"']],
  ['manager', ['"u01"', '"u03"', '"U01"', '"u14"']],
  [`${E}:manager.value`, ['"u01"', '"u1"']],
  ['schemas', [`"${E}"`, `"${E.toUpperCase()}"`, '"urn"']],
]

/** Value filters and complex paths, written out (their inner filters are their own grammar). */
const USER_VALUE_PATHS = [
  'emails[type eq "work"]',
  'emails[type eq "work" and value co "@example.com"]',
  'emails[type eq "work" and value eq "frank@example.org"]',
  'emails[value eq "heidi@example.com" and type eq "Work"]',
  'emails[type eq "home" or primary eq true]',
  'emails[not (type eq "work")]',
  'emails[value ew ".FR"]',
  'emails[primary pr]',
  'phoneNumbers[type eq "mobile" and primary eq true]',
  'addresses[locality eq "BOSTON"]',
  'addresses[type eq "work" and country pr]',
  'roles[primary eq "True"]',
  'roles[value eq "guide" and not (primary eq true)]',
  'name[givenName sw "b"]',
  'name[familyName gt "m" and givenName pr]',
  `${E}:manager[value eq "u01"]`,
  'name pr',
  'meta pr',
  'emails pr',
  'emails eq null',
  'emails.value ne null',
  'roles pr',
  'addresses.locality pr',
  'not (emails[type eq "work"].value eq "asa@example.se")',
]

const GROUP_ATTRIBUTES: [string, string[]][] = [
  ['displayName', ['"tour guides"', '"SALES"', '"ÅSA"', '"i̇stanbul ekibi"', '"%"', '"_"', '"b"', '"Empty"']],
  ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName', ['"admins"']],
  ['externalId', ['"EXT-guides"', '"ext-"', '"EXT-"', '"ext-İ"']],
  ['id', ['"g01"', '"G01"', '"g0"']],
  ['members', ['"u01"', '"U01"', '"g03"', '"u"']],
  ['members.value', ['"u02"', '"g0"']],
  ['members.type', ['"Group"', '"user"']],
  ['meta.created', ['"2014-01-01T00:00:00Z"', '"2011"', '"2021-01-01T01:00:00+01:00"']],
  ['meta.lastModified', ['"2015-01-01"', '"2024"']],
  ['meta.resourceType', ['"Group"']],
  ['schemas', [`"${GROUP_SCHEMA}"`, `"${GROUP_SCHEMA.toUpperCase()}"`]],
]

const GROUP_VALUE_PATHS = [
  'members[type eq "Group"]',
  'members[value eq "u01" or value eq "u13"]',
  'members[not (type eq "User")]',
  'members[value sw "u" and type eq "User"]',
  'meta[created lt "2012-01-01T00:00:00Z"]',
  'members pr',
  'members eq null',
  'members.value pr',
  'meta pr',
]

function atoms(attributes: [string, string[]][]): string[] {
  return attributes.flatMap(([path, values]) => [
    `${path} pr`,
    `${path} eq null`,
    `${path} ne null`,
    ...values.flatMap((value) => OPERATORS.map((op) => `${path} ${op} ${value}`)),
  ])
}

/** not / and / or over random pairs (and triples) of the filters that compile. */
function composites(filters: string[], count: number, seed: number): string[] {
  const next = mulberry32(seed)
  const pick = () => filters[Math.floor(next() * filters.length)] as string
  const result: string[] = []
  for (let i = 0; i < count; i++) {
    const shape = i % 5
    if (shape === 0) result.push(`not (${pick()})`)
    else if (shape === 1) result.push(`${pick()} and ${pick()}`)
    else if (shape === 2) result.push(`${pick()} or ${pick()}`)
    else if (shape === 3) result.push(`not (${pick()} or ${pick()}) and ${pick()}`)
    else result.push(`(${pick()} or not (${pick()})) and (${pick()} or ${pick()})`)
  }
  return result
}

function parse(text: string): Filter {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw new Error(`generated filter does not parse: ${text}`)
  return parsed.value
}

type Compiler = (filter: Filter, dialect: SqlDialect) => unknown

/** The filters SQLite's compiler accepts; the rest must be refused by both, with the same error. */
function compilable(texts: string[], compiler: Compiler): string[] {
  return texts.filter((text) => {
    const filter = parse(text)
    let refused: unknown
    try {
      compiler(filter, sqliteSql)
    } catch (error) {
      if (!isScimError(error)) throw error
      refused = error
    }
    if (refused === undefined) {
      compiler(filter, postgresSql)
      return true
    }
    assert.throws(
      () => compiler(filter, postgresSql),
      (error) => isScimError(error) && error.detail === (refused as { detail: string }).detail,
      text,
    )
    return false
  })
}

const ALL_USERS = seedUsers.length
const ALL_GROUPS = seedGroups.length

describe('SQLite and PostgreSQL select the same', { skip: !TEST_DATABASES.includes('postgres') }, () => {
  let sqlite: OpenedStore
  let postgres: OpenedStore

  before(async () => {
    sqlite = await openSeededDatabase('sqlite')
    postgres = await openSeededDatabase('postgres')
  })
  after(async () => {
    await sqlite?.close()
    await postgres?.close()
  })

  async function userIds(store: OpenedStore, dialect: SqlDialect, filter: Filter): Promise<string[]> {
    const rows = await store.db
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', 't1')
      .where(compileUserFilter(filter, dialect))
      .orderBy('id')
      .execute()
    return rows.map((row) => row.id)
  }

  async function groupIds(store: OpenedStore, dialect: SqlDialect, filter: Filter): Promise<string[]> {
    const { rows, totalResults } = await queryGroups(
      store.db,
      't1',
      { filter, startIndex: 1, count: 100 },
      dialect,
    )
    assert.equal(totalResults, rows.length)
    return rows.map((row) => row.id).sort()
  }

  type Selector = (store: OpenedStore, dialect: SqlDialect, filter: Filter) => Promise<string[]>

  /** Runs every filter on both; returns how many selected some but not all rows. */
  async function assertSameSelections(texts: string[], select: Selector, all: number): Promise<number> {
    const mismatches: string[] = []
    let discriminating = 0
    for (const text of texts) {
      const filter = parse(text)
      const expected = await select(sqlite, sqliteSql, filter)
      const actual = await select(postgres, postgresSql, filter)
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${text}\n    sqlite:   ${expected.join(',')}\n    postgres: ${actual.join(',')}`)
      }
      if (expected.length > 0 && expected.length < all) discriminating++
    }
    assert.equal(
      mismatches.length,
      0,
      `${mismatches.length} of ${texts.length} filters differ:\n  ${mismatches.slice(0, 10).join('\n  ')}`,
    )
    return discriminating
  }

  const userAtoms = compilable(atoms(USER_ATTRIBUTES), compileUserFilter)
  const groupAtoms = compilable(atoms(GROUP_ATTRIBUTES), compileGroupFilter)

  it('runs each store with its own dialect', () => {
    assert.equal(sqlDialectOf(sqlite.db), sqliteSql)
    assert.equal(sqlDialectOf(postgres.db), postgresSql)
  })

  it('generates enough user and group filters to mean something', () => {
    assert.ok(userAtoms.length >= 600, `${userAtoms.length} user filters`)
    assert.ok(groupAtoms.length >= 150, `${groupAtoms.length} group filters`)
  })

  for (const [path] of USER_ATTRIBUTES) {
    it(`users: every operator on ${path}`, async () => {
      const texts = userAtoms.filter((text) => text.startsWith(`${path} `))
      assert.ok(texts.length >= 3, path)
      await assertSameSelections(texts, userIds, ALL_USERS)
    })
  }

  it('users: most generated comparisons select some users but not all', async () => {
    const discriminating = await assertSameSelections(userAtoms, userIds, ALL_USERS)
    assert.ok(discriminating >= userAtoms.length * 0.4, `${discriminating} of ${userAtoms.length}`)
  })

  it('users: value filters, complex and multi-valued presence', async () => {
    await assertSameSelections(compilable(USER_VALUE_PATHS, compileUserFilter), userIds, ALL_USERS)
  })

  it('users: not / and / or compositions', async () => {
    const pool = [...userAtoms, ...USER_VALUE_PATHS]
    const texts = compilable(composites(pool, 400, 4), compileUserFilter)
    assert.equal(texts.length, 400)
    const discriminating = await assertSameSelections(texts, userIds, ALL_USERS)
    assert.ok(discriminating >= 100, `${discriminating} of ${texts.length}`)
  })

  it('users: the other tenant is never read', async () => {
    for (const store of [sqlite, postgres]) {
      const dialect = store === sqlite ? sqliteSql : postgresSql
      const { rows } = await queryUsers(
        store.db,
        't3',
        { filter: parse('userName pr or not (userName pr)'), startIndex: 1, count: 100 },
        dialect,
      )
      assert.deepEqual(rows, [])
    }
  })

  for (const [path] of GROUP_ATTRIBUTES) {
    it(`groups: every operator on ${path}`, async () => {
      const texts = groupAtoms.filter((text) => text.startsWith(`${path} `))
      assert.ok(texts.length >= 3, path)
      await assertSameSelections(texts, groupIds, ALL_GROUPS)
    })
  }

  it('groups: value filters and compositions', async () => {
    const valuePaths = compilable(GROUP_VALUE_PATHS, compileGroupFilter)
    const texts = compilable(composites([...groupAtoms, ...valuePaths], 200, 7), compileGroupFilter)
    const discriminating = await assertSameSelections([...valuePaths, ...texts], groupIds, ALL_GROUPS)
    assert.ok(discriminating >= 80, `${discriminating} of ${valuePaths.length + texts.length}`)
  })

  const USER_SORTS: AttributePath[] = [
    { name: 'userName' },
    { name: 'name', sub: 'familyName' },
    { name: 'name', sub: 'givenName' },
    { name: 'title' },
    { name: 'displayName' },
    { name: 'nickName' },
    { name: 'externalId' },
    { name: 'id' },
    { name: 'active' },
    { name: 'emails' },
    { name: 'emails', sub: 'type' },
    { name: 'roles', sub: 'value' },
    { name: 'addresses', sub: 'locality' },
    { name: 'meta', sub: 'created' },
    { name: 'meta', sub: 'lastModified' },
    { name: 'meta', sub: 'resourceType' },
    { uri: E, name: 'department' },
    { uri: E, name: 'organization' },
    { name: 'manager' },
  ]

  for (const sortBy of USER_SORTS) {
    const label = `${sortBy.uri ? 'enterprise:' : ''}${sortBy.name}${sortBy.sub ? `.${sortBy.sub}` : ''}`
    it(`users: sortBy ${label}, both orders, and a middle page`, async () => {
      for (const sortOrder of ['ascending', 'descending'] as const) {
        const run = async (store: OpenedStore, dialect: SqlDialect, startIndex: number, count: number) => {
          const { rows, totalResults } = await queryUsers(
            store.db,
            't1',
            { sortBy, sortOrder, startIndex, count },
            dialect,
          )
          return { totalResults, ids: rows.map((row) => row.id) }
        }
        const expected = await run(sqlite, sqliteSql, 1, 100)
        assert.equal(expected.ids.length, ALL_USERS)
        assert.deepEqual(await run(postgres, postgresSql, 1, 100), expected, sortOrder)
        assert.deepEqual(
          await run(postgres, postgresSql, 4, 5),
          await run(sqlite, sqliteSql, 4, 5),
          sortOrder,
        )
      }
    })
  }

  it('users: a filtered, sorted page', async () => {
    const query = {
      filter: parse('emails co "example" or title pr'),
      sortBy: { name: 'emails', sub: 'value' },
      startIndex: 2,
      count: 4,
    }
    const expected = await queryUsers(sqlite.db, 't1', query, sqliteSql)
    const actual = await queryUsers(postgres.db, 't1', query, postgresSql)
    assert.equal(actual.totalResults, expected.totalResults)
    assert.deepEqual(
      actual.rows.map((row) => row.id),
      expected.rows.map((row) => row.id),
    )
  })

  for (const sortBy of ['displayName', 'externalId', 'id', 'meta.created', 'meta.lastModified']) {
    it(`groups: sortBy ${sortBy}, both orders`, async () => {
      const [name, sub] = sortBy.split('.') as [string, string | undefined]
      for (const sortOrder of ['ascending', 'descending'] as const) {
        const run = async (store: OpenedStore, dialect: SqlDialect) =>
          (
            await queryGroups(
              store.db,
              't1',
              { sortBy: { name, ...(sub ? { sub } : {}) }, sortOrder, startIndex: 1, count: 100 },
              dialect,
            )
          ).rows.map((row) => row.id)
        const expected = await run(sqlite, sqliteSql)
        assert.equal(expected.length, ALL_GROUPS)
        assert.deepEqual(await run(postgres, postgresSql), expected, sortOrder)
      }
    })
  }
})
