/**
 * Setup links, login, logout and the session cookie: one-time links, throttled logins, CSRF
 * protection of every state-changing request, and no session fixation.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashSecret } from '../../src/console/secrets.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import {
  ApiClient,
  assertApiError,
  baseOf,
  invited,
  owner,
  ownerSetupCode,
  PASSWORD,
  signUp,
} from './api-client.js'

for (const database of TEST_DATABASES) {
  describe(`console sessions [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    const logs: string[] = []
    const anonymous = () => new ApiClient(`${baseOf(server)}/api`)

    before(async () => {
      server = await startTestServer(
        { LOG_LEVEL: 'info', LOGIN_FAILURE_LIMIT: '3' },
        { database, logStream: { write: (line) => logs.push(line) } },
      )
      acme = await server.addTenant('acme')
    })
    after(() => server.close())

    it('a setup link shows its tenant and role, works once, and is 410 afterwards', async () => {
      const code = await ownerSetupCode(server, acme.tenant.id)
      const client = anonymous()
      const shown = await client.get(`/setup/${code}`)
      assert.equal(shown.status, 200, shown.text)
      assert.deepEqual(shown.body, { tenant: { slug: 'acme', name: 'acme' }, role: 'owner', email: null })
      const first = await signUp(server, code, 'first@acme.test', 'First Owner')
      const session = await first.get('/session')
      assert.equal(session.status, 200)
      assert.equal(session.body.account.role, 'owner')
      assert.equal(session.body.account.displayName, 'First Owner')
      assert.equal(session.body.tenant.slug, 'acme')
      assert.equal(session.body.scimUrl, `${baseOf(server)}/scim/v2`)
      assertApiError(await client.get(`/setup/${code}`), 410, 'gone')
      const again = await client.post('/setup', {
        code,
        email: 'second@acme.test',
        displayName: 'Second',
        password: PASSWORD,
      })
      assertApiError(again, 410, 'gone')
      const accounts = await first.get('/accounts')
      assert.deepEqual(
        accounts.body.items.map((account: { email: string }) => account.email),
        ['first@acme.test'],
      )
    })

    it('an unknown setup code is 404 and an expired one 410', async () => {
      assertApiError(await anonymous().get(`/setup/${'A'.repeat(43)}`), 404, 'notFound')
      assertApiError(await anonymous().get('/setup/short'), 404, 'notFound')
      const code = await ownerSetupCode(server, acme.tenant.id)
      await server.server.db
        .updateTable('setup_links')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('code_hash', '=', hashSecret(code))
        .execute()
      assertApiError(await anonymous().get(`/setup/${code}`), 410, 'gone')
      const used = await anonymous().post('/setup', {
        code,
        email: 'late@acme.test',
        displayName: 'Late',
        password: PASSWORD,
      })
      assertApiError(used, 410, 'gone')
    })

    it('stores setup codes, session ids and passwords only as hashes', async () => {
      const code = await ownerSetupCode(server, acme.tenant.id)
      const client = await signUp(server, code, 'hashes@acme.test')
      const links = await server.server.db.selectFrom('setup_links').selectAll().execute()
      assert.ok(links.some((link) => link.code_hash === hashSecret(code)))
      const sessions = JSON.stringify(
        await server.server.db.selectFrom('console_sessions').selectAll().execute(),
      )
      assert.ok(client.cookie && !sessions.includes(client.cookie))
      assert.ok(sessions.includes(hashSecret(client.cookie)))
      const accounts = JSON.stringify(
        await server.server.db.selectFrom('console_accounts').selectAll().execute(),
      )
      assert.ok(!accounts.includes(PASSWORD))
      assert.match(accounts, /scrypt\$15\$8\$1\$/)
    })

    it('logs in and out; the cookie is HttpOnly, SameSite=Strict, Path=/', async () => {
      await owner(server, acme.tenant.id, 'login@acme.test')
      const client = anonymous()
      const login = await client.post('/login', {
        tenant: 'acme',
        email: 'LOGIN@acme.test',
        password: PASSWORD,
      })
      assert.equal(login.status, 200, login.text)
      assert.equal(login.body.account.email, 'login@acme.test')
      const cookie = login.headers.getSetCookie().find((line) => line.startsWith('roster_session='))
      assert.ok(cookie)
      assert.match(cookie, /HttpOnly/i)
      assert.match(cookie, /SameSite=Strict/i)
      assert.match(cookie, /Path=\//)
      assert.doesNotMatch(cookie, /Secure/i, 'plain http on loopback')
      assert.equal((await client.get('/session')).status, 200)
      const sessionId = client.cookie
      const logout = await client.post('/logout')
      assert.equal(logout.status, 204, logout.text)
      assert.equal(client.cookie, undefined, 'the cookie is cleared')
      client.cookie = sessionId
      assertApiError(await client.get('/session'), 401, 'notAuthenticated')
    })

    it('refuses wrong passwords, unknown emails and tenants alike, then throttles with Retry-After', async () => {
      await owner(server, acme.tenant.id, 'throttled@acme.test')
      const client = anonymous()
      const wrong = await client.post('/login', {
        tenant: 'acme',
        email: 'throttled@acme.test',
        password: 'nope nope nope',
      })
      const unknownEmail = await client.post('/login', {
        tenant: 'acme',
        email: 'ghost@acme.test',
        password: PASSWORD,
      })
      const unknownTenant = await client.post('/login', {
        tenant: 'nope',
        email: 'throttled@acme.test',
        password: PASSWORD,
      })
      for (const response of [wrong, unknownEmail, unknownTenant])
        assertApiError(response, 401, 'invalidCredentials')
      assert.equal(wrong.body.detail, unknownEmail.body.detail)
      assert.equal(wrong.body.detail, unknownTenant.body.detail)
      // LOGIN_FAILURE_LIMIT=3: two more failures for this account, then even the right password waits.
      for (let i = 0; i < 2; i++) {
        await client.post('/login', {
          tenant: 'acme',
          email: 'throttled@acme.test',
          password: 'wrong password!',
        })
      }
      const blocked = await client.post('/login', {
        tenant: 'acme',
        email: 'throttled@acme.test',
        password: PASSWORD,
      })
      assertApiError(blocked, 429, 'tooManyRequests')
      const retryAfter = Number(blocked.headers.get('retry-after'))
      assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`)
      assert.equal(client.cookie, undefined)
    })

    it('a cookie present before login is never the session afterwards (no fixation)', async () => {
      await owner(server, acme.tenant.id, 'fixation@acme.test')
      const victim = await owner(server, acme.tenant.id, 'planted@acme.test')
      const planted = victim.cookie
      assert.ok(planted)
      const client = anonymous()
      client.cookie = planted
      const login = await client.post('/login', {
        tenant: 'acme',
        email: 'fixation@acme.test',
        password: PASSWORD,
      })
      assert.equal(login.status, 200, login.text)
      assert.notEqual(client.cookie, planted)
      assert.equal((await client.get('/session')).body.account.email, 'fixation@acme.test')
      const attacker = anonymous()
      attacker.cookie = planted
      assertApiError(await attacker.get('/session'), 401, 'notAuthenticated')
      // A made-up cookie is no session either.
      attacker.cookie = 'A'.repeat(43)
      assertApiError(await attacker.get('/session'), 401, 'notAuthenticated')
    })

    it('state-changing requests need the x-csrf-token of the session; nothing changes without it', async () => {
      const boss = await owner(server, acme.tenant.id, 'csrf@acme.test')
      const before = await boss.get('/tokens')
      const missing = await boss.post('/tokens', { name: 'x', scopes: ['scim'] }, { noCsrf: true })
      assertApiError(missing, 403, 'csrf')
      const wrong = await boss.post(
        '/tokens',
        { name: 'x', scopes: ['scim'] },
        { noCsrf: true, headers: { 'x-csrf-token': 'forged' } },
      )
      assertApiError(wrong, 403, 'csrf')
      const other = await owner(server, acme.tenant.id, 'csrf-other@acme.test')
      const foreignToken = await boss.post(
        '/accounts/invite',
        { email: 'x@acme.test', role: 'viewer' },
        { noCsrf: true, headers: { 'x-csrf-token': other.csrfToken ?? '' } },
      )
      assertApiError(foreignToken, 403, 'csrf')
      assert.deepEqual((await boss.get('/tokens')).body, before.body)
      assertApiError(await boss.post('/logout', undefined, { noCsrf: true }), 403, 'csrf')
      assert.equal((await boss.get('/session')).status, 200, 'still signed in')
    })

    it('login and setup refuse a foreign Origin and non-JSON bodies (403 csrf)', async () => {
      await owner(server, acme.tenant.id, 'origin@acme.test')
      const client = anonymous()
      const credentials = { tenant: 'acme', email: 'origin@acme.test', password: PASSWORD }
      assertApiError(
        await client.post('/login', credentials, { headers: { origin: 'https://evil.example' } }),
        403,
        'csrf',
      )
      assertApiError(
        await client.post('/login', undefined, {
          raw: new URLSearchParams(credentials).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        403,
        'csrf',
      )
      assert.equal(client.cookie, undefined)
      const sameOrigin = await client.post('/login', credentials, { headers: { origin: baseOf(server) } })
      assert.equal(sameOrigin.status, 200, sameOrigin.text)
      const code = await ownerSetupCode(server, acme.tenant.id)
      const setup = await anonymous().post(
        '/setup',
        { code, email: 'evil@acme.test', displayName: 'Evil', password: PASSWORD },
        { headers: { origin: 'http://attacker.test' } },
      )
      assertApiError(setup, 403, 'csrf')
      assert.equal((await anonymous().get(`/setup/${code}`)).status, 200, 'the link is still unused')
    })

    it('an invitation carries its email and role; the invitee cannot pick another email', async () => {
      const boss = await owner(server, acme.tenant.id, 'inviter@acme.test')
      const invitation = await boss.post('/accounts/invite', { email: 'Invitee@acme.test', role: 'admin' })
      assert.equal(invitation.status, 201, invitation.text)
      assert.match(invitation.body.setupUrl, new RegExp(`^${baseOf(server)}/setup#[A-Za-z0-9_-]{43}$`))
      const code = invitation.body.setupUrl.split('#')[1]
      const shown = await anonymous().get(`/setup/${code}`)
      assert.deepEqual(shown.body, {
        tenant: { slug: 'acme', name: 'acme' },
        role: 'admin',
        email: 'Invitee@acme.test',
      })
      const other = await anonymous().post('/setup', {
        code,
        email: 'someone@acme.test',
        displayName: 'S',
        password: PASSWORD,
      })
      assertApiError(other, 400, 'invalidValue', 'email')
      const admin = await anonymous().post('/setup', { code, displayName: 'Invitee', password: PASSWORD })
      assert.equal(admin.status, 201, admin.text)
      assert.equal(admin.body.account.role, 'admin')
      assert.equal(admin.body.account.email, 'Invitee@acme.test')
    })

    it('sessions expire after the idle timeout', async () => {
      const client = await owner(server, acme.tenant.id, 'idle@acme.test')
      assert.ok(client.cookie)
      await server.server.db
        .updateTable('console_sessions')
        .set({ expires_at: new Date(Date.now() - 1).toISOString() })
        .where('id_hash', '=', hashSecret(client.cookie))
        .execute()
      assertApiError(await client.get('/session'), 401, 'notAuthenticated')
    })

    it('never logs passwords, session ids, CSRF tokens or setup codes', async () => {
      const code = await ownerSetupCode(server, acme.tenant.id)
      const client = await signUp(server, code, 'logs@acme.test')
      await client.get('/session')
      await client.post('/logout')
      const all = logs.join('\n')
      assert.ok(all.length > 0, 'the server logged requests')
      for (const secret of [PASSWORD, code, client.csrfToken ?? 'csrf']) {
        assert.ok(!all.includes(secret), 'a secret reached the log')
      }
      await invited(
        server,
        await owner(server, acme.tenant.id, 'logs2@acme.test'),
        'logs3@acme.test',
        'viewer',
      )
      assert.ok(!logs.join('\n').includes('roster_session='), 'no cookie in the log')
    })
  })
}
