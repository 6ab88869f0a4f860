import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sliceShares } from '../../bench/ceiling.js'
import { seedGroups } from '../../bench/group-bench.js'
import type { Measurement } from '../../bench/load.js'
import { parseBenchOptions } from '../../bench/options.js'
import { judge, problemOf, sharesOf } from '../../bench/report.js'
import { seedTenant } from '../../bench/seed.js'
import { checkHrRules } from '../../src/directory/hr-rules.js'
import { storedResource } from '../../src/directory/user-record.js'
import { openStore } from '../../src/store/open.js'

const measurement = (overrides: Partial<Measurement> = {}): Measurement => ({
  requests: 1000,
  seconds: 1,
  rps: 1000,
  p50: 1,
  p99: 2,
  statuses: { '200': 1000 },
  errors: 0,
  clientCores: 1,
  ...overrides,
})

describe('bench seeding', () => {
  it('writes employees that pass the tenant HR rules, each with an existing manager but the first', async () => {
    const db = await openStore({ databaseUrl: ':memory:' })
    try {
      const seeded = await seedTenant(db, { slug: 'acme', users: 30 })
      const rows = await db.selectFrom('users').selectAll().where('tenant_id', '=', seeded.tenantId).execute()
      assert.equal(rows.length, 30)
      for (const row of rows) checkHrRules('alexis', storedResource(row))
      const ids = new Set(rows.map((row) => row.id))
      assert.equal(rows.filter((row) => row.manager_id === null).length, 1)
      assert.ok(rows.every((row) => row.manager_id === null || ids.has(row.manager_id)))
      assert.deepEqual(new Set(rows.map((row) => row.user_name)), new Set(seeded.userNames))
      const audits = await db.selectFrom('audit_events').select('resource_id').execute()
      assert.equal(audits.length, 30)
    } finally {
      await db.destroy()
    }
  })
})

describe('bench report', () => {
  it('flags any status other than the expected one, and connection errors', () => {
    assert.equal(problemOf(measurement(), 200), undefined)
    assert.match(problemOf(measurement({ statuses: { '200': 990, '429': 10 } }), 200) ?? '', /10 × 429/)
    assert.match(problemOf(measurement({ statuses: { '204': 5 } }), 201) ?? '', /expected only 201/)
    assert.match(problemOf(measurement({ errors: 3 }), 200) ?? '', /3 connection errors/)
  })

  it('judges against the hello-world rate', () => {
    const hello = measurement({ rps: 10_000, serverCpuUsPerRequest: 20 })
    const base = { key: 'get', label: 'GET', target: 0.35 }
    const fast = measurement({ rps: 4_000, serverCpuUsPerRequest: 50 })
    const pass = judge({ ...base, measurement: fast }, sharesOf(fast, hello))
    assert.equal(pass.verdict, 'PASS')
    assert.equal(pass.shareOfHello, 0.4)
    assert.equal(pass.cpuShareOfHello, 0.4)
    const slow = measurement({ rps: 3_000 })
    assert.equal(judge({ ...base, measurement: slow }, sharesOf(slow, hello)).verdict, 'FAIL')
    assert.equal(judge({ ...base, measurement: slow, problem: 'x' }, sharesOf(slow, hello)).verdict, 'ERROR')
    const page = measurement()
    assert.equal(
      judge({ key: 'page', label: 'page', measurement: page }, sharesOf(page, hello)).verdict,
      'INFO',
    )
    assert.equal(judge({ ...base, measurement: page }, undefined).verdict, 'INFO')
  })

  it('judges each slice against the hello-world slices beside it, and takes the median', () => {
    // The machine slows down part-way: the hello-world and the scenario with it.
    const hello = [10_000, 10_000, 8_000, 6_000].map((rps) => measurement({ rps, serverCpuUsPerRequest: 20 }))
    const slices = [4_000, 2_700, 2_800].map((rps) => measurement({ rps, serverCpuUsPerRequest: 50 }))
    const shares = sliceShares(slices, hello)
    // Slice shares: 4,000 / 10,000 = 0.4; 2,700 / 9,000 = 0.3; 2,800 / 7,000 = 0.4.
    assert.ok(shares)
    assert.equal(shares.share, 0.4)
    assert.equal(shares.low, 0.3)
    assert.equal(shares.high, 0.4)
    assert.equal(shares.cpuShare, 0.4)
    assert.equal(
      sliceShares(slices, hello.slice(0, 1)),
      undefined,
      'no slice without a hello-world on each side',
    )
  })
})

describe('bench options', () => {
  it('has a quick mode and validates numbers', () => {
    const quick = parseBenchOptions(['--quick'])
    assert.equal(quick.users, 5_000)
    assert.equal(quick.duration, 2)
    const full = parseBenchOptions(['--duration', '5', '--users', '100000', '--connections', '16'])
    assert.deepEqual([full.duration, full.users, full.connections, full.smallUsers], [5, 100_000, 16, 1_000])
    assert.throws(() => parseBenchOptions(['--users', 'many']), /--users must be a number/)
    assert.throws(() => parseBenchOptions(['--db', 'mysql']), /--db must be one of/)
    assert.deepEqual([quick.groupMembers, full.groupMembers], [5_000, 100_000])
    assert.equal(parseBenchOptions(['--group-members', '2000']).groupMembers, 2_000)
    assert.throws(() => parseBenchOptions(['--group-members', '5']), /--group-members must be a number >= 20/)
  })
})

describe('bench groups', () => {
  it('seeds a large and a small group of real users, with a pool outside both', async () => {
    const db = await openStore({ databaseUrl: ':memory:' })
    try {
      const setup = await seedGroups(db, 300)
      const count = async (groupId: string) =>
        Number(
          (
            await db
              .selectFrom('group_members')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('group_id', '=', groupId)
              .executeTakeFirstOrThrow()
          ).n,
        )
      assert.deepEqual([await count(setup.large.id), await count(setup.small.id)], [300, 10])
      assert.equal(setup.pool.length, 1_000)
      const members = await db.selectFrom('group_members').select('member_id').execute()
      const pool = new Set(setup.pool)
      assert.ok(
        members.every((member) => !pool.has(member.member_id)),
        'the pool holds no member',
      )
    } finally {
      await db.destroy()
    }
  })
})
