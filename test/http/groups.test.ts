/**
 * SCIM Groups over real HTTP, beyond the Microsoft checklists (those live in test/conformance):
 * every membership form a PATCH may use, idempotency, PUT, nested groups and cycles, the read-only
 * `groups` attribute of Users, what deleting a member or a group does, PATCH responses, ETags and
 * If-Match, the audit trail, filters, sorting and paging, .search, discovery, and one group with
 * 100,000 members.
 *
 * Readings of the contract made here (the brief's HTTP contract is the reference):
 * - "Membership changes bump the group's meta.version and lastModified" includes the membership
 *   removals that deleting a member user or a member group causes.
 * - A user that belongs to a group both directly and through a nested group lists it once, with
 *   type "direct"; each group appears at most once in `groups`.
 * - PUT replaces externalId too: a PUT without externalId clears it.
 * - The audit event of a membership PATCH mentions `members` and the member's id in its changes;
 *   the exact shape of those changes is not pinned.
 * - `attributes=displayName` returns id and displayName and nothing else but, optionally, schemas.
 * - Filter attribute names are case-insensitive on /Groups as on /Users (entra-scim.md §6).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { newResourceId } from '../../src/directory/resource-id.js'
import { listAuditEvents } from '../../src/store/audit-repository.js'
import { insertUsers } from '../store/fixtures.js'
import { TEST_DATABASES } from '../support/databases.js'
import { scimClient, startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import {
  assertScimContentType,
  assertScimError,
  employee,
  GROUP,
  gq,
  groupBody,
  LIST,
  memberIds,
  membersOf,
  patch,
  postCreated,
  q,
  SEARCH,
  sortedIds,
  storedState,
} from './helpers.js'

// biome-ignore lint/suspicious/noExplicitAny: resource bodies are arbitrary JSON
type Json = any

for (const database of TEST_DATABASES) {
  describe(`Groups over HTTP [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let seq = 0

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
    })
    after(() => server.close())

    const createUser = async (extra: Record<string, unknown> = {}) =>
      postCreated(acme.scim, '/Users', employee(`user.${++seq}@acme.test`, extra))
    const createGroup = async (members: string[] = [], extra: Record<string, unknown> = {}) =>
      postCreated(
        acme.scim,
        '/Groups',
        groupBody(
          `Group ${++seq}`,
          members.length > 0 ? { members: membersOf(...members), ...extra } : extra,
        ),
      )
    const getGroup = async (id: string, query = ''): Promise<Json> => {
      const response = await acme.scim('GET', `/Groups/${id}${query}`)
      assert.equal(response.status, 200, response.text)
      return response.body
    }
    const getUser = async (id: string): Promise<Json> => {
      const response = await acme.scim('GET', `/Users/${id}`)
      assert.equal(response.status, 200, response.text)
      return response.body
    }
    const membersNow = async (id: string) => memberIds(await getGroup(id))
    const patch204 = async (id: string, ...ops: unknown[]) => {
      const response = await acme.scim('PATCH', `/Groups/${id}`, patch(...ops))
      assert.equal(response.status, 204, response.text)
      assert.equal(response.text, '')
      return response
    }
    /** A user's `groups` as [id, type] pairs, sorted (order is not specified). */
    const groupsOf = async (userId: string) =>
      ((await getUser(userId)).groups ?? [])
        .map((group: { value: string; type: string }) => [group.value, group.type])
        .sort((left: string[], right: string[]) => left[0]!.localeCompare(right[0]!))
    const pairs = (...entries: [string, 'direct' | 'indirect'][]) =>
      [...entries].sort((left, right) => left[0].localeCompare(right[0]))

    describe('membership forms in PATCH', () => {
      it('Add with [{"$ref":null,"value":u1},{"value":u2}] adds both', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup()
        await patch204(group.id, {
          op: 'Add',
          path: 'members',
          value: [{ $ref: null, value: u1.id }, { value: u2.id }],
        })
        assert.deepEqual(await membersNow(group.id), sortedIds(u1.id, u2.id))
      })

      it('add with [{"display":"x","value":u1}] adds u1, and display comes from the user, not the client', async () => {
        const user = await createUser({ displayName: 'Real Name' })
        const group = await createGroup()
        await patch204(group.id, { op: 'add', path: 'members', value: [{ display: 'x', value: user.id }] })
        const got = await getGroup(group.id)
        assert.deepEqual(got.members, [
          { value: user.id, $ref: `${server.scimUrl}/Users/${user.id}`, display: 'Real Name', type: 'User' },
        ])
      })

      // `display` names a member as manager.displayName names a manager: displayName, else
      // "givenName familyName", else userName.
      it('a member without displayName is displayed by its given and family name', async () => {
        const user = await createUser()
        const group = await createGroup([user.id])
        assert.equal(group.members[0].display, `${user.name.givenName} ${user.name.familyName}`)
      })

      it('add with a single object value adds it', async () => {
        const user = await createUser()
        const group = await createGroup()
        await patch204(group.id, { op: 'add', path: 'members', value: { value: user.id } })
        assert.deepEqual(await membersNow(group.id), [user.id])
      })

      it('add with a bare string id adds it', async () => {
        const user = await createUser()
        const group = await createGroup()
        await patch204(group.id, { op: 'add', path: 'members', value: user.id })
        assert.deepEqual(await membersNow(group.id), [user.id])
      })

      it('add with an array of bare string ids adds them all', async () => {
        const [u1, u2, u3] = [await createUser(), await createUser(), await createUser()]
        const group = await createGroup()
        await patch204(group.id, { op: 'add', path: 'members', value: [u1.id, u2.id, u3.id] })
        assert.deepEqual(await membersNow(group.id), sortedIds(u1.id, u2.id, u3.id))
      })

      it('op names are case-insensitive (ADD, REMOVE, rEpLaCe)', async () => {
        const [u1, u2, u3] = [await createUser(), await createUser(), await createUser()]
        const group = await createGroup()
        await patch204(group.id, { op: 'ADD', path: 'members', value: [{ value: u1.id }, { value: u2.id }] })
        await patch204(group.id, { op: 'REMOVE', path: 'members', value: [{ value: u1.id }] })
        assert.deepEqual(await membersNow(group.id), [u2.id])
        await patch204(group.id, { op: 'rEpLaCe', path: 'members', value: [{ value: u3.id }] })
        assert.deepEqual(await membersNow(group.id), [u3.id])
      })

      it('Remove on members with a value array removes ONLY the listed members (Entra default)', async () => {
        const users = [await createUser(), await createUser(), await createUser(), await createUser()]
        const ids = users.map((user) => user.id as string)
        const group = await createGroup(ids)
        await patch204(group.id, {
          op: 'Remove',
          path: 'members',
          value: [
            { $ref: null, value: ids[0] },
            { $ref: null, value: ids[2] },
          ],
        })
        assert.deepEqual(await membersNow(group.id), sortedIds(ids[1]!, ids[3]!))
      })

      it('remove on members[value eq "u1"] removes only u1', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup([u1.id, u2.id])
        await patch204(group.id, { op: 'remove', path: `members[value eq "${u1.id}"]` })
        assert.deepEqual(await membersNow(group.id), [u2.id])
      })

      it('remove on members without a value removes every member', async () => {
        const [u1, u2, u3] = [await createUser(), await createUser(), await createUser()]
        const group = await createGroup([u1.id, u2.id, u3.id])
        await patch204(group.id, { op: 'remove', path: 'members' })
        const got = await getGroup(group.id)
        assert.ok(!('members' in got), `members is omitted when empty: ${JSON.stringify(got)}`)
        for (const user of [u1, u2, u3]) assert.equal((await getUser(user.id)).groups, undefined)
      })

      it('replace on members sets exactly that list', async () => {
        const [u1, u2, u3] = [await createUser(), await createUser(), await createUser()]
        const group = await createGroup([u1.id, u2.id])
        await patch204(group.id, {
          op: 'replace',
          path: 'members',
          value: [{ value: u2.id }, { value: u3.id }],
        })
        assert.deepEqual(await membersNow(group.id), sortedIds(u2.id, u3.id))
      })

      it('replace on members with [] empties the group', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup([u1.id, u2.id])
        await patch204(group.id, { op: 'replace', path: 'members', value: [] })
        assert.ok(!('members' in (await getGroup(group.id))))
      })

      it('path-less replace with displayName and members sets both', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup([u1.id])
        await patch204(group.id, {
          op: 'replace',
          value: { displayName: `Renamed ${group.displayName}`, members: [{ value: u2.id }] },
        })
        const got = await getGroup(group.id)
        assert.equal(got.displayName, `Renamed ${group.displayName}`)
        assert.deepEqual(memberIds(got), [u2.id])
      })

      it('path-less add with members adds them to the current ones', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup([u1.id])
        await patch204(group.id, { op: 'add', value: { members: [{ value: u2.id }] } })
        assert.deepEqual(await membersNow(group.id), sortedIds(u1.id, u2.id))
      })

      it('Replace on displayName and externalId by path sets them and keeps the members', async () => {
        const user = await createUser()
        const group = await createGroup([user.id], { externalId: 'before' })
        await patch204(
          group.id,
          { op: 'Replace', path: 'displayName', value: `New ${group.displayName}` },
          { op: 'Replace', path: 'externalId', value: 'after' },
        )
        const got = await getGroup(group.id)
        assert.deepEqual(
          [got.displayName, got.externalId, memberIds(got)],
          [`New ${group.displayName}`, 'after', [user.id]],
        )
      })

      it('many members in one op and several member ops in one request all apply', async () => {
        const users = await Promise.all(Array.from({ length: 8 }, () => createUser()))
        const ids = users.map((user) => user.id as string)
        const group = await createGroup()
        await patch204(
          group.id,
          { op: 'add', path: 'members', value: membersOf(...ids.slice(0, 5)) },
          { op: 'add', path: 'members', value: ids.slice(5) },
          { op: 'remove', path: 'members', value: [{ value: ids[0] }] },
          { op: 'remove', path: `members[value eq "${ids[7]}"]` },
        )
        assert.deepEqual(await membersNow(group.id), sortedIds(...ids.slice(1, 7)))
      })
    })

    describe('idempotency', () => {
      it('adding an existing member succeeds and keeps one copy', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup([u1.id])
        await patch204(group.id, { op: 'add', path: 'members', value: [{ value: u1.id }, { value: u2.id }] })
        await patch204(group.id, { op: 'add', path: 'members', value: u1.id })
        const got = await getGroup(group.id)
        assert.deepEqual(
          got.members.map((member: { value: string }) => member.value).sort(),
          sortedIds(u1.id, u2.id),
        )
        assert.equal(got.members.length, 2)
      })

      it('the same id twice in one add keeps one copy', async () => {
        const user = await createUser()
        const group = await createGroup()
        await patch204(group.id, {
          op: 'add',
          path: 'members',
          value: [{ value: user.id }, { value: user.id }],
        })
        assert.equal((await getGroup(group.id)).members.length, 1)
      })

      it('removing a member that is not there succeeds and changes nothing (both remove forms)', async () => {
        const [member, outsider] = [await createUser(), await createUser()]
        const group = await createGroup([member.id])
        await patch204(group.id, { op: 'remove', path: 'members', value: [{ value: outsider.id }] })
        await patch204(group.id, { op: 'remove', path: `members[value eq "${outsider.id}"]` })
        assert.deepEqual(await membersNow(group.id), [member.id])
      })

      it('remove on an empty group succeeds', async () => {
        const group = await createGroup()
        await patch204(group.id, { op: 'remove', path: 'members' })
        assert.ok(!('members' in (await getGroup(group.id))))
      })

      it('add then remove of the same member in one PATCH leaves it absent; remove then add leaves it present', async () => {
        const user = await createUser()
        const group = await createGroup()
        await patch204(
          group.id,
          { op: 'add', path: 'members', value: [{ value: user.id }] },
          { op: 'remove', path: 'members', value: [{ value: user.id }] },
        )
        assert.deepEqual(await membersNow(group.id), [])
        await patch204(
          group.id,
          { op: 'remove', path: `members[value eq "${user.id}"]` },
          { op: 'add', path: 'members', value: [{ value: user.id }] },
        )
        assert.deepEqual(await membersNow(group.id), [user.id])
      })
    })

    describe('PUT', () => {
      it('replaces displayName, externalId and the whole member list', async () => {
        const [u1, u2, u3] = [await createUser(), await createUser(), await createUser()]
        const group = await createGroup([u1.id, u2.id], { externalId: 'ext-put' })
        const response = await acme.scim(
          'PUT',
          `/Groups/${group.id}`,
          groupBody(`Put ${group.displayName}`, { members: membersOf(u3.id) }),
        )
        assert.equal(response.status, 200, response.text)
        assertScimContentType(response)
        assert.equal(response.body.displayName, `Put ${group.displayName}`)
        assert.equal(response.body.externalId, undefined, 'PUT without externalId clears it')
        assert.deepEqual(memberIds(response.body), [u3.id])
        assert.deepEqual(memberIds(await getGroup(group.id)), [u3.id])
        assert.equal((await getUser(u1.id)).groups, undefined)
      })

      it('without members empties the group', async () => {
        const user = await createUser()
        const group = await createGroup([user.id])
        const response = await acme.scim('PUT', `/Groups/${group.id}`, groupBody(group.displayName))
        assert.equal(response.status, 200, response.text)
        assert.ok(!('members' in response.body))
        assert.ok(!('members' in (await getGroup(group.id))))
      })

      it('ignores id and meta in the body', async () => {
        const group = await createGroup()
        const response = await acme.scim(
          'PUT',
          `/Groups/${group.id}`,
          groupBody(group.displayName, { id: 'something-else', meta: { resourceType: 'Group' } }),
        )
        assert.equal(response.status, 200, response.text)
        assert.equal(response.body.id, group.id)
      })
    })

    describe('nested groups', () => {
      it('a group can be a member: type "Group", $ref to /Groups, display its displayName', async () => {
        const child = await createGroup()
        const parent = await createGroup([child.id])
        assert.deepEqual(parent.members, [
          {
            value: child.id,
            $ref: `${server.scimUrl}/Groups/${child.id}`,
            display: child.displayName,
            type: 'Group',
          },
        ])
        const got = await getGroup(parent.id)
        assert.deepEqual(got.members, parent.members)
      })

      it("members of a nested group are not flattened into the parent's members", async () => {
        const user = await createUser()
        const child = await createGroup([user.id])
        const parent = await createGroup()
        await patch204(parent.id, { op: 'add', path: 'members', value: [{ value: child.id }] })
        assert.deepEqual(await membersNow(parent.id), [child.id])
      })

      it('a group cannot contain itself (PATCH add, PATCH replace, path-less replace, PUT)', async () => {
        const user = await createUser()
        const group = await createGroup([user.id])
        const attempts: [string, unknown][] = [
          ['PATCH', patch({ op: 'add', path: 'members', value: [{ value: group.id }] })],
          ['PATCH', patch({ op: 'add', path: 'members', value: group.id })],
          ['PATCH', patch({ op: 'replace', path: 'members', value: [{ value: group.id }] })],
          ['PATCH', patch({ op: 'replace', value: { members: [{ value: group.id }] } })],
          ['PUT', groupBody(group.displayName, { members: membersOf(user.id, group.id) })],
        ]
        for (const [method, body] of attempts) {
          const before = await storedState(server.server.db)
          const response = await acme.scim(method, `/Groups/${group.id}`, body)
          assertScimError(response, 400, 'invalidValue', /members/)
          assert.deepEqual(await storedState(server.server.db), before, JSON.stringify(body))
        }
        assert.deepEqual(await membersNow(group.id), [user.id])
      })

      it('a cycle through nested groups is refused, whatever its length', async () => {
        const c = await createGroup()
        const b = await createGroup([c.id])
        const a = await createGroup([b.id])
        const attempts: [string, string, unknown][] = [
          ['PATCH', b.id, patch({ op: 'add', path: 'members', value: [{ value: a.id }] })],
          ['PATCH', c.id, patch({ op: 'add', path: 'members', value: [{ value: a.id }] })],
          ['PATCH', c.id, patch({ op: 'add', path: 'members', value: b.id })],
          ['PATCH', c.id, patch({ op: 'replace', path: 'members', value: [{ value: a.id }] })],
          ['PUT', c.id, groupBody(c.displayName, { members: membersOf(a.id) })],
        ]
        for (const [method, id, body] of attempts) {
          const before = await storedState(server.server.db)
          const response = await acme.scim(method, `/Groups/${id}`, body)
          assertScimError(response, 400, 'invalidValue', /members/)
          assert.deepEqual(await storedState(server.server.db), before, JSON.stringify(body))
        }
        assert.deepEqual(await membersNow(a.id), [b.id])
        assert.deepEqual(await membersNow(b.id), [c.id])
        assert.deepEqual(await membersNow(c.id), [])
      })

      it('a diamond (two paths to the same group) is not a cycle', async () => {
        const bottom = await createGroup()
        const left = await createGroup([bottom.id])
        const right = await createGroup([bottom.id])
        const top = await createGroup([left.id])
        await patch204(top.id, {
          op: 'add',
          path: 'members',
          value: [{ value: right.id }, { value: bottom.id }],
        })
        assert.deepEqual(await membersNow(top.id), sortedIds(left.id, right.id, bottom.id))
      })
    })

    describe('the User groups attribute', () => {
      it('lists direct groups with value, $ref, display and type "direct", on GET and in lists', async () => {
        const user = await createUser()
        const group = await createGroup([user.id])
        const expected = [
          {
            value: group.id,
            $ref: `${server.scimUrl}/Groups/${group.id}`,
            display: group.displayName,
            type: 'direct',
          },
        ]
        assert.deepEqual((await getUser(user.id)).groups, expected)
        const listed = await acme.scim('GET', q(`userName eq "${user.userName}"`))
        assert.deepEqual(listed.body.Resources[0].groups, expected)
      })

      it('is omitted for a user in no group', async () => {
        const user = await createUser()
        assert.ok(!('groups' in (await getUser(user.id))))
      })

      it('lists groups reached through nested groups as "indirect"', async () => {
        const user = await createUser()
        const team = await createGroup([user.id])
        const department = await createGroup([team.id])
        const company = await createGroup([department.id])
        assert.deepEqual(
          await groupsOf(user.id),
          pairs([team.id, 'direct'], [department.id, 'indirect'], [company.id, 'indirect']),
        )
      })

      it('lists a group the user is in both directly and indirectly once, as "direct"', async () => {
        const user = await createUser()
        const team = await createGroup([user.id])
        const department = await createGroup([team.id, user.id])
        assert.deepEqual(await groupsOf(user.id), pairs([team.id, 'direct'], [department.id, 'direct']))
      })

      it('follows membership changes and renames', async () => {
        const user = await createUser()
        const group = await createGroup()
        await patch204(group.id, { op: 'add', path: 'members', value: user.id })
        assert.deepEqual(await groupsOf(user.id), [[group.id, 'direct']])
        await patch204(group.id, {
          op: 'replace',
          path: 'displayName',
          value: `Renamed ${group.displayName}`,
        })
        assert.equal((await getUser(user.id)).groups?.[0]?.display, `Renamed ${group.displayName}`)
        await patch204(group.id, { op: 'remove', path: `members[value eq "${user.id}"]` })
        assert.ok(!('groups' in (await getUser(user.id))))
      })

      it('groups sent on POST and PUT are ignored', async () => {
        const group = await createGroup()
        const created = await createUser({ groups: [{ value: group.id, display: 'x' }] })
        assert.ok(!('groups' in created), JSON.stringify(created))
        assert.deepEqual(await membersNow(group.id), [])

        await patch204(group.id, { op: 'add', path: 'members', value: created.id })
        const put = await acme.scim('PUT', `/Users/${created.id}`, employee(created.userName, { groups: [] }))
        assert.equal(put.status, 200, put.text)
        assert.deepEqual(await groupsOf(created.id), [[group.id, 'direct']])
        assert.deepEqual(await membersNow(group.id), [created.id])
      })
    })

    describe('deletion', () => {
      it('deleting a user removes it from every group, and bumps the version of each', async () => {
        const [leaver, stayer] = [await createUser(), await createUser()]
        const g1 = await createGroup([leaver.id, stayer.id])
        const g2 = await createGroup([leaver.id])
        await sleep(5)
        assert.equal((await acme.scim('DELETE', `/Users/${leaver.id}`)).status, 204)
        assert.deepEqual(await membersNow(g1.id), [stayer.id])
        assert.deepEqual(await membersNow(g2.id), [])
        for (const group of [g1, g2]) {
          const got = await getGroup(group.id)
          assert.notEqual(got.meta.version, group.meta.version)
          assert.ok(got.meta.lastModified > group.meta.lastModified)
        }
        const filtered = await acme.scim('GET', gq(`members eq "${leaver.id}"`))
        assert.equal(filtered.body.totalResults, 0)
        const rows = await server.server.db
          .selectFrom('group_members')
          .select('group_id')
          .where('member_id', '=', leaver.id)
          .execute()
        assert.deepEqual(rows, [])
      })

      it('deleting a group removes it from its parent groups, and its members lose it', async () => {
        const user = await createUser()
        const child = await createGroup([user.id])
        const parent = await createGroup([child.id])
        const before = await getGroup(parent.id)
        await sleep(5)
        assert.equal((await acme.scim('DELETE', `/Groups/${child.id}`)).status, 204)
        const after = await getGroup(parent.id)
        assert.ok(!('members' in after), JSON.stringify(after))
        assert.notEqual(after.meta.version, before.meta.version)
        assert.ok(!('groups' in (await getUser(user.id))), 'neither the deleted group nor its parent')
        assert.equal((await acme.scim('GET', gq(`members eq "${child.id}"`))).body.totalResults, 0)
      })

      it('deleting a parent group keeps its member groups and their users', async () => {
        const user = await createUser()
        const child = await createGroup([user.id])
        const parent = await createGroup([child.id])
        assert.equal((await acme.scim('DELETE', `/Groups/${parent.id}`)).status, 204)
        assert.deepEqual(await membersNow(child.id), [user.id])
        assert.deepEqual(await groupsOf(user.id), [[child.id, 'direct']])
        assert.equal((await acme.scim('GET', `/Users/${user.id}`)).status, 200)
      })

      it('the displayName of a deleted group can be used again', async () => {
        const group = await createGroup()
        assert.equal((await acme.scim('DELETE', `/Groups/${group.id}`)).status, 204)
        const again = await acme.scim('POST', '/Groups', groupBody(group.displayName))
        assert.equal(again.status, 201, again.text)
        assert.notEqual(again.body.id, group.id)
      })
    })

    describe('PATCH responses', () => {
      it('are 204 without a body by default, with an ETag', async () => {
        const user = await createUser()
        const group = await createGroup()
        const response = await patch204(group.id, { op: 'add', path: 'members', value: user.id })
        assert.match(response.headers.get('etag') ?? '', /^W\/".+"$/)
      })

      it('are 200 with id and displayName only when ?attributes=displayName', async () => {
        const user = await createUser()
        const group = await createGroup([user.id], { externalId: 'ext-attrs' })
        const response = await acme.scim(
          'PATCH',
          `/Groups/${group.id}?attributes=displayName`,
          patch({ op: 'replace', path: 'displayName', value: `Attr ${group.displayName}` }),
        )
        assert.equal(response.status, 200, response.text)
        assertScimContentType(response)
        assert.deepEqual(
          Object.keys(response.body)
            .filter((key) => key !== 'schemas')
            .sort(),
          ['displayName', 'id'],
        )
        assert.equal(response.body.displayName, `Attr ${group.displayName}`)
      })

      it('are 200 without members when ?excludedAttributes=members, with the ETag of meta.version', async () => {
        const user = await createUser()
        const group = await createGroup()
        const response = await acme.scim(
          'PATCH',
          `/Groups/${group.id}?excludedAttributes=members`,
          patch({ op: 'add', path: 'members', value: user.id }),
        )
        assert.equal(response.status, 200, response.text)
        assert.ok(!('members' in response.body), response.text)
        assert.equal(response.body.id, group.id)
        assert.equal(response.body.displayName, group.displayName)
        assert.equal(response.headers.get('etag'), response.body.meta.version)
        assert.deepEqual(await membersNow(group.id), [user.id])
      })

      it('carry members only when ?attributes=members asks for them', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup([u1.id])
        const response = await acme.scim(
          'PATCH',
          `/Groups/${group.id}?attributes=members`,
          patch({ op: 'add', path: 'members', value: u2.id }),
        )
        assert.equal(response.status, 200, response.text)
        assert.equal(response.body.id, group.id)
        assert.deepEqual(memberIds(response.body), sortedIds(u1.id, u2.id))
      })
    })

    describe('ETag and If-Match', () => {
      it('POST, GET and PUT send an ETag equal to meta.version', async () => {
        const created = await acme.scim('POST', '/Groups', groupBody(`Etag ${++seq}`))
        assert.equal(created.status, 201, created.text)
        assert.match(created.headers.get('etag') ?? '', /^W\/".+"$/)
        assert.equal(created.headers.get('etag'), created.body.meta.version)
        const got = await acme.scim('GET', `/Groups/${created.body.id}`)
        assert.equal(got.headers.get('etag'), created.body.meta.version)
        const put = await acme.scim('PUT', `/Groups/${created.body.id}`, groupBody(`Etag put ${seq}`))
        assert.equal(put.headers.get('etag'), put.body.meta.version)
        assert.notEqual(put.body.meta.version, created.body.meta.version)
      })

      it('every membership change bumps meta.version and lastModified', async () => {
        const [u1, u2] = [await createUser(), await createUser()]
        const group = await createGroup()
        let previous = group.meta
        const changes: unknown[] = [
          { op: 'add', path: 'members', value: [{ value: u1.id }, { value: u2.id }] },
          { op: 'remove', path: 'members', value: [{ value: u1.id }] },
          { op: 'remove', path: `members[value eq "${u2.id}"]` },
          { op: 'replace', path: 'members', value: [{ value: u1.id }] },
          { op: 'remove', path: 'members' },
        ]
        for (const change of changes) {
          await sleep(5)
          const response = await patch204(group.id, change)
          const got = await getGroup(group.id)
          assert.notEqual(got.meta.version, previous.version, JSON.stringify(change))
          assert.equal(response.headers.get('etag'), got.meta.version, JSON.stringify(change))
          assert.ok(got.meta.lastModified > previous.lastModified, JSON.stringify(change))
          assert.equal(got.meta.created, group.meta.created)
          previous = got.meta
        }
      })

      it('a stale If-Match is 412 on PATCH, PUT and DELETE, and nothing changes', async () => {
        const user = await createUser()
        const group = await createGroup([user.id])
        const stale = { 'if-match': 'W/"999"' }
        const before = await storedState(server.server.db)
        const attempts: [string, unknown][] = [
          ['PATCH', patch({ op: 'remove', path: 'members' })],
          ['PUT', groupBody(group.displayName)],
          ['DELETE', undefined],
        ]
        for (const [method, body] of attempts) {
          assertScimError(
            await acme.scim(method, `/Groups/${group.id}`, body, stale),
            412,
            undefined,
            /If-Match/,
          )
        }
        assert.deepEqual(await storedState(server.server.db), before)
        assert.deepEqual(await membersNow(group.id), [user.id])
      })

      it('If-Match with the current ETag, or *, succeeds on PATCH, PUT and DELETE', async () => {
        const user = await createUser()
        const group = await createGroup()
        const patched = await acme.scim(
          'PATCH',
          `/Groups/${group.id}`,
          patch({ op: 'add', path: 'members', value: user.id }),
          { 'if-match': group.meta.version },
        )
        assert.equal(patched.status, 204, patched.text)
        const put = await acme.scim('PUT', `/Groups/${group.id}`, groupBody(group.displayName), {
          'if-match': patched.headers.get('etag')!,
        })
        assert.equal(put.status, 200, put.text)
        const starred = await acme.scim(
          'PATCH',
          `/Groups/${group.id}`,
          patch({ op: 'add', path: 'members', value: user.id }),
          { 'if-match': '*' },
        )
        assert.equal(starred.status, 204, starred.text)
        const deleted = await acme.scim('DELETE', `/Groups/${group.id}`, undefined, {
          'if-match': starred.headers.get('etag')!,
        })
        assert.equal(deleted.status, 204, deleted.text)
      })
    })

    describe('audit trail', () => {
      it('records create, patch, replace and delete of a group with its token and request ids', async () => {
        const user = await createUser()
        const created = await acme.scim('POST', '/Groups', groupBody(`Audited ${++seq}`), {
          'x-request-id': 'group-create',
        })
        assert.equal(created.status, 201, created.text)
        const id = created.body.id as string
        const patched = await acme.scim(
          'PATCH',
          `/Groups/${id}`,
          patch({ op: 'add', path: 'members', value: user.id }),
          {
            'x-request-id': 'group-patch',
          },
        )
        assert.equal(patched.status, 204, patched.text)
        const put = await acme.scim('PUT', `/Groups/${id}`, groupBody(`Audited again ${seq}`), {
          'x-request-id': 'group-put',
        })
        assert.equal(put.status, 200, put.text)
        const deleted = await acme.scim('DELETE', `/Groups/${id}`, undefined, {
          'x-request-id': 'group-delete',
        })
        assert.equal(deleted.status, 204, deleted.text)

        const events = (
          await listAuditEvents(server.server.db, acme.tenant.id, { resourceId: id, limit: 10 })
        )
          .slice()
          .reverse()
        assert.deepEqual(
          events.map((event) => [event.operation, event.request_id, event.token_id, event.resource_type]),
          [
            ['create', 'group-create', acme.tokenId, 'Group'],
            ['patch', 'group-patch', acme.tokenId, 'Group'],
            ['replace', 'group-put', acme.tokenId, 'Group'],
            ['delete', 'group-delete', acme.tokenId, 'Group'],
          ],
        )
        for (const event of events) assert.ok(Array.isArray(JSON.parse(event.changes)), event.changes)
        const membership = events[1]!.changes
        assert.match(membership, /members/)
        assert.ok(membership.includes(user.id), membership)
        assert.match(events[0]!.changes, new RegExp(`Audited ${seq}`))
      })

      it('a refused group write records nothing', async () => {
        const group = await createGroup()
        const before = await listAuditEvents(server.server.db, acme.tenant.id, { limit: 1 })
        assertScimError(
          await acme.scim(
            'PATCH',
            `/Groups/${group.id}`,
            patch({ op: 'add', path: 'members', value: '00000000-0000-4000-8000-000000000000' }),
          ),
          400,
          'invalidValue',
        )
        assert.deepEqual(await listAuditEvents(server.server.db, acme.tenant.id, { limit: 1 }), before)
      })
    })

    describe('lists, filters, sorting, paging and .search', () => {
      let lists: TestTenant
      const ids: Record<string, string> = {}
      const NAMES = ['Engineering', 'Engineering Managers', 'Sales', 'Support']

      before(async () => {
        lists = await server.addTenant('lists')
        const user = async (name: string) =>
          (await postCreated(lists.scim, '/Users', employee(`${name}@lists.test`))).id as string
        ids.u1 = await user('u1')
        ids.u2 = await user('u2')
        ids.u3 = await user('u3')
        const group = async (name: string, extra: Record<string, unknown>) =>
          (await postCreated(lists.scim, '/Groups', groupBody(name, extra))).id as string
        ids.eng = await group('Engineering', { externalId: 'ext-eng', members: membersOf(ids.u1, ids.u2) })
        ids.managers = await group('Engineering Managers', { members: membersOf(ids.u1) })
        ids.sales = await group('Sales', { externalId: 'ext-sales', members: membersOf(ids.u3, ids.eng) })
        ids.support = await group('Support', {})
      })

      const names = (response: { body: { Resources: { displayName: string }[] } }) =>
        response.body.Resources.map((group) => group.displayName)

      const filters = (): [string, string[]][] => [
        ['displayName eq "engineering"', ['Engineering']],
        ['displayName eq "ENGINEERING MANAGERS"', ['Engineering Managers']],
        ['DisplayName eq "sales"', ['Sales']],
        ['externalId eq "ext-eng"', ['Engineering']],
        [`id eq "${ids.sales}"`, ['Sales']],
        [`members eq "${ids.u1}"`, ['Engineering', 'Engineering Managers']],
        [`members.value eq "${ids.u2}"`, ['Engineering']],
        [`members[value eq "${ids.u1}"]`, ['Engineering', 'Engineering Managers']],
        [`members eq "${ids.eng}"`, ['Sales']],
        [`members eq "${ids.u3}" or members eq "${ids.u2}"`, ['Engineering', 'Sales']],
        [`displayName sw "Eng" and members eq "${ids.u2}"`, ['Engineering']],
        ['displayName sw "eng"', ['Engineering', 'Engineering Managers']],
        ['displayName co "MANAG"', ['Engineering Managers']],
        ['displayName ew "port"', ['Support']],
        ['not (displayName sw "Eng")', ['Sales', 'Support']],
        ['displayName eq "Sales" or displayName eq "Support"', ['Sales', 'Support']],
        ['displayName eq "Nobody"', []],
        [`members eq "00000000-0000-4000-8000-000000000000"`, []],
      ]

      it('filters find exactly the right groups', async () => {
        for (const [filter, expected] of filters()) {
          const response = await lists.scim('GET', gq(filter))
          assert.equal(response.status, 200, `${filter}: ${response.text}`)
          assert.deepEqual(names(response).sort(), expected, filter)
          assert.equal(response.body.totalResults, expected.length, filter)
        }
      })

      it('the membership check `id eq "g" and members eq "u"` with attributes=id answers 1 or 0', async () => {
        const check = (group: string, user: string) =>
          lists.scim('GET', `${gq(`id eq "${group}" and members eq "${user}"`)}&attributes=id`)
        const yes = await check(ids.eng!, ids.u1!)
        assert.equal(yes.status, 200, yes.text)
        assert.equal(yes.body.totalResults, 1)
        assert.deepEqual(
          Object.keys(yes.body.Resources[0])
            .filter((key) => key !== 'schemas')
            .sort(),
          ['id'],
        )
        assert.equal(yes.body.Resources[0].id, ids.eng)
        assert.equal((await check(ids.eng!, ids.u3!)).body.totalResults, 0)
        assert.equal((await check(ids.managers!, ids.u2!)).body.totalResults, 0)
      })

      it('meta.created and meta.lastModified filters compare times', async () => {
        const all = (await lists.scim('GET', '/Groups?count=100')).body.Resources as Json[]
        const earliest = all.map((group) => group.meta.created as string).sort()[0]!
        assert.equal((await lists.scim('GET', gq(`meta.created ge "${earliest}"`))).body.totalResults, 4)
        assert.equal((await lists.scim('GET', gq(`meta.created lt "${earliest}"`))).body.totalResults, 0)

        const mark = all.map((group) => group.meta.lastModified as string).sort()[all.length - 1]!
        await sleep(5)
        const touched = await lists.scim(
          'PATCH',
          `/Groups/${ids.support}`,
          patch({ op: 'replace', path: 'externalId', value: 'ext-support' }),
        )
        assert.equal(touched.status, 204, touched.text)
        assert.deepEqual(names(await lists.scim('GET', gq(`meta.lastModified gt "${mark}"`))), ['Support'])
        assert.deepEqual(names(await lists.scim('GET', gq(`meta.lastModified le "${mark}"`))).sort(), [
          'Engineering',
          'Engineering Managers',
          'Sales',
        ])
      })

      it('a list carries members unless excludedAttributes=members', async () => {
        const full = await lists.scim('GET', '/Groups?sortBy=displayName')
        assert.equal(full.status, 200, full.text)
        assert.deepEqual(full.body.schemas, [LIST])
        assert.deepEqual(
          full.body.Resources.map((group: Json) => memberIds(group).length),
          [2, 1, 2, 0],
        )
        assert.ok(!('members' in full.body.Resources[3]), 'an empty group has no members key')
        const lean = await lists.scim('GET', '/Groups?excludedAttributes=members')
        assert.equal(lean.body.totalResults, 4)
        for (const group of lean.body.Resources) assert.ok(!('members' in group), JSON.stringify(group))
      })

      it('sortBy displayName sorts ascending and descending', async () => {
        assert.deepEqual(names(await lists.scim('GET', '/Groups?sortBy=displayName')), NAMES)
        assert.deepEqual(
          names(await lists.scim('GET', '/Groups?sortBy=displayName&sortOrder=descending')),
          [...NAMES].reverse(),
        )
      })

      it('startIndex and count page through the groups with a stable totalResults', async () => {
        const page = await lists.scim('GET', '/Groups?sortBy=displayName&startIndex=2&count=2')
        assert.equal(page.status, 200, page.text)
        assert.deepEqual([page.body.totalResults, page.body.startIndex, page.body.itemsPerPage], [4, 2, 2])
        assert.deepEqual(names(page), ['Engineering Managers', 'Sales'])
        const last = await lists.scim('GET', '/Groups?sortBy=displayName&startIndex=4&count=2')
        assert.deepEqual([last.body.totalResults, last.body.itemsPerPage], [4, 1])
        assert.deepEqual(names(last), ['Support'])
        const countOnly = await lists.scim('GET', '/Groups?count=0')
        assert.equal(countOnly.body.totalResults, 4)
        assert.deepEqual(countOnly.body.Resources, [])
        const beyond = await lists.scim('GET', '/Groups?startIndex=10')
        assert.equal(beyond.body.totalResults, 4)
        assert.deepEqual(beyond.body.Resources, [])
      })

      it('POST /Groups/.search takes filter, sort, paging and attributes in the body', async () => {
        const searched = await lists.scim('POST', '/Groups/.search', {
          schemas: [SEARCH],
          filter: 'displayName sw "eng"',
          sortBy: 'displayName',
          sortOrder: 'descending',
          startIndex: 1,
          count: 1,
          excludedAttributes: ['members'],
        })
        assert.equal(searched.status, 200, searched.text)
        assertScimContentType(searched)
        assert.deepEqual(searched.body.schemas, [LIST])
        assert.equal(searched.body.totalResults, 2)
        assert.deepEqual(names(searched), ['Engineering Managers'])
        assert.ok(!('members' in searched.body.Resources[0]))
        const projected = await lists.scim('POST', '/Groups/.search', {
          schemas: [SEARCH],
          filter: `members eq "${ids.u3}"`,
          attributes: ['displayName'],
        })
        assert.equal(projected.status, 200, projected.text)
        assert.equal(projected.body.totalResults, 1)
        assert.deepEqual(
          Object.keys(projected.body.Resources[0])
            .filter((key) => key !== 'schemas')
            .sort(),
          ['displayName', 'id'],
        )
      })

      it('a GET with attributes=displayName returns id and displayName only', async () => {
        const response = await lists.scim('GET', `/Groups/${ids.eng}?attributes=displayName`)
        assert.equal(response.status, 200, response.text)
        assert.deepEqual(
          Object.keys(response.body)
            .filter((key) => key !== 'schemas')
            .sort(),
          ['displayName', 'id'],
        )
      })

      it("another tenant's list is unaffected by these groups", async () => {
        const response = await acme.scim('GET', gq('displayName sw "Eng"'))
        assert.equal(response.status, 200, response.text)
        assert.equal(response.body.totalResults, 0)
      })
    })

    describe('discovery and methods', () => {
      it('/ResourceTypes lists User first, then Group', async () => {
        const response = await acme.scim('GET', '/ResourceTypes')
        assert.equal(response.status, 200, response.text)
        assert.deepEqual(
          response.body.Resources.map((type: Json) => [type.name, type.endpoint, type.schema]),
          [
            ['User', '/Users', 'urn:ietf:params:scim:schemas:core:2.0:User'],
            ['Group', '/Groups', GROUP],
          ],
        )
        assert.equal(response.body.totalResults, 2)
        const group = await acme.scim('GET', '/ResourceTypes/Group')
        assert.equal(group.status, 200, group.text)
        assert.equal(group.body.endpoint, '/Groups')
      })

      it('/Schemas includes the core Group schema, and /Schemas/<Group URN> serves it', async () => {
        const all = await acme.scim('GET', '/Schemas')
        assert.equal(all.status, 200, all.text)
        assert.ok(
          all.body.Resources.some((schema: Json) => schema.id === GROUP),
          'Group schema listed',
        )
        const one = await acme.scim('GET', `/Schemas/${GROUP}`)
        assert.equal(one.status, 200, one.text)
        assert.equal(one.body.id, GROUP)
        const attributes = one.body.attributes.map((attribute: Json) => attribute.name)
        assert.ok(attributes.includes('displayName') && attributes.includes('members'), attributes.join())
      })

      it('unsupported methods on /Groups paths are 405', async () => {
        const group = await createGroup()
        const attempts: [string, string, unknown][] = [
          ['DELETE', '/Groups', undefined],
          ['PUT', '/Groups', groupBody('x')],
          ['PATCH', '/Groups', patch({ op: 'remove', path: 'members' })],
          ['POST', `/Groups/${group.id}`, groupBody('x')],
        ]
        for (const [method, path, body] of attempts) {
          assertScimError(await acme.scim(method, path, body), 405)
        }
        assert.equal((await acme.scim('GET', `/Groups/${group.id}`)).status, 200)
      })

      it('group endpoints need a token like every other', async () => {
        const anonymous = scimClient(server.scimUrl, undefined)
        assertScimError(await anonymous('GET', '/Groups'), 401)
        assertScimError(await anonymous('POST', '/Groups', groupBody('Anonymous')), 401)
        assert.equal((await acme.scim('GET', gq('displayName eq "Anonymous"'))).body.totalResults, 0)
      })
    })

    /**
     * One group with 100,000 members, built over HTTP in PATCHes of 10,000 values. The users are
     * seeded straight into the store (test/store/fixtures.ts) so the test measures the group path, not
     * 100,000 user POSTs. No timing assertions: performance is benchmarked in bench/.
     */
    describe('a group with 100,000 members', () => {
      const MEMBERS = 100_000
      const BATCH = 10_000
      let big: TestTenant
      let userIds: string[]
      let groupId: string

      before(async () => {
        big = await server.addTenant('big', 'rfc')
        const start = Date.UTC(2024, 0, 1)
        const seeds = Array.from({ length: MEMBERS + 1 }, (_, n) => ({
          id: newResourceId(start + n),
          created: new Date(start + n).toISOString(),
          resource: { userName: `member${n}@big.test` },
        }))
        await server.server.db.transaction().execute(async (trx) => {
          for (let i = 0; i < seeds.length; i += 500)
            await insertUsers(trx, big.tenant.id, seeds.slice(i, i + 500))
        })
        userIds = seeds.map((seed) => seed.id)
        groupId = (
          await postCreated(big.scim, '/Groups', groupBody('Everyone', { externalId: 'ext-everyone' }))
        ).id
      })

      /** The last seeded user is kept out of the group until the add-one test. */
      const members = () => userIds.slice(0, MEMBERS)

      it(`PATCH add in requests of ${BATCH.toLocaleString('en')} values builds the group`, async () => {
        const all = members()
        for (let first = 0; first < all.length; first += BATCH) {
          const response = await big.scim(
            'PATCH',
            `/Groups/${groupId}`,
            patch({ op: 'add', path: 'members', value: membersOf(...all.slice(first, first + BATCH)) }),
          )
          assert.equal(response.status, 204, `batch at ${first}: ${response.text.slice(0, 500)}`)
        }
        // Re-adding members that are already there changes nothing.
        const again = await big.scim(
          'PATCH',
          `/Groups/${groupId}`,
          patch({ op: 'add', path: 'members', value: all.slice(0, 1000) }),
        )
        assert.equal(again.status, 204, again.text.slice(0, 500))
      })

      it('GET with excludedAttributes=members has no members and stays small', async () => {
        const response = await big.scim('GET', `/Groups/${groupId}?excludedAttributes=members`)
        assert.equal(response.status, 200, response.text.slice(0, 500))
        assert.ok(!('members' in response.body))
        assert.equal(response.body.displayName, 'Everyone')
        assert.ok(response.text.length < 2048, `${response.text.length} bytes`)
        const listed = await big.scim('GET', `${gq('displayName eq "Everyone"')}&excludedAttributes=members`)
        assert.equal(listed.body.totalResults, 1)
        assert.ok(!('members' in listed.body.Resources[0]))
        assert.ok(listed.text.length < 2048, `${listed.text.length} bytes`)
      })

      it(`GET returns exactly ${MEMBERS.toLocaleString('en')} members, no duplicates`, async () => {
        const response = await big.scim('GET', `/Groups/${groupId}`)
        assert.equal(response.status, 200, response.text.slice(0, 500))
        const values: string[] = response.body.members.map((member: { value: string }) => member.value)
        assert.equal(values.length, MEMBERS)
        assert.equal(new Set(values).size, MEMBERS)
        const expected = new Set(members())
        assert.ok(
          values.every((value) => expected.has(value)),
          'every member is one of the seeded users',
        )
        const sample = response.body.members.find((member: { value: string }) => member.value === userIds[42])
        assert.deepEqual(sample, {
          value: userIds[42],
          $ref: `${server.scimUrl}/Users/${userIds[42]}`,
          display: 'member42@big.test',
          type: 'User',
        })
      })

      it('PATCH adding and removing one member works on the big group', async () => {
        const newcomer = userIds[MEMBERS]!
        const leaver = userIds[7]!
        const isMember = async (user: string) =>
          (await big.scim('GET', `${gq(`id eq "${groupId}" and members eq "${user}"`)}&attributes=id`)).body
            .totalResults
        assert.equal(await isMember(newcomer), 0)
        const added = await big.scim(
          'PATCH',
          `/Groups/${groupId}`,
          patch({ op: 'add', path: 'members', value: newcomer }),
        )
        assert.equal(added.status, 204, added.text.slice(0, 500))
        assert.equal(await isMember(newcomer), 1)
        const removed = await big.scim(
          'PATCH',
          `/Groups/${groupId}`,
          patch({ op: 'remove', path: `members[value eq "${leaver}"]` }),
        )
        assert.equal(removed.status, 204, removed.text.slice(0, 500))
        assert.equal(await isMember(leaver), 0)

        const response = await big.scim('GET', `/Groups/${groupId}`)
        const values = new Set(response.body.members.map((member: { value: string }) => member.value))
        assert.equal(response.body.members.length, MEMBERS)
        assert.equal(values.size, MEMBERS)
        assert.ok(values.has(newcomer) && !values.has(leaver))
        assert.deepEqual(
          (await big.scim('GET', `/Users/${newcomer}`)).body.groups?.map((group: Json) => group.value),
          [groupId],
        )
      })
    })
  })
}
