import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MEMBERS_PER_PATCH } from '../../../src/provisioning/engine/membership-batches.js'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import type { SourceConnector, SourceSnapshot } from '../../../src/provisioning/source/connector.js'
import { generateDirectory } from '../../../src/provisioning/source/generated-directory.js'
import { queryLogEntries } from '../../../src/provisioning/state/log-repository.js'
import { startTestServer, type TestServer, type TestTenant } from '../../support/server.js'
import { FAST_RETRY, jobStore } from './fixtures.js'

const connector = (snapshot: () => SourceSnapshot): SourceConnector => ({
  description: 'generated directory',
  readSnapshot: async () => snapshot(),
})

/**
 * A group far larger than one request may carry: Roster here accepts bodies of 64 KiB, so all
 * 2,000 members in one PATCH (about 100 KB) would be a 413. The engine sends them in slices.
 */
describe('groups with thousands of members', () => {
  let server: TestServer
  let tenant: TestTenant
  let store: Awaited<ReturnType<typeof jobStore>>
  let snapshot = generateDirectory({ users: 2_000, groups: 12, seed: 11 })
  let jobId: string
  const enabledUsers = () =>
    new Set(
      snapshot.users.filter((user) => user.attributes['accountEnabled'] !== false).map((user) => user.id),
    )
  const allStaff = () => snapshot.groups.find((group) => group.displayName === 'All staff')!

  const membersInRoster = async () => {
    const found = await tenant.scim(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "All staff"')}`,
    )
    assert.equal(found.status, 200, found.text)
    const group = await tenant.scim('GET', `/Groups/${found.body.Resources[0].id}`)
    return (group.body.members ?? []).length as number
  }

  before(async () => {
    server = await startTestServer({ BODY_LIMIT: '65536', RATE_LIMIT_MAX: '1000000' })
    tenant = await server.addTenant('large', 'rfc')
    store = await jobStore()
    const job = await createJob(store.db, {
      name: 'large groups',
      source: { kind: 'file', path: 'generated.json' },
      targetUrl: server.scimUrl,
      targetToken: tenant.token,
      settings: { rateLimitPerSecond: 10_000, concurrency: 8 },
    })
    jobId = job.id
  })
  after(async () => {
    await store?.close()
    await server?.close()
  })

  it('adds 2,000 members in requests of at most MEMBERS_PER_PATCH', async () => {
    const { cycle } = await runCycle(store.db, jobId, {
      connector: connector(() => snapshot),
      retry: FAST_RETRY,
    })
    assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
    assert.equal(cycle.counts.failure, 0)
    const enabled = enabledUsers()
    const expected = allStaff().members.filter((id) => enabled.has(id)).length
    assert.ok(expected > 3 * MEMBERS_PER_PATCH)
    assert.equal(await membersInRoster(), expected)
    const [entry] = await queryLogEntries(store.db, jobId, { cycleId: cycle.id, sourceId: allStaff().id })
    const action = entry!.steps.find((step) => step.name === 'action' && step.description.startsWith('PATCH'))
    assert.match(action!.description, new RegExp(`in \\d+ requests of at most ${MEMBERS_PER_PATCH} members`))
  })

  it('removes 1,500 members the next cycle the same way', async () => {
    const group = allStaff()
    const kept = group.members.slice(0, group.members.length - 1_500)
    snapshot = {
      ...snapshot,
      groups: snapshot.groups.map((other) => (other === group ? { ...group, members: kept } : other)),
    }
    const { cycle } = await runCycle(store.db, jobId, {
      connector: connector(() => snapshot),
      retry: FAST_RETRY,
    })
    assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
    assert.equal(cycle.counts.failure, 0)
    const enabled = enabledUsers()
    assert.equal(await membersInRoster(), kept.filter((id) => enabled.has(id)).length)
  })
})
