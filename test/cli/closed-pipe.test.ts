import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { openStore } from '../../src/store/open.js'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'

/** `roster tenant list | head -1`: the reader leaves after one line; roster must not crash on EPIPE. */
describe('roster writing into a pipe that closes early', () => {
  let database: TestDatabase

  before(async () => {
    database = await createTestDatabase('sqlite')
    const db = await openStore({ databaseUrl: database.url })
    try {
      // Far more than a pipe buffer (64 KiB) of output, so the writes meet the closed pipe.
      const rows = Array.from({ length: 3_000 }, (_, n) => ({
        id: `tenant-${n}`,
        slug: `tenant-${n}`,
        name: `A company with a long enough name to fill the pipe quickly, number ${n}`,
        rules: 'rfc',
        created_at: new Date(0).toISOString(),
      }))
      for (let at = 0; at < rows.length; at += 500)
        await db
          .insertInto('tenants')
          .values(rows.slice(at, at + 500))
          .execute()
    } finally {
      await db.destroy()
    }
  })
  after(() => database.drop())

  it('exits 0 without a stack trace', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'tenant', 'list', '--json'],
      {
        env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)))
    assert.equal(stderr, '')
    assert.equal(code, 0)
  })
})
