import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { loadLinks } from '../../../src/provisioning/state/links-repository.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { assertTargetMatches, engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

/** The same job against a SCIM app that throttles, fails, hangs and loses answers (issue 6, point 2). */
describe('provisioning into a faulty SCIM target', () => {
  const directory = trimmedSample(40)
  const bed = engineTestBed(directory)

  it('reaches the right final state without duplicates, and the log says what happened', async () => {
    bed.target.inject({
      method: 'POST',
      path: '/Users',
      fault: { kind: 'status', status: 429, retryAfter: 1 },
      every: 5,
      times: 2,
    })
    bed.target.inject({ method: 'POST', path: '/Users', fault: { kind: 'lostAnswer' }, every: 6, times: 2 })
    bed.target.inject({
      method: 'POST',
      path: '/Users',
      fault: { kind: 'status', status: 500 },
      every: 9,
      times: 2,
    })
    bed.target.inject({ method: 'GET', path: '/Users', fault: { kind: 'hang' }, every: 11, times: 1 })
    bed.target.inject({
      method: 'POST',
      path: '/Groups',
      fault: { kind: 'delay', ms: 2_500, commitFirst: true },
      times: 1,
    })
    bed.target.inject({
      method: 'PATCH',
      path: /^\/Groups\//,
      fault: { kind: 'status', status: 503, retryAfter: 1 },
      times: 2,
    })
    const job = await createJob(bed.store.db, {
      name: 'faulty',
      source: { kind: 'file', path: bed.source.path },
      targetUrl: bed.target.url,
      targetToken: bed.target.token,
      settings: { rateLimitPerSecond: 200, concurrency: 6 },
    })
    const { cycle } = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY, timeoutMs: 1_000 })
    assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
    assert.equal(cycle.counts.failure, 0)
    assertTargetMatches(bed.target, directory, await loadLinks(bed.store.db, job.id))
    const faults = bed.target.requests.filter((request) => request.fault).map((request) => request.fault)
    for (const kind of ['status', 'lostAnswer', 'hang', 'delay'])
      assert.ok(faults.includes(kind as never), `${kind} was injected`)

    const logs = await queryLogEntries(bed.store.db, job.id, { cycleId: cycle.id })
    const descriptions = logs.flatMap((entry) => entry.steps.map((step) => step.description))
    assert.ok(
      descriptions.some((text) => /answer to POST \/Users was lost; found the account it created/.test(text)),
    )
    assert.ok(descriptions.some((text) => /answer to POST \/Groups was lost/.test(text)))
    assert.ok(descriptions.some((text) => /Retried: POST \/Users failed \(429\)/.test(text)))
    assert.ok(descriptions.some((text) => /Retried: .*failed \(timeout\)/.test(text)))
    assert.ok(logs.some((entry) => entry.status === 'warning' && entry.action === 'create'))
    for (const entry of logs)
      assert.ok(!JSON.stringify(entry).includes(bed.target.token), 'the token is never logged')

    const again = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY, timeoutMs: 1_000 })
    assert.equal(again.cycle.processed, 0, 'nothing left to do')
  })
})
