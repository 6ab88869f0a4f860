import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { getJob, updateJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

/** Saving new mappings or scope asks for an initial cycle; one already running must not swallow it. */
describe('editing a job while its initial cycle runs', () => {
  const bed = engineTestBed(trimmedSample(12))

  const newJob = (name: string) =>
    bed.newJob(name, { settings: { rateLimitPerSecond: 1_000, concurrency: 2 } })

  it('an initial cycle that ends clears the restart flag when nothing changed', async () => {
    const job = await newJob('unchanged')
    const { cycle } = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(cycle.kind, 'initial')
    assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
    assert.equal((await getJob(bed.store.db, job.id))?.needsInitial, false)
  })

  it('a scope saved mid-cycle keeps the next cycle initial', async () => {
    const job = await newJob('edited')
    bed.target.inject({ fault: { kind: 'delay', ms: 150 }, path: /^\/Users$/, times: 1_000 })
    const running = runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    await new Promise((resolve) => setTimeout(resolve, 100))
    await updateJob(bed.store.db, job.id, {
      scope: {
        mode: 'all',
        scopingFilters: [{ title: 'x', clauses: [{ attribute: 'employeeId', operator: 'IS NOT NULL' }] }],
      },
    })
    const { cycle } = await running
    bed.target.clearFaults()
    assert.equal(cycle.kind, 'initial')
    assert.equal((await getJob(bed.store.db, job.id))?.needsInitial, true)
    const next = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(next.cycle.kind, 'initial')
    assert.equal((await getJob(bed.store.db, job.id))?.needsInitial, false)
  })
})
