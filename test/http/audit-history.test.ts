/**
 * A resource's history — the audit trail of one user or group — as the console's activity filter
 * and `roster audit --resource` read it. Since migration 0008 it is a chain (each event points at
 * the resource's previous change, the newest is kept in the resource's row) rather than an index,
 * so these tests pin what the index used to give: every change of the resource, newest first,
 * nothing of other resources, across deletes, and with the refused writes in the activity.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { listActivity } from '../../src/store/activity-query.js'
import { listAuditEvents } from '../../src/store/audit-repository.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { employee, groupBody, membersOf, patch, postCreated } from './helpers.js'

for (const database of TEST_DATABASES) {
  describe(`resource history [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let other: TestTenant

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme', 'rfc')
      other = await server.addTenant('other', 'rfc')
    })
    after(() => server.close())

    const history = async (tenant: TestTenant, id: string) =>
      (await listAuditEvents(server.server.db, tenant.tenant.id, { resourceId: id, limit: 100 })).map(
        (event) => {
          assert.equal(event.resource_id, id)
          return event.operation
        },
      )
    const activity = async (tenant: TestTenant, id: string) =>
      (await listActivity(server.server.db, tenant.tenant.id, { resourceId: id, limit: 100 })).map((row) => {
        assert.equal(row.resource_id, id)
        return `${row.operation}:${row.outcome}`
      })
    const rename = (title: string) => patch({ op: 'replace', path: 'title', value: title })

    it("lists every change of a user, newest first, and nobody else's", async () => {
      const ada = await postCreated(acme.scim, '/Users', employee('ada@acme.example'))
      const bob = await postCreated(acme.scim, '/Users', employee('bob@acme.example'))
      for (const title of ['One', 'Two']) {
        assert.equal((await acme.scim('PATCH', `/Users/${ada.id}`, rename(title))).status, 204)
        assert.equal((await acme.scim('PATCH', `/Users/${bob.id}`, rename(title))).status, 204)
      }
      assert.equal((await acme.scim('PUT', `/Users/${ada.id}`, employee('ada@acme.example'))).status, 200)
      assert.deepEqual(await history(acme, ada.id), ['replace', 'patch', 'patch', 'create'])
      assert.deepEqual(await history(acme, bob.id), ['patch', 'patch', 'create'])
      // A PATCH that changes nothing records nothing, and leaves the history as it was.
      assert.equal((await acme.scim('PATCH', `/Users/${bob.id}`, rename('Two'))).status, 204)
      assert.deepEqual(await history(acme, bob.id), ['patch', 'patch', 'create'])
      // Another tenant asking for the same id finds nothing.
      assert.deepEqual(await history(other, ada.id), [])
      assert.deepEqual(await activity(other, ada.id), [])
    })

    it('keeps the history of a deleted user and of a deleted group, membership changes included', async () => {
      const cy = await postCreated(acme.scim, '/Users', employee('cy@acme.example'))
      const team = await postCreated(acme.scim, '/Groups', groupBody('Team', { members: membersOf(cy.id) }))
      assert.equal((await acme.scim('PATCH', `/Users/${cy.id}`, rename('Lead'))).status, 204)
      assert.equal((await acme.scim('DELETE', `/Users/${cy.id}`)).status, 204)
      assert.deepEqual(await history(acme, cy.id), ['delete', 'patch', 'create'])
      // Deleting the member changed the group: that change is in the group's history.
      assert.deepEqual(await history(acme, team.id), ['patch', 'create'])
      assert.equal((await acme.scim('DELETE', `/Groups/${team.id}`)).status, 204)
      assert.deepEqual(await history(acme, team.id), ['delete', 'patch', 'create'])
    })

    it("puts a user's refused writes in its activity but not in its audit trail", async () => {
      const dee = await postCreated(acme.scim, '/Users', employee('dee@acme.example'))
      const refused = await acme.scim('PATCH', `/Users/${dee.id}`, rename(42 as unknown as string))
      assert.equal(refused.status, 400)
      assert.equal((await acme.scim('PATCH', `/Users/${dee.id}`, rename('Ok'))).status, 204)
      // Failed writes are recorded after the answer, off the request's path.
      for (let tries = 0; (await activity(acme, dee.id)).length < 3 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.deepEqual(await activity(acme, dee.id), ['patch:success', 'patch:failure', 'create:success'])
      assert.deepEqual(await history(acme, dee.id), ['patch', 'create'])
      // The refused write of a user that never existed is found too.
      const ghost = '00000000-0000-7000-8000-000000000000'
      assert.equal((await acme.scim('DELETE', `/Users/${ghost}`)).status, 404)
      for (let tries = 0; (await activity(acme, ghost)).length < 1 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.deepEqual(await activity(acme, ghost), ['delete:failure'])
    })
  })
}
