import type { Kysely } from 'kysely'
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/enterprise-user.js'
import { USER_SCHEMA } from '../../../src/scim/schema/user.js'
import type { Database } from '../../../src/store/database.js'
import { insertMembers } from '../../../src/store/group-members-repository.js'
import { insertGroup } from '../../../src/store/groups-repository.js'
import { insertUser } from '../../../src/store/users-repository.js'
import { insertTenant, sampleUsers, type UserSeed, userRow } from '../fixtures.js'
import { type GroupSeed, sampleGroups } from '../group-fixtures.js'

const ENTERPRISE = ENTERPRISE_USER_SCHEMA

/**
 * Users whose text only a Unicode-aware fold gets right: JS lower-cases 'İ' to 'i̇' (two code
 * points), a final 'Σ' to 'ς', 'ẞ' to 'ß'; plus mixed case that byte order and a locale's order
 * sort differently ('a' < 'B' in en_US, 'B' < 'a' in bytes).
 */
export const unicodeUsers: UserSeed[] = [
  {
    id: 'u13',
    created: '2021-01-01T00:00:00.000Z',
    lastModified: '2021-02-02T00:00:00.000Z',
    resource: {
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: 'ÉMILE.Zola@Example.FR',
      name: { givenName: 'Émile', familyName: 'GROẞ' },
      displayName: 'ÉMILE ZOLA',
      title: 'ÉMILE',
      emails: [{ value: 'Emile@Example.fr', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'Straße', organization: 'ODOΣ', manager: { value: 'u14' } },
    },
  },
  {
    id: 'u14',
    created: '2021-01-02T00:00:00.000Z',
    lastModified: '2021-01-02T00:00:00.000Z',
    resource: {
      userName: 'İSTANBUL',
      name: { givenName: 'İlker', familyName: 'ΟΔΟΣ' },
      title: 'a',
      nickName: 'Σ',
      emails: [{ value: 'ilker@example.com', type: 'home' }],
    },
  },
  {
    id: 'u15',
    created: '2021-01-03T00:00:00.000Z',
    lastModified: '2021-01-03T00:00:00.000Z',
    resource: {
      userName: 'Bravo',
      name: { givenName: 'b', familyName: 'B' },
      title: 'B',
      displayName: 'strasse',
      active: true,
      roles: [{ value: 'Admin', primary: true }],
    },
  },
]

export const seedUsers: UserSeed[] = [...sampleUsers, ...unicodeUsers]

export const seedGroups: GroupSeed[] = [
  ...sampleGroups,
  {
    id: 'g07',
    displayName: 'İSTANBUL Ekibi',
    externalId: 'ext-İ',
    created: '2021-01-01T00:00:00.000Z',
    lastModified: '2021-01-01T00:00:00.000Z',
    members: [
      { value: 'u14', type: 'User' },
      { value: 'u13', type: 'User' },
    ],
  },
  {
    id: 'g08',
    displayName: 'bravo',
    created: '2021-01-02T00:00:00.000Z',
    lastModified: '2021-01-02T00:00:00.000Z',
    members: [{ value: 'g07', type: 'Group' }],
  },
]

/**
 * The same directory on any database, written through the repositories the services use:
 * tenants t1 and t2 hold the same users and groups (same ids), so a query that forgot the tenant
 * would show duplicates; t3 is empty.
 */
export async function seedDirectory(db: Kysely<Database>): Promise<void> {
  for (const tenant of ['t1', 't2', 't3']) await insertTenant(db, tenant)
  for (const tenant of ['t1', 't2']) {
    for (const seed of seedUsers) await insertUser(db, userRow(tenant, seed))
    for (const seed of seedGroups) {
      await insertGroup(db, {
        tenant_id: tenant,
        id: seed.id,
        display_name: seed.displayName,
        display_name_lower: seed.displayName.toLowerCase(),
        external_id: seed.externalId ?? null,
        created: seed.created,
        last_modified: seed.lastModified,
        version: 1,
      })
      const members = seed.members.map((member) => ({ id: member.value, type: member.type }))
      await insertMembers(db, tenant, seed.id, members)
    }
  }
}
