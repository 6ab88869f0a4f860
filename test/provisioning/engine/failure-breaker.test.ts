import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import {
  AUTH_FAILURES_TO_QUARANTINE,
  FailureBreaker,
  TARGET_FAILURES_TO_QUARANTINE,
} from '../../../src/provisioning/engine/failure-breaker.js'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { getJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import type { JobAlert } from '../../../src/provisioning/notify/failure-mailer.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

describe('FailureBreaker', () => {
  it('trips on a streak of token refusals, and a success in between resets it', () => {
    const breaker = new FailureBreaker()
    for (let n = 1; n < AUTH_FAILURES_TO_QUARANTINE; n++) breaker.record('failure', 'ERR_TARGET_AUTH', '401')
    breaker.record('success', null, 'ok')
    for (let n = 1; n < AUTH_FAILURES_TO_QUARANTINE; n++) breaker.record('failure', 'ERR_TARGET_AUTH', '401')
    assert.equal(breaker.tripped, undefined)
    breaker.record('failure', 'ERR_TARGET_AUTH', 'POST /Users failed (401)')
    assert.match(breaker.tripped ?? '', /refused the secret token .* POST \/Users failed \(401\)/)
  })

  it('never trips on failures of the data, however many', () => {
    const breaker = new FailureBreaker()
    for (let n = 0; n < 10 * TARGET_FAILURES_TO_QUARANTINE; n++) {
      breaker.record('failure', n % 2 ? 'ERR_TARGET_CLIENT' : 'ERR_TARGET_CONFLICT', '400')
      breaker.record('failure', 'ERR_MAPPING', 'bad expression')
    }
    assert.equal(breaker.tripped, undefined)
  })

  it('trips on a streak of target-side failures, never on throttling; skipped objects neither count nor reset', () => {
    const breaker = new FailureBreaker()
    for (let n = 1; n < TARGET_FAILURES_TO_QUARANTINE; n++) {
      breaker.record('failure', n % 2 ? 'ERR_TARGET_TRANSIENT' : 'ERR_TARGET_PROTOCOL', '503')
      breaker.record('skipped', null, 'out of scope')
    }
    assert.equal(breaker.tripped, undefined)
    breaker.record('failure', 'ERR_TARGET_THROTTLED', '429 after every retry')
    assert.equal(breaker.tripped, undefined, 'a throttling target is never a reason to quarantine')
    for (let n = 0; n < TARGET_FAILURES_TO_QUARANTINE; n++)
      breaker.record('failure', 'ERR_TARGET_THROTTLED', '429')
    assert.equal(breaker.tripped, undefined)
    for (let n = 0; n < TARGET_FAILURES_TO_QUARANTINE; n++)
      breaker.record('failure', 'ERR_TARGET_TRANSIENT', '503')
    assert.match(breaker.tripped ?? '', /failed at the target itself/)
  })
})

/** Entra quarantines a job whose calls all fail; so do we, without trying every object first. */
describe('a cycle against a target that refuses everything', () => {
  const directory = trimmedSample(60)
  const bed = engineTestBed(directory)
  let alerts: JobAlert[]
  const notify = {
    alert: async (alert: JobAlert) => {
      alerts.push(alert)
      return true
    },
    cleared: () => {},
  }

  beforeEach(() => {
    alerts = []
    bed.target.reset()
  })
  const newJob = (name: string) =>
    bed.newJob(name, { settings: { rateLimitPerSecond: 1_000, concurrency: 4 } })

  it('a revoked token quarantines the job after a few objects, tells the admin, and the next cycle recovers', async () => {
    const job = await newJob('revoked token')
    bed.target.inject({ fault: { kind: 'status', status: 401, detail: 'token revoked' }, times: 100_000 })
    const { cycle } = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY, notify })
    assert.equal(cycle.status, 'quarantined')
    assert.match(cycle.message ?? '', /refused the secret token/)
    assert.ok(cycle.counts.failure < 20, `stopped early, not after every object (${cycle.counts.failure})`)
    assert.ok(bed.target.requests.length < 40, `${bed.target.requests.length} requests`)
    assert.equal(alerts.length, 1)
    assert.equal(alerts[0]?.status, 'quarantined')
    assert.equal((await getJob(bed.store.db, job.id))?.needsInitial, true)

    bed.target.clearFaults()
    const next = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY, notify })
    assert.equal(next.cycle.kind, 'initial')
    assert.equal(next.cycle.status, 'succeeded', next.cycle.message ?? '')
    assert.equal(next.cycle.counts.failure, 0)
    assert.ok(bed.target.users.size > 0)
  })

  it('a target that answers 503 to everything is quarantined too', async () => {
    const job = await newJob('down')
    bed.target.inject({ fault: { kind: 'status', status: 503 }, times: 100_000 })
    const { cycle } = await runCycle(bed.store.db, job.id, {
      retry: { ...FAST_RETRY, maxAttempts: 2 },
      notify,
    })
    assert.equal(cycle.status, 'quarantined')
    assert.match(cycle.message ?? '', /failed at the target itself/)
    const failures = await queryLogEntries(bed.store.db, job.id, { cycleId: cycle.id, status: 'failure' })
    assert.ok(failures.length < directory.users.length, `${failures.length} failures logged`)
  })

  it('data the target refuses (400 for every create) is logged object by object, not quarantined', async () => {
    const job = await newJob('bad data')
    bed.target.inject({
      fault: { kind: 'status', status: 400, detail: 'phoneNumbers must be E.164' },
      method: 'POST',
      times: 100_000,
    })
    const { cycle } = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY, notify })
    assert.equal(cycle.status, 'succeeded')
    assert.ok(cycle.counts.failure > TARGET_FAILURES_TO_QUARANTINE, `${cycle.counts.failure}`)
    assert.equal(alerts.length, 0)
  })
})
