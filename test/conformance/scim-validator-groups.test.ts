/**
 * The Microsoft SCIM Validator's group tests (docs entra-scim.md §8.1, rows 13–24 and the group
 * items of the "Preview" row), one test per item, named as the validator names them. Like the
 * user half (scim-validator-users.test.ts) it runs against a tenant with plain RFC 7643 rules.
 *
 * Readings of the contract made here:
 * - "Patch Group - Replace Attributes" is a path-less `replace` whose value carries displayName
 *   and externalId (§8.1: "path-less replace").
 * - "Add Member" is the validator's `replace` on path `members` with an array (§4, [V-3P S23]): on
 *   an empty group it leaves exactly that member.
 * - PATCH may answer 200 or 204 here (the validator accepts both); the 204-by-default rule is
 *   asserted in test/http/groups.test.ts.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { GROUP, gq, groupBody, memberIds, membersOf, patch, postCreated, sortedIds } from '../http/helpers.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'

let counter = 0
/** The validator generates random upper-case names ({%generateRandomString 12%}). */
const randomName = () => {
  counter += 1
  return `VALIDATORGRP${String(counter).padStart(4, '0')}`
}

for (const database of TEST_DATABASES) {
  describe(`SCIM Validator group tests (entra-scim.md §8.1) [${database}]`, () => {
    let server: TestServer
    let tenant: TestTenant
    before(async () => {
      server = await startTestServer({}, { database })
      tenant = await server.addTenant('validator', 'rfc')
    })
    after(() => server.close())

    const createUser = async () => {
      counter += 1
      return postCreated(tenant.scim, '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `member${counter}@ondricka.us`,
        displayName: `Member ${counter}`,
      })
    }
    const createGroup = async (extra: Record<string, unknown> = {}) =>
      postCreated(tenant.scim, '/Groups', groupBody(randomName(), { externalId: `ext-${counter}`, ...extra }))
    const get = async (id: string) => {
      const response = await tenant.scim('GET', `/Groups/${id}`)
      assert.equal(response.status, 200, response.text)
      return response.body
    }
    const patchOk = async (id: string, ...ops: unknown[]) => {
      const response = await tenant.scim('PATCH', `/Groups/${id}`, patch(...ops))
      assert.ok([200, 204].includes(response.status), `${response.status}: ${response.text}`)
    }

    it('13. Get group by id excluding members', async () => {
      const user = await createUser()
      const group = await createGroup({ members: membersOf(user.id) })
      const response = await tenant.scim('GET', `/Groups/${group.id}?excludedAttributes=members`)
      assert.equal(response.status, 200, response.text)
      assert.equal(response.body.id, group.id)
      assert.equal(response.body.displayName, group.displayName)
      assert.ok(response.body.schemas.includes(GROUP))
      assert.equal(response.body.meta.resourceType, 'Group')
      assert.ok(
        !('members' in response.body),
        `members returned despite excludedAttributes: ${response.text}`,
      )
    })

    it('14. Filter for existing group excluding members', async () => {
      const user = await createUser()
      const group = await createGroup({ members: membersOf(user.id) })
      const response = await tenant.scim(
        'GET',
        `${gq(`displayName eq "${group.displayName}"`)}&excludedAttributes=members`,
      )
      assert.equal(response.status, 200, response.text)
      assert.equal(response.body.totalResults, 1)
      assert.equal(response.body.Resources.length, 1)
      assert.equal(response.body.Resources[0].id, group.id)
      assert.ok(!('members' in response.body.Resources[0]), response.text)
    })

    it('15. Filter for existing group', async () => {
      const user = await createUser()
      const group = await createGroup({ members: membersOf(user.id) })
      const response = await tenant.scim('GET', gq(`displayName eq "${group.displayName}"`))
      assert.equal(response.status, 200, response.text)
      assert.equal(response.body.totalResults, 1)
      assert.equal(response.body.Resources[0].id, group.id)
      assert.equal(response.body.Resources[0].displayName, group.displayName)
      assert.deepEqual(memberIds(response.body.Resources[0]), [user.id])
    })

    it('16. Filter for non-existing group', async () => {
      const response = await tenant.scim('GET', gq('displayName eq "NOSUCHGROUPANYWHERE"'))
      assert.equal(response.status, 200, response.text)
      assert.equal(response.body.totalResults, 0)
      assert.deepEqual(response.body.Resources, [])
    })

    it('17. Filter for existing group with different case', async () => {
      const group = await createGroup()
      const response = await tenant.scim('GET', gq(`displayName eq "${group.displayName.toLowerCase()}"`))
      assert.equal(response.status, 200, response.text)
      assert.equal(response.body.totalResults, 1)
      assert.equal(response.body.Resources[0].id, group.id)
    })

    it('18. Create a new Group', async () => {
      const displayName = randomName()
      const response = await tenant.scim('POST', '/Groups', groupBody(displayName, { externalId: 'ext-18' }))
      assert.equal(response.status, 201, response.text)
      assert.equal(typeof response.body.id, 'string')
      assert.equal(response.body.displayName, displayName)
      assert.equal(response.body.externalId, 'ext-18')
      assert.equal(response.body.meta.resourceType, 'Group')
      assert.equal(response.headers.get('location'), `${server.scimUrl}/Groups/${response.body.id}`)
      assert.equal(response.body.meta.location, response.headers.get('location'))
      const found = await tenant.scim('GET', gq(`displayName eq "${displayName}"`))
      assert.equal(found.body.totalResults, 1)
      assert.equal(found.body.Resources[0].id, response.body.id)
    })

    it('19. Create a duplicate Group', async () => {
      const group = await createGroup()
      const duplicate = await tenant.scim(
        'POST',
        '/Groups',
        groupBody(group.displayName, { externalId: 'other' }),
      )
      assert.equal(duplicate.status, 409, duplicate.text)
      assert.equal(duplicate.body.scimType, 'uniqueness')
      assert.equal(duplicate.body.status, '409')
    })

    it('20. Patch Group - Replace Attributes', async () => {
      const group = await createGroup()
      const newName = randomName()
      await patchOk(group.id, { op: 'replace', value: { displayName: newName, externalId: 'ext-replaced' } })
      const got = await get(group.id)
      assert.equal(got.displayName, newName)
      assert.equal(got.externalId, 'ext-replaced')
    })

    it('21. Patch Group - Update displayName', async () => {
      const group = await createGroup()
      const newName = randomName()
      await patchOk(group.id, { op: 'replace', path: 'displayName', value: newName })
      assert.equal((await get(group.id)).displayName, newName)
      const byOld = await tenant.scim('GET', gq(`displayName eq "${group.displayName}"`))
      assert.equal(byOld.body.totalResults, 0)
    })

    it('22. Patch Group - Add Member', async () => {
      const user = await createUser()
      const group = await createGroup()
      await patchOk(group.id, { op: 'replace', path: 'members', value: [{ value: user.id }] })
      const got = await get(group.id)
      assert.deepEqual(memberIds(got), [user.id])
      assert.deepEqual(got.members[0], {
        value: user.id,
        $ref: `${server.scimUrl}/Users/${user.id}`,
        display: user.displayName,
        type: 'User',
      })
    })

    it('23. Patch Group - Remove Member', async () => {
      const [first, second] = [await createUser(), await createUser()]
      const group = await createGroup({ members: membersOf(first.id, second.id) })
      await patchOk(group.id, { op: 'remove', path: `members[value eq "${first.id}"]` })
      assert.deepEqual(memberIds(await get(group.id)), [second.id])
    })

    it('24. Delete a Group', async () => {
      const group = await createGroup()
      const deleted = await tenant.scim('DELETE', `/Groups/${group.id}`)
      assert.equal(deleted.status, 204, deleted.text)
      assert.equal(deleted.text, '')
      assert.equal((await tenant.scim('GET', `/Groups/${group.id}`)).status, 404)
    })

    it('Preview: delete a non-existent group answers 404', async () => {
      const response = await tenant.scim('DELETE', '/Groups/00000000-0000-0000-0000-000000000000')
      assert.equal(response.status, 404, response.text)
      assert.equal(response.body.status, '404')
    })

    it('Preview: delete the same group twice answers 204 then 404', async () => {
      const group = await createGroup()
      assert.equal((await tenant.scim('DELETE', `/Groups/${group.id}`)).status, 204)
      assert.equal((await tenant.scim('DELETE', `/Groups/${group.id}`)).status, 404)
    })

    it('Preview: add and remove the same member in one PATCH leaves it out', async () => {
      const [kept, churned] = [await createUser(), await createUser()]
      const group = await createGroup({ members: membersOf(kept.id) })
      await patchOk(
        group.id,
        { op: 'add', path: 'members', value: [{ value: churned.id }] },
        { op: 'remove', path: `members[value eq "${churned.id}"]` },
      )
      assert.deepEqual(memberIds(await get(group.id)), [kept.id])
    })

    it('Preview: multiple ops on different attributes in one PATCH', async () => {
      const user = await createUser()
      const group = await createGroup()
      const newName = randomName()
      await patchOk(
        group.id,
        { op: 'replace', path: 'displayName', value: newName },
        { op: 'replace', path: 'externalId', value: 'ext-multi' },
        { op: 'add', path: 'members', value: [{ value: user.id }] },
      )
      const got = await get(group.id)
      assert.deepEqual([got.displayName, got.externalId, memberIds(got)], [newName, 'ext-multi', [user.id]])
    })

    it('Preview: multiple ops on the same attribute in one PATCH (last wins; member adds accumulate)', async () => {
      const [first, second] = [await createUser(), await createUser()]
      const group = await createGroup()
      const [name1, name2] = [randomName(), randomName()]
      await patchOk(
        group.id,
        { op: 'replace', path: 'displayName', value: name1 },
        { op: 'replace', path: 'displayName', value: name2 },
        { op: 'add', path: 'members', value: [{ value: first.id }] },
        { op: 'add', path: 'members', value: [{ value: second.id }] },
      )
      const got = await get(group.id)
      assert.equal(got.displayName, name2)
      assert.deepEqual(memberIds(got), sortedIds(first.id, second.id))
    })
  })
}
