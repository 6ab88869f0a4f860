import type { Kysely } from 'kysely'
import { GROUP_SCHEMA } from '../../src/scim/schema/group.js'
import type { Database } from '../../src/store/database.js'
import type { DatabaseKind } from '../support/databases.js'
import { insertTenant, openTestStore, type TestStore } from './fixtures.js'

export interface GroupSeed {
  id: string
  displayName: string
  externalId?: string
  created: string
  lastModified: string
  members: { value: string; type: 'User' | 'Group' }[]
}

/**
 * Six groups covering what group filters and sorting distinguish: non-ASCII and mixed case, literal
 * `%`/`_`, absent externalId, no members, nested groups, member ids differing only in case, and two
 * groups created at the same instant.
 */
export const sampleGroups: GroupSeed[] = [
  {
    id: 'g01',
    displayName: 'Tour Guides',
    externalId: 'EXT-guides',
    created: '2011-01-01T00:00:00.000Z',
    lastModified: '2011-06-01T00:00:00.000Z',
    members: [
      { value: 'u01', type: 'User' },
      { value: 'u02', type: 'User' },
      { value: 'g03', type: 'Group' },
    ],
  },
  {
    id: 'g02',
    displayName: 'Sales',
    externalId: 'ext-sales',
    created: '2012-01-01T00:00:00.000Z',
    lastModified: '2024-01-01T00:00:00.000Z',
    members: [{ value: 'u02', type: 'User' }],
  },
  {
    id: 'g03',
    displayName: 'ÅSA Team',
    created: '2010-05-05T10:00:00.000Z',
    lastModified: '2010-05-05T10:00:00.000Z',
    members: [{ value: 'u03', type: 'User' }],
  },
  {
    id: 'g04',
    displayName: 'Empty',
    created: '2013-03-03T00:00:00.000Z',
    lastModified: '2013-03-03T00:00:00.000Z',
    members: [],
  },
  {
    id: 'g05',
    displayName: '100%_Club',
    externalId: 'EXT-club',
    created: '2014-01-01T00:00:00.000Z',
    lastModified: '2020-02-02T00:00:00.000Z',
    members: [{ value: 'g01', type: 'Group' }],
  },
  {
    id: 'g06',
    displayName: 'Admins',
    externalId: 'EXT-admins',
    created: '2014-01-01T00:00:00.000Z',
    lastModified: '2015-01-01T00:00:00.000Z',
    members: [
      { value: 'U01', type: 'User' },
      { value: 'u04', type: 'User' },
    ],
  },
]

/** Rows as the directory stores them: display_name_lower is lower-cased in JS. */
export async function insertGroups(
  db: Kysely<Database>,
  tenantId: string,
  seeds: GroupSeed[],
): Promise<void> {
  if (seeds.length === 0) return
  await db
    .insertInto('groups')
    .values(
      seeds.map((seed) => ({
        tenant_id: tenantId,
        id: seed.id,
        display_name: seed.displayName,
        display_name_lower: seed.displayName.toLowerCase(),
        external_id: seed.externalId ?? null,
        created: seed.created,
        last_modified: seed.lastModified,
        version: 1,
      })),
    )
    .execute()
  const members = seeds.flatMap((seed) =>
    seed.members.map((member) => ({
      tenant_id: tenantId,
      group_id: seed.id,
      member_id: member.value,
      member_type: member.type,
    })),
  )
  if (members.length > 0) await db.insertInto('group_members').values(members).execute()
}

/** The SCIM JSON of a seed, as the in-memory evaluator sees a group. */
export function groupJson(seed: GroupSeed): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA],
    id: seed.id,
    ...(seed.externalId === undefined ? {} : { externalId: seed.externalId }),
    displayName: seed.displayName,
    ...(seed.members.length === 0 ? {} : { members: seed.members }),
    meta: { resourceType: 'Group', created: seed.created, lastModified: seed.lastModified },
  }
}

/**
 * The sample groups in tenants `t1` and `t2` (same ids; t2's g04 also has member `u99`, so a
 * membership test that ignored the tenant would show), and an empty tenant `t3`.
 */
export async function openGroupStore(kind?: DatabaseKind): Promise<TestStore> {
  const store = await openTestStore(kind)
  for (const tenant of ['t1', 't2', 't3']) await insertTenant(store.db, tenant)
  await insertGroups(store.db, 't1', sampleGroups)
  await insertGroups(
    store.db,
    't2',
    sampleGroups.map((seed) =>
      seed.id === 'g04' ? { ...seed, members: [{ value: 'u99', type: 'User' as const }] } : seed,
    ),
  )
  return store
}
