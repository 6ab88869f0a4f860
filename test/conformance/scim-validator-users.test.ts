/**
 * The Microsoft SCIM Validator's user tests (docs entra-scim.md §8.1), one test per item, named as
 * the validator names them. The validator sends phone numbers like "10-040-1308", so it runs
 * against a tenant with plain RFC 7643 rules.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })
const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`

let counter = 0
/** The body shape the validator sends (entra-scim.md §3.3, second sample). */
function validatorUser(manager?: string) {
  counter += 1
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName: `julien.vonrueden${counter}@ondricka.us`,
    active: true,
    displayName: 'NDSQQTECVAAC',
    title: 'CJSGUNOAAMMQ',
    emails: [{ type: 'work', value: `thaddeus${counter}@hammes.info`, primary: true }],
    name: { givenName: 'Elfrieda', familyName: 'Urban' },
    phoneNumbers: [
      { type: 'work', value: '10-040-1308', primary: true },
      { type: 'mobile', value: '10-040-1308' },
    ],
    [ENTERPRISE]: {
      employeeNumber: 'OXYYEGWVLTGW',
      department: 'ZYWTBPDFHIIP',
      costCenter: 'ASHTVSKANCGL',
      organization: 'DPQRRHJMBXZE',
      division: 'WXNFEJQDRAVI',
      ...(manager ? { manager: { value: manager } } : {}),
    },
    roles: [{ primary: 'True', display: 'MRONYWGFFHXQ', value: 'WDEIISGWWQBE', type: 'XVTUOHMYUFRL' }],
  }
}

for (const database of TEST_DATABASES) {
  describe(`SCIM Validator user tests (entra-scim.md §8.1) [${database}]`, () => {
    let server: TestServer
    let tenant: TestTenant
    before(async () => {
      server = await startTestServer({}, { database })
      tenant = await server.addTenant('validator', 'rfc')
    })
    after(() => server.close())

    const create = async (manager?: string) => {
      const response = await tenant.scim('POST', '/Users', validatorUser(manager))
      assert.equal(response.status, 201, response.text)
      return response.body
    }
    const get = async (id: string) => (await tenant.scim('GET', `/Users/${id}`)).body
    const patchOk = async (id: string, ...ops: unknown[]) => {
      const response = await tenant.scim('PATCH', `/Users/${id}`, patch(...ops))
      assert.ok([200, 204].includes(response.status), response.text)
    }

    it('1. Create a new User', async () => {
      const user = await create()
      assert.equal(user.roles[0].primary, true)
      const found = await tenant.scim('GET', q(`userName eq "${user.userName}"`))
      assert.equal(found.body.totalResults, 1)
    })

    it('2. Create a duplicate User', async () => {
      const body = validatorUser()
      assert.equal((await tenant.scim('POST', '/Users', body)).status, 201)
      const duplicate = await tenant.scim('POST', '/Users', { ...body, externalId: 'other' })
      assert.equal(duplicate.status, 409)
      assert.equal(duplicate.body.scimType, 'uniqueness')
    })

    it('3. Filter for an existing user', async () => {
      const user = await create()
      const response = await tenant.scim('GET', q(`userName eq "${user.userName}"`))
      assert.equal(response.status, 200)
      assert.equal(response.body.totalResults, 1)
      assert.equal(response.body.Resources[0].id, user.id)
    })

    it('4. Filter for a non-existing user', async () => {
      const response = await tenant.scim('GET', q('userName eq "nobody-here@ondricka.us"'))
      assert.equal(response.status, 200)
      assert.equal(response.body.totalResults, 0)
      assert.deepEqual(response.body.Resources, [])
    })

    it('5. Filter for an existing user with a different case', async () => {
      const user = await create()
      const response = await tenant.scim('GET', q(`userName eq "${user.userName.toUpperCase()}"`))
      assert.equal(response.body.totalResults, 1)
    })

    it('6. Patch User - Replace Attributes Verbose', async () => {
      const user = await create()
      const ops: [string, unknown][] = [
        ['active', false],
        ['displayName', 'XZQZYVQOBQLE'],
        ['title', 'PGSGPZWGULWF'],
        ['nickName', 'QWNRTRFWUHGH'],
        ['preferredLanguage', 'fr-CA'],
        ['locale', 'fr-CA'],
        ['timezone', 'America/Toronto'],
        ['userType', 'Contractor'],
        ['profileUrl', 'https://example.com/p/1'],
        ['name.givenName', 'Oswaldo'],
        ['name.familyName', 'Rylan'],
        ['name.formatted', 'Oswaldo Rylan'],
        ['name.middleName', 'M'],
        ['name.honorificPrefix', 'Dr'],
        ['name.honorificSuffix', 'III'],
        ['emails[type eq "work"].value', 'new.work@hammes.info'],
        ['emails[type eq "work"].primary', 'True'],
        ['emails[type eq "other"].value', 'other@hammes.info'],
        ['phoneNumbers[type eq "work"].value', '20-050-2409'],
        ['phoneNumbers[type eq "mobile"].value', '20-050-2410'],
        ['phoneNumbers[type eq "fax"].value', '20-050-2411'],
        ['addresses[type eq "work"].streetAddress', '1 Main St'],
        ['addresses[type eq "work"].locality', 'Springfield'],
        ['addresses[type eq "work"].region', 'IL'],
        ['addresses[type eq "work"].postalCode', '62701'],
        ['addresses[type eq "work"].country', 'US'],
        ['addresses[type eq "work"].formatted', '1 Main St, Springfield IL'],
        ['addresses[type eq "other"].formatted', 'Elsewhere'],
        ['roles[primary eq "True"].value', 'NEWROLE'],
        ['roles[primary eq "True"].display', 'New Role'],
        ['roles[primary eq "True"].type', 'T'],
        [`${ENTERPRISE}:employeeNumber`, '0042'],
        [`${ENTERPRISE}:department`, 'Sales'],
        [`${ENTERPRISE}:costCenter`, 'CC1'],
        [`${ENTERPRISE}:organization`, 'Org'],
        [`${ENTERPRISE}:division`, 'Div'],
      ]
      await patchOk(user.id, ...ops.map(([path, value]) => ({ op: 'replace', path, value })))
      const got = await get(user.id)
      assert.equal(got.active, false)
      assert.equal(got.title, 'PGSGPZWGULWF')
      assert.equal(got.timezone, 'America/Toronto')
      assert.deepEqual(got.name, {
        givenName: 'Oswaldo',
        familyName: 'Rylan',
        formatted: 'Oswaldo Rylan',
        middleName: 'M',
        honorificPrefix: 'Dr',
        honorificSuffix: 'III',
      })
      const byType = (list: Record<string, string>[], type: string) =>
        list.find((element) => element.type === type)
      assert.equal(byType(got.emails, 'work')?.value, 'new.work@hammes.info')
      assert.equal(byType(got.emails, 'other')?.value, 'other@hammes.info')
      assert.equal(byType(got.phoneNumbers, 'fax')?.value, '20-050-2411')
      assert.equal(byType(got.addresses, 'work')?.postalCode, '62701')
      assert.equal(got.roles[0].value, 'NEWROLE')
      assert.deepEqual(
        { ...got[ENTERPRISE] },
        {
          employeeNumber: '0042',
          department: 'Sales',
          costCenter: 'CC1',
          organization: 'Org',
          division: 'Div',
        },
      )
    })

    it('7. Update User userName', async () => {
      const user = await create()
      await patchOk(user.id, { op: 'replace', path: 'userName', value: `renamed-${user.userName}` })
      assert.equal((await get(user.id)).userName, `renamed-${user.userName}`)
    })

    it('8. Patch User - Disable User', async () => {
      const user = await create()
      await patchOk(user.id, { op: 'replace', path: 'active', value: false })
      assert.equal((await get(user.id)).active, false)
      const filtered = await tenant.scim('GET', q(`userName eq "${user.userName}"`))
      assert.equal(filtered.body.Resources[0].active, false)
    })

    it('9. Patch User - Add Manager', async () => {
      const boss = await create()
      const user = await create()
      await patchOk(user.id, { op: 'add', path: `${ENTERPRISE}:manager`, value: boss.id })
      assert.equal((await get(user.id))[ENTERPRISE].manager.value, boss.id)
    })

    it('10. Patch User - Replace Manager', async () => {
      const first = await create()
      const second = await create()
      const user = await create(first.id)
      await patchOk(user.id, { op: 'replace', path: `${ENTERPRISE}:manager`, value: second.id })
      assert.equal((await get(user.id))[ENTERPRISE].manager.value, second.id)
    })

    it('11. Patch User - Remove Manager', async () => {
      const boss = await create()
      const user = await create(boss.id)
      await patchOk(user.id, { op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: '' } })
      assert.equal((await get(user.id))[ENTERPRISE].manager, undefined)
    })

    it('12. Delete a User', async () => {
      const user = await create()
      assert.equal((await tenant.scim('DELETE', `/Users/${user.id}`)).status, 204)
      assert.equal((await tenant.scim('GET', `/Users/${user.id}`)).status, 404)
    })

    it('Preview: multiple ops on different attributes in one PATCH', async () => {
      const user = await create()
      await patchOk(
        user.id,
        { op: 'replace', path: 'title', value: 'A' },
        { op: 'replace', path: 'displayName', value: 'B' },
      )
      const got = await get(user.id)
      assert.deepEqual([got.title, got.displayName], ['A', 'B'])
    })

    it('Preview: multiple ops on the same attribute in one PATCH (last wins)', async () => {
      const user = await create()
      await patchOk(
        user.id,
        { op: 'replace', path: 'title', value: 'first' },
        { op: 'replace', path: 'title', value: 'second' },
      )
      assert.equal((await get(user.id)).title, 'second')
    })

    it('Preview: delete a non-existent user answers 404', async () => {
      const response = await tenant.scim('DELETE', '/Users/00000000-0000-0000-0000-000000000000')
      assert.equal(response.status, 404)
    })

    it('Preview: delete the same user twice answers 204 then 404', async () => {
      const user = await create()
      assert.equal((await tenant.scim('DELETE', `/Users/${user.id}`)).status, 204)
      assert.equal((await tenant.scim('DELETE', `/Users/${user.id}`)).status, 404)
    })

    it('Null update: PATCH with "" and null clears the attributes (gallery validation)', async () => {
      const user = await create()
      await patchOk(
        user.id,
        { op: 'replace', path: 'title', value: '' },
        { op: 'replace', path: 'nickName', value: null },
      )
      await patchOk(user.id, {
        op: 'replace',
        value: { displayName: null, [`${ENTERPRISE}:department`]: '' },
      })
      const got = await get(user.id)
      assert.equal(got.title, undefined)
      assert.equal(got.nickName, undefined)
      assert.equal(got.displayName, undefined)
      assert.equal(got[ENTERPRISE].department, undefined)
    })
  })
}
