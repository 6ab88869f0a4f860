/**
 * docs entra-scim.md §9 "Reference request/response set", item 13 (Groups), one test per clause,
 * over real HTTP against a real Roster on loopback (tenant with the default AlexisHR rules). The
 * request bodies are the ones §4 shows Entra sending. Each clause starts from its own group so the
 * tests stand alone.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  employee,
  GROUP,
  gq,
  groupBody,
  LIST,
  MS_GROUP,
  memberIds,
  membersOf,
  patch,
  postCreated,
  sortedIds,
} from '../http/helpers.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'

/** The §4 create body: Microsoft's schema URI next to the core one, objectId as externalId, no members. */
const entraGroup = (displayName: string, externalId: string) => ({
  schemas: [GROUP, MS_GROUP],
  externalId,
  displayName,
  meta: { resourceType: 'Group' },
})

for (const database of TEST_DATABASES) {
  describe(`Entra reference set, Groups (entra-scim.md §9 item 13) [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let seq = 0
    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
    })
    after(() => server.close())

    const createUser = async () => postCreated(acme.scim, '/Users', employee(`member.${++seq}@acme.test`))
    const createGroup = async (name: string, extra: Record<string, unknown> = {}) =>
      postCreated(acme.scim, '/Groups', groupBody(name, extra))
    const membersNow = async (id: string) => {
      const response = await acme.scim('GET', `/Groups/${id}`)
      assert.equal(response.status, 200, response.text)
      return memberIds(response.body)
    }
    /** Entra expects 204 on every group PATCH (entra-scim.md §4: "204 (preferred)"; no member lists back). */
    const patch204 = async (id: string, ...ops: unknown[]) => {
      const response = await acme.scim('PATCH', `/Groups/${id}`, patch(...ops))
      assert.equal(response.status, 204, response.text)
      assert.equal(response.text, '')
    }

    it('13a. POST with the Microsoft schema URI in schemas answers 201 with an id', async () => {
      const response = await acme.scim(
        'POST',
        '/Groups',
        entraGroup('Reference 13a', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159'),
      )
      assert.equal(response.status, 201, response.text)
      assert.equal(typeof response.body.id, 'string')
      assert.notEqual(response.body.id, '')
      assert.equal(response.body.displayName, 'Reference 13a')
      assert.equal(response.body.externalId, '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159')
      assert.ok(response.body.schemas.includes(GROUP), response.text)
      assert.equal(response.body.meta.resourceType, 'Group')
      assert.ok(!('members' in response.body), 'a group created empty has no members key')
      assert.equal(response.headers.get('location'), `${server.scimUrl}/Groups/${response.body.id}`)
      assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/)
    })

    it('13b. the lookup with excludedAttributes=members finds exactly 1 group and no members key', async () => {
      const [first, second] = [await createUser(), await createUser()]
      const group = await createGroup('Reference 13b', { members: membersOf(first.id, second.id) })
      const response = await acme.scim(
        'GET',
        `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Reference 13b"')}`,
      )
      assert.equal(response.status, 200, response.text)
      assert.deepEqual(response.body.schemas, [LIST])
      assert.equal(response.body.totalResults, 1)
      assert.equal(response.body.Resources.length, 1)
      assert.equal(response.body.Resources[0].id, group.id)
      assert.ok(!('members' in response.body.Resources[0]), `members came back: ${response.text}`)
    })

    it('13c. Add with two members in one op answers 204 and adds both', async () => {
      const [first, second] = [await createUser(), await createUser()]
      const group = await createGroup('Reference 13c')
      await patch204(group.id, {
        op: 'Add',
        path: 'members',
        value: [
          { $ref: null, value: first.id },
          { $ref: null, value: second.id },
        ],
      })
      assert.deepEqual(await membersNow(group.id), sortedIds(first.id, second.id))
    })

    it('13d. the default-mode Remove with a value array removes only that member', async () => {
      const [first, second, third] = [await createUser(), await createUser(), await createUser()]
      const group = await createGroup('Reference 13d', { members: membersOf(first.id, second.id, third.id) })
      await patch204(group.id, { op: 'Remove', path: 'members', value: [{ $ref: null, value: first.id }] })
      assert.deepEqual(await membersNow(group.id), sortedIds(second.id, third.id))
    })

    it('13e. the flag-mode remove on members[value eq "…"] removes only that member', async () => {
      const [first, second, third] = [await createUser(), await createUser(), await createUser()]
      const group = await createGroup('Reference 13e', { members: membersOf(first.id, second.id, third.id) })
      await patch204(group.id, { op: 'remove', path: `members[value eq "${second.id}"]` })
      assert.deepEqual(await membersNow(group.id), sortedIds(first.id, third.id))
    })

    it('13f. the rename (Replace displayName) answers 204 and the lookup follows the new name', async () => {
      const user = await createUser()
      const group = await createGroup('Reference 13f', { members: membersOf(user.id) })
      await patch204(group.id, { op: 'Replace', path: 'displayName', value: 'Reference 13f renamed' })
      const got = await acme.scim('GET', `/Groups/${group.id}`)
      assert.equal(got.body.displayName, 'Reference 13f renamed')
      assert.deepEqual(memberIds(got.body), [user.id], 'a rename keeps the members')
      assert.equal((await acme.scim('GET', gq('displayName eq "Reference 13f"'))).body.totalResults, 0)
      assert.equal(
        (await acme.scim('GET', gq('displayName eq "Reference 13f renamed"'))).body.totalResults,
        1,
      )
    })

    it('13g. DELETE answers 204, then the group is gone', async () => {
      const user = await createUser()
      const group = await createGroup('Reference 13g', { members: membersOf(user.id) })
      const deleted = await acme.scim('DELETE', `/Groups/${group.id}`)
      assert.equal(deleted.status, 204, deleted.text)
      assert.equal(deleted.text, '')
      const got = await acme.scim('GET', `/Groups/${group.id}`)
      assert.equal(got.status, 404)
      assert.equal(got.body.status, '404')
      assert.equal((await acme.scim('GET', gq('displayName eq "Reference 13g"'))).body.totalResults, 0)
      assert.equal((await acme.scim('GET', `/Users/${user.id}`)).status, 200, 'members outlive their group')
    })
  })
}
