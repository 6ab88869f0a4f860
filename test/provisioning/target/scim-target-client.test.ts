import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { inspect } from 'node:util'
import { ScimTargetClient } from '../../../src/provisioning/target/scim-target-client.js'
import { ScimTargetError } from '../../../src/provisioning/target/scim-target-error.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'

describe('ScimTargetClient against a faulty SCIM target', () => {
  let target: FaultyScimTarget
  let client: ScimTargetClient

  before(async () => {
    target = await startFaultyScimTarget()
  })
  after(async () => {
    await target.close()
  })
  beforeEach(() => {
    client?.close()
    target.reset()
    client = new ScimTargetClient({ tenantUrl: target.url, secretToken: target.token, timeoutMs: 2_000 })
  })

  /** The ScimTargetError `promise` rejects with. */
  async function failure(promise: Promise<unknown>): Promise<ScimTargetError> {
    try {
      await promise
    } catch (error) {
      assert.ok(error instanceof ScimTargetError, `not a ScimTargetError: ${String(error)}`)
      return error
    }
    assert.fail('the call succeeded')
  }

  it('creates, finds, reads, patches and deletes users and groups', async () => {
    const ada = await client.createUser({ schemas: [USER], userName: 'ada@example.com', active: true })
    assert.equal(typeof ada.id, 'string')
    const found = await client.findUsers('userName eq "ADA@example.com"')
    assert.equal(found.totalResults, 1)
    assert.equal(found.Resources[0]?.id, ada.id)
    assert.equal((await client.findUsers('userName eq "nobody"')).totalResults, 0)

    const patched = await client.patchUser(ada.id, [{ op: 'replace', path: 'active', value: false }])
    assert.equal(patched?.active, false)
    assert.equal((await client.getUser(ada.id)).active, false)

    const team = await client.createGroup({ schemas: [GROUP], displayName: 'Team', members: [] })
    await client.patchGroup(team.id, [{ op: 'add', path: 'members', value: [{ value: ada.id }] }])
    assert.deepEqual((await client.getGroup(team.id)).members, [{ value: ada.id }])
    const groups = await client.findGroups('displayName eq "team"', { excludedAttributes: ['members'] })
    assert.equal(groups.Resources[0]?.id, team.id)
    assert.equal(groups.Resources[0]?.members, undefined)
    assert.equal(target.requests.at(-1)?.query['excludedAttributes'], 'members')

    await client.deleteUser(ada.id)
    await client.deleteGroup(team.id)
    assert.equal((await failure(client.getUser(ada.id))).category, 'notFound')
    assert.equal(target.users.size + target.groups.size, 0)
  })

  it('sends filter, startIndex and count as Entra does, with the tenant URL’s own query kept', async () => {
    const flagged = new ScimTargetClient({
      tenantUrl: `${target.url}?aadOptscim062020`,
      secretToken: target.token,
    })
    try {
      await flagged.findUsers('userName eq "a b"', { startIndex: 1, count: 10 })
    } finally {
      flagged.close()
    }
    assert.deepEqual(target.requests.at(-1)?.query, {
      aadOptscim062020: '',
      filter: 'userName eq "a b"',
      startIndex: '1',
      count: '10',
    })
  })

  it('classifies 429 as throttled with Retry-After in seconds or as an HTTP-date', async () => {
    target.inject({ fault: { kind: 'status', status: 429, retryAfter: 3 } })
    const seconds = await failure(client.findUsers('userName eq "x"'))
    assert.equal(seconds.category, 'throttled')
    assert.equal(seconds.status, 429)
    assert.equal(seconds.retryAfterMs, 3_000)

    target.inject({
      fault: { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 10_000).toUTCString() },
    })
    const date = await failure(client.findUsers('userName eq "x"'))
    assert.equal(date.category, 'throttled')
    assert.ok(
      date.retryAfterMs !== undefined && date.retryAfterMs > 8_000 && date.retryAfterMs <= 10_000,
      String(date.retryAfterMs),
    )

    target.inject({ fault: { kind: 'status', status: 429 } })
    assert.equal((await failure(client.findUsers('userName eq "x"'))).retryAfterMs, undefined)
  })

  it('classifies 500 and 503 as transient; a POST that got 500 has an unknown outcome, one that got 503 not', async () => {
    target.inject({ fault: { kind: 'status', status: 500 } })
    const internal = await failure(client.createUser({ schemas: [USER], userName: 'a' }))
    assert.equal(internal.category, 'transient')
    assert.equal(internal.outcomeUnknown, true)

    target.inject({ fault: { kind: 'status', status: 503, retryAfter: 1 } })
    const unavailable = await failure(client.createUser({ schemas: [USER], userName: 'a' }))
    assert.equal(unavailable.category, 'transient')
    assert.equal(unavailable.outcomeUnknown, false)
    assert.equal(unavailable.retryAfterMs, 1_000)
  })

  it('classifies a target that never answers as a transient timeout, within the deadline', async () => {
    const impatient = new ScimTargetClient({
      tenantUrl: target.url,
      secretToken: target.token,
      timeoutMs: 200,
    })
    target.inject({ fault: { kind: 'hang' } })
    const started = performance.now()
    try {
      const error = await failure(impatient.createUser({ schemas: [USER], userName: 'slow' }))
      assert.equal(error.category, 'transient')
      assert.equal(error.transport, 'timeout')
      assert.equal(error.outcomeUnknown, true, 'the POST was sent: its outcome is unknown')
      assert.equal(error.status, undefined)
    } finally {
      impatient.close()
    }
    const elapsed = performance.now() - started
    assert.ok(elapsed >= 190 && elapsed < 1_500, `gave up after ${elapsed} ms`)
  })

  it('classifies an answer slower than the deadline as a timeout, and a slow one within it as success', async () => {
    target.inject({ fault: { kind: 'delay', ms: 100 } })
    assert.equal((await client.findUsers('userName eq "x"')).totalResults, 0)
    const impatient = new ScimTargetClient({
      tenantUrl: target.url,
      secretToken: target.token,
      timeoutMs: 100,
    })
    target.inject({ fault: { kind: 'delay', ms: 400 } })
    try {
      assert.equal((await failure(impatient.findUsers('userName eq "x"'))).transport, 'timeout')
    } finally {
      impatient.close()
    }
  })

  it('classifies a refused connection as transient, and a POST that never left as not carried out', async () => {
    const closed = new ScimTargetClient({
      tenantUrl: 'http://127.0.0.1:1/scim/v2',
      secretToken: target.token,
    })
    try {
      const refused = await failure(closed.createUser({ schemas: [USER], userName: 'a' }))
      assert.deepEqual(
        [refused.category, refused.transport, refused.outcomeUnknown],
        ['transient', 'refused', false],
      )
    } finally {
      closed.close()
    }
  })

  it('classifies a reset connection and a lost answer as transient resets with unknown outcome', async () => {
    target.inject({ fault: { kind: 'reset' } })
    const reset = await failure(client.getUser('abc'))
    assert.equal(reset.category, 'transient')
    assert.equal(reset.transport, 'reset')

    target.inject({ fault: { kind: 'lostAnswer' } })
    const lost = await failure(client.createUser({ schemas: [USER], userName: 'lost' }))
    assert.equal(lost.category, 'transient')
    assert.equal(lost.outcomeUnknown, true)
    assert.equal(target.usersNamed('lost').length, 1, 'the target did create it')
  })

  it('classifies 409 as conflict, 404 as notFound, 400 as client, 401 and 403 as auth', async () => {
    await client.createUser({ schemas: [USER], userName: 'taken' })
    const conflict = await failure(client.createUser({ schemas: [USER], userName: 'TAKEN' }))
    assert.deepEqual([conflict.category, conflict.status, conflict.scimType], ['conflict', 409, 'uniqueness'])
    assert.match(conflict.detail ?? '', /already taken/)

    const missing = await failure(
      client.patchUser('no-such-id', [{ op: 'replace', path: 'active', value: false }]),
    )
    assert.deepEqual([missing.category, missing.status], ['notFound', 404])

    const filter = await failure(client.findUsers('title co "x"'))
    assert.deepEqual([filter.category, filter.status, filter.scimType], ['client', 400, 'invalidFilter'])

    const stranger = new ScimTargetClient({ tenantUrl: target.url, secretToken: 'wrong-token-value' })
    try {
      const unauthorized = await failure(stranger.findUsers('userName eq "x"'))
      assert.deepEqual([unauthorized.category, unauthorized.status], ['auth', 401])
    } finally {
      stranger.close()
    }
    target.inject({ fault: { kind: 'status', status: 403 } })
    assert.equal((await failure(client.findUsers('userName eq "x"'))).category, 'auth')
  })

  it('classifies non-JSON bodies, wrong shapes and redirects as protocol errors', async () => {
    target.inject({
      fault: { kind: 'raw', status: 200, headers: { 'content-type': 'text/html' }, body: '<html>hi</html>' },
    })
    const html = await failure(client.findUsers('userName eq "x"'))
    assert.equal(html.category, 'protocol')
    assert.match(html.message, /not JSON \(text\/html\)/)

    target.inject({ fault: { kind: 'raw', status: 200, body: '{"users":[]}' } })
    const shape = await failure(client.findUsers('userName eq "x"'))
    assert.equal(shape.category, 'protocol')
    assert.match(shape.message, /totalResults/)

    target.inject({ fault: { kind: 'raw', status: 201, body: '{"userName":"no id"}' } })
    assert.match((await failure(client.createUser({ schemas: [USER], userName: 'x' }))).message, /no "id"/)

    target.inject({
      fault: { kind: 'raw', status: 302, headers: { location: 'https://elsewhere.example/login' } },
    })
    const redirect = await failure(client.findUsers('userName eq "x"'))
    assert.equal(redirect.category, 'protocol')
    assert.match(redirect.message, /elsewhere\.example.*redirects are not followed/)
  })

  it('never shows the secret token, even when the target echoes it back', async () => {
    const echoed = JSON.stringify({ detail: `bad token Bearer ${target.token}` })
    target.inject({
      fault: { kind: 'raw', status: 400, headers: { 'content-type': 'application/json' }, body: echoed },
    })
    const error = await failure(client.findUsers('userName eq "x"'))
    target.inject({ fault: { kind: 'raw', status: 500, body: `<p>${target.token}</p>` } })
    const html = await failure(client.findUsers('userName eq "x"'))
    for (const text of [
      error.message,
      error.detail,
      inspect(error),
      JSON.stringify(error),
      html.message,
      inspect(html),
      inspect(client),
    ]) {
      assert.ok(!String(text).includes(target.token), `token leaked: ${text}`)
    }
    assert.match(error.message, /\[redacted\]/)
  })

  it('keeps connections alive and never opens more than maxSockets', async () => {
    const start = target.connectionCount
    for (let i = 0; i < 10; i += 1) await client.findUsers(`userName eq "u${i}"`)
    assert.equal(target.connectionCount - start, 1, 'sequential requests reuse one socket')

    const before = target.connectionCount
    const pooled = new ScimTargetClient({ tenantUrl: target.url, secretToken: target.token, maxSockets: 3 })
    target.inject({ fault: { kind: 'delay', ms: 50 }, times: Number.POSITIVE_INFINITY })
    try {
      const started = performance.now()
      await Promise.all(Array.from({ length: 12 }, (_, i) => pooled.findUsers(`userName eq "p${i}"`)))
      assert.ok(performance.now() - started >= 190, '12 requests of 50 ms over 3 sockets take 4 rounds')
    } finally {
      pooled.close()
    }
    assert.equal(target.connectionCount - before, 3, 'twelve concurrent requests over exactly three sockets')
  })
})
