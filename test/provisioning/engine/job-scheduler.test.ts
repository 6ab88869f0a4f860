import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JobScheduler } from '../../../src/provisioning/engine/job-scheduler.js'
import { createJob, setJobState } from '../../../src/provisioning/jobs/jobs-repository.js'
import { listCycles } from '../../../src/provisioning/state/cycles-repository.js'
import { engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

describe('the job scheduler', () => {
  const bed = engineTestBed(trimmedSample(10))

  it('runs jobs that are On: the initial cycle at once, the next one an interval after the last ended', async () => {
    const on = await createJob(bed.store.db, {
      name: 'on',
      source: { kind: 'file', path: bed.source.path },
      targetUrl: bed.target.url,
      targetToken: bed.target.token,
      settings: { intervalMinutes: 1, rateLimitPerSecond: 200 },
    })
    await createJob(bed.store.db, {
      name: 'off',
      source: { kind: 'file', path: bed.source.path },
      targetUrl: bed.target.url,
      targetToken: bed.target.token,
    })
    await setJobState(bed.store.db, on.id, 'on')
    let now = Date.now()
    const scheduler = new JobScheduler(bed.store.db, { now: () => now, cycleOptions: { retry: FAST_RETRY } })
    await scheduler.tick()
    await scheduler.idle()
    let cycles = await listCycles(bed.store.db, on.id)
    assert.deepEqual(
      cycles.map((cycle) => [cycle.kind, cycle.status]),
      [['initial', 'succeeded']],
    )
    now += 30_000
    await scheduler.tick()
    await scheduler.idle()
    assert.equal((await listCycles(bed.store.db, on.id)).length, 1, 'not due within the interval')
    now += 61_000
    await scheduler.tick()
    await scheduler.idle()
    cycles = await listCycles(bed.store.db, on.id)
    assert.equal(cycles.length, 2)
    assert.equal(cycles[0]?.kind, 'incremental')
    await scheduler.stop()
  })
})
