import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { hostname } from 'node:os'
import { after, before, beforeEach, describe, it } from 'node:test'
import { EngineObjectError } from '../../../src/provisioning/engine/describe-failure.js'
import { provisionOnDemand } from '../../../src/provisioning/engine/provision-on-demand.js'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import {
  acquireLease,
  leaseHeldElsewhere,
  leaseOwner,
  readLease,
  releaseLease,
  renewLease,
} from '../../../src/provisioning/jobs/job-lease.js'
import { createJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import type { Db } from '../../../src/store/database.js'
import { openStore } from '../../../src/store/open.js'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../../support/databases.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { directoryFile, FAST_RETRY, trimmedSample } from './fixtures.js'

const OTHER_HOST = 'another-host.example:4242:feedface'
const quiet = { alert: async () => false, cleared: () => undefined }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The pid of a process that has exited: a holder that crashed on this machine. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  assert.ok(child.pid)
  return child.pid
}

const refused = (pattern: RegExp) => (error: unknown) =>
  error instanceof EngineObjectError && error.code === 'ERR_CYCLE_RUNNING' && pattern.test(error.message)

/** At most one process of the deployment runs a job's cycle: the database lease (run on every database). */
for (const kind of TEST_DATABASES)
  describe(`job leases (${kind})`, () => {
    let database: TestDatabase
    let db: Db
    let target: FaultyScimTarget
    let jobId: string
    const directory = trimmedSample(10)
    const source = directoryFile(directory)

    before(async () => {
      target = await startFaultyScimTarget()
      database = await createTestDatabase(kind)
      db = await openStore({ databaseUrl: database.url })
    })
    after(async () => {
      await target?.close()
      await db?.destroy()
      await database?.drop()
      source.remove()
    })
    beforeEach(async () => {
      target.reset()
      const job = await createJob(db, {
        name: 'lease',
        source: { kind: 'file', path: source.path },
        targetUrl: target.url,
        targetToken: target.token,
        settings: { rateLimitPerSecond: 500, concurrency: 1 },
      })
      jobId = job.id
    })

    it('lets one owner hold a lease at a time, and its holder take it again', async () => {
      assert.equal(await acquireLease(db, jobId, { owner: OTHER_HOST }), true)
      assert.equal(await acquireLease(db, jobId), false)
      assert.equal(await acquireLease(db, jobId, { owner: OTHER_HOST }), true)
      assert.equal((await readLease(db, jobId))?.owner, OTHER_HOST)
    })

    it('gives a free lease to exactly one of several contenders', async () => {
      const owners = Array.from({ length: 6 }, (_, n) => `host-${n}.example:${100 + n}:c0ffee`)
      const won = await Promise.all(owners.map((owner) => acquireLease(db, jobId, { owner })))
      assert.equal(won.filter(Boolean).length, 1)
      assert.equal((await readLease(db, jobId))?.owner, owners[won.indexOf(true)])
    })

    it('takes an expired lease over', async () => {
      const past = new Date(Date.now() - 120_000)
      assert.ok(await acquireLease(db, jobId, { owner: OTHER_HOST, now: past, ttlMs: 60_000 }))
      assert.equal(await leaseHeldElsewhere(db, jobId), undefined)
      assert.equal(await acquireLease(db, jobId), true)
      assert.equal((await readLease(db, jobId))?.owner, leaseOwner())
    })

    it('takes a lease of a dead process on this host over at once, for one restarter only', async () => {
      const crashed = `${hostname()}:${await deadPid()}:0badc0de`
      assert.ok(await acquireLease(db, jobId, { owner: crashed }))
      assert.equal(await leaseHeldElsewhere(db, jobId), undefined)
      // Two services restarted on this host (both alive: they share this test's pid) race for it.
      const restarters = [`${hostname()}:${process.pid}:aaaa`, `${hostname()}:${process.pid}:bbbb`]
      const won = await Promise.all(restarters.map((owner) => acquireLease(db, jobId, { owner })))
      assert.equal(won.filter(Boolean).length, 1)
      assert.equal((await readLease(db, jobId))?.owner, restarters[won.indexOf(true)])
    })

    it('waits for a live lease of another host, even with a dead pid number here', async () => {
      const elsewhere = `another-host.example:${await deadPid()}:1234abcd`
      assert.ok(await acquireLease(db, jobId, { owner: elsewhere }))
      assert.equal(await acquireLease(db, jobId), false)
      assert.equal((await leaseHeldElsewhere(db, jobId))?.owner, elsewhere)
    })

    it('renews and releases only for its owner', async () => {
      assert.ok(await acquireLease(db, jobId, { owner: OTHER_HOST, ttlMs: 1_000 }))
      const before = (await readLease(db, jobId))!.expiresAt
      assert.equal(await renewLease(db, jobId, 60_000), false)
      assert.equal(await renewLease(db, jobId, 60_000, { owner: OTHER_HOST }), true)
      assert.ok((await readLease(db, jobId))!.expiresAt > before)
      await releaseLease(db, jobId)
      assert.equal((await readLease(db, jobId))?.owner, OTHER_HOST)
      await releaseLease(db, jobId, OTHER_HOST)
      assert.equal(await readLease(db, jobId), undefined)
    })

    it('refuses a cycle and on-demand while another process holds the lease, runs once it expired', async () => {
      assert.ok(await acquireLease(db, jobId, { owner: OTHER_HOST, ttlMs: 600 }))
      await assert.rejects(
        runCycle(db, jobId, { retry: FAST_RETRY, notify: quiet }),
        refused(/another Roster process \(another-host\.example:4242:feedface\)/),
      )
      await assert.rejects(provisionOnDemand(db, jobId, directory.users[0]!.id), refused(/another-host/))
      assert.equal(target.requests.length, 0, 'nothing reached the target')
      await sleep(700)
      const { cycle } = await runCycle(db, jobId, { retry: FAST_RETRY, notify: quiet })
      assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
      assert.ok(target.users.size > 0)
      assert.equal(await readLease(db, jobId), undefined, 'the lease is released after the cycle')
    })

    it('stops a cycle whose lease another process took over', async () => {
      // The first create answers after 6.5 s: time for a renewal (every 5 s) to find the lease gone.
      target.inject({ method: 'POST', path: '/Users', fault: { kind: 'delay', ms: 6_500 } })
      const running = runCycle(db, jobId, { retry: FAST_RETRY, notify: quiet })
      while (!target.requests.some((request) => request.fault === 'delay')) await sleep(25)
      assert.equal((await readLease(db, jobId))?.owner, leaseOwner())
      // As if this process had stalled past the expiry and another had taken the job over.
      await db
        .updateTable('provisioning_leases')
        .set({ owner: OTHER_HOST })
        .where('job_id', '=', jobId)
        .execute()
      const { cycle } = await running
      assert.equal(cycle.status, 'failed')
      assert.match(cycle.message ?? '', /lease of job .* was lost/)
      assert.ok(target.users.size < directory.users.length, 'the remaining users were left alone')
      assert.equal((await readLease(db, jobId))?.owner, OTHER_HOST, 'the new holder keeps its lease')
    })
  })
