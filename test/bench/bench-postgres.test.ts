import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import pg from 'pg'
import { parseBenchOptions } from '../../bench/options.js'
import { seedTenant } from '../../bench/seed.js'
import { createBenchStore } from '../../bench/store.js'
import { POSTGRES_MAINTENANCE_URL, TEST_DATABASES } from '../support/databases.js'

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_MAINTENANCE_URL })
  await client.connect()
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name])
    return rowCount === 1
  } finally {
    await client.end()
  }
}

describe('bench options for the store and the small tenant', () => {
  it('accepts --db postgres and sizes the small tenant with --small-users', () => {
    const options = parseBenchOptions(['--db', 'postgres', '--users', '1000000', '--small-users', '10000'])
    assert.deepEqual([options.db, options.users, options.smallUsers], ['postgres', 1_000_000, 10_000])
    assert.equal(parseBenchOptions(['--users', '500']).smallUsers, 500)
    assert.throws(() => parseBenchOptions(['--users', '1000', '--small-users', '2000']), /must not exceed/)
  })
})

describe('the PostgreSQL bench store', {
  skip: !TEST_DATABASES.includes('postgres') && 'PostgreSQL is not among ROSTER_TEST_DB',
}, () => {
  it('creates a fresh roster_bench_* database, seeds it in multi-row statements, and drops it', async () => {
    const store = createBenchStore('postgres')
    const name = new URL(store.databaseUrl).pathname.slice(1)
    assert.match(name, /^roster_bench_[0-9a-f]{16}$/)
    try {
      const db = await store.open()
      try {
        // More than one transaction's worth, so batches and their overlap are exercised.
        const seeded = await seedTenant(db, { slug: 'acme', users: 2_345 })
        const { count } = await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('tenant_id', '=', seeded.tenantId)
          .executeTakeFirstOrThrow()
        assert.equal(count, 2_345)
        const audits = await db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow()
        assert.equal(audits.count, 2_345)
      } finally {
        await db.destroy()
      }
      assert.ok(await databaseExists(name))
    } finally {
      await store.dispose()
    }
    assert.equal(await databaseExists(name), false)
  })
})
