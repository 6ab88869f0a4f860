import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { ScimTargetClient } from '../../../src/provisioning/target/scim-target-client.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

// The double the provisioning tests rely on: its SCIM must be right for their results to mean anything.
describe('the faulty SCIM target, without faults', () => {
  let target: FaultyScimTarget
  let client: ScimTargetClient
  before(async () => {
    target = await startFaultyScimTarget()
    client = new ScimTargetClient({ tenantUrl: target.url, secretToken: target.token })
  })
  after(async () => {
    client.close()
    await target.close()
  })
  beforeEach(() => target.reset())

  it('applies the PATCH paths Entra sends', async () => {
    const boss = await client.createUser({ schemas: [USER], userName: 'boss' })
    const user = await client.createUser({
      schemas: [USER, ENTERPRISE],
      userName: 'ada',
      name: { givenName: 'Ada', familyName: 'King' },
      emails: [{ type: 'work', value: 'ada@old.example', primary: true }],
    })
    const patched = await client.patchUser(user.id, [
      { op: 'replace', path: 'name.givenName', value: 'Augusta' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@new.example' },
      { op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0000' },
      { op: 'add', path: `${ENTERPRISE}:manager`, value: { value: boss.id } },
      { op: 'replace', value: { title: 'Countess', active: false } },
      { op: 'remove', path: 'name.familyName' },
    ])
    assert.deepEqual(patched?.['name'], { givenName: 'Augusta' })
    assert.deepEqual(patched?.['emails'], [{ type: 'work', value: 'ada@new.example', primary: true }])
    assert.deepEqual(patched?.['phoneNumbers'], [{ type: 'work', value: '+44 20 7946 0000' }])
    assert.deepEqual(patched?.[ENTERPRISE], { manager: { value: boss.id } })
    assert.equal(patched?.['title'], 'Countess')
    assert.equal(patched?.active, false)
  })

  it('adds and removes group members, and drops deleted users from groups', async () => {
    const a = await client.createUser({ schemas: [USER], userName: 'a' })
    const b = await client.createUser({ schemas: [USER], userName: 'b' })
    const group = await client.createGroup({ schemas: [GROUP], displayName: 'G', members: [{ value: a.id }] })
    await client.patchGroup(group.id, [
      { op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] },
    ])
    assert.deepEqual((await client.getGroup(group.id)).members, [{ value: a.id }, { value: b.id }])
    await client.patchGroup(group.id, [{ op: 'remove', path: `members[value eq "${a.id}"]` }])
    assert.deepEqual((await client.getGroup(group.id)).members, [{ value: b.id }])
    await client.deleteUser(b.id)
    assert.deepEqual((await client.getGroup(group.id)).members, [])
  })

  it('filters by externalId case-exactly and pages with startIndex and count', async () => {
    for (const name of ['a', 'b', 'c'])
      await client.createUser({ schemas: [USER], userName: name, externalId: `X-${name}` })
    assert.equal((await client.findUsers('externalId eq "X-b"')).totalResults, 1)
    assert.equal((await client.findUsers('externalId eq "x-b"')).totalResults, 0)
    const page = await client.findUsers('userName eq "b"', { startIndex: 1, count: 0 })
    assert.deepEqual([page.totalResults, page.Resources.length], [1, 0])
  })

  it('answers 429 beyond its rate limit, with Retry-After', async () => {
    target.setRateLimit(3, 2)
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.findUsers('userName eq "x"')),
    )
    const refused = results.filter((result) => result.status === 'rejected')
    assert.equal(refused.length, 2)
    assert.equal((refused[0] as PromiseRejectedResult).reason.retryAfterMs, 2_000)
  })
})
