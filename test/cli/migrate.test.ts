import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { KNOWN_MIGRATIONS } from '../../src/store/migrate.js'
import { openStore } from '../../src/store/open.js'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js'
import { spawnRoster, startRoster } from './serve-process.js'

const run = promisify(execFile)

for (const kind of TEST_DATABASES) {
  describe(`roster migrate and serve's schema check (${kind})`, () => {
    let database: TestDatabase
    const env = () => ({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' })
    const roster = async (...args: string[]) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
        env: { ...process.env, ...env() },
      })
      return stdout
    }
    const rosterFails = async (...args: string[]) => {
      try {
        await roster(...args)
      } catch (error) {
        return error as { code: number; stderr: string }
      }
      throw new Error(`roster ${args.join(' ')} succeeded`)
    }

    before(async () => {
      database = await createTestDatabase(kind)
    })
    after(() => database.drop())

    it('serve --no-migrate refuses an unmigrated database and names the command to run', async () => {
      const serve = spawnRoster(['serve', '--no-migrate'], env())
      const { code } = await serve.exited
      assert.equal(code, 3)
      assert.match(serve.stderr(), /schema is behind this Roster: migration\(s\) 0001-initial, 0002-groups/)
      assert.match(serve.stderr(), /roster migrate/)
    })

    it('applies every pending migration and says which, then has nothing left to apply', async () => {
      const first = JSON.parse(await roster('migrate', '--json'))
      assert.deepEqual(first, { applied: [...KNOWN_MIGRATIONS], latest: KNOWN_MIGRATIONS.at(-1) })
      assert.deepEqual(JSON.parse(await roster('migrate', '--json')).applied, [])
      assert.match(await roster('migrate'), /nothing to apply; the schema is up to date/)
    })

    it('serve --no-migrate starts on a migrated database and stops cleanly on SIGTERM', async () => {
      const serve = await startRoster({ DATABASE_URL: database.url }, ['--no-migrate'])
      const health = await fetch(`${serve.url}/healthz`)
      assert.equal(health.status, 200)
      serve.child.kill('SIGTERM')
      assert.equal((await serve.exited).code, 0)
      await serve.logLine('shut down')
    })

    it('refuses, in serve and in migrate, a schema migrated by a newer Roster', async () => {
      const db = await openStore({ databaseUrl: database.url, migrate: false })
      try {
        await sql`insert into kysely_migration (name, timestamp) values (${'9999-from-the-future'}, ${new Date().toISOString()})`.execute(
          db,
        )
      } finally {
        await db.destroy()
      }
      // The default (migrating) start is refused as well: migrating would not make it readable.
      const serve = spawnRoster(['serve'], env())
      assert.equal((await serve.exited).code, 3)
      assert.match(
        serve.stderr(),
        /schema is newer than this Roster: it has migration\(s\) 9999-from-the-future/,
      )
      const migrate = await rosterFails('migrate')
      assert.equal(migrate.code, 3)
      assert.match(migrate.stderr, /9999-from-the-future/)
      const tenant = await rosterFails('tenant', 'list')
      assert.equal(tenant.code, 3)
    })
  })
}

describe('roster against a database it cannot reach', () => {
  it('says so in one line and exits 4', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const serve = spawnRoster(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/roster' })
    assert.equal((await serve.exited).code, 4)
    assert.match(
      serve.stderr(),
      /^roster: cannot reach the database \(connect ECONNREFUSED 127\.0\.0\.1:1\)\n$/,
    )
  })
})
