import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { createTestDatabase, type TestDatabase } from '../../support/databases.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { directoryFile, trimmedSample } from './fixtures.js'

const run = promisify(execFile)

/** `roster provision job …` end to end: a real CLI process, a SQLite file, a SCIM target on loopback. */
describe('roster provision job CLI', () => {
  let target: FaultyScimTarget
  let database: TestDatabase
  const source = directoryFile(trimmedSample(20))
  const roster = async (...args: string[]) =>
    (
      await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'provision', 'job', ...args], {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          LOG_LEVEL: 'silent',
          ROSTER_TARGET_TOKEN: target.token,
        },
      })
    ).stdout

  before(async () => {
    target = await startFaultyScimTarget()
    database = await createTestDatabase('sqlite')
  })
  after(async () => {
    await target?.close()
    await database?.drop()
    source.remove()
  })

  it('creates, tests, syncs and exports logs, and never prints the secret token', async () => {
    const outputs: string[] = []
    const cli = async (...args: string[]) => {
      const output = await roster(...args)
      outputs.push(output)
      return output
    }
    const created = JSON.parse(
      await cli(
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
    assert.equal(created.state, 'off')
    assert.equal(created.targetTokenHint, `${target.token.slice(0, 6)}…`)
    assert.equal(JSON.parse(await cli('list', '--json')).length, 1)
    assert.match(await cli('test', created.id), /^connection OK/)

    const synced = JSON.parse(await cli('sync-now', created.id, '--json'))
    assert.equal(synced.cycle.kind, 'initial')
    assert.equal(synced.cycle.status, 'succeeded')
    assert.equal(synced.progress.processed, synced.progress.total)
    assert.ok(target.users.size > 0)

    const csv = (await cli('logs', created.id, '--format', 'csv', '--limit', '1000')).trimEnd().split('\r\n')
    assert.match(
      csv[0]!,
      /^id,at,cycleId,objectType,sourceId,displayName,targetId,action,status,errorCode,message,modified,steps/,
    )
    assert.equal(csv.length - 1, synced.cycle.processed)
    const creates = JSON.parse(
      await cli('logs', created.id, '--action', 'create', '--format', 'json', '--limit', '1000'),
    )
    assert.equal(creates.length, synced.cycle.counts.create)
    assert.deepEqual(JSON.parse(await cli('logs', created.id, '--status', 'failure', '--format', 'json')), [])
    const shown = JSON.parse(await cli('show', created.id, '--json'))
    assert.equal(shown.cycles[0].id, synced.cycle.id)
    assert.match(await cli('restart', created.id), /next cycle is an initial cycle/)
    for (const output of outputs) assert.ok(!output.includes(target.token), 'the token is never printed')
  })
})
