/**
 * Migration 0008 turns the per-resource audit index into chains: on a trail written by the schema
 * before it, every successful event must point at its resource's previous one, every live user and
 * group must hold its newest event, deleted resources must keep theirs in audit_heads, and refused
 * writes must stay out of every chain.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Kysely } from 'kysely'
import { listActivity } from '../../src/store/activity-query.js'
import { listAuditEvents } from '../../src/store/audit-repository.js'
import type { Database } from '../../src/store/database.js'
import { migrateToLatest, migrateUpTo } from '../../src/store/migrate.js'
import { openStore } from '../../src/store/open.js'
import { createTestDatabase, TEST_DATABASES } from '../support/databases.js'
import { insertTenant, insertUsers } from './fixtures.js'

const T = 't1'
const AT = '2020-01-01T00:00:00.000Z'

for (const kind of TEST_DATABASES) {
  describe(`migration 0008-audit-chains [${kind}]`, () => {
    let db: Kysely<Database>
    let drop: () => Promise<void>
    /** seq of each event, by a label. */
    const seqs = new Map<string, number>()

    before(async () => {
      const database = await createTestDatabase(kind)
      drop = database.drop
      db = await openStore({ databaseUrl: database.url, migrate: false })
      await migrateUpTo(db, '0007-provisioning-gone-since')
      await insertTenant(db, T)
      await insertTenant(db, 't2')
      await insertUsers(db, T, [
        { id: 'u1', created: AT, resource: { userName: 'one' } },
        { id: 'u2', created: AT, resource: { userName: 'two' } },
      ])
      // Raw SQL: the 0007 schema has no audit_head, which Database types now carry.
      await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('groups')
        .values({
          tenant_id: T,
          id: 'g1',
          display_name: 'G',
          display_name_lower: 'g',
          external_id: null,
          created: AT,
          last_modified: AT,
          version: 1,
        })
        .execute()
      const events: [label: string, tenant: string, resource: string, operation: string, outcome: string][] =
        [
          ['u1-create', T, 'u1', 'create', 'success'],
          ['u3-create', T, 'u3', 'create', 'success'],
          ['u1-patch-1', T, 'u1', 'patch', 'success'],
          ['g1-create', T, 'g1', 'create', 'success'],
          ['u1-refused', T, 'u1', 'patch', 'failure'],
          ['u2-create', T, 'u2', 'create', 'success'],
          ['other-tenant', 't2', 'u1', 'create', 'success'],
          ['u3-delete', T, 'u3', 'delete', 'success'],
          ['u1-patch-2', T, 'u1', 'patch', 'success'],
          ['g1-patch', T, 'g1', 'patch', 'success'],
          ['ghost-refused', T, 'ghost', 'delete', 'failure'],
        ]
      for (const [label, tenant, resource, operation, outcome] of events) {
        const row = await db
          .insertInto('audit_events')
          .values({
            tenant_id: tenant,
            at: AT,
            token_id: null,
            request_id: null,
            operation,
            resource_type: resource.startsWith('g') ? 'Group' : 'User',
            resource_id: resource,
            changes: '[]',
            outcome,
          } as never)
          .returning('seq')
          .executeTakeFirstOrThrow()
        seqs.set(label, Number(row.seq))
      }
      await migrateToLatest(db)
    })
    after(async () => {
      await db?.destroy()
      await drop?.()
    })

    const seq = (label: string) => seqs.get(label) as number
    const prevOf = async (label: string) => {
      const row = await db
        .selectFrom('audit_events')
        .select('prev_seq')
        .where('seq', '=', seq(label))
        .executeTakeFirstOrThrow()
      return row.prev_seq === null ? null : Number(row.prev_seq)
    }

    it('links every successful event to the previous change of its resource, and no refused one', async () => {
      assert.equal(await prevOf('u1-create'), null)
      assert.equal(await prevOf('u1-patch-1'), seq('u1-create'))
      assert.equal(await prevOf('u1-patch-2'), seq('u1-patch-1'))
      assert.equal(await prevOf('u1-refused'), null)
      assert.equal(await prevOf('u3-delete'), seq('u3-create'))
      assert.equal(await prevOf('g1-patch'), seq('g1-create'))
      assert.equal(await prevOf('other-tenant'), null)
    })

    it('keeps the head in the live rows and in audit_heads for deleted resources', async () => {
      const users = await db.selectFrom('users').select(['id', 'audit_head']).orderBy('id').execute()
      assert.deepEqual(
        users.map((user) => [user.id, Number(user.audit_head)]),
        [
          ['u1', seq('u1-patch-2')],
          ['u2', seq('u2-create')],
        ],
      )
      const group = await db.selectFrom('groups').select('audit_head').executeTakeFirstOrThrow()
      assert.equal(Number(group.audit_head), seq('g1-patch'))
      const heads = await db.selectFrom('audit_heads').selectAll().orderBy('tenant_id').execute()
      assert.deepEqual(
        heads.map((head) => [head.tenant_id, head.resource_id, Number(head.seq)]),
        [
          [T, 'u3', seq('u3-delete')],
          ['t2', 'u1', seq('other-tenant')],
        ],
      )
    })

    it('answers the same histories the index did', async () => {
      const history = async (id: string) =>
        (await listAuditEvents(db, T, { resourceId: id, limit: 10 })).map((event) => Number(event.seq))
      assert.deepEqual(await history('u1'), [seq('u1-patch-2'), seq('u1-patch-1'), seq('u1-create')])
      assert.deepEqual(await history('u3'), [seq('u3-delete'), seq('u3-create')])
      assert.deepEqual(await history('g1'), [seq('g1-patch'), seq('g1-create')])
      assert.deepEqual(await history('ghost'), [])
      const activity = async (id: string) =>
        (await listActivity(db, T, { resourceId: id, limit: 10 })).map((row) => row.seq)
      assert.deepEqual(await activity('u1'), [
        seq('u1-patch-2'),
        seq('u1-refused'),
        seq('u1-patch-1'),
        seq('u1-create'),
      ])
      assert.deepEqual(await activity('ghost'), [seq('ghost-refused')])
    })
  })
}
