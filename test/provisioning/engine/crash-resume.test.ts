import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { createJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import { listCycles } from '../../../src/provisioning/state/cycles-repository.js'
import { loadLinks } from '../../../src/provisioning/state/links-repository.js'
import type { Db } from '../../../src/store/database.js'
import { openStore } from '../../../src/store/open.js'
import { createTestDatabase, type TestDatabase } from '../../support/databases.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { assertTargetMatches, directoryFile, FAST_RETRY, trimmedSample } from './fixtures.js'

const CHILD = fileURLToPath(new URL('./cycle-child.ts', import.meta.url))

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The service is killed mid-cycle (issue 6, point 3): the next run resumes, nothing is created twice. */
describe('a provisioning service killed mid-cycle', () => {
  let target: FaultyScimTarget
  let database: TestDatabase
  let db: Db
  const directory = trimmedSample(40)
  const source = directoryFile(directory)

  before(async () => {
    target = await startFaultyScimTarget({ latencyMs: 20 })
    database = await createTestDatabase('sqlite')
    db = await openStore({ databaseUrl: database.url })
  })
  after(async () => {
    await target?.close()
    await db?.destroy()
    await database?.drop()
    source.remove()
  })

  it('resumes after SIGKILL without duplicates, including an account created just before the kill', async () => {
    const job = await createJob(db, {
      name: 'crash',
      source: { kind: 'file', path: source.path },
      targetUrl: target.url,
      targetToken: target.token,
      settings: { rateLimitPerSecond: 200, concurrency: 2 },
    })
    // The 12th POST is carried out, then its answer waits: the kill lands between the create and its link.
    target.inject({
      method: 'POST',
      path: '/Users',
      fault: { kind: 'delay', ms: 60_000, commitFirst: true },
      every: 12,
      times: 1,
    })
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, database.url, job.id], {
      stdio: 'inherit',
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    await until(() => target.requests.some((request) => request.fault === 'delay'), 'the delayed POST')
    await until(
      () => target.count('POST', '/Users') >= 13 || target.users.size >= 12,
      'the create to commit',
      5_000,
    ).catch(() => undefined)
    child.kill('SIGKILL')
    await exited
    const createdBeforeKill = target.users.size
    assert.ok(
      createdBeforeKill >= 12 && createdBeforeKill < 40,
      `killed mid-cycle (${createdBeforeKill} created)`,
    )
    const linksBeforeResume = await loadLinks(db, job.id)
    assert.ok(linksBeforeResume.size < createdBeforeKill, 'at least one account was created but not linked')

    const { cycle } = await runCycle(db, job.id, { retry: FAST_RETRY, timeoutMs: 5_000 })
    assert.equal(cycle.status, 'succeeded', cycle.message ?? '')
    assertTargetMatches(target, directory, await loadLinks(db, job.id))
    const cycles = await listCycles(db, job.id)
    const interrupted = cycles.find((candidate) => candidate.id !== cycle.id)
    assert.equal(interrupted?.status, 'failed')
    assert.match(interrupted?.message ?? '', /^interrupted/)
  })
})
