import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'

for (const database of TEST_DATABASES) {
  describe(`failed-authentication throttle [${database}]`, () => {
    let server: TestServer
    let tenant: TestTenant
    before(async () => {
      server = await startTestServer({ AUTH_FAILURE_LIMIT: '3', RATE_LIMIT_WINDOW_MS: '60000' }, { database })
      tenant = await server.addTenant('throttled')
    })
    after(() => server.close())

    it('answers 429 with Retry-After once an address has failed too often, even with a valid token', async () => {
      const guess = () =>
        fetch(`${server.scimUrl}/Users`, { headers: { authorization: `Bearer rst_${'x'.repeat(43)}` } })
      for (let attempt = 0; attempt < 3; attempt++) assert.equal((await guess()).status, 401)
      const blocked = await guess()
      assert.equal(blocked.status, 429)
      assert.ok(Number(blocked.headers.get('retry-after')) > 0)
      assert.match(blocked.headers.get('content-type') ?? '', /^application\/scim\+json/)
      const body = (await blocked.json()) as { status: string; detail: string }
      assert.equal(body.status, '429')
      assert.match(body.detail, /failed authentications/)
      assert.equal((await tenant.scim('GET', '/Users')).status, 429)
    })
  })
}

for (const database of TEST_DATABASES) {
  describe(`failed-authentication throttle behind a reverse proxy (TRUST_PROXY=true) [${database}]`, () => {
    let server: TestServer
    let tenant: TestTenant
    before(async () => {
      server = await startTestServer({ AUTH_FAILURE_LIMIT: '2', TRUST_PROXY: 'true' }, { database })
      tenant = await server.addTenant('proxied')
    })
    after(() => server.close())

    it('counts failures per forwarded client address, so one bad client does not lock out the others', async () => {
      const from = (address: string, token: string) =>
        fetch(`${server.scimUrl}/Users`, {
          headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address },
        })
      const bogus = `rst_${'q'.repeat(43)}`
      for (let attempt = 0; attempt < 2; attempt++)
        assert.equal((await from('203.0.113.7', bogus)).status, 401)
      assert.equal((await from('203.0.113.7', tenant.token)).status, 429)
      assert.equal((await from('198.51.100.20', tenant.token)).status, 200)
    })
  })
}
