/**
 * Provisioning jobs through the admin API (docs/admin-api.md "Provisioning"): a job created by an
 * admin against the same server's SCIM, Test Connection, sync now with progress, logs and their
 * exports, provisioning on demand, roles, tenant isolation, and bad input that names the field.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type DirectoryJson, directoryFile, trimmedSample } from '../provisioning/engine/fixtures.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { type ApiClient, assertApiError, invited, owner } from './api-client.js'

const USERS = 30

for (const database of TEST_DATABASES) {
  describe(`provisioning jobs over the admin API [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let boss: ApiClient
    let admin: ApiClient
    let viewer: ApiClient
    let stranger: ApiClient
    let directory: DirectoryJson
    let source: ReturnType<typeof directoryFile>
    let jobId: string
    let cycleId: string

    const jobBody = (overrides: Record<string, unknown> = {}) => ({
      name: 'Aurora → Roster',
      source: { kind: 'file', path: source.path },
      targetUrl: server.scimUrl,
      targetToken: acme.token,
      settings: { rateLimitPerSecond: 1000, concurrency: 8 },
      ...overrides,
    })

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
      const globex = await server.addTenant('globex')
      boss = await owner(server, acme.tenant.id, 'boss@acme.test')
      admin = await invited(server, boss, 'admin@acme.test', 'admin')
      viewer = await invited(server, admin, 'viewer@acme.test', 'viewer')
      stranger = await owner(server, globex.tenant.id, 'owner@globex.test')
      directory = trimmedSample(USERS)
      source = directoryFile(directory)
    })
    after(async () => {
      await server?.close()
      source?.remove()
    })

    it('bad input is a 400 naming the field, and creates nothing', async () => {
      const rows: Array<[Record<string, unknown>, string]> = [
        [jobBody({ name: '' }), 'name'],
        [jobBody({ name: 42 }), 'name'],
        [jobBody({ source: undefined }), 'source'],
        [jobBody({ source: { kind: 'ldap', path: 'x' } }), 'source.kind'],
        [jobBody({ source: { kind: 'file' } }), 'source.path'],
        [jobBody({ targetUrl: 'ftp://example.test/scim' }), 'targetUrl'],
        [jobBody({ targetToken: '' }), 'targetToken'],
        [jobBody({ mappings: { users: 'all', groups: [] } }), 'mappings.users'],
        [
          jobBody({
            mappings: {
              users: [{ type: 'expression', expression: 'Join(', target: 'userName' }],
              groups: [],
            },
          }),
          'mappings.users',
        ],
        [jobBody({ scope: { mode: 'some' } }), 'scope.mode'],
        [
          jobBody({
            scope: {
              mode: 'all',
              scopingFilters: [{ title: 'x', clauses: [{ attribute: 'department', operator: 'NOPE' }] }],
            },
          }),
          'scope.scopingFilters',
        ],
        [jobBody({ settings: 'fast' }), 'settings'],
        [jobBody({ settings: { intervalMinutes: 0 } }), 'settings.intervalMinutes'],
        [jobBody({ settings: { deprovision: 'shred' } }), 'settings.deprovision'],
      ]
      for (const [body, field] of rows) {
        const response = await admin.post('/provisioning/jobs', body)
        assertApiError(response, 400, 'invalidValue', field)
        assert.ok(!response.text.includes(acme.token), 'the token is never echoed')
      }
      assert.deepEqual((await admin.get('/provisioning/jobs')).body.items, [])
    })

    it('a viewer cannot create a job; an admin can, and the token is never shown', async () => {
      assertApiError(await viewer.post('/provisioning/jobs', jobBody()), 403, 'forbidden')
      const created = await admin.post('/provisioning/jobs', jobBody())
      assert.equal(created.status, 201, created.text)
      assert.equal(created.body.state, 'off')
      assert.equal(created.body.targetToken, undefined)
      assert.ok(!created.text.includes(acme.token))
      jobId = created.body.id
      const listed = await viewer.get('/provisioning/jobs')
      assert.equal(listed.status, 200)
      assert.deepEqual(
        listed.body.items.map((job: { id: string }) => job.id),
        [jobId],
      )
      assert.ok(!listed.text.includes(acme.token))
      const shown = await viewer.get(`/provisioning/jobs/${jobId}`)
      assert.equal(shown.status, 200, shown.text)
      assert.equal(shown.body.latestCycle, null)
      assert.ok(!shown.text.includes(acme.token))
    })

    it('Test Connection succeeds with the right token and says what to do with a wrong one', async () => {
      const ok = await admin.post(`/provisioning/jobs/${jobId}/test`)
      assert.equal(ok.status, 200, ok.text)
      assert.equal(ok.body.ok, true, ok.text)
      const wrongToken = 'rst_this-is-not-a-valid-token-0123456789abcdefghij'
      const wrong = await admin.post(
        '/provisioning/jobs',
        jobBody({ name: 'wrong', targetToken: wrongToken }),
      )
      assert.equal(wrong.status, 201, wrong.text)
      const failed = await admin.post(`/provisioning/jobs/${wrong.body.id}/test`)
      assert.equal(failed.status, 200, failed.text)
      assert.equal(failed.body.ok, false)
      assert.equal(failed.body.reason, 'unauthorized', failed.text)
      assert.match(failed.body.recommendedAction, /token/i)
      assert.ok(!failed.text.includes(wrongToken), 'the token is not in the answer')
      assert.ok(!failed.text.includes(wrongToken.slice(4, 20)))
    })

    it('a viewer cannot start a job or sync it; an admin switches it on and off', async () => {
      assertApiError(await viewer.post(`/provisioning/jobs/${jobId}/start`), 403, 'forbidden')
      assertApiError(await viewer.post(`/provisioning/jobs/${jobId}/sync-now`), 403, 'forbidden')
      const on = await admin.post(`/provisioning/jobs/${jobId}/start`)
      assert.equal(on.status, 200, on.text)
      assert.equal(on.body.state, 'on')
      const off = await admin.post(`/provisioning/jobs/${jobId}/stop`)
      assert.equal(off.body.state, 'off')
    })

    it('sync now answers 202 with the cycle; progress reaches done; the employees are in the tenant', async () => {
      const started = await admin.post(`/provisioning/jobs/${jobId}/sync-now`)
      assert.equal(started.status, 202, started.text)
      cycleId = started.body.cycleId
      assert.ok(cycleId)
      let latest: { id: string; status: string; kind: string } | null = null
      for (let tries = 0; tries < 600; tries += 1) {
        const progress = await viewer.get(`/provisioning/jobs/${jobId}/progress`)
        assert.equal(progress.status, 200, progress.text)
        latest = progress.body.latestCycle
        if (progress.body.progress?.phase === 'done' && latest?.id === cycleId && latest.status !== 'running')
          break
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      assert.equal(latest?.id, cycleId)
      assert.equal(latest?.kind, 'initial')
      assert.equal(latest?.status, 'succeeded', JSON.stringify(latest))
      const active = directory.users.filter((user) => user.attributes['accountEnabled'] !== false)
      const users = await acme.scim('GET', '/Users?count=1')
      assert.equal(users.body.totalResults, active.length)
      const cycles = await viewer.get(`/provisioning/jobs/${jobId}/cycles`)
      assert.deepEqual(
        cycles.body.items.map((cycle: { id: string }) => cycle.id),
        [cycleId],
      )
      const shown = await viewer.get(`/provisioning/jobs/${jobId}`)
      assert.equal(shown.body.latestCycle.id, cycleId)
      assert.equal(shown.body.needsInitial, false)
    })

    it('logs filter by action, status, object and cycle; bad filters name the field', async () => {
      const created = await viewer.get(
        `/provisioning/jobs/${jobId}/logs?action=create&status=success&limit=1000`,
      )
      assert.equal(created.status, 200, created.text)
      assert.ok(created.body.items.length >= USERS - 5, `${created.body.items.length} create entries`)
      for (const entry of created.body.items) {
        assert.equal(entry.action, 'create')
        assert.equal(entry.status, 'success')
        assert.equal(entry.cycleId, cycleId)
      }
      const someone = directory.users[3]!.id
      const one = await viewer.get(`/provisioning/jobs/${jobId}/logs?object=${someone}&cycle=${cycleId}`)
      assert.equal(one.body.items.length, 1)
      assert.deepEqual(one.body.items[0].steps.map((step: { name: string }) => step.name).slice(0, 2), [
        'import',
        'scoping',
      ])
      const limited = await viewer.get(`/provisioning/jobs/${jobId}/logs?limit=2`)
      assert.equal(limited.body.items.length, 2)
      const none = await viewer.get(`/provisioning/jobs/${jobId}/logs?status=failure`)
      assert.deepEqual(none.body.items, [])
      const future = await viewer.get(`/provisioning/jobs/${jobId}/logs?from=2999-01-01T00:00:00Z`)
      assert.deepEqual(future.body.items, [])
      assertApiError(
        await viewer.get(`/provisioning/jobs/${jobId}/logs?action=explode`),
        400,
        'invalidValue',
        'action',
      )
      assertApiError(
        await viewer.get(`/provisioning/jobs/${jobId}/logs?status=meh`),
        400,
        'invalidValue',
        'status',
      )
      assertApiError(
        await viewer.get(`/provisioning/jobs/${jobId}/logs?limit=0`),
        400,
        'invalidValue',
        'limit',
      )
      assertApiError(
        await viewer.get(`/provisioning/jobs/${jobId}/logs?from=yesterday`),
        400,
        'invalidValue',
        'from',
      )
    })

    it('exports the logs as CSV (header and one row per entry) and as JSON', async () => {
      const csv = await viewer.get(`/provisioning/jobs/${jobId}/logs.csv?action=create`)
      assert.equal(csv.status, 200, csv.text)
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/)
      assert.match(csv.headers.get('content-disposition') ?? '', /attachment/)
      const lines = csv.text.trimEnd().split('\r\n')
      assert.ok(lines[0]!.startsWith('id,at,cycleId,objectType,sourceId'), lines[0])
      const json = await viewer.get(`/provisioning/jobs/${jobId}/logs.json?action=create`)
      assert.equal(json.status, 200)
      assert.ok(Array.isArray(json.body))
      assert.equal(lines.length, json.body.length + 1)
      assert.ok(!csv.text.includes(acme.token) && !json.text.includes(acme.token))
    })

    it('provisions one user on demand, through the same steps, with the action taken', async () => {
      const user = directory.users[5]!
      user.attributes['jobTitle'] = 'Chief Provisioning Officer'
      source.write(directory)
      assertApiError(
        await viewer.post(`/provisioning/jobs/${jobId}/provision-on-demand`, { sourceId: user.id }),
        403,
        'forbidden',
      )
      assertApiError(
        await admin.post(`/provisioning/jobs/${jobId}/provision-on-demand`, {}),
        400,
        'invalidValue',
        'sourceId',
      )
      assertApiError(
        await admin.post(`/provisioning/jobs/${jobId}/provision-on-demand`, { sourceId: 'nobody' }),
        400,
        'invalidValue',
        'sourceId',
      )
      const result = await admin.post(`/provisioning/jobs/${jobId}/provision-on-demand`, {
        sourceId: user.id,
      })
      assert.equal(result.status, 200, result.text)
      assert.equal(result.body.action, 'update', result.text)
      assert.equal(result.body.status, 'success', result.text)
      assert.ok(result.body.steps.some((step: { name: string }) => step.name === 'action'))
      assert.ok(
        result.body.modified.some((property: { new: unknown }) =>
          JSON.stringify(property).includes('Chief Provisioning Officer'),
        ),
        JSON.stringify(result.body.modified),
      )
      const target = await acme.scim('GET', `/Users/${result.body.targetId}`)
      assert.equal(target.body.title, 'Chief Provisioning Officer')
      const cycles = await viewer.get(`/provisioning/jobs/${jobId}/cycles`)
      assert.equal(cycles.body.items[0].id, result.body.cycleId)
      assert.equal(cycles.body.items[0].kind, 'on-demand')
    })

    it('restart and reset make the next cycle an initial one', async () => {
      const restarted = await admin.post(`/provisioning/jobs/${jobId}/restart`)
      assert.equal(restarted.status, 200, restarted.text)
      assert.equal(restarted.body.needsInitial, true)
      const reset = await admin.post(`/provisioning/jobs/${jobId}/reset`)
      assert.equal(reset.body.needsInitial, true)
      assertApiError(await viewer.post(`/provisioning/jobs/${jobId}/reset`), 403, 'forbidden')
    })

    it("another tenant's admin cannot see or run the job (404)", async () => {
      assert.deepEqual((await stranger.get('/provisioning/jobs')).body.items, [])
      for (const path of ['', '/cycles', '/progress', '/logs', '/logs.csv', '/logs.json'])
        assertApiError(await stranger.get(`/provisioning/jobs/${jobId}${path}`), 404, 'notFound')
      for (const action of ['test', 'start', 'stop', 'restart', 'reset', 'sync-now'])
        assertApiError(await stranger.post(`/provisioning/jobs/${jobId}/${action}`), 404, 'notFound')
      assertApiError(
        await stranger.post(`/provisioning/jobs/${jobId}/provision-on-demand`, {
          sourceId: directory.users[0]!.id,
        }),
        404,
        'notFound',
      )
      assert.equal((await viewer.get(`/provisioning/jobs/${jobId}`)).body.state, 'off')
    })
  })
}
