/**
 * Access tokens and roles through the admin API: who may create, revoke and see tokens; revoked
 * tokens stop working for SCIM at once (despite the token cache); tokens die with their owner's
 * rights; the last owner stays.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashTokenSecret } from '../../src/access/token-secret.js'
import { employee } from '../http/helpers.js'
import { TEST_DATABASES } from '../support/databases.js'
import { scimClient, startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { type ApiClient, assertApiError, invited, owner } from './api-client.js'

for (const database of TEST_DATABASES) {
  describe(`tokens and roles [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let boss: ApiClient
    let admin: ApiClient
    let viewer: ApiClient
    const scimWith = (secret: string) => scimClient(server.scimUrl, secret)

    before(async () => {
      // A long token cache: revocations must still take effect at once on this node.
      server = await startTestServer({ TOKEN_CACHE_MS: '60000' }, { database })
      acme = await server.addTenant('acme')
      boss = await owner(server, acme.tenant.id, 'boss@acme.test')
      admin = await invited(server, boss, 'admin@acme.test', 'admin')
      viewer = await invited(server, admin, 'viewer@acme.test', 'viewer')
    })
    after(() => server.close())

    it('an owner creates a token whose secret works for SCIM; lists never show the secret or its hash', async () => {
      const created = await boss.post('/tokens', {
        name: 'Entra ID',
        description: 'provisioning',
        scopes: ['scim'],
      })
      assert.equal(created.status, 201, created.text)
      const { token, secret } = created.body
      assert.match(secret, /^rst_[A-Za-z0-9_-]{43}$/)
      assert.equal(token.name, 'Entra ID')
      assert.deepEqual(token.scopes, ['scim'])
      assert.equal(token.status, 'active')
      assert.deepEqual(token.createdBy, {
        id: (await boss.get('/session')).body.account.id,
        displayName: 'boss',
      })
      assert.equal((await scimWith(secret)('GET', '/Users')).status, 200)
      for (const client of [boss, admin, viewer]) {
        const listed = await client.get('/tokens')
        assert.equal(listed.status, 200)
        assert.ok(listed.body.items.some((item: { id: string }) => item.id === token.id))
        assert.ok(!listed.text.includes(secret.slice(4)), 'the secret is not listed')
        assert.ok(!listed.text.includes(hashTokenSecret(secret)), 'the hash is not listed')
        assert.ok(!listed.text.includes(secret.slice(0, 8)), 'not even the hint')
      }
      const listed = (await boss.get('/tokens')).body.items
      const cli = listed.find((item: { id: string }) => item.id === acme.tokenId)
      assert.equal(cli.createdBy, null, 'CLI-made tokens have no creator')
      assert.equal(listed[0].id, token.id, 'newest first')
    })

    it('viewers and admins cannot create tokens; viewers cannot revoke (403, nothing changed)', async () => {
      const before = (await boss.get('/tokens')).body
      assertApiError(await viewer.post('/tokens', { name: 'v', scopes: ['scim'] }), 403, 'forbidden')
      assertApiError(await admin.post('/tokens', { name: 'a', scopes: ['scim'] }), 403, 'forbidden')
      assertApiError(await viewer.post(`/tokens/${acme.tokenId}/revoke`), 403, 'forbidden')
      assert.deepEqual((await boss.get('/tokens')).body, before)
      assert.equal((await acme.scim('GET', '/Users')).status, 200)
    })

    it('a revoked token gets SCIM 401 at once, even while cached', async () => {
      const { secret, token } = (await boss.post('/tokens', { name: 'temp', scopes: ['scim'] })).body
      const scim = scimWith(secret)
      assert.equal((await scim('GET', '/Users')).status, 200, 'verified and cached')
      // As a browser's fetch may send it: the JSON content type and no body at all.
      const revoked = await admin.request('POST', `/tokens/${token.id}/revoke`, undefined, {
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(revoked.status, 200, revoked.text)
      assert.equal(revoked.body.status, 'revoked')
      assert.ok(revoked.body.revokedAt)
      assert.equal((await scim('GET', '/Users')).status, 401)
      assert.equal((await scim('POST', '/Users', employee('late@acme.test'))).status, 401)
      assertApiError(
        await admin.post(`/tokens/${'0'.repeat(8)}-0000-4000-8000-000000000000/revoke`),
        404,
        'notFound',
      )
    })

    it('a token with the api scope reads the admin API (GET only); a scim-only token gets 403 there', async () => {
      const { secret } = (await boss.post('/tokens', { name: 'reporting', scopes: ['api'] })).body
      const api = new (boss.constructor as typeof ApiClient)(boss.base)
      api.bearer = secret
      assert.equal((await api.get('/employees')).status, 200)
      assert.equal((await api.get('/activity')).status, 200)
      assertApiError(await api.post('/tokens', { name: 'x', scopes: ['scim'] }), 403, 'forbidden')
      assert.equal((await scimWith(secret)('GET', '/Users')).status, 403, 'no scim scope')
      const scimOnly = new (boss.constructor as typeof ApiClient)(boss.base)
      scimOnly.bearer = acme.token
      assertApiError(await scimOnly.get('/employees'), 403, 'forbidden')
      const bogus = new (boss.constructor as typeof ApiClient)(boss.base)
      bogus.bearer = `rst_${'x'.repeat(43)}`
      assertApiError(await bogus.get('/employees'), 401, 'notAuthenticated')
    })

    it("demoting an owner revokes its tokens (SCIM 401 at once); CLI tokens and other owners' stay", async () => {
      const second = await invited(server, boss, 'second@acme.test', 'owner')
      const mine = (await second.post('/tokens', { name: 'second', scopes: ['scim'] })).body
      const bosses = (await boss.post('/tokens', { name: 'boss', scopes: ['scim'] })).body
      assert.equal((await scimWith(mine.secret)('GET', '/Users')).status, 200)
      const secondId = (await second.get('/session')).body.account.id
      const demoted = await boss.patch(`/accounts/${secondId}`, { role: 'admin' })
      assert.equal(demoted.status, 200, demoted.text)
      assert.equal(demoted.body.role, 'admin')
      assert.equal((await scimWith(mine.secret)('GET', '/Users')).status, 401)
      assert.equal((await scimWith(bosses.secret)('GET', '/Users')).status, 200)
      assert.equal((await acme.scim('GET', '/Users')).status, 200, 'the CLI token is unaffected')
      const listed = (await boss.get('/tokens')).body.items
      assert.equal(listed.find((item: { id: string }) => item.id === mine.token.id).status, 'revoked')
      // Its rights are gone with the role: an admin cannot create tokens any more.
      assertApiError(await second.post('/tokens', { name: 'again', scopes: ['scim'] }), 403, 'forbidden')
    })

    it('removing an account ends its sessions and revokes its tokens', async () => {
      const leaving = await invited(server, boss, 'leaving@acme.test', 'owner')
      const { secret } = (await leaving.post('/tokens', { name: 'leaving', scopes: ['scim'] })).body
      const id = (await leaving.get('/session')).body.account.id
      const removed = await boss.delete(`/accounts/${id}`)
      assert.equal(removed.status, 204, removed.text)
      assertApiError(await leaving.get('/session'), 401, 'notAuthenticated')
      assert.equal((await scimWith(secret)('GET', '/Users')).status, 401)
      assertApiError(await boss.delete(`/accounts/${id}`), 404, 'notFound')
    })

    it('the last owner cannot be demoted or removed (409); admins cannot change roles', async () => {
      const fresh = await server.addTenant('solo')
      const only = await owner(server, fresh.tenant.id, 'only@solo.test')
      const id = (await only.get('/session')).body.account.id
      assertApiError(await only.patch(`/accounts/${id}`, { role: 'admin' }), 409, 'conflict')
      assertApiError(await only.delete(`/accounts/${id}`), 409, 'conflict')
      assert.equal((await only.get('/session')).body.account.role, 'owner')
      const helper = await invited(server, only, 'helper@solo.test', 'admin')
      assertApiError(await helper.patch(`/accounts/${id}`, { role: 'viewer' }), 403, 'forbidden')
      assertApiError(
        await helper.post('/accounts/invite', { email: 'o2@solo.test', role: 'owner' }),
        403,
        'forbidden',
      )
      const viewerOfSolo = await invited(server, helper, 'v@solo.test', 'viewer')
      assertApiError(
        await viewerOfSolo.post('/accounts/invite', { email: 'x@solo.test', role: 'viewer' }),
        403,
        'forbidden',
      )
      assertApiError(await viewerOfSolo.post(`/tokens/${fresh.tokenId}/revoke`), 403, 'forbidden')
      assert.equal((await fresh.scim('GET', '/Users')).status, 200)
    })

    it('an invitation for an email that has an account is 409', async () => {
      assertApiError(
        await boss.post('/accounts/invite', { email: 'ADMIN@acme.test', role: 'viewer' }),
        409,
        'conflict',
      )
    })
  })
}
