import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { openStore } from '../../../src/store/open.js'
import { createTestDatabase, type TestDatabase } from '../../support/databases.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { directoryFile, trimmedSample } from './fixtures.js'

const run = promisify(execFile)
const NEW_TOKEN = 'rst_replacement-secret-0123456789abcdefghijklmnop'

/** `roster provision job update|delete` end to end: a real CLI process, a SQLite file, a SCIM target on loopback. */
describe('roster provision job update and delete', () => {
  let target: FaultyScimTarget
  let database: TestDatabase
  let jobId: string
  const source = directoryFile(trimmedSample(10))
  const otherSource = directoryFile(trimmedSample(3))
  const outputs: string[] = []
  const env = () => ({
    ...process.env,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ROSTER_TARGET_TOKEN: target.token,
    ROSTER_NEW_TOKEN: NEW_TOKEN,
  })
  const roster = async (...args: string[]) => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'provision', 'job', ...args],
      { env: env() },
    )
    outputs.push(stdout)
    return stdout
  }
  /** A refused command: exit code 2 and one line on stderr. */
  const refused = async (...args: string[]) => {
    const failure = await roster(...args).then(
      () => assert.fail(`roster provision job ${args.join(' ')} should have failed`),
      (error: { code?: number; stdout: string; stderr: string }) => error,
    )
    outputs.push(failure.stdout, failure.stderr)
    assert.equal(failure.code, 2, failure.stderr)
    return failure.stderr
  }
  const show = async (id: string) => JSON.parse(await roster('show', id, '--json')).job
  /** Rows of the job in each of its tables, read straight from the database file. */
  const rowsOf = async (id: string) => {
    const db = await openStore({ databaseUrl: database.url })
    try {
      const counts: Record<string, number> = {}
      for (const table of ['provisioning_links', 'provisioning_cycles', 'provisioning_log_entries'] as const)
        counts[table] = (
          await db.selectFrom(table).select('job_id').where('job_id', '=', id).execute()
        ).length
      return counts
    } finally {
      await db.destroy()
    }
  }

  before(async () => {
    target = await startFaultyScimTarget()
    database = await createTestDatabase('sqlite')
  })
  after(async () => {
    await target?.close()
    await database?.drop()
    source.remove()
    otherSource.remove()
  })

  it('update changes only the options given; a new scope or source makes the next cycle initial', async () => {
    const created = JSON.parse(
      await roster(
        'create',
        '--name',
        'demo',
        '--source',
        source.path,
        '--target-url',
        target.url,
        '--rate-limit',
        '200',
        '--json',
      ),
    )
    jobId = created.id
    const synced = JSON.parse(await roster('sync-now', jobId, '--json'))
    assert.equal(synced.cycle.status, 'succeeded')
    assert.equal((await show(jobId)).needsInitial, false)

    const renamed = JSON.parse(
      await roster(
        'update',
        jobId,
        '--name',
        'HR → app',
        '--interval',
        '5',
        '--deprovision',
        'disable',
        '--json',
      ),
    )
    assert.equal(renamed.name, 'HR → app')
    assert.deepEqual(renamed.settings, { ...created.settings, intervalMinutes: 5, deprovision: 'disable' })
    assert.equal(renamed.targetUrl, created.targetUrl)
    assert.equal(renamed.needsInitial, false)
    assert.equal(renamed.targetToken, undefined)

    assert.equal(await roster('update', jobId, '--token-env', 'ROSTER_NEW_TOKEN'), `job ${jobId} updated\n`)
    assert.equal((await show(jobId)).targetTokenHint, `${NEW_TOKEN.slice(0, 6)}…`)

    assert.equal(
      await roster('update', jobId, '--scope', 'assigned', '--group', 'g1', 'g2'),
      `job ${jobId} updated; the next cycle is an initial cycle (links kept)\n`,
    )
    const scoped = await show(jobId)
    assert.deepEqual(scoped.scope, { ...created.scope, mode: 'assigned', groupIds: ['g1', 'g2'] })
    assert.equal(scoped.needsInitial, true)
    assert.equal(scoped.name, 'HR → app')

    const moved = JSON.parse(await roster('update', jobId, '--source', otherSource.path, '--json'))
    assert.equal(moved.source.path, otherSource.path)
    assert.equal(moved.needsInitial, true)
  })

  it('update refuses bad values, an unknown job and nothing to change, and changes nothing', async () => {
    const before = await show(jobId)
    assert.match(await refused('update', jobId), /nothing to change/)
    assert.match(await refused('update', jobId, '--interval', '0'), /intervalMinutes must be at least 1/)
    assert.match(await refused('update', jobId, '--scope', 'some'), /--scope must be one of all, assigned/)
    assert.match(await refused('update', jobId, '--target-url', 'ftp://x'), /tenant URL must start with http/)
    assert.match(await refused('update', jobId, '--name', ' ', '--interval', '7'), /a job needs a name/)
    assert.match(
      await refused('update', jobId, '--token-env', 'ROSTER_NO_SUCH_VARIABLE'),
      /environment variable ROSTER_NO_SUCH_VARIABLE/,
    )
    assert.match(await refused('update', 'no-such-job', '--name', 'x'), /no provisioning job no-such-job/)
    assert.deepEqual(await show(jobId), before)
  })

  it('delete wants --yes, then removes the job with its links, cycles and logs', async () => {
    for (const [table, count] of Object.entries(await rowsOf(jobId)))
      assert.ok(count > 0, `${table} holds rows of the job before`)
    assert.match(await refused('delete', jobId), /--yes/)
    assert.equal(JSON.parse(await roster('list', '--json')).length, 1, 'nothing deleted without --yes')
    assert.match(await refused('delete', 'no-such-job', '--yes'), /no provisioning job no-such-job/)

    assert.deepEqual(JSON.parse(await roster('delete', jobId, '--yes', '--json')), {
      id: jobId,
      deleted: true,
    })
    assert.deepEqual(JSON.parse(await roster('list', '--json')), [])
    assert.match(await refused('show', jobId), /no provisioning job/)
    assert.match(await refused('delete', jobId, '--yes'), /no provisioning job/)
    const db = await openStore({ databaseUrl: database.url })
    try {
      for (const table of [
        'provisioning_links',
        'provisioning_cycles',
        'provisioning_log_entries',
      ] as const) {
        const rows = await db.selectFrom(table).select('job_id').where('job_id', '=', jobId).execute()
        assert.deepEqual(rows, [], `${table} holds nothing of the job`)
      }
    } finally {
      await db.destroy()
    }
  })

  it('never prints a secret token', () => {
    for (const output of outputs) {
      assert.ok(!output.includes(target.token), 'the target token is never printed')
      assert.ok(!output.includes(NEW_TOKEN), 'the new token is never printed')
    }
  })
})
