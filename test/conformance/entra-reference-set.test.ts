/**
 * docs entra-scim.md §9 "Reference request/response set", items 1–12, one test each, over real
 * HTTP against a real Roster on loopback (tenant with the default AlexisHR rules).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

/** The S1 sample create body (entra-scim.md §3.3). */
const s1User = (suffix: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: `0a21f0f2-8d2a-4f8e-bf98-${suffix}`,
  userName: `Test_User_${suffix}`,
  active: true,
  emails: [{ primary: true, type: 'work', value: `Test_User_${suffix}@testuser.com` }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
})

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })
const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`

for (const database of TEST_DATABASES) {
  describe(`Entra reference set (entra-scim.md §9) [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
    })
    after(() => server.close())

    const create = async (suffix: string) => {
      const response = await acme.scim('POST', '/Users', s1User(suffix))
      assert.equal(response.status, 201, response.text)
      return response.body as { id: string; userName: string; externalId: string }
    }

    it('1. a filter on a random GUID userName answers 200 with an empty ListResponse', async () => {
      const response = await acme.scim('GET', q('userName eq "cf4d78e8-cc4f-4d5d-b8b9-183561c0104a"'))
      assert.equal(response.status, 200)
      assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/)
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse'])
      assert.equal(response.body.totalResults, 0)
      assert.deepEqual(response.body.Resources, [])
      assert.equal(response.body.startIndex, 1)
    })

    it('2. the S1 sample POST answers 201 with id, externalId, userName and the work email echoed', async () => {
      const response = await acme.scim('POST', '/Users', s1User('000000000002'))
      assert.equal(response.status, 201)
      assert.equal(typeof response.body.id, 'string')
      assert.equal(response.body.externalId, '0a21f0f2-8d2a-4f8e-bf98-000000000002')
      assert.equal(response.body.userName, 'Test_User_000000000002')
      assert.equal(response.body.emails[0].type, 'work')
      assert.equal(response.headers.get('location'), `${server.scimUrl}/Users/${response.body.id}`)
      assert.equal(response.body.meta.resourceType, 'User')
    })

    it('3. the same POST again answers 409 uniqueness with a string status', async () => {
      await create('000000000003')
      const response = await acme.scim('POST', '/Users', s1User('000000000003'))
      assert.equal(response.status, 409)
      assert.deepEqual(response.body.schemas, [ERROR])
      assert.equal(response.body.status, '409')
      assert.equal(response.body.scimType, 'uniqueness')
      assert.match(response.body.detail, /userName/)
    })

    it('4. a userName filter with the value upper-cased finds the user', async () => {
      const user = await create('000000000004')
      const response = await acme.scim('GET', q(`userName eq "${user.userName.toUpperCase()}"`))
      assert.equal(response.status, 200)
      assert.equal(response.body.totalResults, 1)
      assert.equal(response.body.Resources[0].id, user.id)
    })

    it('5. filters on externalId and on the work email find the user', async () => {
      const user = await create('000000000005')
      const byExternalId = await acme.scim('GET', q(`externalId eq "${user.externalId}"`))
      assert.equal(byExternalId.body.totalResults, 1)
      assert.equal(byExternalId.body.Resources[0].id, user.id)
      const byEmail = await acme.scim(
        'GET',
        q('emails[type eq "work"].value eq "Test_User_000000000005@testuser.com"'),
      )
      assert.equal(byEmail.body.totalResults, 1)
      assert.equal(byEmail.body.Resources[0].id, user.id)
    })

    it('6. the default-mode PATCH (six Replace ops) changes all six attributes', async () => {
      const user = await create('000000000006')
      const response = await acme.scim(
        'PATCH',
        `/Users/${user.id}`,
        patch(
          { op: 'Replace', path: 'displayName', value: 'Pvlo' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
          { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
          { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
          { op: 'Replace', path: 'externalId', value: 'Eqpj' },
          { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
        ),
      )
      assert.ok([200, 204].includes(response.status), response.text)
      const got = (await acme.scim('GET', `/Users/${user.id}`)).body
      assert.equal(got.displayName, 'Pvlo')
      assert.equal(
        got.emails.find((e: { type: string }) => e.type === 'work').value,
        'TestBcwqnm@test.microsoft.com',
      )
      assert.equal(got.name.givenName, 'Gtfd')
      assert.equal(got.name.familyName, 'Pkqf')
      assert.equal(got.externalId, 'Eqpj')
      assert.equal(got[ENTERPRISE].employeeNumber, 'Eqpj')
    })

    it('7. the flag-mode PATCH (path-less value with dotted and URN keys) gives the same result', async () => {
      const user = await create('000000000007')
      const response = await acme.scim(
        'PATCH',
        `/Users/${user.id}`,
        patch(
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
          {
            op: 'replace',
            value: {
              displayName: 'Bjfe',
              'name.givenName': 'Kkom',
              'name.familyName': 'Unua',
              [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
            },
          },
        ),
      )
      assert.ok([200, 204].includes(response.status), response.text)
      const got = (await acme.scim('GET', `/Users/${user.id}`)).body
      assert.equal(got.displayName, 'Bjfe')
      assert.equal(
        got.emails.find((e: { type: string }) => e.type === 'work').value,
        'TestMhvaes@test.microsoft.com',
      )
      assert.equal(got.name.givenName, 'Kkom')
      assert.equal(got.name.familyName, 'Unua')
      assert.equal(got[ENTERPRISE].employeeNumber, 'Aklq')
    })

    it('8. Add nickName works with "Add" and with "add"', async () => {
      const user = await create('000000000008')
      assert.ok(
        [200, 204].includes(
          (
            await acme.scim(
              'PATCH',
              `/Users/${user.id}`,
              patch({ op: 'Add', path: 'nickName', value: 'Babs' }),
            )
          ).status,
        ),
      )
      assert.equal((await acme.scim('GET', `/Users/${user.id}`)).body.nickName, 'Babs')
      assert.ok(
        [200, 204].includes(
          (
            await acme.scim(
              'PATCH',
              `/Users/${user.id}`,
              patch({ op: 'add', path: 'nickName', value: 'Barbara' }),
            )
          ).status,
        ),
      )
      assert.equal((await acme.scim('GET', `/Users/${user.id}`)).body.nickName, 'Barbara')
    })

    it('9. Replace active "False" keeps the user visible by id and filter; "True" and false flip it', async () => {
      const user = await create('000000000009')
      const setActive = (value: unknown) =>
        acme.scim('PATCH', `/Users/${user.id}`, patch({ op: 'Replace', path: 'active', value }))
      assert.ok([200, 204].includes((await setActive('False')).status))
      assert.equal((await acme.scim('GET', `/Users/${user.id}`)).body.active, false)
      const filtered = await acme.scim('GET', q(`userName eq "${user.userName}"`))
      assert.equal(filtered.body.totalResults, 1)
      assert.equal(filtered.body.Resources[0].active, false)
      assert.ok([200, 204].includes((await setActive('True')).status))
      assert.equal((await acme.scim('GET', `/Users/${user.id}`)).body.active, true)
      assert.ok([200, 204].includes((await setActive(false)).status))
      assert.equal((await acme.scim('GET', `/Users/${user.id}`)).body.active, false)
    })

    it('10. every manager shape sets or clears manager.value, and the id-and-manager check follows', async () => {
      const boss = await create('00000000010a')
      const user = await create('00000000010b')
      const managerOf = async () =>
        (await acme.scim('GET', `/Users/${user.id}`)).body[ENTERPRISE]?.manager?.value
      const check = async () =>
        (await acme.scim('GET', `${q(`id eq "${user.id}" and manager eq "${boss.id}"`)}&attributes=id`)).body
      const apply = async (op: unknown) => {
        const response = await acme.scim('PATCH', `/Users/${user.id}`, patch(op))
        assert.ok([200, 204].includes(response.status), response.text)
      }
      const url = `${server.scimUrl}/Users/${boss.id}`
      const managerPath = `${ENTERPRISE}:manager`
      const shapes: [string, unknown, string | undefined][] = [
        [
          'array with $ref on unqualified path',
          { op: 'Add', path: 'manager', value: [{ $ref: url, value: boss.id }] },
          boss.id,
        ],
        [
          'remove on the value-filtered path',
          { op: 'remove', path: `manager[value eq "${boss.id}"]` },
          undefined,
        ],
        ['bare string on the URN path', { op: 'add', path: managerPath, value: boss.id }, boss.id],
        ['replace with {"value":""}', { op: 'replace', path: managerPath, value: { value: '' } }, undefined],
        [
          'the RFC {"value"} object',
          { op: 'replace', path: managerPath, value: { value: boss.id } },
          boss.id,
        ],
        ['replace with ""', { op: 'replace', path: managerPath, value: '' }, undefined],
      ]
      for (const [label, op, expected] of shapes) {
        await apply(op)
        assert.equal(await managerOf(), expected, label)
        const result = await check()
        assert.equal(result.totalResults, expected ? 1 : 0, label)
        if (expected) assert.deepEqual(Object.keys(result.Resources[0]).sort(), ['id', 'schemas'].sort())
      }
    })

    it('11. Replace emails[type eq "work"].value on a user without a work email creates it', async () => {
      const rfc = await server.addTenant('rfc-11', 'rfc')
      const created = await rfc.scim('POST', '/Users', { schemas: [], userName: 'no-mail' })
      assert.equal(created.status, 201, created.text)
      const response = await rfc.scim(
        'PATCH',
        `/Users/${created.body.id}`,
        patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }),
      )
      assert.ok([200, 204].includes(response.status), response.text)
      const got = (await rfc.scim('GET', `/Users/${created.body.id}`)).body
      assert.deepEqual(
        got.emails.map((e: { type: string; value: string }) => [e.type, e.value]),
        [['work', 'new@example.com']],
      )
    })

    it('12. DELETE answers 204, a second DELETE 404, and GET 404', async () => {
      const user = await create('000000000012')
      assert.equal((await acme.scim('DELETE', `/Users/${user.id}`)).status, 204)
      const again = await acme.scim('DELETE', `/Users/${user.id}`)
      assert.equal(again.status, 404)
      assert.equal(again.body.status, '404')
      assert.equal((await acme.scim('GET', `/Users/${user.id}`)).status, 404)
    })
  })
}
