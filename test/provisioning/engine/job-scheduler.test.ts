import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { JobScheduler } from '../../../src/provisioning/engine/job-scheduler.js'
import { createJob, setJobState } from '../../../src/provisioning/jobs/jobs-repository.js'
import { listCycles } from '../../../src/provisioning/state/cycles-repository.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { directoryFile, FAST_RETRY, jobStore, trimmedSample } from './fixtures.js'

describe('the job scheduler', () => {
  let target: FaultyScimTarget
  let store: Awaited<ReturnType<typeof jobStore>>
  const source = directoryFile(trimmedSample(10))

  before(async () => {
    target = await startFaultyScimTarget()
    store = await jobStore()
  })
  after(async () => {
    await target?.close()
    await store?.close()
    source.remove()
  })

  it('runs jobs that are On: the initial cycle at once, the next one an interval after the last ended', async () => {
    const on = await createJob(store.db, {
      name: 'on',
      source: { kind: 'file', path: source.path },
      targetUrl: target.url,
      targetToken: target.token,
      settings: { intervalMinutes: 1, rateLimitPerSecond: 200 },
    })
    await createJob(store.db, {
      name: 'off',
      source: { kind: 'file', path: source.path },
      targetUrl: target.url,
      targetToken: target.token,
    })
    await setJobState(store.db, on.id, 'on')
    let now = Date.now()
    const scheduler = new JobScheduler(store.db, { now: () => now, cycleOptions: { retry: FAST_RETRY } })
    await scheduler.tick()
    await scheduler.idle()
    let cycles = await listCycles(store.db, on.id)
    assert.deepEqual(
      cycles.map((cycle) => [cycle.kind, cycle.status]),
      [['initial', 'succeeded']],
    )
    now += 30_000
    await scheduler.tick()
    await scheduler.idle()
    assert.equal((await listCycles(store.db, on.id)).length, 1, 'not due within the interval')
    now += 61_000
    await scheduler.tick()
    await scheduler.idle()
    cycles = await listCycles(store.db, on.id)
    assert.equal(cycles.length, 2)
    assert.equal(cycles[0]?.kind, 'incremental')
    await scheduler.stop()
  })
})
