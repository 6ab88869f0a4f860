import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob, getJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

describe('cycles that cannot do their work', () => {
  const bed = engineTestBed(trimmedSample(5))

  it('fails the cycle with the reason when the source cannot be read, and stays due for an initial cycle', async () => {
    const job = await createJob(bed.store.db, {
      name: 'missing source',
      source: { kind: 'file', path: `${bed.source.path}.missing.json` },
      targetUrl: bed.target.url,
      targetToken: bed.target.token,
    })
    const { cycle } = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(cycle.status, 'failed')
    assert.match(cycle.message ?? '', /cannot read directory file .*missing\.json: no such file/)
    assert.equal((await getJob(bed.store.db, job.id))?.needsInitial, true)
  })

  it('logs a refused token per object with what to do, never the token itself, and quarantines the job', async () => {
    const wrong = 'not-the-right-token-1234567890'
    const job = await createJob(bed.store.db, {
      name: 'wrong token',
      source: { kind: 'file', path: bed.source.path },
      targetUrl: bed.target.url,
      targetToken: wrong,
    })
    const { cycle } = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    // A streak of refusals quarantines the job (failure-breaker.ts) rather than trying every object.
    assert.equal(cycle.status, 'quarantined')
    assert.ok(cycle.counts.failure > 0)
    assert.match(cycle.message ?? '', /refused the secret token/)
    assert.ok(!(cycle.message ?? '').includes(wrong))
    const failures = await queryLogEntries(bed.store.db, job.id, { status: 'failure' })
    assert.equal(failures.length, cycle.counts.failure)
    for (const entry of failures) {
      assert.equal(entry.errorCode, 'ERR_TARGET_AUTH')
      assert.match(entry.message, /401.*Generate a new token in the target and update the job/)
      assert.ok(!JSON.stringify(entry).includes(wrong))
    }
  })
})
