/**
 * Behaviours of the HTTP layer that every SCIM client relies on: media types, ETags and If-Match,
 * the tenant URL shapes Entra uses, rate limiting, request ids, concurrent writers, deletion with
 * its archive and manager clean-up, and the audit trail.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { auditChangesOf } from '../../src/directory/audit.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant, withToken } from '../support/server.js'
import {
  assertScimContentType,
  assertScimError,
  auditEvents,
  ENTERPRISE,
  employee,
  LIST,
  patch,
  q,
  SEARCH,
  USER,
} from './helpers.js'

for (const database of TEST_DATABASES) {
  describe(`HTTP protocol [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let seq = 0
    /** A fresh userName per call, so tests do not collide. */
    const uniqueName = (prefix = 'user') => `${prefix}.${++seq}@acme.test`

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
    })
    after(() => server.close())

    const createUser = async (extra: Record<string, unknown> = {}, userName = uniqueName()) => {
      const response = await acme.scim('POST', '/Users', employee(userName, extra))
      assert.equal(response.status, 201, response.text)
      return response.body as { id: string; userName: string; meta: { version: string } }
    }
    const raw = (path: string, init: RequestInit = {}) =>
      fetch(`${server.server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${acme.token}`, ...(init.headers as Record<string, string>) },
      })

    describe('media types', () => {
      for (const contentType of [
        'application/scim+json',
        'application/scim+json; charset=utf-8',
        'application/json',
        'application/json; charset=utf-8',
        'Application/SCIM+JSON',
      ]) {
        it(`accepts request bodies sent as ${contentType}`, async () => {
          const headers = { 'content-type': contentType }
          const created = await acme.scim('POST', '/Users', employee(uniqueName('media')), headers)
          assert.equal(created.status, 201, created.text)
          const patched = await acme.scim(
            'PATCH',
            `/Users/${created.body.id}`,
            patch({ op: 'replace', path: 'title', value: contentType }),
            headers,
          )
          assert.equal(patched.status, 204, patched.text)
          const replaced = await acme.scim(
            'PUT',
            `/Users/${created.body.id}`,
            employee(created.body.userName, { title: 'replaced' }),
            headers,
          )
          assert.equal(replaced.status, 200, replaced.text)
          const searched = await acme.scim(
            'POST',
            '/Users/.search',
            { schemas: [SEARCH], filter: `userName eq "${created.body.userName}"` },
            headers,
          )
          assert.equal(searched.status, 200, searched.text)
          assert.equal(searched.body.totalResults, 1)
        })
      }

      it('serves every response with a body as application/scim+json, success or error', async () => {
        const user = await createUser()
        const responses = [
          await acme.scim('POST', '/Users', employee(uniqueName())),
          await acme.scim('GET', '/Users'),
          await acme.scim('GET', `/Users/${user.id}`),
          await acme.scim('GET', `/Users/${user.id}?attributes=userName`),
          await acme.scim('PUT', `/Users/${user.id}`, employee(user.userName, { title: 'x' })),
          await acme.scim(
            'PATCH',
            `/Users/${user.id}?attributes=title`,
            patch({ op: 'replace', path: 'title', value: 'y' }),
          ),
          await acme.scim('POST', '/Users/.search', { schemas: [SEARCH] }),
          await acme.scim('GET', '/ServiceProviderConfig'),
          await acme.scim('GET', '/ResourceTypes'),
          await acme.scim('GET', '/ResourceTypes/User'),
          await acme.scim('GET', '/Schemas'),
          await acme.scim('GET', `/Schemas/${USER}`),
          await acme.scim('GET', '/Users/nope'),
          await acme.scim('GET', q('userName eq')),
          await acme.scim('DELETE', '/Users'),
          await acme.scim('GET', '/Nowhere'),
          await acme.scim('POST', '/Users', 'not json'),
          await acme.scim('POST', '/Users', '{}', { 'content-type': 'application/xml' }),
          await acme.scim('GET', '/Users', undefined, { authorization: 'Bearer nope' }),
        ]
        for (const response of responses) {
          assert.ok(response.text.length > 0, `${response.status} without a body`)
          assertScimContentType(response)
        }
      })

      it('answers PATCH without attributes and DELETE with 204 and no body', async () => {
        const user = await createUser()
        const patched = await acme.scim(
          'PATCH',
          `/Users/${user.id}`,
          patch({ op: 'replace', path: 'title', value: 'z' }),
        )
        assert.equal(patched.status, 204)
        assert.equal(patched.text, '')
        const deleted = await acme.scim('DELETE', `/Users/${user.id}`)
        assert.equal(deleted.status, 204)
        assert.equal(deleted.text, '')
      })
    })

    describe('ETag and If-Match', () => {
      it('sends an ETag equal to meta.version on POST, GET and PUT, and a new one after each write', async () => {
        const created = await acme.scim('POST', '/Users', employee(uniqueName('etag')))
        assert.equal(created.status, 201)
        const v1 = created.headers.get('etag')
        assert.ok(v1)
        assert.equal(v1, created.body.meta.version)

        const got = await acme.scim('GET', `/Users/${created.body.id}`)
        assert.equal(got.headers.get('etag'), got.body.meta.version)
        assert.equal(got.headers.get('etag'), v1)

        const put = await acme.scim(
          'PUT',
          `/Users/${created.body.id}`,
          employee(created.body.userName, { title: 'A' }),
        )
        assert.equal(put.status, 200, put.text)
        const v2 = put.headers.get('etag')
        assert.equal(v2, put.body.meta.version)
        assert.notEqual(v2, v1)

        const patched = await acme.scim(
          'PATCH',
          `/Users/${created.body.id}`,
          patch({ op: 'replace', path: 'title', value: 'B' }),
        )
        assert.equal(patched.status, 204)
        const v3 = patched.headers.get('etag')
        assert.ok(v3)
        assert.notEqual(v3, v2)
        const after = await acme.scim('GET', `/Users/${created.body.id}`)
        assert.equal(after.headers.get('etag'), v3)
        assert.equal(after.body.meta.version, v3)
      })

      it('a write that changes nothing keeps the ETag', async () => {
        const user = await createUser({ title: 'Same' })
        const patched = await acme.scim(
          'PATCH',
          `/Users/${user.id}`,
          patch({ op: 'replace', path: 'title', value: 'Same' }),
        )
        assert.equal(patched.status, 204)
        assert.equal(patched.headers.get('etag'), user.meta.version)
      })

      it('If-Match with the current ETag succeeds on PUT, PATCH and DELETE', async () => {
        const user = await createUser()
        const put = await acme.scim('PUT', `/Users/${user.id}`, employee(user.userName, { title: 'P' }), {
          'if-match': user.meta.version,
        })
        assert.equal(put.status, 200, put.text)
        const patched = await acme.scim(
          'PATCH',
          `/Users/${user.id}`,
          patch({ op: 'replace', path: 'title', value: 'Q' }),
          {
            'if-match': put.headers.get('etag')!,
          },
        )
        assert.equal(patched.status, 204, patched.text)
        const deleted = await acme.scim('DELETE', `/Users/${user.id}`, undefined, {
          'if-match': patched.headers.get('etag')!,
        })
        assert.equal(deleted.status, 204, deleted.text)
      })

      it('If-Match: * succeeds on PUT, PATCH and DELETE', async () => {
        const user = await createUser()
        const star = { 'if-match': '*' }
        assert.equal((await acme.scim('PUT', `/Users/${user.id}`, employee(user.userName), star)).status, 200)
        assert.equal(
          (
            await acme.scim(
              'PATCH',
              `/Users/${user.id}`,
              patch({ op: 'replace', path: 'title', value: 'S' }),
              star,
            )
          ).status,
          204,
        )
        assert.equal((await acme.scim('DELETE', `/Users/${user.id}`, undefined, star)).status, 204)
      })

      it('If-Match is never required', async () => {
        const user = await createUser()
        assert.equal(
          (await acme.scim('PUT', `/Users/${user.id}`, employee(user.userName, { title: 'N' }))).status,
          200,
        )
        assert.equal(
          (await acme.scim('PATCH', `/Users/${user.id}`, patch({ op: 'replace', path: 'title', value: 'M' })))
            .status,
          204,
        )
        assert.equal((await acme.scim('DELETE', `/Users/${user.id}`)).status, 204)
      })

      it('a stale If-Match is 412 and the user is unchanged', async () => {
        const user = await createUser({ title: 'Original' })
        await acme.scim('PATCH', `/Users/${user.id}`, patch({ op: 'replace', path: 'nickName', value: 'v2' }))
        const stale = { 'if-match': user.meta.version }
        assertScimError(
          await acme.scim(
            'PATCH',
            `/Users/${user.id}`,
            patch({ op: 'replace', path: 'title', value: 'Lost' }),
            stale,
          ),
          412,
        )
        assertScimError(await acme.scim('PUT', `/Users/${user.id}`, employee(user.userName), stale), 412)
        assertScimError(await acme.scim('DELETE', `/Users/${user.id}`, undefined, stale), 412)
        const after = await acme.scim('GET', `/Users/${user.id}`)
        assert.equal(after.body.title, 'Original')
        assert.equal(after.body.nickName, 'v2')
      })
    })

    describe('tenant URL shapes', () => {
      it('?aadOptscim062020 after /Users works, with the filter after it', async () => {
        const user = await createUser()
        const response = await acme.scim(
          'GET',
          `/Users?aadOptscim062020&filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`,
        )
        assert.equal(response.status, 200, response.text)
        assert.equal(response.body.totalResults, 1)
        assert.equal(response.body.Resources[0].id, user.id)
      })

      it('?aadOptscim062020 on the tenant URL before /Users works (raw URL)', async () => {
        const user = await createUser()
        const filter = encodeURIComponent(`userName eq "${user.userName}"`)
        const listed = await raw(`/scim/v2?aadOptscim062020/Users?filter=${filter}`)
        assert.equal(listed.status, 200)
        const body = await json(listed)
        assert.deepEqual(body.schemas, [LIST])
        assert.equal(body.totalResults, 1)
        const single = await raw(`/scim/v2?aadOptscim062020/Users/${user.id}`)
        assert.equal(single.status, 200)
        assert.equal((await json(single)).id, user.id)
        const patched = await raw(`/scim/v2?aadOptscim062020/Users/${user.id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/scim+json' },
          body: JSON.stringify(patch({ op: 'Replace', path: 'title', value: 'Flagged' })),
        })
        assert.equal(patched.status, 204)
        assert.equal((await acme.scim('GET', `/Users/${user.id}`)).body.title, 'Flagged')
      })

      it('ignores unknown query parameters', async () => {
        const user = await createUser()
        const listed = await acme.scim('GET', `/Users?foo=bar&AzureAdScimPatch062020&${'x'.repeat(5)}=1`)
        assert.equal(listed.status, 200, listed.text)
        const got = await acme.scim('GET', `/Users/${user.id}?unknown=1&another`)
        assert.equal(got.status, 200, got.text)
        const patched = await acme.scim(
          'PATCH',
          `/Users/${user.id}?foo=bar`,
          patch({ op: 'replace', path: 'title', value: 'q' }),
        )
        assert.equal(patched.status, 204, patched.text)
      })

      it('/scim/Users (without v2) works', async () => {
        const user = await createUser()
        const listed = await raw('/scim/Users?count=1')
        assert.equal(listed.status, 200)
        assert.deepEqual((await json(listed)).schemas, [LIST])
        const single = await raw(`/scim/Users/${user.id}`)
        assert.equal(single.status, 200)
        assert.equal((await json(single)).id, user.id)
        const spc = await raw('/scim/ServiceProviderConfig')
        assert.equal(spc.status, 200)
      })

      it('a trailing slash works: /scim/v2/Users/ and /scim/v2/Users/{id}/', async () => {
        const user = await createUser()
        const listed = await raw('/scim/v2/Users/')
        assert.equal(listed.status, 200)
        assert.deepEqual((await json(listed)).schemas, [LIST])
        const single = await raw(`/scim/v2/Users/${user.id}/`)
        assert.equal(single.status, 200)
        assert.equal((await json(single)).id, user.id)
        const created = await raw('/scim/v2/Users/', {
          method: 'POST',
          headers: { 'content-type': 'application/scim+json' },
          body: JSON.stringify(employee(uniqueName('slash'))),
        })
        assert.equal(created.status, 201)
      })
    })

    describe('request ids', () => {
      it('echoes the x-request-id a client sends', async () => {
        const response = await acme.scim('GET', '/Users?count=1', undefined, {
          'x-request-id': 'entra-req-42',
        })
        assert.equal(response.headers.get('x-request-id'), 'entra-req-42')
        const error = await acme.scim('GET', '/Users/nope', undefined, { 'x-request-id': 'entra-req-43' })
        assert.equal(error.headers.get('x-request-id'), 'entra-req-43')
      })

      it('generates one when the client sends none', async () => {
        const response = await acme.scim('GET', '/Users?count=1')
        assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
      })
    })

    it('GET /healthz answers 200 {"status":"ok"}', async () => {
      const response = await fetch(`${server.server.url}/healthz`)
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), { status: 'ok' })
    })

    describe('concurrent writers', () => {
      it('20 simultaneous POSTs of one userName (in different cases): one 201, nineteen 409 uniqueness', async () => {
        const base = 'concurrent.hire@acme.test'
        const variants = Array.from({ length: 20 }, (_, i) =>
          [...base].map((ch, j) => ((i >> (j % 5)) & 1 ? ch.toUpperCase() : ch)).join(''),
        )
        variants[19] = base.toUpperCase()
        const responses = await Promise.all(
          variants.map((userName) => acme.scim('POST', '/Users', employee(userName))),
        )
        const created = responses.filter((response) => response.status === 201)
        const conflicts = responses.filter((response) => response.status === 409)
        assert.equal(created.length, 1, responses.map((response) => response.status).join(','))
        assert.equal(conflicts.length, 19)
        for (const conflict of conflicts) assertScimError(conflict, 409, 'uniqueness', /userName/)
        const rows = await server.server.db
          .selectFrom('users')
          .selectAll()
          .where('tenant_id', '=', acme.tenant.id)
          .where('user_name_lower', '=', base)
          .execute()
        assert.equal(rows.length, 1)
        const events = (await auditEvents(server.server.db, acme.tenant.id)).filter(
          (event) => event.operation === 'create' && event.resource_id === rows[0]!.id,
        )
        assert.equal(events.length, 1)
      })

      it('20 simultaneous PATCHes of different attributes of one user all succeed, and no update is lost', async () => {
        const user = await createUser()
        const changes: [string, string][] = [
          ['nickName', 'Nick'],
          ['title', 'Engineer'],
          ['displayName', 'Display Name'],
          ['userType', 'Employee'],
          ['preferredLanguage', 'en-US'],
          ['locale', 'en-GB'],
          ['timezone', 'Europe/London'],
          ['profileUrl', 'https://example.com/u'],
          ['externalId', 'ext-20'],
          ['name.formatted', 'Formatted Name'],
          ['name.middleName', 'Middle'],
          ['name.honorificPrefix', 'Dr'],
          ['name.honorificSuffix', 'PhD'],
          [`${ENTERPRISE}:department`, 'Engineering'],
          [`${ENTERPRISE}:costCenter`, 'CC-1'],
          [`${ENTERPRISE}:division`, 'Division'],
          [`${ENTERPRISE}:organization`, 'Org'],
          [`${ENTERPRISE}:employeeNumber`, 'E-20'],
          ['phoneNumbers[type eq "mobile"].value', '+14155552671'],
          ['addresses[type eq "work"].locality', 'Boston'],
        ]
        assert.equal(changes.length, 20)
        const responses = await Promise.all(
          changes.map(([path, value]) =>
            acme.scim('PATCH', `/Users/${user.id}`, patch({ op: 'replace', path, value })),
          ),
        )
        assert.deepEqual(
          responses.map((response) => response.status),
          changes.map(() => 204),
          responses.map((response) => response.text).join('\n'),
        )
        const after = (await acme.scim('GET', `/Users/${user.id}`)).body
        assert.equal(after.nickName, 'Nick')
        assert.equal(after.title, 'Engineer')
        assert.equal(after.displayName, 'Display Name')
        assert.equal(after.userType, 'Employee')
        assert.equal(after.preferredLanguage, 'en-US')
        assert.equal(after.locale, 'en-GB')
        assert.equal(after.timezone, 'Europe/London')
        assert.equal(after.profileUrl, 'https://example.com/u')
        assert.equal(after.externalId, 'ext-20')
        assert.deepEqual(after.name, {
          givenName: 'Given',
          familyName: user.userName.split('@')[0],
          formatted: 'Formatted Name',
          middleName: 'Middle',
          honorificPrefix: 'Dr',
          honorificSuffix: 'PhD',
        })
        assert.deepEqual(after[ENTERPRISE], {
          department: 'Engineering',
          costCenter: 'CC-1',
          division: 'Division',
          organization: 'Org',
          employeeNumber: 'E-20',
        })
        assert.deepEqual(after.phoneNumbers, [{ type: 'mobile', value: '+14155552671' }])
        assert.deepEqual(after.addresses, [{ type: 'work', locality: 'Boston' }])
        assert.equal(after.meta.version, 'W/"21"')
      })
    })

    describe('deletion', () => {
      it('keeps an archived record, and the userName can be reused by a new POST', async () => {
        const userName = uniqueName('leaver')
        const user = await createUser({ title: 'Leaving' }, userName)
        assert.equal((await acme.scim('DELETE', `/Users/${user.id}`)).status, 204)
        assertScimError(await acme.scim('GET', `/Users/${user.id}`), 404)
        assertScimError(await acme.scim('DELETE', `/Users/${user.id}`), 404)
        assert.equal((await acme.scim('GET', q(`userName eq "${userName}"`))).body.totalResults, 0)

        const archived = await server.server.db
          .selectFrom('archived_users')
          .selectAll()
          .where('id', '=', user.id)
          .executeTakeFirstOrThrow()
        assert.equal(archived.tenant_id, acme.tenant.id)
        assert.equal(archived.user_name, userName)
        assert.equal(archived.deleted_by_token, acme.tokenId)
        assert.equal(JSON.parse(archived.resource).title, 'Leaving')

        const again = await acme.scim('POST', '/Users', employee(userName.toUpperCase()))
        assert.equal(again.status, 201, again.text)
        assert.notEqual(again.body.id, user.id)
      })

      it('deleting a manager clears manager on their direct reports: no dangling reference', async () => {
        const boss = await createUser()
        const report = await createUser({ [ENTERPRISE]: { manager: { value: boss.id } } })
        const reportWithDepartment = await createUser({
          [ENTERPRISE]: { department: 'Ops', manager: boss.id },
        })
        const before = await acme.scim('GET', `/Users/${report.id}`)
        assert.equal(before.body[ENTERPRISE].manager.value, boss.id)

        assert.equal((await acme.scim('DELETE', `/Users/${boss.id}`)).status, 204)

        const first = await acme.scim('GET', `/Users/${report.id}`)
        assert.equal(first.body[ENTERPRISE], undefined)
        assert.ok(!first.body.schemas.includes(ENTERPRISE))
        assert.notEqual(first.headers.get('etag'), before.headers.get('etag'))
        const second = await acme.scim('GET', `/Users/${reportWithDepartment.id}`)
        assert.deepEqual(second.body[ENTERPRISE], { department: 'Ops' })
        const managed = await acme.scim('GET', q(`${ENTERPRISE}:manager eq "${boss.id}"`))
        assert.equal(managed.body.totalResults, 0)
        const rows = await server.server.db
          .selectFrom('users')
          .select('id')
          .where('manager_id', '=', boss.id)
          .execute()
        assert.deepEqual(rows, [])
      })
    })

    it('the audit trail records create, patch and delete with the token id, request id and path/old/new', async () => {
      const created = await acme.scim('POST', '/Users', employee(uniqueName('audit'), { title: 'First' }), {
        'x-request-id': 'audit-create',
      })
      assert.equal(created.status, 201)
      const id = created.body.id as string
      const patched = await acme.scim(
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'replace', path: 'title', value: 'Second' }),
        {
          'x-request-id': 'audit-patch',
        },
      )
      assert.equal(patched.status, 204)
      const deleted = await acme.scim('DELETE', `/Users/${id}`, undefined, { 'x-request-id': 'audit-delete' })
      assert.equal(deleted.status, 204)

      const events = (await auditEvents(server.server.db, acme.tenant.id)).filter(
        (event) => event.resource_id === id,
      )
      assert.deepEqual(
        events.map((event) => [event.operation, event.request_id, event.token_id, event.resource_type]),
        [
          ['create', 'audit-create', acme.tokenId, 'User'],
          ['patch', 'audit-patch', acme.tokenId, 'User'],
          ['delete', 'audit-delete', acme.tokenId, 'User'],
        ],
      )
      const [create = [], update, remove = []] = events.map((event) => auditChangesOf(event.changes))
      // A create is stored as the new resource and read back as every attribute, null → value.
      assert.ok(create.some((change: unknown) => isChange(change, 'title', null, 'First')))
      assert.ok(create.some((change: unknown) => isChange(change, 'userName', null, created.body.userName)))
      assert.deepEqual(update, [{ path: 'title', old: 'First', new: 'Second' }])
      assert.ok(remove.some((change: unknown) => isChange(change, 'title', 'Second', null)))
    })

    it('a failed write records no audit event', async () => {
      const before = (await auditEvents(server.server.db)).length
      const user = await createUser()
      const after = (await auditEvents(server.server.db)).length
      assert.equal(after, before + 1)
      assertScimError(
        await acme.scim(
          'PATCH',
          `/Users/${user.id}`,
          patch({ op: 'replace', path: 'active', value: 'nope' }),
        ),
        400,
        'invalidValue',
      )
      assert.equal((await auditEvents(server.server.db)).length, after)
    })
  })
}

/** The fields these tests read from a raw fetch's JSON body. */
async function json(response: Response) {
  return (await response.json()) as { schemas?: string[]; totalResults?: number; id?: string }
}

function isChange(change: unknown, path: string, old: unknown, next: unknown): boolean {
  const value = change as { path?: unknown; old?: unknown; new?: unknown }
  return value.path === path && value.old === old && value.new === next
}

for (const database of TEST_DATABASES) {
  describe(`rate limiting [${database}]`, () => {
    let server: TestServer
    before(async () => {
      server = await startTestServer({ RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' }, { database })
    })
    after(() => server.close())

    it('the 6th request of a token in the window is 429 with a SCIM error and Retry-After; another token is not limited', async () => {
      const acme = await server.addTenant('acme')
      for (let i = 1; i <= 5; i++) {
        const response = await acme.scim('GET', '/Users?count=1')
        assert.equal(response.status, 200, `request ${i}: ${response.text}`)
      }
      const limited = await acme.scim('GET', '/Users?count=1')
      assertScimError(limited, 429, undefined, /rate limit/)
      const retryAfter = limited.headers.get('retry-after')
      assert.ok(retryAfter !== null, 'Retry-After header missing')
      assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 60, `Retry-After: ${retryAfter}`)
      // Writes are limited too, and a limited write writes nothing.
      const write = await acme.scim('POST', '/Users', employee('limited@acme.test'))
      assertScimError(write, 429)
      const other = await withToken(server.server, server.scimUrl, acme.tenant, ['scim'])
      const fresh = await other.scim('GET', '/Users?filter=userName%20eq%20%22limited@acme.test%22')
      assert.equal(fresh.status, 200, fresh.text)
      assert.equal(fresh.body.totalResults, 0)
    })
  })
}
