import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import net from 'node:net'
import { after, before, beforeEach, describe, it } from 'node:test'
import {
  type TestConnectionResult,
  testConnection,
} from '../../../src/provisioning/target/test-connection.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { startTestServer, type TestServer, type TestTenant } from '../../support/server.js'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Asserts a failure with this reason and returns it; the token must appear nowhere in it. */
function assertFailure(result: TestConnectionResult, reason: string, token: string) {
  assert.ok(!result.ok, `expected ${reason}, got success`)
  assert.equal(result.reason, reason, result.message)
  assert.ok(result.message.length > 0 && result.recommendedAction.length > 0)
  assert.ok(!JSON.stringify(result).includes(token), `the token leaked: ${JSON.stringify(result)}`)
  return result
}

/** A plain HTTP server that answers every request with `handler`, for targets that are not SCIM at all. */
async function startPlainServer(
  handler: http.RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

describe('Test Connection against the real Roster app', () => {
  let roster: TestServer
  let tenant: TestTenant
  before(async () => {
    roster = await startTestServer({}, { database: 'sqlite' })
    tenant = await roster.addTenant('acme')
  })
  after(async () => {
    await roster.close()
  })

  it('succeeds with the tenant URL and a valid token, for users and groups', async () => {
    assert.deepEqual(await testConnection({ tenantUrl: roster.scimUrl, secretToken: tenant.token }), {
      ok: true,
      warnings: [],
    })
    const groups = await testConnection({
      tenantUrl: `${roster.scimUrl}/`,
      secretToken: tenant.token,
      checkGroups: true,
    })
    assert.equal(groups.ok, true)
  })

  it('says the token is wrong or revoked on 401, without showing it', async () => {
    const wrong = `${tenant.token.slice(0, -4)}abcd`
    const result = assertFailure(
      await testConnection({ tenantUrl: roster.scimUrl, secretToken: wrong }),
      'unauthorized',
      wrong,
    )
    assert.equal(result.status, 401)
    assert.match(result.recommendedAction, /wrong, expired or revoked/)
    assert.ok(!JSON.stringify(result).includes(tenant.token))
  })

  it('points at /scim/v2 when the path is wrong', async () => {
    const root = assertFailure(
      await testConnection({ tenantUrl: roster.server.url, secretToken: tenant.token }),
      'notFound',
      tenant.token,
    )
    assert.equal(root.status, 404)
    assert.ok(root.recommendedAction.includes(`try ${roster.server.url}/scim/v2`), root.recommendedAction)

    const version = await testConnection({
      tenantUrl: `${roster.server.url}/scim/v3`,
      secretToken: tenant.token,
    })
    assert.ok(!version.ok)
    assert.ok(
      version.recommendedAction.includes(`try ${roster.server.url}/scim/v2`),
      version.recommendedAction,
    )
  })
})

describe('Test Connection failures', () => {
  let target: FaultyScimTarget
  before(async () => {
    target = await startFaultyScimTarget()
  })
  after(async () => {
    await target.close()
  })
  beforeEach(() => target.reset())

  const probe = (extra: Partial<Parameters<typeof testConnection>[0]> = {}) =>
    testConnection({ tenantUrl: target.url, secretToken: target.token, timeoutMs: 2_000, ...extra })

  it('sends Entra’s query: GET /Users?filter=userName+eq+"<random GUID>", then accepts an empty list', async () => {
    assert.deepEqual(await probe(), { ok: true, warnings: [] })
    const [request] = target.requests
    assert.equal(request?.method, 'GET')
    assert.equal(request?.path, '/Users')
    assert.match(request?.rawUrl ?? '', /^\/scim\/v2\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/)
    const value = /"(.*)"/.exec(request?.query['filter'] ?? '')?.[1] ?? ''
    assert.match(value, GUID)
    await probe()
    assert.notEqual(target.requests[1]?.query['filter'], request?.query['filter'], 'a new GUID each time')
  })

  it('probes the matching attribute it is given, and /Groups by displayName without members', async () => {
    assert.equal((await probe({ matchingAttribute: 'externalId', checkGroups: true })).ok, true)
    assert.match(target.requests[0]?.query['filter'] ?? '', /^externalId eq "/)
    assert.equal(target.requests[1]?.path, '/Groups')
    assert.match(target.requests[1]?.query['filter'] ?? '', /^displayName eq "/)
    assert.equal(target.requests[1]?.query['excludedAttributes'], 'members')
  })

  it('refuses a connection to a closed port', async () => {
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const result = assertFailure(
      await probe({ tenantUrl: `http://127.0.0.1:${port}/scim/v2` }),
      'connectionRefused',
      target.token,
    )
    assert.match(result.message, new RegExp(`127\\.0\\.0\\.1:${port}`))
  })

  it('reports a host name that does not resolve', async () => {
    const lookup: net.LookupFunction = (hostname, _options, callback) =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4)
    const result = assertFailure(
      await probe({ tenantUrl: 'https://hr.invalid/scim/v2', lookup }),
      'dns',
      target.token,
    )
    assert.match(result.message, /"hr\.invalid" could not be resolved/)
  })

  it('reports a TLS failure when https:// meets a server that does not speak TLS', async () => {
    const tlsless = target.url.replace('http://', 'https://')
    assertFailure(await probe({ tenantUrl: tlsless }), 'tls', target.token)
  })

  it('reports a target that does not answer in time', async () => {
    target.inject({ fault: { kind: 'hang' } })
    const result = assertFailure(await probe({ timeoutMs: 200 }), 'timeout', target.token)
    assert.match(result.message, /did not answer within 0\.2 s/)
  })

  it('reports a connection dropped before the answer', async () => {
    target.inject({ fault: { kind: 'reset' } })
    assertFailure(await probe(), 'connectionReset', target.token)
  })

  it('reports 403 as a token without rights, 405 as a wrong URL, 429 with its wait, 5xx as the app’s fault', async () => {
    target.inject({ fault: { kind: 'status', status: 403, detail: 'token lacks scim scope' } })
    const forbidden = assertFailure(await probe(), 'forbidden', target.token)
    assert.match(forbidden.message, /token lacks scim scope/)

    target.inject({ fault: { kind: 'status', status: 405 } })
    assert.match(
      assertFailure(await probe(), 'methodNotAllowed', target.token).recommendedAction,
      /\/scim\/v2/,
    )

    target.inject({ fault: { kind: 'status', status: 429, retryAfter: 30 } })
    assert.match(assertFailure(await probe(), 'throttled', target.token).message, /Retry-After: 30/)

    for (const status of [500, 502, 503]) {
      target.inject({ fault: { kind: 'status', status } })
      assert.equal(assertFailure(await probe(), 'serverError', target.token).status, status)
    }
  })

  it('reports a 404 for an empty filter result as a SCIM violation as well as a possible path error', async () => {
    target.inject({ fault: { kind: 'status', status: 404, detail: 'user not found' } })
    const result = assertFailure(await probe(), 'notFound', target.token)
    assert.match(result.message, /user not found/)
    assert.match(result.recommendedAction, /SCIM requires 200 with an empty list/)
  })

  it('reports a filter the app refuses', async () => {
    target.inject({ fault: { kind: 'status', status: 400 } })
    assert.match(assertFailure(await probe(), 'filterRejected', target.token).recommendedAction, /userName/)
  })

  it('reports a redirect with where it leads', async () => {
    target.inject({
      fault: { kind: 'raw', status: 301, headers: { location: 'https://hr.example.com/scim/v2/Users' } },
    })
    const result = assertFailure(await probe(), 'redirect', target.token)
    assert.match(result.message, /redirecting to https:\/\/hr\.example\.com\/scim\/v2\/Users/)
  })

  it('reports non-JSON, JSON with the wrong Content-Type, and JSON that is not a ListResponse', async () => {
    target.inject({
      fault: { kind: 'raw', status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' },
    })
    assertFailure(await probe(), 'notJson', target.token)

    const emptyList = JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      Resources: [],
    })
    target.inject({
      fault: { kind: 'raw', status: 200, headers: { 'content-type': 'text/plain' }, body: emptyList },
    })
    assert.match(assertFailure(await probe(), 'wrongContentType', target.token).message, /"text\/plain"/)

    target.inject({
      fault: { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: emptyList },
    })
    const tolerated = await probe()
    assert.ok(tolerated.ok)
    assert.match(tolerated.warnings.join(' '), /application\/json/)

    target.inject({
      fault: {
        kind: 'raw',
        status: 200,
        headers: { 'content-type': 'application/scim+json' },
        body: '{"data":[]}',
      },
    })
    assertFailure(await probe(), 'notListResponse', target.token)
  })

  it('reports an app that ignores the filter and lists users that cannot match', async () => {
    const everyone = JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 2,
      Resources: [
        { id: '1', userName: 'a' },
        { id: '2', userName: 'b' },
      ],
    })
    target.inject({
      fault: {
        kind: 'raw',
        status: 200,
        headers: { 'content-type': 'application/scim+json' },
        body: everyone,
      },
    })
    const result = assertFailure(await probe(), 'filterIgnored', target.token)
    assert.match(result.message, /returned 2 user\(s\): it ignores the filter/)

    const directory = { schemas: [], totalResults: 40_000, Resources: [] as unknown[] }
    for (let i = 0; i < 40_000; i += 1)
      directory.Resources.push({ id: String(i), userName: `user${i}@example.com` })
    const body = JSON.stringify(directory)
    target.inject({
      fault: { kind: 'raw', status: 200, headers: { 'content-type': 'application/scim+json' }, body },
    })
    const huge = assertFailure(await probe(), 'filterIgnored', target.token)
    assert.match(huge.message, /more than 1024 KiB/)
  })

  it('refuses a malformed tenant URL and a blank token before sending anything', async () => {
    assertFailure(await probe({ tenantUrl: 'hr.example.com/scim' }), 'invalidUrl', target.token)
    assertFailure(await probe({ tenantUrl: 'ftp://hr.example.com/scim' }), 'invalidUrl', target.token)
    assertFailure(await probe({ secretToken: ' ' }), 'missingToken', target.token)
    assert.equal(target.count(), 0)
  })
})

describe('Test Connection against a server that is not SCIM', () => {
  let website: { url: string; close(): Promise<void> }
  before(async () => {
    website = await startPlainServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end('<!doctype html><html><body><h1>Welcome to Acme HR</h1></body></html>')
    })
  })
  after(async () => {
    await website.close()
  })

  it('says the URL is a web page, not the SCIM API', async () => {
    const result = assertFailure(
      await testConnection({ tenantUrl: website.url, secretToken: 'secret-token-value' }),
      'notJson',
      'secret-token-value',
    )
    assert.match(result.message, /a web page/)
    assert.match(result.recommendedAction, /\/scim\/v2/)
  })
})
