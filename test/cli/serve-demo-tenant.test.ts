import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { runCycle } from '../../src/provisioning/engine/run-cycle.js'
import { getJob } from '../../src/provisioning/jobs/jobs-repository.js'
import { openStore } from '../../src/store/open.js'
import { ApiClient, PASSWORD } from '../api/api-client.js'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { startRoster } from './serve-process.js'

describe('roster serve on a fresh database', () => {
  let database: TestDatabase

  before(async () => {
    database = await createTestDatabase('sqlite')
  })
  after(() => database.drop())

  it('creates tenant demo, prints its owner setup link in the log and on stderr, and a demo job that is Off', async () => {
    const serve = await startRoster({ DATABASE_URL: database.url })
    try {
      const line = await serve.logLine('created tenant demo: open the setup link to create its owner')
      const setupUrl = String(line.setupUrl)
      assert.ok(setupUrl.startsWith(`${serve.url}/setup#`), setupUrl)
      for (let i = 0; i < 50 && !serve.stderr().includes(setupUrl); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.ok(serve.stderr().includes(setupUrl), serve.stderr())
      const code = setupUrl.split('#')[1]
      const shown = await fetch(`${serve.url}/api/setup/${code}`)
      assert.equal(shown.status, 200)
      assert.deepEqual(await shown.json(), {
        tenant: { slug: 'demo', name: 'Demo Company' },
        role: 'owner',
        email: null,
      })

      // The demo provisioning job: Off, from the sample directory to this server's own SCIM.
      const created = await serve.logLine(
        'created the demo provisioning job (Off): `roster provision job start <job>` provisions the sample directory into tenant demo',
      )
      const db = await openStore({ databaseUrl: database.url, migrate: false })
      try {
        const job = await getJob(db, String(created.job))
        assert.ok(job, 'the demo job is stored')
        assert.equal(job.state, 'off')
        assert.equal(job.targetUrl, `${serve.url}/scim/v2`)
        assert.ok(existsSync(job.source.path), job.source.path)
        // It belongs to tenant demo: its owner sees it in the admin API, Off, without its token.
        const api = new ApiClient(`${serve.url}/api`)
        const signedUp = await api.post('/setup', {
          code,
          email: 'owner@demo.test',
          displayName: 'Owner',
          password: PASSWORD,
        })
        assert.equal(signedUp.status, 201, signedUp.text)
        const listed = await api.get('/provisioning/jobs')
        assert.equal(listed.status, 200, listed.text)
        assert.deepEqual(
          listed.body.items.map((item: { id: string; state: string }) => [item.id, item.state]),
          [[job.id, 'off']],
        )
        assert.ok(!listed.text.includes(job.targetToken), 'the token is never shown')
        // Switched on, its first cycle brings the sample directory's active people into tenant demo.
        const { cycle } = await runCycle(db, job.id, { trigger: 'manual' })
        assert.equal(cycle.status, 'succeeded', JSON.stringify(cycle))
        const users = await fetch(`${serve.url}/scim/v2/Users?count=0`, {
          headers: { authorization: `Bearer ${job.targetToken}` },
        })
        assert.equal(users.status, 200)
        assert.ok(((await users.json()) as { totalResults: number }).totalResults >= 290)
      } finally {
        await db.destroy()
      }
    } finally {
      serve.child.kill('SIGTERM')
      await serve.exited
    }
    // A second start finds the tenant and issues no new link.
    const again = await startRoster({ DATABASE_URL: database.url })
    try {
      assert.ok(!again.stdout().includes('created tenant demo'))
    } finally {
      again.child.kill('SIGTERM')
      await again.exited
    }
  })
})
