import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { startRoster } from './serve-process.js'

describe('roster serve on a fresh database', () => {
  let database: TestDatabase

  before(async () => {
    database = await createTestDatabase('sqlite')
  })
  after(() => database.drop())

  it('creates tenant demo and prints its owner setup link in the log and on stderr', async () => {
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
