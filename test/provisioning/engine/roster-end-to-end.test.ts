import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { cycleProgress } from '../../../src/provisioning/engine/cycle-progress.js'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { loadLinks } from '../../../src/provisioning/state/links-repository.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { listAuditEvents } from '../../../src/store/audit-repository.js'
import type { Db } from '../../../src/store/database.js'
import { TEST_DATABASES } from '../../support/databases.js'
import { type ScimClient, startTestServer, type TestServer, type TestTenant } from '../../support/server.js'
import { clone, type DirectoryJson, directoryFile, FAST_RETRY, loadSample } from './fixtures.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

// biome-ignore lint/suspicious/noExplicitAny: SCIM resources are arbitrary JSON
async function listAll(scim: ScimClient, collection: '/Users' | '/Groups'): Promise<any[]> {
  // biome-ignore lint/suspicious/noExplicitAny: SCIM resources are arbitrary JSON
  const all: any[] = []
  for (let start = 1; ; start += 100) {
    const page = await scim('GET', `${collection}?startIndex=${start}&count=100`)
    assert.equal(page.status, 200, page.text)
    all.push(...(page.body.Resources ?? []))
    if (all.length >= page.body.totalResults || (page.body.Resources ?? []).length === 0) return all
  }
}

/**
 * The sample directory provisioned into a real Roster over HTTP, then edited: the next cycle must
 * carry exactly the edits, as minimal PATCHes, which Roster's audit trail shows (issue 6, point 1).
 */
for (const database of TEST_DATABASES)
  describe(`provisioning the sample directory into Roster (${database})`, () => {
    let server: TestServer
    let tenant: TestTenant
    let db: Db
    let source: ReturnType<typeof directoryFile>
    let directory: DirectoryJson
    let jobId: string

    const enabled = (directory: DirectoryJson) =>
      directory.users.filter((user) => user.attributes['accountEnabled'] !== false && !user.softDeleted)

    before(async () => {
      server = await startTestServer({}, { database })
      tenant = await server.addTenant('aurora')
      db = server.server.db
      directory = loadSample()
      source = directoryFile(directory)
      const job = await createJob(db, {
        name: 'Aurora → Roster',
        source: { kind: 'file', path: source.path },
        targetUrl: server.scimUrl,
        targetToken: tenant.token,
        scope: {
          mode: 'all',
          scopingFilters: [
            { title: 'has an employee id', clauses: [{ attribute: 'employeeId', operator: 'IS NOT NULL' }] },
          ],
        },
        settings: { rateLimitPerSecond: 1000, concurrency: 8 },
      })
      jobId = job.id
    })

    after(async () => {
      await server?.close()
      source?.remove()
    })

    it('the initial cycle creates every active user with its manager, every group and every membership', async () => {
      const { cycle } = await runCycle(db, jobId, { retry: FAST_RETRY })
      assert.equal(cycle.kind, 'initial')
      const progress = cycleProgress(jobId)!
      assert.equal(progress.phase, 'done')
      assert.equal(progress.inScope, directory.users.length + directory.groups.length)
      assert.equal(progress.processed, progress.total)
      assert.equal(progress.estimatedRemainingMs, 0)
      assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
      const active = enabled(directory)
      assert.equal(cycle.counts.failure, 0)
      assert.equal(cycle.counts.create, active.length + directory.groups.length)
      assert.equal(cycle.counts.skip, directory.users.length - active.length)

      const links = await loadLinks(db, jobId)
      const targetOf = (sourceId: string) =>
        (links.get(`user:${sourceId}`) ?? links.get(`group:${sourceId}`))?.targetId
      const users = await listAll(tenant.scim, '/Users')
      assert.equal(users.length, active.length)
      const byId = new Map(users.map((user) => [user.id, user]))
      for (const person of active) {
        const account = byId.get(targetOf(person.id))
        assert.ok(account, `${person.attributes['userPrincipalName']} is in Roster`)
        assert.equal(account.userName, person.attributes['userPrincipalName'])
        assert.equal(account.title, person.attributes['jobTitle'])
        const manager = person.attributes['manager']
        assert.equal(
          account[ENTERPRISE]?.manager?.value,
          typeof manager === 'string' ? targetOf(manager) : undefined,
        )
      }
      const groups = await listAll(tenant.scim, '/Groups')
      assert.equal(groups.length, directory.groups.length)
      const activeIds = new Set(active.map((user) => user.id))
      const groupIds = new Set(directory.groups.map((group) => group.id))
      for (const group of directory.groups) {
        const found = groups.find((candidate) => candidate.id === targetOf(group.id))
        assert.ok(found, group.displayName)
        const expected = group.members
          .filter((id) => activeIds.has(id) || groupIds.has(id))
          .map(targetOf)
          .sort()
        assert.deepEqual(
          (found.members ?? []).map((member: { value: string }) => member.value).sort(),
          expected,
          group.displayName,
        )
      }
      const logs = await queryLogEntries(db, jobId, { cycleId: cycle.id, limit: 10_000 })
      assert.equal(logs.length, directory.users.length + directory.groups.length, 'one log entry per object')
      const created = logs.find((entry) => entry.action === 'create' && entry.objectType === 'user')!
      assert.deepEqual(created.steps.map((step) => step.name).slice(0, 4), [
        'import',
        'scoping',
        'matching',
        'action',
      ])
      assert.ok(created.modified.some((property) => property.name === 'userName' && property.old === null))
    })

    it('an incremental cycle after source edits sends only the minimal changes, as Roster’s audit trail shows', async () => {
      const next = clone(directory)
      const managers = new Set(next.users.map((user) => user.attributes['manager']).filter(Boolean))
      const team = next.groups.find((group) => group.displayName === 'Team Sofia Johnson')!
      const plain = enabled(next).filter(
        (user) => !managers.has(user.id) && !team.members.includes(user.id) && user.attributes['manager'],
      )
      const [edited, moved, leaving, deleted, joining, recycled] = plain
      assert.ok(edited && moved && leaving && deleted && joining && recycled)
      const ceo = next.users[0]!
      const dropped = team.members.find(
        (id) => !managers.has(id) && id !== ceo.id && enabled(next).some((user) => user.id === id),
      )!

      const oldTitle = edited.attributes['jobTitle']
      edited.attributes['jobTitle'] = 'Principal Widget Engineer'
      moved.attributes['manager'] = ceo.id
      delete leaving.attributes['employeeId']
      recycled.softDeleted = true
      next.users = next.users.filter((user) => user.id !== deleted.id)
      for (const group of next.groups) group.members = group.members.filter((id) => id !== deleted.id)
      team.members = [...team.members.filter((id) => id !== dropped), joining.id]
      source.write(next)

      const linksBefore = await loadLinks(db, jobId)
      const target = (id: string) =>
        linksBefore.get(`user:${id}`)?.targetId ?? linksBefore.get(`group:${id}`)?.targetId
      const [newest] = await listAuditEvents(db, tenant.tenant.id, { limit: 1 })
      const { cycle } = await runCycle(db, jobId, { retry: FAST_RETRY })
      assert.equal(cycle.kind, 'incremental')
      assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
      assert.equal(cycle.counts.failure, 0)

      const events = (await listAuditEvents(db, tenant.tenant.id, { limit: 1000 })).filter(
        (event) => event.seq > newest!.seq,
      )
      const userEvents = events.filter((event) => event.resource_type === 'User')
      const byResource = new Map(userEvents.map((event) => [event.resource_id, event]))
      assert.equal(
        userEvents.length,
        5,
        JSON.stringify(userEvents.map((event) => [event.operation, event.changes])),
      )
      const paths = (event: { changes: string } | undefined) =>
        (JSON.parse(event?.changes ?? '[]') as Array<{ path: string }>).map((change) => change.path)
      assert.equal(byResource.get(target(edited.id)!)?.operation, 'patch')
      assert.deepEqual(paths(byResource.get(target(edited.id)!)), ['title'])
      assert.equal(byResource.get(target(moved.id)!)?.operation, 'patch')
      assert.deepEqual(paths(byResource.get(target(moved.id)!)), [`${ENTERPRISE}:manager.value`])
      assert.deepEqual(paths(byResource.get(target(leaving.id)!)), ['active'])
      assert.deepEqual(paths(byResource.get(target(recycled.id)!)), ['active'])
      assert.equal(byResource.get(target(deleted.id)!)?.operation, 'delete')
      // Groups: the team's membership change, and the deleted user leaving each group that listed them.
      const touchedGroups = new Set(
        events.filter((event) => event.resource_type === 'Group').map((event) => event.resource_id),
      )
      const expectedGroups = new Set(
        directory.groups
          .filter((group) => group.id === team.id || group.members.includes(deleted.id))
          .map((group) => target(group.id)),
      )
      assert.deepEqual([...touchedGroups].sort(), [...expectedGroups].sort())

      // Final state in Roster.
      const get = async (id: string) => (await tenant.scim('GET', `/Users/${target(id)}`)).body
      assert.equal((await get(edited.id)).title, 'Principal Widget Engineer')
      assert.equal((await get(moved.id))[ENTERPRISE].manager.value, target(ceo.id))
      assert.equal((await get(leaving.id)).active, false)
      assert.equal((await tenant.scim('GET', `/Users/${target(deleted.id)}`)).status, 404)
      const teamGroup = (await tenant.scim('GET', `/Groups/${target(team.id)}`)).body
      // biome-ignore lint/suspicious/noExplicitAny: SCIM members
      const members = teamGroup.members.map((member: any) => member.value)
      assert.ok(members.includes(target(joining.id)))
      assert.ok(!members.includes(target(dropped)))

      const logs = await queryLogEntries(db, jobId, { cycleId: cycle.id })
      const entry = (id: string) => logs.find((log) => log.sourceId === id)
      assert.equal(entry(edited.id)?.action, 'update')
      assert.deepEqual(entry(edited.id)?.modified, [
        { name: 'title', old: oldTitle, new: 'Principal Widget Engineer' },
      ])
      assert.equal(entry(leaving.id)?.action, 'disable')
      assert.equal(entry(recycled.id)?.action, 'disable')
      assert.equal((await get(recycled.id)).active, false)
      assert.equal(entry(deleted.id)?.action, 'delete')
      directory = next
    })

    it('a cycle with nothing changed in the source sends nothing', async () => {
      const [newest] = await listAuditEvents(db, tenant.tenant.id, { limit: 1 })
      const { cycle, progress } = await runCycle(db, jobId, { trigger: 'manual', retry: FAST_RETRY })
      assert.equal(cycle.kind, 'on-demand')
      assert.equal(cycle.processed, 0)
      assert.equal(progress.total, 0)
      const [after] = await listAuditEvents(db, tenant.tenant.id, { limit: 1 })
      assert.equal(after!.seq, newest!.seq)
    })
  })
