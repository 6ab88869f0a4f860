import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'

for (const database of TEST_DATABASES) {
  describe(`authentication with cached tokens and tenants (the synchronous path) [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let globex: TestTenant
    before(async () => {
      server = await startTestServer({ TOKEN_CACHE_MS: '60000', RATE_LIMIT_MAX: '8' }, { database })
      acme = await server.addTenant('cache-acme')
      globex = await server.addTenant('cache-globex', 'rfc')
    })
    after(() => server.close())

    it('keeps each cached token on its own tenant', async () => {
      const created = await acme.scim('POST', '/Users', {
        userName: 'cached@acme.com',
        name: { givenName: 'C', familyName: 'D' },
        emails: [{ type: 'work', value: 'cached@acme.com' }],
      })
      assert.equal(created.status, 201)
      for (let round = 0; round < 3; round++) {
        assert.equal((await acme.scim('GET', `/Users/${created.body.id}`)).status, 200)
        assert.equal((await globex.scim('GET', `/Users/${created.body.id}`)).status, 404)
      }
    })

    it('still refuses unknown tokens and still counts requests against the rate limit', async () => {
      const unknown = await fetch(`${server.scimUrl}/Users`, {
        headers: { authorization: `Bearer rst_${'z'.repeat(43)}` },
      })
      assert.equal(unknown.status, 401)
      let limited = 0
      for (let i = 0; i < 8; i++) if ((await globex.scim('GET', '/Users')).status === 429) limited++
      assert.ok(limited > 0, 'the 9th request of the window is refused')
    })
  })
}
