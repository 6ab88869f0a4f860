import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { JobConfigError, normalizeSettings } from '../../../src/provisioning/jobs/job-config.js'
import { loadLinks } from '../../../src/provisioning/state/links-repository.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { clone, type DirectoryJson, engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

const DAY_MS = 86_400_000

/** The directory without these users and groups (and without them as members). */
function without(directory: DirectoryJson, ids: readonly string[]): DirectoryJson {
  const gone = new Set(ids)
  const next = clone(directory)
  next.users = next.users.filter((user) => !gone.has(user.id))
  next.groups = next.groups.filter((group) => !gone.has(group.id))
  for (const group of next.groups) group.members = group.members.filter((id) => !gone.has(id))
  return next
}

/** "Disable now, delete later" (engines.md §4 pain 11): `deleteAfterDays` with the delete policy. */
describe('the delete grace period', () => {
  const directory = trimmedSample(20)
  const bed = engineTestBed(directory)
  const managers = new Set(directory.users.map((user) => user.attributes['manager']))
  const [leaver, other, laterDisabled] = directory.users.filter(
    (user) => !managers.has(user.id) && user.attributes['accountEnabled'] !== false,
  )
  assert.ok(leaver && other && laterDisabled, 'the sample has three active users who manage no one')
  let clock = new Date('2026-11-27T10:00:00Z')
  const now = () => clock
  const later = (days: number) => {
    clock = new Date(clock.getTime() + days * DAY_MS)
  }
  const cycle = async (jobId: string) => {
    const result = await runCycle(bed.store.db, jobId, { retry: FAST_RETRY, now })
    assert.equal(result.cycle.status, 'succeeded', result.cycle.message ?? '')
    return result.cycle
  }
  const entryOf = async (jobId: string, cycleId: string, sourceId: string) =>
    queryLogEntries(bed.store.db, jobId, { cycleId, sourceId })
  const linkOf = async (jobId: string, sourceId: string) =>
    (await loadLinks(bed.store.db, jobId)).get(`user:${sourceId}`)
  /** Requests to one target account (GET, PATCH, DELETE). */
  const requestsTo = (targetId: string) => bed.target.count(undefined, `/Users/${targetId}`)

  beforeEach(() => {
    bed.target.reset()
    bed.source.write(directory)
    clock = new Date('2026-11-27T10:00:00Z')
  })

  it('disables a user gone from the source, leaves it alone, and DELETEs it once the period is over', async () => {
    const job = await bed.newJob('grace 30', {
      settings: { deprovision: 'delete', deleteAfterDays: 30, rateLimitPerSecond: 200 },
    })
    await cycle(job.id)
    const targetId = (await linkOf(job.id, leaver.id))!.targetId
    const group = directory.groups.find((candidate) => candidate.members.length > 0)!
    const groupTarget = (await loadLinks(bed.store.db, job.id)).get(`group:${group.id}`)!.targetId

    bed.source.write(without(directory, [leaver.id, group.id]))
    const gone = await cycle(job.id)
    assert.equal(bed.target.count('PATCH', `/Users/${targetId}`), 1)
    assert.equal(bed.target.count('DELETE', `/Users/${targetId}`), 0)
    assert.equal(bed.target.users.get(targetId)?.['active'], false, 'disabled, not deleted')
    const [disabled] = await entryOf(job.id, gone.id, leaver.id)
    assert.equal(disabled?.action, 'disable')
    assert.equal(disabled?.status, 'success')
    assert.equal(
      disabled?.message,
      'Gone from the source: disabled; deleted on 2026-12-27 unless it comes back (grace period 30 days)',
    )
    assert.equal((await linkOf(job.id, leaver.id))?.goneSince, '2026-11-27T10:00:00.000Z')
    // Groups have no disabled state: a group gone from the source is deleted at once, as before.
    assert.equal(bed.target.groups.has(groupTarget), false)
    const [groupEntry] = await entryOf(job.id, gone.id, group.id)
    assert.equal(groupEntry?.action, 'delete')

    later(0.1)
    const sameDay = requestsTo(targetId)
    const quiet = await cycle(job.id)
    assert.equal(requestsTo(targetId), sameDay, 'no request while the grace period runs')
    assert.deepEqual(await entryOf(job.id, quiet.id, leaver.id), [], 'and no log entry either')

    later(29)
    const stillQuiet = await cycle(job.id)
    assert.equal(requestsTo(targetId), sameDay)
    assert.deepEqual(await entryOf(job.id, stillQuiet.id, leaver.id), [])

    later(2)
    const over = await cycle(job.id)
    assert.equal(bed.target.count('DELETE', `/Users/${targetId}`), 1)
    assert.equal(bed.target.users.has(targetId), false)
    const [deleted] = await entryOf(job.id, over.id, leaver.id)
    assert.equal(deleted?.action, 'delete')
    assert.equal(deleted?.status, 'success')
    assert.match(deleted!.message, /since 2026-11-27; the grace period of 30 days is over/)
    assert.equal(await linkOf(job.id, leaver.id), undefined)
    assert.equal(over.counts.delete, 1)
  })

  it('re-enables a user who comes back in time, and starts a new period when it goes again', async () => {
    const job = await bed.newJob('grace comes back', {
      settings: { deprovision: 'delete', deleteAfterDays: 30, rateLimitPerSecond: 200 },
    })
    await cycle(job.id)
    const targetId = (await linkOf(job.id, leaver.id))!.targetId

    bed.source.write(without(directory, [leaver.id]))
    await cycle(job.id)
    assert.equal(bed.target.users.get(targetId)?.['active'], false)

    later(20)
    bed.source.write(directory)
    const back = await cycle(job.id)
    assert.equal(bed.target.users.get(targetId)?.['active'], true, 're-enabled in the same account')
    const [update] = await entryOf(job.id, back.id, leaver.id)
    assert.equal(update?.action, 'update')
    assert.ok(update?.modified.some((change) => change.name === 'active' && change.new === true))
    const link = await linkOf(job.id, leaver.id)
    assert.equal(link?.targetId, targetId, 'the link is kept')
    assert.equal(link?.goneSince, null, 'the clock is cleared')
    assert.equal(link?.disabled, false)

    later(5)
    bed.source.write(without(directory, [leaver.id]))
    const again = await cycle(job.id)
    const [disabled] = await entryOf(job.id, again.id, leaver.id)
    assert.equal(disabled?.action, 'disable')
    assert.match(disabled!.message, /deleted on 2027-01-21 unless it comes back/)

    later(10) // 35 days after the first removal, 10 after the second
    await cycle(job.id)
    assert.equal(bed.target.count('DELETE'), 0)
    assert.equal(bed.target.users.get(targetId)?.['active'], false)
  })

  it('starts the clock without a request for a user who was disabled already', async () => {
    const job = await bed.newJob('grace already disabled', {
      settings: { deprovision: 'delete', deleteAfterDays: 7, rateLimitPerSecond: 200 },
    })
    await cycle(job.id)
    const targetId = (await linkOf(job.id, laterDisabled.id))!.targetId
    const disabledInSource = clone(directory)
    disabledInSource.users.find((user) => user.id === laterDisabled.id)!.attributes['accountEnabled'] = false
    bed.source.write(disabledInSource)
    await cycle(job.id)
    assert.equal(bed.target.users.get(targetId)?.['active'], false)

    const before = requestsTo(targetId)
    bed.source.write(without(directory, [laterDisabled.id]))
    const gone = await cycle(job.id)
    assert.equal(requestsTo(targetId), before, 'nothing sent: it is disabled')
    const [entry] = await entryOf(job.id, gone.id, laterDisabled.id)
    assert.equal(entry?.action, 'skip')
    assert.equal(
      entry?.message,
      'Gone from the source: already disabled; deleted on 2026-12-04 unless it comes back (grace period 7 days)',
    )

    later(7)
    await cycle(job.id)
    assert.equal(bed.target.count('DELETE', `/Users/${targetId}`), 1)
  })

  /** Provisions the leaver, deletes its account in the target by hand, then drops it from the source. */
  const goneAfterDeletedByHand = async (name: string, settings: Record<string, unknown>) => {
    const job = await bed.newJob(name, { settings: { ...settings, rateLimitPerSecond: 200 } })
    bed.source.write(directory)
    await cycle(job.id)
    const targetId = (await linkOf(job.id, leaver.id))!.targetId
    bed.target.users.delete(targetId)
    bed.source.write(without(directory, [leaver.id]))
    return { job, targetId, gone: await cycle(job.id) }
  }

  it('forgets a user whose account was deleted by hand, instead of failing every cycle', async () => {
    const { job, gone } = await goneAfterDeletedByHand('grace deleted by hand', {
      deprovision: 'delete',
      deleteAfterDays: 30,
    })
    const [entry] = await entryOf(job.id, gone.id, leaver.id)
    assert.equal(entry?.action, 'delete')
    assert.equal(entry?.status, 'success')
    assert.equal(entry?.message, 'Gone from the source, and already deleted from the target')
    assert.equal(await linkOf(job.id, leaver.id), undefined)
  })

  it('with the disable policy too: a gone user deleted by hand is forgotten, not retried every cycle', async () => {
    const { job, targetId, gone } = await goneAfterDeletedByHand('disable, deleted by hand', {
      deprovision: 'disable',
    })
    const [entry] = await entryOf(job.id, gone.id, leaver.id)
    assert.equal(entry?.status, 'success')
    assert.equal(await linkOf(job.id, leaver.id), undefined)
    const patches = bed.target.count('PATCH', `/Users/${targetId}`)
    const next = await cycle(job.id)
    assert.deepEqual(await entryOf(job.id, next.id, leaver.id), [])
    assert.equal(bed.target.count('PATCH', `/Users/${targetId}`), patches)
  })

  it('counts the disables of a grace period in the accidental-deletion guard', async () => {
    const job = await bed.newJob('grace guarded', {
      settings: { deprovision: 'delete', deleteAfterDays: 30, deletionThreshold: 1, rateLimitPerSecond: 200 },
    })
    await cycle(job.id)
    const patches = bed.target.count('PATCH', /^\/Users\//)
    bed.source.write(without(directory, [leaver.id, other.id]))
    const held = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY, now })
    assert.equal(held.cycle.status, 'quarantined')
    assert.match(held.cycle.message ?? '', /would disable or delete 2 accounts/)
    assert.equal(bed.target.count('PATCH', /^\/Users\//), patches, 'no user disabled')
    assert.equal((await linkOf(job.id, leaver.id))?.goneSince, null, 'the clock starts when disabled')
  })

  for (const [label, settings] of [
    ['without deleteAfterDays', {}],
    ['with deleteAfterDays 0', { deleteAfterDays: 0 }],
  ] as const) {
    it(`DELETEs a user gone from the source at once ${label}`, async () => {
      const job = await bed.newJob(`no grace ${label}`, {
        settings: { deprovision: 'delete', rateLimitPerSecond: 200, ...settings },
      })
      await cycle(job.id)
      const targetId = (await linkOf(job.id, leaver.id))!.targetId
      bed.source.write(without(directory, [leaver.id]))
      const gone = await cycle(job.id)
      assert.equal(bed.target.count('DELETE', `/Users/${targetId}`), 1)
      assert.equal(bed.target.count('PATCH', `/Users/${targetId}`), 0)
      const [entry] = await entryOf(job.id, gone.id, leaver.id)
      assert.equal(entry?.action, 'delete')
      assert.equal(entry?.message, 'Deleted: gone from the source')
    })
  }
})

describe('the deleteAfterDays setting', () => {
  it('is optional, and kept when it is a whole number of days', () => {
    assert.equal('deleteAfterDays' in normalizeSettings({}), false)
    assert.equal(normalizeSettings({ deleteAfterDays: 30 }).deleteAfterDays, 30)
    assert.equal(normalizeSettings({ deleteAfterDays: 0 }).deleteAfterDays, 0)
    // JSON has no undefined: null removes it.
    const cleared = normalizeSettings({ deleteAfterDays: null } as unknown as { deleteAfterDays: number })
    assert.equal('deleteAfterDays' in cleared, false)
  })

  for (const bad of [-1, 1.5, 'x', Number.NaN, 100_000]) {
    it(`refuses ${typeof bad === 'string' ? `"${bad}"` : bad}, naming the setting`, () => {
      assert.throws(
        () => normalizeSettings({ deleteAfterDays: bad as number }),
        (error: unknown) =>
          error instanceof JobConfigError &&
          /^deleteAfterDays must be a whole number of days/.test(error.message),
      )
    })
  }
})
