import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { issueAccessToken } from '../../src/access/access-tokens.js'
import { loadConfig } from '../../src/config.js'
import { createTenant } from '../../src/directory/tenants.js'
import { type RunningServer, startServer } from '../../src/server.js'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js'
import { type ScimClient, scimClient } from '../support/server.js'

/**
 * A TCP relay in front of PostgreSQL. stop() is an outage as Roster sees a restart or failover:
 * open connections drop and new ones are refused. start() brings it back on the same port.
 */
class Relay {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  port = 0
  private readonly target: { host: string; port: number }

  constructor(target: { host: string; port: number }) {
    this.target = target
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    server.listen(this.port, '127.0.0.1')
    await once(server, 'listening')
    const address = server.address()
    if (typeof address === 'object' && address) this.port = address.port
    this.server = server
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    const closed = once(server, 'close')
    server.close()
    for (const socket of this.sockets) socket.destroy()
    await closed
  }
}

const USER = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] }

describe('a PostgreSQL outage: 503 with Retry-After while it lasts, recovery without a restart', {
  skip: !TEST_DATABASES.includes('postgres') && 'PostgreSQL is not among ROSTER_TEST_DB',
}, () => {
  let database: TestDatabase
  let relay: Relay
  let server: RunningServer
  let scim: ScimClient
  const health = async () => {
    const response = await fetch(`${server.url}/healthz`)
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as { status: string },
    }
  }

  before(async () => {
    database = await createTestDatabase('postgres')
    const direct = new URL(database.url)
    relay = new Relay({ host: direct.hostname, port: Number(direct.port || 5432) })
    await relay.start()
    const relayed = new URL(database.url)
    relayed.hostname = '127.0.0.1'
    relayed.port = String(relay.port)
    server = await startServer(
      // TOKEN_CACHE_MS=0: every request reads its token, so every request needs the database.
      loadConfig(
        {},
        { PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: relayed.toString(), TOKEN_CACHE_MS: '0' },
      ),
    )
    const tenant = await createTenant(server.db, { slug: 'acme', rules: 'rfc' })
    const { token } = await issueAccessToken(server.db, tenant.id, { name: 'test', scopes: ['scim'] })
    scim = scimClient(`${server.url}/scim/v2`, token)
  })
  after(async () => {
    await server?.close()
    await relay?.stop()
    await database?.drop()
  })

  it('answers 503 + Retry-After with a SCIM error while the database is unreachable, 200 once it is back', async () => {
    const created = await scim('POST', '/Users', { ...USER, userName: 'before@acme.example' })
    assert.equal(created.status, 201)
    assert.equal((await health()).status, 200)

    await relay.stop()
    for (const response of [
      await scim('GET', `/Users/${created.body.id}`),
      await scim('GET', '/Users?filter=userName eq "before@acme.example"'),
      await scim('POST', '/Users', { ...USER, userName: 'during@acme.example' }),
    ]) {
      assert.equal(response.status, 503, response.text)
      assert.match(response.headers.get('content-type') ?? '', /application\/scim\+json/)
      assert.match(response.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/)
      assert.deepEqual(response.body, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '503',
        detail: 'the database is unavailable; retry later',
      })
    }
    const down = await health()
    assert.equal(down.status, 503)
    assert.equal(down.body.status, 'unavailable')
    assert.match(down.retryAfter ?? '', /^[1-9][0-9]*$/)

    await relay.start()
    assert.deepEqual(await health(), { status: 200, retryAfter: null, body: { status: 'ok' } })
    const read = await scim('GET', `/Users/${created.body.id}`)
    assert.equal(read.status, 200)
    assert.equal(read.body.userName, 'before@acme.example')
    assert.equal((await scim('POST', '/Users', { ...USER, userName: 'after@acme.example' })).status, 201)
    // The POST refused during the outage wrote nothing.
    const during = await scim('GET', '/Users?filter=userName eq "during@acme.example"')
    assert.equal(during.body.totalResults, 0)
  })
})
