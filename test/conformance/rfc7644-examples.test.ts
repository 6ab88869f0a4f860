/**
 * RFC 7644 examples over real HTTP: the §3.4.2.2 filter examples against a small seeded directory,
 * §3.4.2.4 paging, §3.4.2.5 attribute projection, §3.4.3 .search, and the §3.5.2 PATCH examples
 * adapted to Users.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

const people = [
  {
    userName: 'bjensen',
    name: { familyName: 'Jensen', givenName: 'Barbara' },
    title: 'Tour Guide',
    userType: 'Employee',
    emails: [{ value: 'bjensen@example.com', type: 'work' }],
  },
  {
    userName: 'jsmith',
    name: { familyName: "O'Malley", givenName: 'John' },
    userType: 'Employee',
    emails: [{ value: 'js@example.org', type: 'home' }],
  },
  {
    userName: 'Jdoe',
    name: { familyName: 'Doe', givenName: 'Jane' },
    title: 'Intern',
    userType: 'Intern',
    emails: [{ value: 'jdoe@elsewhere.net', type: 'work' }],
  },
  {
    userName: 'mkim',
    name: { familyName: 'Kim', givenName: 'Min' },
    userType: 'Contractor',
    ims: [{ value: 'mkim@foo.com', type: 'xmpp' }],
    [ENTERPRISE]: { department: 'R&D' },
  },
]

for (const database of TEST_DATABASES) {
  describe(`RFC 7644 examples over HTTP [${database}]`, () => {
    let server: TestServer
    let tenant: TestTenant
    const ids = new Map<string, string>()
    before(async () => {
      server = await startTestServer({}, { database })
      tenant = await server.addTenant('rfc-examples', 'rfc')
      for (const person of people) {
        const response = await tenant.scim('POST', '/Users', person)
        assert.equal(response.status, 201, response.text)
        ids.set(person.userName, response.body.id)
      }
    })
    after(() => server.close())

    const matches = async (filter: string) => {
      const response = await tenant.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
      assert.equal(response.status, 200, `${filter}: ${response.text}`)
      return response.body.Resources.map((user: { userName: string }) => user.userName).sort()
    }

    const filterExamples: [string, string[]][] = [
      ['userName eq "bjensen"', ['bjensen']],
      [`name.familyName co "O'Malley"`, ['jsmith']],
      ['userName sw "J"', ['Jdoe', 'jsmith']],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['Jdoe', 'jsmith']],
      ['title pr', ['Jdoe', 'bjensen']],
      ['meta.lastModified gt "2011-05-13T04:42:34Z"', ['Jdoe', 'bjensen', 'jsmith', 'mkim']],
      ['meta.lastModified lt "2011-05-13T04:42:34Z"', []],
      ['title pr and userType eq "Employee"', ['bjensen']],
      ['title pr or userType eq "Intern"', ['Jdoe', 'bjensen']],
      [`schemas eq "${ENTERPRISE}"`, ['mkim']],
      [
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        ['bjensen', 'jsmith'],
      ],
      [
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        ['Jdoe', 'mkim'],
      ],
      ['userType eq "Employee" and (emails.type eq "work")', ['bjensen']],
      ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ['bjensen']],
      [
        'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
        ['bjensen', 'mkim'],
      ],
      [`${ENTERPRISE}:department eq "r&d"`, ['mkim']],
    ]
    for (const [filter, expected] of filterExamples) {
      it(`§3.4.2.2 filter ${filter}`, async () => {
        assert.deepEqual(await matches(filter), expected)
      })
    }

    it('§3.4.2.4 pages with 1-based startIndex and a stable totalResults', async () => {
      const page = async (startIndex: number) =>
        (await tenant.scim('GET', `/Users?sortBy=userName&startIndex=${startIndex}&count=3`)).body
      const first = await page(1)
      const second = await page(4)
      assert.deepEqual([first.totalResults, first.itemsPerPage, first.startIndex], [4, 3, 1])
      assert.deepEqual([second.totalResults, second.itemsPerPage, second.startIndex], [4, 1, 4])
      const names = [...first.Resources, ...second.Resources].map(
        (user: { userName: string }) => user.userName,
      )
      assert.deepEqual(names, ['bjensen', 'Jdoe', 'jsmith', 'mkim'])
    })

    it('§3.4.2.5 attributes and excludedAttributes shape the returned resources', async () => {
      const only = await tenant.scim('GET', `/Users/${ids.get('bjensen')}?attributes=userName,name.givenName`)
      assert.deepEqual(only.body, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: ids.get('bjensen'),
        userName: 'bjensen',
        name: { givenName: 'Barbara' },
      })
      const without = await tenant.scim('GET', `/Users/${ids.get('bjensen')}?excludedAttributes=emails,meta`)
      assert.equal(without.body.emails, undefined)
      assert.equal(without.body.meta, undefined)
      assert.equal(without.body.title, 'Tour Guide')
    })

    it('§3.4.3 POST /.search takes the query in the body', async () => {
      const response = await tenant.scim('POST', '/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        attributes: ['userName'],
        filter: 'userName sw "j"',
        sortBy: 'userName',
        sortOrder: 'descending',
        startIndex: 1,
        count: 10,
      })
      assert.equal(response.status, 200)
      assert.deepEqual(
        response.body.Resources.map((user: Record<string, unknown>) => Object.keys(user).sort().join(',')),
        ['id,schemas,userName', 'id,schemas,userName'],
      )
      assert.deepEqual(
        response.body.Resources.map((user: { userName: string }) => user.userName),
        ['jsmith', 'Jdoe'],
      )
    })

    it('§3.5.2.1 add appends to a multi-valued attribute and sets a single-valued one', async () => {
      const id = ids.get('jsmith')
      const response = await tenant.scim('PATCH', `/Users/${id}?attributes=emails,nickName`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'add', path: 'emails', value: [{ value: 'john@example.com', type: 'work' }] },
          { op: 'add', value: { nickName: 'Johnny' } },
        ],
      })
      assert.equal(response.status, 200)
      assert.deepEqual(response.body.emails, [
        { value: 'js@example.org', type: 'home' },
        { value: 'john@example.com', type: 'work' },
      ])
      assert.equal(response.body.nickName, 'Johnny')
    })

    it('§3.5.2.2 remove with a value filter removes only the matching element', async () => {
      const id = ids.get('jsmith')
      const response = await tenant.scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: 'emails[type eq "home"]' }],
      })
      assert.equal(response.status, 204)
      const user = (await tenant.scim('GET', `/Users/${id}`)).body
      assert.deepEqual(user.emails, [{ value: 'john@example.com', type: 'work' }])
    })

    it('§3.5.2.3 replace on a filtered sub-attribute changes only that element', async () => {
      const id = ids.get('bjensen')
      await tenant.scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'emails', value: [{ value: 'babs@home.example', type: 'home' }] }],
      })
      const response = await tenant.scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'barbara@example.com' }],
      })
      assert.equal(response.status, 204)
      const user = (await tenant.scim('GET', `/Users/${id}`)).body
      assert.deepEqual(user.emails, [
        { value: 'barbara@example.com', type: 'work' },
        { value: 'babs@home.example', type: 'home' },
      ])
    })

    it('renders manager as {value, $ref, displayName}, the readOnly displayName from the manager', async () => {
      const response = await tenant.scim(
        'PATCH',
        `/Users/${ids.get('mkim')}?attributes=${ENTERPRISE}:manager`,
        {
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', path: `${ENTERPRISE}:manager`, value: ids.get('bjensen') }],
        },
      )
      assert.equal(response.status, 200, response.text)
      assert.deepEqual(response.body[ENTERPRISE].manager, {
        value: ids.get('bjensen'),
        $ref: `${server.scimUrl}/Users/${ids.get('bjensen')}`,
        displayName: 'Barbara Jensen',
      })
    })
  })
}
