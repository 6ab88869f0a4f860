import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from './support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from './support/server.js'

for (const database of TEST_DATABASES) {
  describe(`structured logs [${database}]`, () => {
    const lines: string[] = []
    let server: TestServer
    let tenant: TestTenant
    before(async () => {
      server = await startTestServer(
        { LOG_LEVEL: 'trace' },
        { database, logStream: { write: (line) => lines.push(line) } },
      )
      tenant = await server.addTenant('logs')
    })
    after(() => server.close())

    it('are JSON lines with a request id that the response echoes', async () => {
      const response = await tenant.scim('GET', '/Users?filter=userName%20eq%20%22x%22', undefined, {
        'x-request-id': 'req-123',
      })
      assert.equal(response.headers.get('x-request-id'), 'req-123')
      const entries = lines.map((line) => JSON.parse(line) as { reqId?: string })
      assert.ok(entries.some((entry) => entry.reqId === 'req-123'))
    })

    it('never contain a bearer token, valid or not, even on errors', async () => {
      const bogus = `rst_${'A'.repeat(43)}`
      await tenant.scim('POST', '/Users', { userName: 'someone' })
      await tenant.scim('POST', '/Users', '{broken')
      await fetch(`${server.scimUrl}/Users`, { headers: { authorization: `Bearer ${bogus}` } })
      await fetch(`${server.scimUrl}/Users`, { headers: { authorization: 'Bearer not-a-token' } })
      const log = lines.join('')
      assert.ok(lines.length > 5)
      for (const secret of [tenant.token, tenant.token.slice(4, 30), bogus, 'not-a-token']) {
        assert.ok(!log.includes(secret), `log contains ${secret.slice(0, 8)}…`)
      }
    })
  })
}
