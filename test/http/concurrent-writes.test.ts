/**
 * Writes in flight together share one SQLite COMMIT (store/write-units.ts); on PostgreSQL each is
 * its own concurrent transaction. Over real HTTP, on both: a request that fails among them fails
 * alone, and every answered write is there afterwards.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { assertScimError, auditEvents, ENTERPRISE, employee, patch } from './helpers.js'

for (const database of TEST_DATABASES) {
  describe(`concurrent writes (batched commit) [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
    })
    after(() => server.close())

    it('failing requests among concurrent POSTs fail alone; the others are created, each with its audit event', async () => {
      const taken = await acme.scim('POST', '/Users', employee('taken@acme.test'))
      assert.equal(taken.status, 201)
      const bodies = [
        ...Array.from({ length: 8 }, (_, i) => employee(`hire${i}@acme.test`)),
        employee('TAKEN@acme.test'),
        employee('orphan@acme.test', { [ENTERPRISE]: { manager: { value: 'no-such-user' } } }),
      ]
      const responses = await Promise.all(bodies.map((body) => acme.scim('POST', '/Users', body)))
      assert.deepEqual(
        responses.map((response) => response.status),
        [201, 201, 201, 201, 201, 201, 201, 201, 409, 400],
      )
      assertScimError(responses[8]!, 409, 'uniqueness', /userName/)
      assertScimError(responses[9]!, 400, 'invalidValue', /manager/)
      const events = await auditEvents(server.server.db, acme.tenant.id)
      for (const created of responses.slice(0, 8)) {
        const fetched = await acme.scim('GET', `/Users/${created.body.id}`)
        assert.equal(fetched.status, 200)
        assert.equal(fetched.body.userName, created.body.userName)
        assert.equal(events.filter((event) => event.resource_id === created.body.id).length, 1)
      }
      assert.equal(events.filter((event) => event.operation === 'create').length, 9)
    })

    it('concurrent PATCHes of different users and a failing one: the others are applied', async () => {
      const users = await Promise.all(
        Array.from({ length: 6 }, (_, i) => acme.scim('POST', '/Users', employee(`patched${i}@acme.test`))),
      )
      const responses = await Promise.all([
        ...users.map((user, i) =>
          acme.scim(
            'PATCH',
            `/Users/${user.body.id}`,
            patch({ op: 'replace', path: 'title', value: `Title ${i}` }),
          ),
        ),
        acme.scim(
          'PATCH',
          `/Users/${users[0]!.body.id}`,
          patch({ op: 'replace', path: 'userName', value: 'taken@acme.test' }),
        ),
      ])
      assert.deepEqual(
        responses.map((response) => response.status),
        [204, 204, 204, 204, 204, 204, 409],
      )
      for (const [i, user] of users.entries()) {
        const fetched = await acme.scim('GET', `/Users/${user.body.id}`)
        assert.equal(fetched.body.title, `Title ${i}`)
        assert.equal(fetched.body.userName, `patched${i}@acme.test`)
        assert.equal(fetched.body.meta.version, 'W/"2"')
      }
    })
  })
}
