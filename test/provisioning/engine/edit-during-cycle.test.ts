import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob, getJob, updateJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { directoryFile, FAST_RETRY, jobStore, trimmedSample } from './fixtures.js'

/** Saving new mappings or scope asks for an initial cycle; one already running must not swallow it. */
describe('editing a job while its initial cycle runs', () => {
  let target: FaultyScimTarget
  let store: Awaited<ReturnType<typeof jobStore>>
  const source = directoryFile(trimmedSample(12))

  before(async () => {
    target = await startFaultyScimTarget()
    store = await jobStore()
  })
  after(async () => {
    await target?.close()
    await store?.close()
    source.remove()
  })

  const newJob = (name: string) =>
    createJob(store.db, {
      name,
      source: { kind: 'file', path: source.path },
      targetUrl: target.url,
      targetToken: target.token,
      settings: { rateLimitPerSecond: 1_000, concurrency: 2 },
    })

  it('an initial cycle that ends clears the restart flag when nothing changed', async () => {
    const job = await newJob('unchanged')
    const { cycle } = await runCycle(store.db, job.id, { retry: FAST_RETRY })
    assert.equal(cycle.kind, 'initial')
    assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
    assert.equal((await getJob(store.db, job.id))?.needsInitial, false)
  })

  it('a scope saved mid-cycle keeps the next cycle initial', async () => {
    const job = await newJob('edited')
    target.inject({ fault: { kind: 'delay', ms: 150 }, path: /^\/Users$/, times: 1_000 })
    const running = runCycle(store.db, job.id, { retry: FAST_RETRY })
    await new Promise((resolve) => setTimeout(resolve, 100))
    await updateJob(store.db, job.id, {
      scope: {
        mode: 'all',
        scopingFilters: [{ title: 'x', clauses: [{ attribute: 'employeeId', operator: 'IS NOT NULL' }] }],
      },
    })
    const { cycle } = await running
    target.clearFaults()
    assert.equal(cycle.kind, 'initial')
    assert.equal((await getJob(store.db, job.id))?.needsInitial, true)
    const next = await runCycle(store.db, job.id, { retry: FAST_RETRY })
    assert.equal(next.cycle.kind, 'initial')
    assert.equal((await getJob(store.db, job.id))?.needsInitial, false)
  })
})
