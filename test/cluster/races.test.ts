/**
 * Two Roster processes on one database, as behind a load balancer: uniqueness, PATCHes of one user
 * and If-Match conditional writes must hold across processes, not only within one. On PostgreSQL
 * this rests on the unique index, the optimistic `WHERE version = ?` re-applied on a lost race, and
 * row locks; on SQLite (two processes sharing one WAL file) on BEGIN IMMEDIATE serialising writers
 * with busy_timeout.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js'
import type { ScimClient, ScimResponse } from '../support/server.js'
import { type RosterNode, seedTenant, startRosterNode } from './roster-node.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })

for (const database of TEST_DATABASES) {
  describe(`two server processes on one database [${database}]`, () => {
    let created: TestDatabase
    let nodes: RosterNode[] = []
    /** One client per process: requests alternate between them. */
    let clients: ScimClient[] = []

    before(async () => {
      created = await createTestDatabase(database)
      const token = await seedTenant(created.url, 'race')
      nodes = await Promise.all([startRosterNode(created.url), startRosterNode(created.url)])
      clients = nodes.map((node) => node.scim(token))
    })
    after(async () => {
      await Promise.all(nodes.map((node) => node.stop()))
      await created?.drop()
    })

    const on = (i: number) => clients[i % clients.length] as ScimClient
    const statuses = (responses: ScimResponse[]) => responses.map((response) => response.status).join(',')

    async function createUser(userName: string): Promise<{ id: string; etag: string }> {
      const response = await on(0)('POST', '/Users', { schemas: [USER], userName })
      assert.equal(response.status, 201, response.text)
      return { id: response.body.id, etag: response.headers.get('etag') ?? '' }
    }

    it('racing POSTs of one userName (in different cases) across both: one 201, the rest 409 uniqueness', async () => {
      for (let round = 0; round < 5; round++) {
        const base = `race.${round}@race.test`
        const variants = Array.from({ length: 20 }, (_, i) =>
          [...base].map((ch, j) => ((i >> (j % 5)) & 1 ? ch.toUpperCase() : ch)).join(''),
        )
        const responses = await Promise.all(
          variants.map((userName, i) => on(i)('POST', '/Users', { schemas: [USER], userName })),
        )
        const won = responses.filter((response) => response.status === 201)
        const lost = responses.filter((response) => response.status === 409)
        assert.equal(won.length, 1, statuses(responses))
        assert.equal(lost.length, responses.length - 1, statuses(responses))
        for (const response of lost) assert.equal(response.body?.scimType, 'uniqueness', response.text)
        // Both processes see the one winner.
        for (const client of clients) {
          const found = await client('GET', `/Users?filter=${encodeURIComponent(`userName eq "${base}"`)}`)
          assert.equal(found.body.totalResults, 1, found.text)
          assert.equal(found.body.Resources[0].id, won[0]?.body.id)
        }
      }
    })

    it('concurrent PATCHes of different attributes of one user from both: no update is lost', async () => {
      const user = await createUser('patched@race.test')
      const changes: [string, string][] = [
        ['nickName', 'Nick'],
        ['title', 'Engineer'],
        ['displayName', 'Display Name'],
        ['userType', 'Employee'],
        ['preferredLanguage', 'en-US'],
        ['locale', 'en-GB'],
        ['timezone', 'Europe/London'],
        ['profileUrl', 'https://example.com/u'],
        ['externalId', 'ext-race'],
        ['name.formatted', 'Formatted Name'],
        ['name.middleName', 'Middle'],
        ['name.honorificPrefix', 'Dr'],
        [`${ENTERPRISE}:department`, 'Engineering'],
        [`${ENTERPRISE}:costCenter`, 'CC-1'],
        [`${ENTERPRISE}:division`, 'Division'],
        [`${ENTERPRISE}:organization`, 'Org'],
      ]
      const responses = await Promise.all(
        changes.map(([path, value], i) =>
          on(i)('PATCH', `/Users/${user.id}`, patch({ op: 'replace', path, value })),
        ),
      )
      assert.deepEqual(
        responses.map((response) => response.status),
        changes.map(() => 204),
        responses.map((response) => response.text).join('\n'),
      )
      for (const client of clients) {
        const after = (await client('GET', `/Users/${user.id}`)).body
        assert.equal(after.nickName, 'Nick')
        assert.equal(after.title, 'Engineer')
        assert.equal(after.displayName, 'Display Name')
        assert.equal(after.userType, 'Employee')
        assert.equal(after.preferredLanguage, 'en-US')
        assert.equal(after.locale, 'en-GB')
        assert.equal(after.timezone, 'Europe/London')
        assert.equal(after.profileUrl, 'https://example.com/u')
        assert.equal(after.externalId, 'ext-race')
        assert.deepEqual(after.name, {
          formatted: 'Formatted Name',
          middleName: 'Middle',
          honorificPrefix: 'Dr',
        })
        assert.deepEqual(after[ENTERPRISE], {
          department: 'Engineering',
          costCenter: 'CC-1',
          division: 'Division',
          organization: 'Org',
        })
        // Every PATCH is one version: none was applied on a stale copy.
        assert.equal(after.meta.version, `W/"${1 + changes.length}"`)
      }
    })

    it('If-Match across nodes: two writes with the same ETag on different processes, one succeeds, the other 412', async () => {
      for (let round = 0; round < 10; round++) {
        const user = await createUser(`etag.${round}@race.test`)
        assert.match(user.etag, /^W\/"\d+"$/)
        const ifMatch = { 'if-match': user.etag }
        // A PUT on one process, a PATCH on the other (alternating which goes where).
        const put = on(round)(
          'PUT',
          `/Users/${user.id}`,
          { schemas: [USER], userName: `etag.${round}@race.test`, title: 'by PUT' },
          ifMatch,
        )
        const patched = on(round + 1)(
          'PATCH',
          `/Users/${user.id}`,
          patch({ op: 'replace', path: 'nickName', value: 'by PATCH' }),
          ifMatch,
        )
        const responses = await Promise.all([put, patched])
        const ok = responses.filter((response) => response.status === 200 || response.status === 204)
        const refused = responses.filter((response) => response.status === 412)
        assert.equal(
          ok.length,
          1,
          `round ${round}: ${statuses(responses)} ${responses.map((r) => r.text).join(' | ')}`,
        )
        assert.equal(refused.length, 1, `round ${round}: ${statuses(responses)}`)
        const after = (await on(round)('GET', `/Users/${user.id}`)).body
        // Exactly the winner's change, on top of the version both writers saw.
        assert.equal(after.meta.version, 'W/"2"')
        if (ok[0] === responses[0]) {
          assert.equal(after.title, 'by PUT')
          assert.equal(after.nickName, undefined)
        } else {
          assert.equal(after.nickName, 'by PATCH')
          assert.equal(after.title, undefined)
        }
      }
    })
  })
}
