import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { loadLinks } from '../../../src/provisioning/state/links-repository.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { clone, engineTestBed, FAST_RETRY, trimmedSample } from './fixtures.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** Entra needs a restart when a manager reaches scope after their report; we set it the next cycle. */
describe('references to objects that arrive later', () => {
  const directory = trimmedSample(30)
  const bed = engineTestBed(directory)

  it('sets a manager who comes into scope in a later cycle, and adds them to their groups', async () => {
    const report = directory.users.find(
      (user) =>
        typeof user.attributes['manager'] === 'string' &&
        user.attributes['manager'] !== directory.users[0]!.id,
    )!
    const managerId = report.attributes['manager'] as string
    const manager = directory.users.find((user) => user.id === managerId)!
    const employeeId = manager.attributes['employeeId']
    delete manager.attributes['employeeId']
    bed.source.write(directory)
    const job = await createJob(bed.store.db, {
      name: 'late manager',
      source: { kind: 'file', path: bed.source.path },
      targetUrl: bed.target.url,
      targetToken: bed.target.token,
      scope: {
        mode: 'all',
        scopingFilters: [
          { title: 'employees', clauses: [{ attribute: 'employeeId', operator: 'IS NOT NULL' }] },
        ],
      },
      settings: { rateLimitPerSecond: 200 },
    })
    const first = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(first.cycle.status, 'succeeded', first.cycle.message ?? '')
    const userName = String(report.attributes['userPrincipalName'])
    assert.equal(bed.target.usersNamed(userName)[0]![ENTERPRISE]?.manager, undefined)
    const [entry] = await queryLogEntries(bed.store.db, job.id, {
      cycleId: first.cycle.id,
      sourceId: report.id,
    })
    assert.equal(entry?.status, 'warning')
    assert.match(
      entry!.steps.find((step) => step.name === 'referenceResolution')!.description,
      /retried every cycle/,
    )

    const next = clone(directory)
    next.users.find((user) => user.id === managerId)!.attributes['employeeId'] = employeeId
    bed.source.write(next)
    const second = await runCycle(bed.store.db, job.id, { retry: FAST_RETRY })
    assert.equal(second.cycle.status, 'succeeded', second.cycle.message ?? '')
    const links = await loadLinks(bed.store.db, job.id)
    const managerTarget = links.get(`user:${managerId}`)?.targetId
    assert.ok(managerTarget)
    assert.equal(bed.target.usersNamed(userName)[0]![ENTERPRISE]?.manager?.value, managerTarget)
    assert.deepEqual(links.get(`user:${report.id}`)?.unresolved, [])
    // The groups listing the manager did not change in the source, yet the manager is now a member.
    for (const group of next.groups.filter((candidate) => candidate.members.includes(managerId))) {
      const stored = bed.target.groups.get(links.get(`group:${group.id}`)!.targetId)!
      assert.ok(
        stored['members'].some((member: { value: string }) => member.value === managerTarget),
        group.displayName,
      )
    }
  })
})
