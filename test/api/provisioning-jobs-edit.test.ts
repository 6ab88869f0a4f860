/**
 * Changing and deleting provisioning jobs through the admin API (docs/admin-api.md "Provisioning"):
 * PATCH validates as create does and restarts the job when the source, mappings or scope change;
 * DELETE takes the job's links, cycles and logs with it and waits for a running cycle. Roles,
 * tenant isolation, and the secret token never in an answer.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ProgressTracker } from '../../src/provisioning/engine/cycle-progress.js'
import { setNeedsInitial } from '../../src/provisioning/jobs/jobs-repository.js'
import { startCycle } from '../../src/provisioning/state/cycles-repository.js'
import type { Db } from '../../src/store/database.js'
import { directoryFile, trimmedSample } from '../provisioning/engine/fixtures.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { type ApiClient, type ApiResponse, assertApiError, invited, owner } from './api-client.js'

const USERS = 20
const NEW_TOKEN = 'rst_replacement-secret-0123456789abcdefghijklmnop'
const JOB_TABLES = ['provisioning_links', 'provisioning_cycles', 'provisioning_log_entries'] as const

for (const database of TEST_DATABASES) {
  describe(`changing and deleting provisioning jobs over the admin API [${database}]`, () => {
    let server: TestServer
    let db: Db
    let acme: TestTenant
    let admin: ApiClient
    let viewer: ApiClient
    let stranger: ApiClient
    let source: ReturnType<typeof directoryFile>
    let otherSource: ReturnType<typeof directoryFile>
    let jobId: string
    /** Every answer of the suite, to check that no secret token is ever in one. */
    const answers: ApiResponse[] = []
    const seen = async (pending: Promise<ApiResponse>) => {
      const response = await pending
      answers.push(response)
      return response
    }

    const jobBody = (overrides: Record<string, unknown> = {}) => ({
      name: 'Aurora → Roster',
      source: { kind: 'file', path: source.path },
      targetUrl: server.scimUrl,
      targetToken: acme.token,
      settings: { rateLimitPerSecond: 1000, concurrency: 8 },
      ...overrides,
    })
    const newJob = async (overrides: Record<string, unknown> = {}) => {
      const created = await seen(admin.post('/provisioning/jobs', jobBody(overrides)))
      assert.equal(created.status, 201, created.text)
      return created.body.id as string
    }
    const show = async (id: string) => {
      const shown = await seen(admin.get(`/provisioning/jobs/${id}`))
      assert.equal(shown.status, 200, shown.text)
      return shown.body
    }
    /** The job as stored: without the live progress, whose elapsed time keeps counting. */
    const stored = async (id: string) => {
      const { progress: _, ...job } = await show(id)
      return job
    }
    const patch = async (id: string, body: unknown) => {
      const patched = await seen(admin.patch(`/provisioning/jobs/${id}`, body))
      assert.equal(patched.status, 200, patched.text)
      return patched.body
    }
    const rowsOf = async (id: string) => {
      const counts: Record<string, number> = {}
      for (const table of JOB_TABLES) {
        const row = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('count'))
          .where('job_id', '=', id)
          .executeTakeFirstOrThrow()
        counts[table] = Number(row.count)
      }
      return counts
    }

    before(async () => {
      server = await startTestServer({}, { database })
      db = server.server.db
      acme = await server.addTenant('acme')
      const globex = await server.addTenant('globex')
      const boss = await owner(server, acme.tenant.id, 'boss@acme.test')
      admin = await invited(server, boss, 'admin@acme.test', 'admin')
      viewer = await invited(server, admin, 'viewer@acme.test', 'viewer')
      stranger = await owner(server, globex.tenant.id, 'owner@globex.test')
      source = directoryFile(trimmedSample(USERS))
      otherSource = directoryFile(trimmedSample(5))
    })
    after(async () => {
      await server?.close()
      source?.remove()
      otherSource?.remove()
    })

    it('after a completed cycle, changing the name, target or settings keeps needsInitial false', async () => {
      jobId = await newJob()
      const started = await seen(admin.post(`/provisioning/jobs/${jobId}/sync-now`))
      assert.equal(started.status, 202, started.text)
      for (let tries = 0; tries < 600; tries += 1) {
        const progress = await seen(admin.get(`/provisioning/jobs/${jobId}/progress`))
        const latest = progress.body.latestCycle
        if (progress.body.progress?.phase === 'done' && latest?.id === started.body.cycleId) {
          if (latest.status !== 'running') break
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const synced = await show(jobId)
      assert.equal(synced.latestCycle.status, 'succeeded', JSON.stringify(synced.latestCycle))
      assert.equal(synced.needsInitial, false)

      const renamed = await patch(jobId, { name: 'Aurora → Roster (HR)' })
      assert.equal(renamed.name, 'Aurora → Roster (HR)')
      assert.equal(renamed.needsInitial, false)
      assert.ok(renamed.updatedAt > synced.updatedAt, `${renamed.updatedAt} after ${synced.updatedAt}`)
      assert.equal(renamed.targetToken, undefined)
      assert.equal(renamed.targetTokenHint, `${acme.token.slice(0, 6)}…`)

      const tuned = await patch(jobId, { settings: { intervalMinutes: 5, deprovision: 'disable' } })
      assert.deepEqual(tuned.settings, {
        ...synced.settings,
        intervalMinutes: 5,
        deprovision: 'disable',
      })
      assert.equal(tuned.needsInitial, false)

      const retargeted = await patch(jobId, { targetUrl: `${server.scimUrl}/`, targetToken: NEW_TOKEN })
      assert.equal(retargeted.targetUrl, `${server.scimUrl}/`)
      assert.equal(retargeted.targetTokenHint, `${NEW_TOKEN.slice(0, 6)}…`)
      assert.equal(retargeted.needsInitial, false)

      const same = await patch(jobId, { scope: synced.scope, source: synced.source })
      assert.equal(same.needsInitial, false, 'saving the same scope and source again changes nothing')
      const shown = await show(jobId)
      assert.equal(shown.name, 'Aurora → Roster (HR)')
      assert.equal(shown.state, synced.state)
      assert.deepEqual(shown.mappings, synced.mappings)
    })

    it('changing the source, the mappings or the scope makes the next cycle an initial one', async () => {
      const current = await show(jobId)
      const withoutTitle = {
        users: current.mappings.users.filter((mapping: { target: string }) => mapping.target !== 'title'),
        groups: current.mappings.groups,
      }
      const changes: Array<[string, Record<string, unknown>]> = [
        ['source', { source: { kind: 'file', path: otherSource.path } }],
        ['mappings', { mappings: withoutTitle }],
        ['scope', { scope: { mode: 'assigned', groupIds: ['engineering'] } }],
      ]
      for (const [what, body] of changes) {
        await setNeedsInitial(db, jobId, false)
        assert.equal((await show(jobId)).needsInitial, false)
        const patched = await patch(jobId, body)
        assert.equal(patched.needsInitial, true, `a new ${what} restarts the job`)
        assert.deepEqual(patched[what], body[what])
      }
      const shown = await show(jobId)
      assert.equal(shown.source.path, otherSource.path)
      assert.equal(shown.mappings.users.length, current.mappings.users.length - 1)
      assert.equal(shown.scope.mode, 'assigned')
      assert.equal((await rowsOf(jobId))['provisioning_links']! > 0, true, 'the links are kept')
    })

    it('bad changes and unknown fields are a 400 naming the field, and change nothing', async () => {
      const before = await stored(jobId)
      const badMappings = {
        users: [{ type: 'expression', expression: 'Join(', target: 'userName' }],
        groups: [],
      }
      const rows: Array<[unknown, string]> = [
        [{ mappings: badMappings }, 'mappings.users'],
        [{ name: 'Renamed too', mappings: badMappings }, 'mappings.users'],
        [{ mappings: { users: [] } }, 'mappings.groups'],
        [
          {
            scope: {
              mode: 'all',
              scopingFilters: [{ title: 'x', clauses: [{ attribute: 'department', operator: 'NOPE' }] }],
            },
          },
          'scope.scopingFilters',
        ],
        [{ scope: { mode: 'some' } }, 'scope.mode'],
        [{ settings: { intervalMinutes: 0 } }, 'settings.intervalMinutes'],
        [{ settings: { deprovision: 'shred' } }, 'settings.deprovision'],
        [{ settings: 'fast' }, 'settings'],
        [{ name: '' }, 'name'],
        [{ name: null }, 'name'],
        [{ source: { kind: 'ldap', path: 'x' } }, 'source.kind'],
        [{ source: { kind: 'file' } }, 'source.path'],
        [{ targetUrl: 'ftp://example.test/scim' }, 'targetUrl'],
        [{ targetToken: '' }, 'targetToken'],
        [{ name: 'Renamed too', colour: 'red' }, 'colour'],
        [{ state: 'on' }, 'state'],
        [{ needsInitial: false }, 'needsInitial'],
        [{ id: 'another-id' }, 'id'],
        [{ targetTokenHint: 'rst_ab…' }, 'targetTokenHint'],
      ]
      for (const [body, field] of rows) {
        const response = await seen(admin.patch(`/provisioning/jobs/${jobId}`, body))
        assertApiError(response, 400, 'invalidValue', field)
      }
      assertApiError(await seen(admin.patch(`/provisioning/jobs/${jobId}`, ['name'])), 400, 'invalidJson')
      assert.deepEqual(await stored(jobId), before)
    })

    it('a viewer may not change or delete a job (403)', async () => {
      const before = await stored(jobId)
      assertApiError(
        await seen(viewer.patch(`/provisioning/jobs/${jobId}`, { name: 'mine' })),
        403,
        'forbidden',
      )
      assertApiError(await seen(viewer.delete(`/provisioning/jobs/${jobId}`)), 403, 'forbidden')
      assert.deepEqual(await stored(jobId), before)
    })

    it("another tenant's job, and an unknown one, is not found for PATCH and DELETE (404)", async () => {
      const before = await stored(jobId)
      assertApiError(
        await seen(stranger.patch(`/provisioning/jobs/${jobId}`, { name: 'ours now' })),
        404,
        'notFound',
      )
      assertApiError(await seen(stranger.delete(`/provisioning/jobs/${jobId}`)), 404, 'notFound')
      assertApiError(
        await seen(admin.patch('/provisioning/jobs/no-such-job', { name: 'x' })),
        404,
        'notFound',
      )
      assertApiError(await seen(admin.delete('/provisioning/jobs/no-such-job')), 404, 'notFound')
      assert.deepEqual(await stored(jobId), before)
    })

    it('DELETE is a 409 while a cycle of the job runs, and goes through once it is done', async () => {
      const busy = await newJob({ name: 'busy' })
      // What runCycle registers while it works: a cycle row and its live progress.
      const tracker = new ProgressTracker(await startCycle(db, busy, 'incremental'))
      const refused = await seen(admin.delete(`/provisioning/jobs/${busy}`))
      assertApiError(refused, 409, 'conflict')
      assert.match(refused.body.detail, /running/)
      assert.equal((await show(busy)).name, 'busy')
      assert.equal((await rowsOf(busy))['provisioning_cycles'], 1)
      tracker.phase = 'done'
      const deleted = await seen(admin.delete(`/provisioning/jobs/${busy}`))
      assert.equal(deleted.status, 204, deleted.text)
      assert.deepEqual(await rowsOf(busy), {
        provisioning_links: 0,
        provisioning_cycles: 0,
        provisioning_log_entries: 0,
      })
    })

    it('DELETE answers 204 and takes the links, cycles and log entries with the job', async () => {
      const kept = await newJob({ name: 'kept' })
      await startCycle(db, kept, 'incremental')
      const rows = await rowsOf(jobId)
      for (const table of JOB_TABLES) assert.ok(rows[table]! > 0, `${table} has rows of the job before`)

      const deleted = await seen(admin.delete(`/provisioning/jobs/${jobId}`))
      assert.equal(deleted.status, 204, deleted.text)
      assert.equal(deleted.text, '')
      assertApiError(await seen(admin.get(`/provisioning/jobs/${jobId}`)), 404, 'notFound')
      assertApiError(await seen(admin.get(`/provisioning/jobs/${jobId}/logs`)), 404, 'notFound')
      assertApiError(await seen(admin.delete(`/provisioning/jobs/${jobId}`)), 404, 'notFound')
      assert.deepEqual(await rowsOf(jobId), {
        provisioning_links: 0,
        provisioning_cycles: 0,
        provisioning_log_entries: 0,
      })
      const job = await db
        .selectFrom('provisioning_jobs')
        .select('id')
        .where('id', '=', jobId)
        .executeTakeFirst()
      assert.equal(job, undefined)

      const listed = await seen(admin.get('/provisioning/jobs'))
      assert.deepEqual(
        listed.body.items.map((one: { id: string }) => one.id),
        [kept],
      )
      assert.equal((await rowsOf(kept))['provisioning_cycles'], 1, "another job's cycles are left alone")
    })

    it('no answer ever holds a secret token', () => {
      assert.ok(answers.length > 40, `${answers.length} answers checked`)
      for (const answer of answers) {
        assert.ok(!answer.text.includes(acme.token), answer.text)
        assert.ok(!answer.text.includes(NEW_TOKEN), answer.text)
        assert.ok(!answer.text.includes(NEW_TOKEN.slice(4, 24)), answer.text)
      }
    })
  })
}
