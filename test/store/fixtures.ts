import type { Insertable, Kysely } from 'kysely'
import { userColumns } from '../../src/directory/user-record.js'
import { ENTERPRISE_USER_SCHEMA } from '../../src/scim/schema/enterprise-user.js'
import { USER_SCHEMA } from '../../src/scim/schema/user.js'
import type { Database, UserTable } from '../../src/store/database.js'
import type { SqlDialect } from '../../src/store/dialects/sql-dialect.js'
import { sqlDialectOf } from '../../src/store/dialects/sql-dialect-of.js'
import { openStore } from '../../src/store/open.js'
import { createTestDatabase, type DatabaseKind, TEST_DATABASES } from '../support/databases.js'

type Json = Record<string, unknown>

export interface UserSeed {
  id: string
  created: string
  lastModified?: string
  /** Canonical SCIM JSON without id/meta; `schemas` is filled in when missing. */
  resource: Json
}

export interface TestStore {
  db: Kysely<Database>
  kind: DatabaseKind
  /** The SQL dialect the store's queries compile to (what production passes as `dialect`). */
  dialect: SqlDialect
  close(): Promise<void>
}

/**
 * A fresh, migrated database of `kind`, opened as production opens it: a SQLite file in a temp dir
 * (WAL, scim_lower()), or a new PostgreSQL database that close() drops.
 */
export async function openTestStore(kind: DatabaseKind = TEST_DATABASES[0] ?? 'sqlite'): Promise<TestStore> {
  const database = await createTestDatabase(kind)
  let db: Kysely<Database>
  try {
    db = await openStore({ databaseUrl: database.url })
  } catch (error) {
    await database.drop()
    throw error
  }
  return {
    db,
    kind,
    dialect: sqlDialectOf(db),
    async close() {
      try {
        await db.destroy()
      } finally {
        await database.drop()
      }
    },
  }
}

export async function insertTenant(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .insertInto('tenants')
    .values({ id, slug: id, name: id, rules: 'rfc', created_at: '2010-01-01T00:00:00.000Z' })
    .execute()
}

/** The users row the directory would store for `seed`: the same split the directory itself makes. */
export function userRow(tenantId: string, seed: UserSeed): Insertable<UserTable> {
  const resource: Json = { schemas: [USER_SCHEMA], ...seed.resource }
  return {
    tenant_id: tenantId,
    id: seed.id,
    created: seed.created,
    ...userColumns(resource, seed.lastModified ?? seed.created, 1),
  }
}

export async function insertUsers(db: Kysely<Database>, tenantId: string, seeds: UserSeed[]): Promise<void> {
  if (seeds.length > 0)
    await db
      .insertInto('users')
      .values(seeds.map((seed) => userRow(tenantId, seed)))
      .execute()
}

const ENTERPRISE = ENTERPRISE_USER_SCHEMA
const withEnterprise = [USER_SCHEMA, ENTERPRISE]

/**
 * Twelve users covering what filters and sorting distinguish: mixed and non-ASCII case, literal
 * `%`/`_`, absent and empty attributes, several work emails, booleans, managers, extensions.
 */
export const sampleUsers: UserSeed[] = [
  {
    id: 'u01',
    created: '2011-05-13T04:42:34.000Z',
    lastModified: '2011-08-01T18:29:49.000Z',
    resource: {
      schemas: withEnterprise,
      userName: 'bjensen@example.com',
      externalId: 'EXT-bjensen',
      name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
      displayName: 'Babs Jensen',
      nickName: 'Babs',
      title: 'Tour Guide',
      userType: 'Employee',
      active: true,
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
      roles: [{ value: 'guide', primary: true }],
      [ENTERPRISE]: {
        employeeNumber: '701984',
        costCenter: '4130',
        organization: 'Universal Studios',
        division: 'Theme Park',
        department: 'Tour Operations',
        manager: { value: 'u03' },
      },
    },
  },
  {
    id: 'u02',
    created: '2012-01-01T00:00:00.000Z',
    lastModified: '2024-03-01T10:00:00.000Z',
    resource: {
      schemas: withEnterprise,
      userName: 'JSmith@Example.com',
      externalId: 'ext-jsmith',
      name: { familyName: 'Smith', givenName: 'John' },
      displayName: 'John Smith',
      title: 'Manager',
      userType: 'Contractor',
      active: false,
      emails: [{ value: 'John.Smith@Example.COM', type: 'work' }],
      roles: [{ value: 'sales', primary: false }],
      [ENTERPRISE]: { department: 'Sales', manager: { value: 'u03' } },
    },
  },
  {
    id: 'u03',
    created: '2010-02-01T00:00:00.000Z',
    lastModified: '2023-01-01T00:00:00.000Z',
    resource: {
      schemas: withEnterprise,
      userName: 'Åsa.Öberg@example.se',
      externalId: 'EXT-asa',
      name: { familyName: 'Öberg', givenName: 'Åsa' },
      displayName: 'ÅSA ÖBERG',
      title: 'Director',
      emails: [{ value: 'asa@example.se', type: 'work' }],
      roles: [{ value: 'viewer' }, { value: 'admin', primary: true }],
      [ENTERPRISE]: { department: 'Executive', employeeNumber: '1' },
    },
  },
  {
    id: 'u04',
    created: '2013-01-01T00:00:00.000Z',
    lastModified: '2013-01-02T00:00:00.000Z',
    resource: { userName: 'percent%user', name: { familyName: 'Percent' }, active: true },
  },
  {
    id: 'u05',
    created: '2014-01-01T00:00:00.000Z',
    lastModified: '2020-06-15T12:30:00.000Z',
    resource: {
      userName: 'under_score',
      title: '',
      emails: [
        { value: 'u5@other.org', type: 'home' },
        { value: 'u5@example.com', type: 'work' },
      ],
      phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
    },
  },
  {
    id: 'u06',
    created: '2015-01-01T00:00:00.000Z',
    lastModified: '2015-01-01T00:00:00.000Z',
    resource: {
      schemas: withEnterprise,
      userName: 'carol',
      externalId: 'EXT-carol',
      name: { givenName: 'Carol', familyName: 'Danvers' },
      nickName: 'Marvel',
      title: 'Captain',
      addresses: [{ type: 'work', locality: 'Boston', country: 'US', primary: true }],
      [ENTERPRISE]: { department: 'Tour Operations', manager: { value: 'u01' } },
    },
  },
  {
    id: 'u07',
    created: '2016-01-01T00:00:00.000Z',
    lastModified: '2016-01-01T00:00:00.000Z',
    resource: {
      userName: 'dave',
      name: { familyName: 'Brown' },
      roles: [{ value: 'guide', primary: false }],
      addresses: [{ type: 'home', locality: 'Paris', country: 'FR' }],
    },
  },
  {
    id: 'u08',
    created: '2017-01-01T00:00:00.000Z',
    lastModified: '2022-01-01T00:00:00.000Z',
    resource: {
      userName: 'eve',
      name: { familyName: 'adams' },
      title: 'tour guide',
      active: false,
      emails: [{ value: 'eve@example.com', type: 'other' }],
    },
  },
  {
    id: 'u09',
    created: '2018-01-01T00:00:00.000Z',
    lastModified: '2018-01-01T00:00:00.000Z',
    resource: {
      userName: 'frank',
      name: { familyName: 'Zimmer' },
      emails: [
        { value: 'frank@example.com', type: 'work' },
        { value: 'frank@EXAMPLE.org', type: 'work' },
      ],
    },
  },
  {
    id: 'u10',
    created: '2019-01-01T00:00:00.000Z',
    lastModified: '2019-01-01T00:00:00.000Z',
    resource: {
      schemas: withEnterprise,
      userName: 'grace',
      displayName: 'Grace Hopper',
      name: { familyName: 'Hopper', givenName: 'Grace' },
      emails: [],
      [ENTERPRISE]: { manager: { value: 'u01' } },
    },
  },
  {
    id: 'u11',
    created: '2020-01-01T00:00:00.000Z',
    lastModified: '2021-05-05T00:00:00.000Z',
    resource: {
      schemas: withEnterprise,
      userName: 'heidi',
      name: { familyName: 'Klum' },
      emails: [{ value: 'heidi@example.com', type: 'work', primary: true }],
      phoneNumbers: [{ value: '555-0111', type: 'mobile', primary: true }],
      [ENTERPRISE]: { department: 'sales' },
    },
  },
  {
    id: 'u12',
    created: '2020-01-01T00:00:00.000Z',
    lastModified: '2012-12-12T00:00:00.000Z',
    resource: {
      userName: 'ivan',
      name: { givenName: 'Ivan', familyName: 'Ivanov' },
      title: 'Tour guide',
      addresses: [{ type: 'work', locality: 'boston' }],
    },
  },
]

/** A store with the sample users in two tenants, `t1` and `t2` (same ids), to catch any leak. */
export async function openSeededStore(kind?: DatabaseKind): Promise<TestStore> {
  const store = await openTestStore(kind)
  for (const tenant of ['t1', 't2']) {
    await insertTenant(store.db, tenant)
    await insertUsers(store.db, tenant, sampleUsers)
  }
  return store
}
