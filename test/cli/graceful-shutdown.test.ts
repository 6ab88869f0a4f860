import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { issueAccessToken } from '../../src/access/access-tokens.js'
import { createTenant } from '../../src/directory/tenants.js'
import { openStore } from '../../src/store/open.js'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js'
import { startRoster } from './serve-process.js'

/** What the socket has received so far, and a way to wait for more. */
function collect(socket: Socket) {
  let received = ''
  let ended = false
  const waiters: (() => void)[] = []
  const wake = () => {
    for (const resolve of waiters.splice(0)) resolve()
  }
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    received += chunk
    wake()
  })
  socket.on('close', () => {
    ended = true
    wake()
  })
  socket.on('error', () => {})
  return {
    text: () => received,
    /** Resolves once `done(received)` holds, or the connection closed. */
    async until(done: (text: string) => boolean): Promise<string> {
      while (!done(received) && !ended) await new Promise<void>((resolve) => waiters.push(resolve))
      return received
    },
  }
}

/** True once nothing listens at `url` any more: the server stopped accepting. */
async function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  try {
    await once(socket, 'connect')
    return false
  } catch {
    return true
  } finally {
    socket.destroy()
  }
}

/**
 * A POST whose headers are sent and acknowledged (100 Continue: the server has begun handling it)
 * but whose body is held back until `send()`: a request that is provably in flight.
 */
async function heldPost(url: string, token: string, body: unknown) {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  await once(socket, 'connect')
  const received = collect(socket)
  const payload = JSON.stringify(body)
  socket.write(
    `POST /scim/v2/Users HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/scim+json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` +
      'Expect: 100-continue\r\n\r\n',
  )
  await received.until((text) => text.includes('100 Continue'))
  assert.match(received.text(), /^HTTP\/1\.1 100 Continue/)
  return {
    socket,
    received,
    send: () => socket.write(payload),
  }
}

for (const kind of TEST_DATABASES) {
  describe(`graceful shutdown of roster serve (${kind})`, () => {
    let database: TestDatabase
    let token: string
    let tenantId: string

    before(async () => {
      database = await createTestDatabase(kind)
      const db = await openStore({ databaseUrl: database.url })
      try {
        const tenant = await createTenant(db, { slug: 'acme', rules: 'rfc' })
        tenantId = tenant.id
        token = (await issueAccessToken(db, tenant.id, { name: 'test', scopes: ['scim'] })).token
      } finally {
        await db.destroy()
      }
    })
    after(() => database.drop())

    it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', async () => {
      const roster = await startRoster({ DATABASE_URL: database.url })
      const request = await heldPost(roster.url, token, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'in.flight@acme.example',
      })
      roster.child.kill('SIGTERM')
      await roster.logLine('shutting down: draining requests')
      while (!(await refusesConnections(roster.url))) await new Promise((resolve) => setImmediate(resolve))

      request.send()
      const response = await request.received.until((text) => /\r\n\r\n[\s\S]*"userName"/.test(text))
      assert.match(response, /HTTP\/1\.1 201 Created/)
      const { code } = await roster.exited
      assert.equal(code, 0, roster.stderr())
      await roster.logLine('shut down')

      // The write the client was told about is in the database.
      const db = await openStore({ databaseUrl: database.url })
      try {
        const row = await db
          .selectFrom('users')
          .select('user_name')
          .where('tenant_id', '=', tenantId)
          .where('user_name', '=', 'in.flight@acme.example')
          .executeTakeFirst()
        assert.equal(row?.user_name, 'in.flight@acme.example')
      } finally {
        await db.destroy()
      }
    })

    it('does not wait forever for a client that never finishes its request', async () => {
      const roster = await startRoster({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: '200' })
      const request = await heldPost(roster.url, token, { userName: 'never.sent@acme.example' })
      roster.child.kill('SIGTERM')
      const { code } = await roster.exited
      assert.equal(code, 0, roster.stderr())
      await roster.logLine('shutdown: cutting connections still open')
      // The server cut the connection it had waited on.
      await request.received.until(() => false)
      request.socket.destroy()
    })
  })
}
