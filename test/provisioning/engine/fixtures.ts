import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import type { ProvisioningJob } from '../../../src/provisioning/jobs/job-config.js'
import { createJob, type NewJob } from '../../../src/provisioning/jobs/jobs-repository.js'
import type { Db } from '../../../src/store/database.js'
import { openStore } from '../../../src/store/open.js'
import { createTestDatabase } from '../../support/databases.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'

/** The directory file as the tests edit it: plain JSON (the sample's shape). */
export interface DirectoryJson {
  users: Array<{ id: string; attributes: Record<string, unknown>; softDeleted?: boolean }>
  groups: Array<{ id: string; displayName: string; attributes: Record<string, unknown>; members: string[] }>
}

export function loadSample(): DirectoryJson {
  const { users, groups } = JSON.parse(
    readFileSync(new URL('../../../samples/directory.json', import.meta.url), 'utf8'),
  )
  return { users, groups }
}

/** The first `count` users of the sample (managers outside the cut dropped) and the groups, trimmed to them. */
export function trimmedSample(count: number): DirectoryJson {
  const sample = loadSample()
  const users = sample.users.slice(0, count)
  const kept = new Set(users.map((user) => user.id))
  for (const user of users) {
    if (typeof user.attributes['manager'] === 'string' && !kept.has(user.attributes['manager']))
      delete user.attributes['manager']
  }
  const groups = sample.groups.map((group) => ({
    ...group,
    members: group.members.filter((id) => kept.has(id) || sample.groups.some((g) => g.id === id)),
  }))
  return { users, groups }
}

/** A temp directory holding `directory.json`; `write` replaces the file (the "source change"). */
export function directoryFile(initial: DirectoryJson): {
  path: string
  write(next: DirectoryJson): void
  remove(): void
} {
  const dir = mkdtempSync(join(tmpdir(), 'roster-source-'))
  const path = join(dir, 'directory.json')
  const write = (next: DirectoryJson) => writeFileSync(path, JSON.stringify(next, null, 1))
  write(initial)
  return { path, write, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The provisioning service's own store when the target is not a Roster: a fresh SQLite file. */
export async function jobStore(): Promise<{ db: Db; close(): Promise<void> }> {
  const database = await createTestDatabase('sqlite')
  const db = await openStore({ databaseUrl: database.url })
  return {
    db,
    async close() {
      await db.destroy()
      await database.drop()
    },
  }
}

export const clone = <T>(value: T): T => structuredClone(value)

/** Fast retries for tests: the real policy, shorter waits. */
export const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 2_000, maxAttempts: 6 }

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const active = (directory: DirectoryJson) =>
  directory.users.filter((user) => user.attributes['accountEnabled'] !== false && !user.softDeleted)

/** Every active user once, with the right manager; every group once, with the right members. */
export function assertTargetMatches(
  target: FaultyScimTarget,
  directory: DirectoryJson,
  links: Map<string, { targetId: string }>,
): void {
  const targetOf = (id: string) => (links.get(`user:${id}`) ?? links.get(`group:${id}`))?.targetId
  const people = active(directory)
  assert.equal(target.users.size, people.length, 'one account per active user')
  for (const person of people) {
    const named = target.usersNamed(String(person.attributes['userPrincipalName']))
    assert.equal(named.length, 1, `${person.attributes['userPrincipalName']} exists exactly once`)
    const manager = person.attributes['manager']
    assert.equal(
      named[0]![ENTERPRISE]?.manager?.value,
      typeof manager === 'string' ? targetOf(manager) : undefined,
    )
  }
  assert.equal(target.groups.size, directory.groups.length, 'one group per source group')
  const wanted = new Set([...people.map((user) => user.id), ...directory.groups.map((group) => group.id)])
  for (const group of directory.groups) {
    const stored = target.groups.get(targetOf(group.id)!)
    assert.ok(stored, group.displayName)
    const members = (stored['members'] ?? []).map((member: { value: string }) => member.value).sort()
    assert.deepEqual(
      members,
      group.members
        .filter((id) => wanted.has(id))
        .map(targetOf)
        .sort(),
      group.displayName,
    )
  }
}

/** What a describe block of engine tests shares: a faulty SCIM target, a job store, a directory file. */
export interface EngineTestBed {
  readonly target: FaultyScimTarget
  readonly store: { db: Db; close(): Promise<void> }
  readonly source: ReturnType<typeof directoryFile>
  /** A job from the directory file to the target; `settings` and the rest as createJob takes them. */
  newJob(name: string, extra?: Partial<Omit<NewJob, 'name'>>): Promise<ProvisioningJob>
}

/** Registers before/after hooks in the calling describe block that start and remove an EngineTestBed. */
export function engineTestBed(directory: DirectoryJson): EngineTestBed {
  const source = directoryFile(directory)
  let target: FaultyScimTarget | undefined
  let store: { db: Db; close(): Promise<void> } | undefined
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('engineTestBed: used outside its describe block')
    return value
  }
  before(async () => {
    target = await startFaultyScimTarget()
    store = await jobStore()
  })
  after(async () => {
    await target?.close()
    await store?.close()
    source.remove()
  })
  return {
    get target() {
      return ready(target)
    },
    get store() {
      return ready(store)
    },
    source,
    newJob: (name, extra = {}) =>
      createJob(ready(store).db, {
        name,
        source: { kind: 'file', path: source.path },
        targetUrl: ready(target).url,
        targetToken: ready(target).token,
        ...extra,
      }),
  }
}
