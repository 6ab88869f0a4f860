/**
 * Client mistakes on the admin API: each is a 400 (or the documented status) naming the field,
 * never a 500, and nothing is written.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Db } from '../../src/store/database.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { type ApiClient, assertApiError, owner, ownerSetupCode, PASSWORD } from './api-client.js'

/** Every console table and the tokens: what a refused request must leave as it was. */
async function consoleState(db: Db) {
  return {
    accounts: await db.selectFrom('console_accounts').selectAll().orderBy('id').execute(),
    links: await db.selectFrom('setup_links').selectAll().orderBy('code_hash').execute(),
    tokens: await db.selectFrom('access_tokens').selectAll().orderBy('id').execute(),
    audit: await db.selectFrom('audit_events').selectAll().orderBy('seq').execute(),
  }
}

interface BadRequest {
  name: string
  method: 'GET' | 'POST' | 'PATCH'
  path: string | (() => string)
  body?: unknown
  raw?: string
  status?: number
  code?: string
  field?: string
}

for (const database of TEST_DATABASES) {
  describe(`admin API bad input [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let boss: ApiClient
    let accountId: string
    let setupCode: string

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
      boss = await owner(server, acme.tenant.id, 'boss@acme.test')
      accountId = (await boss.get('/session')).body.account.id
      setupCode = await ownerSetupCode(server, acme.tenant.id)
    })
    after(() => server.close())

    const token = (body: Record<string, unknown>) => ({ name: 'Entra', scopes: ['scim'], ...body })
    const rows: BadRequest[] = [
      {
        name: 'token name of the wrong type',
        method: 'POST',
        path: '/tokens',
        body: token({ name: 42 }),
        field: 'name',
      },
      {
        name: 'empty token name',
        method: 'POST',
        path: '/tokens',
        body: token({ name: '   ' }),
        field: 'name',
      },
      {
        name: 'token name too long',
        method: 'POST',
        path: '/tokens',
        body: token({ name: 'n'.repeat(101) }),
        field: 'name',
      },
      {
        name: 'description too long',
        method: 'POST',
        path: '/tokens',
        body: token({ description: 'd'.repeat(501) }),
        field: 'description',
      },
      {
        name: 'description not a string',
        method: 'POST',
        path: '/tokens',
        body: token({ description: ['x'] }),
        field: 'description',
      },
      {
        name: 'unknown scope',
        method: 'POST',
        path: '/tokens',
        body: token({ scopes: ['root'] }),
        field: 'scopes',
      },
      { name: 'empty scopes', method: 'POST', path: '/tokens', body: token({ scopes: [] }), field: 'scopes' },
      {
        name: 'scopes as a string',
        method: 'POST',
        path: '/tokens',
        body: token({ scopes: 'scim' }),
        field: 'scopes',
      },
      {
        name: 'token name with U+0000',
        method: 'POST',
        path: '/tokens',
        body: token({ name: 'a\u0000b' }),
        field: 'name',
      },
      { name: 'body is an array', method: 'POST', path: '/tokens', body: [token({})], code: 'invalidJson' },
      { name: 'body is not JSON', method: 'POST', path: '/tokens', raw: '{"name": ', code: 'invalidJson' },
      {
        name: 'unknown role on invite',
        method: 'POST',
        path: '/accounts/invite',
        body: { email: 'x@acme.test', role: 'god' },
        field: 'role',
      },
      {
        name: 'invite without an email',
        method: 'POST',
        path: '/accounts/invite',
        body: { role: 'viewer' },
        field: 'email',
      },
      {
        name: 'invite with a bad email',
        method: 'POST',
        path: '/accounts/invite',
        body: { email: 'not an email', role: 'viewer' },
        field: 'email',
      },
      {
        name: 'unknown role on change',
        method: 'PATCH',
        path: () => `/accounts/${accountId}`,
        body: { role: 'superuser' },
        field: 'role',
      },
      {
        name: 'role of the wrong type',
        method: 'PATCH',
        path: () => `/accounts/${accountId}`,
        body: { role: 1 },
        field: 'role',
      },
      { name: 'page 0', method: 'GET', path: '/employees?page=0', field: 'page' },
      { name: 'page not a number', method: 'GET', path: '/employees?page=two', field: 'page' },
      { name: 'negative page', method: 'GET', path: '/employees?page=-1', field: 'page' },
      { name: 'pageSize above 200', method: 'GET', path: '/employees?pageSize=201', field: 'pageSize' },
      { name: 'fractional pageSize', method: 'GET', path: '/employees?pageSize=2.5', field: 'pageSize' },
      { name: 'unknown sort', method: 'GET', path: '/employees?sort=salary', field: 'sort' },
      { name: 'unknown order', method: 'GET', path: '/employees?order=sideways', field: 'order' },
      { name: 'unknown status', method: 'GET', path: '/employees?status=fired', field: 'status' },
      { name: 'repeated page', method: 'GET', path: '/employees?page=1&page=2', field: 'page' },
      { name: 'search too long', method: 'GET', path: `/employees?q=${'q'.repeat(201)}`, field: 'q' },
      { name: 'search with U+0000', method: 'GET', path: '/employees?q=a%00', field: 'q' },
      { name: 'bad from date', method: 'GET', path: '/activity?from=yesterday', field: 'from' },
      { name: 'impossible to date', method: 'GET', path: '/activity?to=2026-13-45', field: 'to' },
      { name: 'unknown operation', method: 'GET', path: '/activity?operation=read', field: 'operation' },
      { name: 'unknown outcome', method: 'GET', path: '/activity?outcome=maybe', field: 'outcome' },
      { name: 'after not a number', method: 'GET', path: '/activity?after=latest', field: 'after' },
      { name: 'limit above 1000', method: 'GET', path: '/activity?limit=5000', field: 'limit' },
      { name: 'bad dates in the CSV export', method: 'GET', path: '/activity.csv?from=soon', field: 'from' },
    ]

    for (const row of rows) {
      it(`${row.name} → ${row.status ?? 400} ${row.code ?? 'invalidValue'}${row.field ? ` naming ${row.field}` : ''}`, async () => {
        const before = await consoleState(server.server.db)
        const path = typeof row.path === 'function' ? row.path() : row.path
        const response =
          row.raw === undefined
            ? await boss.request(row.method, path, row.body)
            : await boss.request(row.method, path, undefined, { raw: row.raw })
        assertApiError(response, row.status ?? 400, row.code ?? 'invalidValue', row.field)
        assert.deepEqual(await consoleState(server.server.db), before, 'nothing changed')
      })
    }

    it('setup with a short password, an empty name or a bad email is 400 and leaves the link unused', async () => {
      const client = new (boss.constructor as typeof import('./api-client.js').ApiClient)(boss.base)
      const base = { code: setupCode, email: 'new@acme.test', displayName: 'New', password: PASSWORD }
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, password: 'short' }, 'password'],
        [{ ...base, password: 12345678901234 }, 'password'],
        [{ ...base, displayName: '' }, 'displayName'],
        [{ ...base, displayName: 'x'.repeat(101) }, 'displayName'],
        [{ ...base, email: 'nope' }, 'email'],
        [{ ...base, code: 7 }, 'code'],
      ]
      for (const [body, field] of cases) {
        const before = await consoleState(server.server.db)
        assertApiError(await client.post('/setup', body), 400, 'invalidValue', field)
        assert.deepEqual(await consoleState(server.server.db), before)
      }
      assert.equal((await client.get(`/setup/${setupCode}`)).status, 200, 'still usable')
    })

    it('login with missing or mistyped fields is 400 naming the field', async () => {
      const client = new (boss.constructor as typeof import('./api-client.js').ApiClient)(boss.base)
      assertApiError(
        await client.post('/login', { email: 'a@b.c', password: PASSWORD }),
        400,
        'invalidValue',
        'tenant',
      )
      assertApiError(
        await client.post('/login', { tenant: 'acme', email: 5, password: PASSWORD }),
        400,
        'invalidValue',
        'email',
      )
      assertApiError(
        await client.post('/login', { tenant: 'acme', email: 'a@b.c' }),
        400,
        'invalidValue',
        'password',
      )
    })

    it('unknown endpoints and ids are JSON 404s; no session is 401', async () => {
      assertApiError(await boss.get('/nothing'), 404, 'notFound')
      assertApiError(await boss.get('/employees/%00'), 404, 'notFound')
      assertApiError(await boss.post('/tokens/%00/revoke'), 404, 'notFound')
      const stranger = new (boss.constructor as typeof import('./api-client.js').ApiClient)(boss.base)
      for (const path of [
        '/employees',
        '/tokens',
        '/activity',
        '/org-chart',
        '/accounts',
        '/session',
        '/activity.csv',
      ]) {
        assertApiError(await stranger.get(path), 401, 'notAuthenticated')
      }
    })
  })
}
