/**
 * Groups under concurrent writes: displayName stays unique (case-insensitively) when creates race,
 * and concurrent membership changes of one group are all kept (none lost to a stale read).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { assertScimError, employee, groupBody, memberIds, patch, postCreated, sortedIds } from './helpers.js'

for (const database of TEST_DATABASES) {
  describe(`groups under concurrent writes [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
    })
    after(() => server.close())

    it('racing creates of one displayName (in any case): one 201, the rest 409 uniqueness', async () => {
      const names = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 'Night Shift' : 'NIGHT shift'))
      const responses = await Promise.all(names.map((name) => acme.scim('POST', '/Groups', groupBody(name))))
      const statuses = responses.map((response) => response.status).sort()
      assert.deepEqual(statuses, [201, ...Array(9).fill(409)])
      for (const response of responses.filter((r) => r.status === 409)) {
        assertScimError(response, 409, 'uniqueness', /displayName/)
      }
      const listed = await acme.scim(
        'GET',
        `/Groups?filter=${encodeURIComponent('displayName eq "night shift"')}`,
      )
      assert.equal(listed.body.totalResults, 1)
    })

    it('concurrent PATCHes adding different members to one group keep every member', async () => {
      const users = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          postCreated(acme.scim, '/Users', employee(`crew${i}@acme.test`)),
        ),
      )
      const group = await postCreated(acme.scim, '/Groups', groupBody('Crew'))
      const responses = await Promise.all(
        users.map((user) =>
          acme.scim(
            'PATCH',
            `/Groups/${group.id}`,
            patch({ op: 'Add', path: 'members', value: [{ value: user.id }] }),
          ),
        ),
      )
      assert.deepEqual(
        responses.map((response) => response.status),
        users.map(() => 204),
      )
      const after = await acme.scim('GET', `/Groups/${group.id}`)
      assert.deepEqual(memberIds(after.body), sortedIds(...users.map((user) => user.id)))
      // Each PATCH changed the group once: the version counts them all.
      assert.equal(after.body.meta.version, `W/"${1 + users.length}"`)
    })
  })
}
