import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { clone, engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

/** Too many disables and deletes in one cycle are staged, not carried out (entra-scim.md §10.9). */
describe('the accidental-deletion guard', () => {
  const directory = trimmedSample(30)
  const bed = engineTestBed(directory)

  it('quarantines a cycle that would delete more than the threshold, and deletes only when allowed', async () => {
    const job = await createJob(bed.store.db, {
      name: 'guarded',
      source: { kind: 'file', path: bed.source.path },
      targetUrl: bed.target.url,
      targetToken: bed.target.token,
      settings: { deletionThreshold: 2, rateLimitPerSecond: 200 },
    })
    const initial = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(initial.cycle.status, 'succeeded', initial.cycle.message ?? '')
    const accounts = bed.target.users.size

    const next = clone(directory)
    const managers = new Set(next.users.map((user) => user.attributes['manager']))
    const leaving = next.users
      .filter((user) => !managers.has(user.id) && user.attributes['accountEnabled'] !== false)
      .slice(0, 3)
    const gone = new Set(leaving.map((user) => user.id))
    next.users = next.users.filter((user) => !gone.has(user.id))
    for (const group of next.groups) group.members = group.members.filter((id) => !gone.has(id))
    bed.source.write(next)

    const held = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(held.cycle.status, 'quarantined')
    assert.match(
      held.cycle.message ?? '',
      /would disable or delete 3 accounts, more than the job's deletion threshold \(2\)/,
    )
    assert.equal(bed.target.users.size, accounts, 'nothing was deleted')
    assert.equal(bed.target.count('DELETE'), 0)
    const staged = (await queryLogEntries(bed.store.db, job.id, { cycleId: held.cycle.id })).filter((entry) =>
      gone.has(entry.sourceId),
    )
    assert.equal(staged.length, 3)
    for (const entry of staged) {
      assert.equal(entry.action, 'other')
      assert.equal(entry.status, 'skipped')
      assert.match(entry.message, /^Staged, not carried out/)
    }

    const stillHeld = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(stillHeld.cycle.status, 'quarantined', 'staged work stays staged until allowed')

    const allowed = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY, allowDeletes: true })
    assert.equal(allowed.cycle.status, 'succeeded', allowed.cycle.message ?? '')
    assert.equal(allowed.cycle.counts.delete, 3)
    assert.equal(bed.target.users.size, accounts - 3)
    for (const user of leaving)
      assert.equal(bed.target.usersNamed(String(user.attributes['userPrincipalName'])).length, 0)
  })
})
