/**
 * The bearer token decides the tenant, and a tenant sees only its own employees and groups: another
 * tenant's users and groups are indistinguishable from ones that do not exist, cannot be changed,
 * found, pointed at as a manager or added as members, and audit events are recorded under the
 * acting tenant only.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_DATABASES } from '../support/databases.js'
import { scimClient, startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import {
  assertScimError,
  auditEvents,
  canonicalResources,
  ENTERPRISE,
  employee,
  gq,
  groupBody,
  memberIds,
  membersOf,
  patch,
  postCreated,
  q,
  SEARCH,
  storedState,
} from './helpers.js'

const MISSING_ID = '00000000-0000-4000-8000-000000000000'

for (const database of TEST_DATABASES) {
  describe(`tenant isolation [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let globex: TestTenant
    const acmeIds: string[] = []
    let alice: string
    let bella: string
    let brian: string

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
      globex = await server.addTenant('globex')
      const create = async (tenant: TestTenant, body: unknown) => {
        const response = await tenant.scim('POST', '/Users', body)
        assert.equal(response.status, 201, response.text)
        return response.body.id as string
      }
      alice = await create(acme, employee('alice@acme.test', { externalId: 'ext-alice' }))
      acmeIds.push(alice, await create(acme, employee('adam@acme.test')))
      brian = await create(globex, employee('brian@globex.test'))
      bella = await create(
        globex,
        employee('bella@globex.test', {
          externalId: 'ext-bella',
          emails: [{ type: 'work', value: 'Bella.Work@globex.test', primary: true }],
          [ENTERPRISE]: { department: 'R&D', manager: { value: brian } },
        }),
      )
    })
    after(() => server.close())

    const userRow = (id: string) =>
      server.server.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

    /** Runs `request` and asserts the whole database is as it was. */
    const unchanged = async (request: () => Promise<void>) => {
      const before = await storedState(server.server.db)
      await request()
      assert.deepEqual(await storedState(server.server.db), before, 'stored data changed')
    }

    it("GET of another tenant's user by id is 404, exactly like an id that does not exist", async () => {
      const foreign = await acme.scim('GET', `/Users/${bella}`)
      const missing = await acme.scim('GET', `/Users/${MISSING_ID}`)
      assertScimError(foreign, 404)
      assertScimError(missing, 404)
      assert.equal(
        foreign.body.detail.replace(bella, '<id>'),
        missing.body.detail.replace(MISSING_ID, '<id>'),
      )
      assert.equal((await globex.scim('GET', `/Users/${bella}`)).status, 200)
    })

    it("PUT of another tenant's user is 404 and leaves it unchanged", async () => {
      const before = await userRow(bella)
      await unchanged(async () => {
        const response = await acme.scim('PUT', `/Users/${bella}`, employee('hijacked@acme.test'))
        assertScimError(response, 404)
      })
      assert.deepEqual(await userRow(bella), before)
    })

    it("PATCH of another tenant's user is 404 and leaves it unchanged", async () => {
      const before = await userRow(bella)
      await unchanged(async () => {
        const response = await acme.scim(
          'PATCH',
          `/Users/${bella}`,
          patch({ op: 'replace', path: 'active', value: false }),
        )
        assertScimError(response, 404)
      })
      assert.deepEqual(await userRow(bella), before)
    })

    it("DELETE of another tenant's user is 404 and neither deletes nor archives it", async () => {
      await unchanged(async () => {
        assertScimError(await acme.scim('DELETE', `/Users/${bella}`), 404)
        assertScimError(await acme.scim('DELETE', `/Users/${bella}`, undefined, { 'if-match': '*' }), 404)
      })
      assert.equal((await globex.scim('GET', `/Users/${bella}`)).status, 200)
    })

    const foreignFilters = () => [
      'userName eq "bella@globex.test"',
      'userName eq "BELLA@GLOBEX.TEST"',
      'userName sw "bella"',
      'userName co "lla@globex"',
      'externalId eq "ext-bella"',
      `id eq "${bella}"`,
      'emails[type eq "work" and value eq "bella.work@globex.test"]',
      'emails.value eq "Bella.Work@globex.test"',
      `${ENTERPRISE}:manager eq "${brian}"`,
      `${ENTERPRISE}:department eq "R&D"`,
    ]

    it("filters on another tenant's userName, externalId, id, work email or manager find nothing", async () => {
      for (const filter of foreignFilters()) {
        const response = await acme.scim('GET', q(filter))
        assert.equal(response.status, 200, `${filter}: ${response.text}`)
        assert.equal(response.body.totalResults, 0, filter)
        assert.deepEqual(response.body.Resources, [], filter)
        // The same filter does find the user with its own tenant's token.
        const own = await globex.scim('GET', q(filter))
        assert.equal(own.body.totalResults, 1, `${filter} with globex's token`)
      }
    })

    it('.search with those filters finds nothing either', async () => {
      for (const filter of foreignFilters()) {
        const response = await acme.scim('POST', '/Users/.search', { schemas: [SEARCH], filter })
        assert.equal(response.status, 200, `${filter}: ${response.text}`)
        assert.equal(response.body.totalResults, 0, filter)
      }
    })

    it("a list shows only the tenant's own users, and totalResults counts only them", async () => {
      const acmeCount = Number(
        (
          await server.server.db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', acme.tenant.id)
            .executeTakeFirstOrThrow()
        ).n,
      )
      for (const path of ['/Users', '/Users?count=1000', '/Users?filter=userName%20pr&sortBy=userName']) {
        const response = await acme.scim('GET', path)
        assert.equal(response.status, 200, response.text)
        assert.equal(response.body.totalResults, acmeCount, path)
        const ids = response.body.Resources.map((user: { id: string }) => user.id)
        assert.ok(!ids.includes(bella) && !ids.includes(brian), path)
        for (const id of acmeIds) assert.ok(ids.includes(id), `${path} misses ${id}`)
      }
      const countOnly = await acme.scim('GET', '/Users?count=0')
      assert.equal(countOnly.body.totalResults, acmeCount)
      const searched = await acme.scim('POST', '/Users/.search', { schemas: [SEARCH], startIndex: 1 })
      assert.equal(searched.body.totalResults, acmeCount)
      assert.ok(
        searched.body.Resources.every((user: { id: string }) => user.id !== bella && user.id !== brian),
      )
    })

    const managerShapes = () => [
      { label: 'bare string', op: { op: 'replace', path: `${ENTERPRISE}:manager`, value: bella } },
      { label: '{value}', op: { op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: bella } } },
      {
        label: '[{value, $ref}]',
        op: {
          op: 'add',
          path: `${ENTERPRISE}:manager`,
          value: [{ value: bella, $ref: `${server.scimUrl}/Users/${bella}` }],
        },
      },
      { label: 'manager.value', op: { op: 'replace', path: `${ENTERPRISE}:manager.value`, value: bella } },
      { label: 'path-less URN key', op: { op: 'replace', value: { [`${ENTERPRISE}:manager`]: bella } } },
      {
        label: 'path-less extension object',
        op: { op: 'add', value: { [ENTERPRISE]: { manager: { value: bella } } } },
      },
    ]

    it("PATCH setting another tenant's user as manager (every manager shape) is 400 naming it", async () => {
      for (const { label, op } of managerShapes()) {
        const before = await userRow(alice)
        await unchanged(async () => {
          const response = await acme.scim('PATCH', `/Users/${alice}`, patch(op))
          assertScimError(response, 400, 'invalidValue', new RegExp(`manager.*${bella}`))
        })
        assert.deepEqual(await userRow(alice), before, label)
      }
    })

    it("POST and PUT with another tenant's user as manager are 400 naming it", async () => {
      await unchanged(async () => {
        const posted = await acme.scim(
          'POST',
          '/Users',
          employee('newbie@acme.test', { [ENTERPRISE]: { manager: { value: bella } } }),
        )
        assertScimError(posted, 400, 'invalidValue', /manager/)
        const put = await acme.scim(
          'PUT',
          `/Users/${alice}`,
          employee('alice@acme.test', { [ENTERPRISE]: { manager: bella } }),
        )
        assertScimError(put, 400, 'invalidValue', /manager/)
      })
    })

    it('the same userName can exist in two tenants (uniqueness is per tenant)', async () => {
      const inAcme = await acme.scim('POST', '/Users', employee('shared.name@example.test'))
      const inGlobex = await globex.scim('POST', '/Users', employee('Shared.Name@example.test'))
      assert.equal(inAcme.status, 201, inAcme.text)
      assert.equal(inGlobex.status, 201, inGlobex.text)
      assert.notEqual(inAcme.body.id, inGlobex.body.id)
      // …and it is still unique within each tenant.
      assertScimError(
        await globex.scim('POST', '/Users', employee('SHARED.NAME@example.test')),
        409,
        'uniqueness',
      )
      const found = await acme.scim('GET', q('userName eq "shared.name@example.test"'))
      assert.deepEqual(
        found.body.Resources.map((user: { id: string }) => user.id),
        [inAcme.body.id],
      )
    })

    it("audit events of one tenant's writes carry that tenant's id and token only", async () => {
      const created = await acme.scim('POST', '/Users', employee('audited@acme.test'))
      assert.equal(created.status, 201)
      const id = created.body.id as string
      const patched = await acme.scim(
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'replace', path: 'title', value: 'T' }),
      )
      const deleted = await acme.scim('DELETE', `/Users/${id}`)
      const requestIds = [created, patched, deleted].map((response) => response.headers.get('x-request-id'))
      const events = (await auditEvents(server.server.db)).filter((event) =>
        requestIds.includes(event.request_id),
      )
      assert.deepEqual(
        events.map((event) => event.operation),
        ['create', 'patch', 'delete'],
      )
      for (const event of events) {
        assert.equal(event.tenant_id, acme.tenant.id)
        assert.equal(event.token_id, acme.tokenId)
      }
      const acmeTokenEvents = (await auditEvents(server.server.db)).filter(
        (event) => event.token_id === acme.tokenId,
      )
      assert.ok(acmeTokenEvents.every((event) => event.tenant_id === acme.tenant.id))
      assert.ok(acmeTokenEvents.every((event) => event.resource_id !== bella && event.resource_id !== brian))
      const globexEvents = await auditEvents(server.server.db, globex.tenant.id)
      assert.ok(globexEvents.every((event) => event.token_id === globex.tokenId))
    })

    it('an unknown or garbage token gets 401 before any lookup: it cannot tell existing ids from missing ones', async () => {
      const callers = [
        scimClient(server.scimUrl, `rst_${'x'.repeat(43)}`),
        scimClient(server.scimUrl, 'garbage'),
        scimClient(server.scimUrl, undefined),
      ]
      for (const scim of callers) {
        for (const method of ['GET', 'DELETE'] as const) {
          const existing = await scim(method, `/Users/${bella}`)
          const missing = await scim(method, `/Users/${MISSING_ID}`)
          assertScimError(existing, 401)
          assertScimError(missing, 401)
          assert.deepEqual(existing.body, missing.body)
          assert.equal(existing.headers.get('www-authenticate'), missing.headers.get('www-authenticate'))
          assert.ok(!existing.text.includes(bella))
        }
        const patched = await scim(
          'PATCH',
          `/Users/${bella}`,
          patch({ op: 'replace', path: 'title', value: 'x' }),
        )
        assertScimError(patched, 401)
      }
      assert.equal((await globex.scim('GET', `/Users/${bella}`)).status, 200)
    })
  })
}

for (const database of TEST_DATABASES) {
  describe(`tenant isolation: groups [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let globex: TestTenant
    let alice: string
    let team: string
    let bella: string
    let brian: string
    let research: string
    let globexAll: string

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
      globex = await server.addTenant('globex')
      const create = async (tenant: TestTenant, path: string, body: unknown) =>
        (await postCreated(tenant.scim, path, body)).id as string
      alice = await create(acme, '/Users', employee('alice@acme.test'))
      team = await create(acme, '/Groups', groupBody('Team', { members: membersOf(alice) }))
      bella = await create(globex, '/Users', employee('bella@globex.test'))
      brian = await create(globex, '/Users', employee('brian@globex.test'))
      research = await create(
        globex,
        '/Groups',
        groupBody('Research', { externalId: 'ext-research', members: membersOf(bella, brian) }),
      )
      globexAll = await create(globex, '/Groups', groupBody('Globex All', { members: membersOf(research) }))
    })
    after(() => server.close())

    /** Everything globex's own token sees of its groups and users, for before/after comparisons. */
    const globexView = async () => {
      const groups = await globex.scim('GET', '/Groups?count=1000')
      const users = await globex.scim('GET', '/Users?count=1000')
      assert.equal(groups.status, 200, groups.text)
      assert.equal(users.status, 200, users.text)
      return {
        groups: canonicalResources(groups.body.Resources),
        users: canonicalResources(users.body.Resources),
      }
    }
    /** Runs `request` and asserts that neither the database nor globex's view of it changed. */
    const unchanged = async (request: () => Promise<void>) => {
      const before = { stored: await storedState(server.server.db), view: await globexView() }
      await request()
      assert.deepEqual(
        { stored: await storedState(server.server.db), view: await globexView() },
        before,
        'stored data changed',
      )
    }

    it("GET of another tenant's group by id is 404, exactly like an id that does not exist", async () => {
      for (const query of ['', '?excludedAttributes=members', '?attributes=members']) {
        const foreign = await acme.scim('GET', `/Groups/${research}${query}`)
        const missing = await acme.scim('GET', `/Groups/${MISSING_ID}${query}`)
        assertScimError(foreign, 404)
        assertScimError(missing, 404)
        assert.equal(
          foreign.body.detail.replace(research, '<id>'),
          missing.body.detail.replace(MISSING_ID, '<id>'),
        )
        assert.ok(!foreign.text.includes('Research'))
      }
      assert.equal((await globex.scim('GET', `/Groups/${research}`)).status, 200)
    })

    const foreignGroupFilters = () => [
      'displayName eq "Research"',
      'displayName eq "RESEARCH"',
      'displayName sw "Res"',
      'displayName co "search"',
      'externalId eq "ext-research"',
      `id eq "${research}"`,
      `members eq "${bella}"`,
      `members.value eq "${brian}"`,
      `members[value eq "${bella}"]`,
      `members eq "${research}"`,
      `id eq "${research}" and members eq "${bella}"`,
    ]

    it("filters on another tenant's group displayName, externalId, id or members find nothing", async () => {
      for (const filter of foreignGroupFilters()) {
        for (const suffix of ['', '&excludedAttributes=members', '&attributes=id']) {
          const response = await acme.scim('GET', `${gq(filter)}${suffix}`)
          assert.equal(response.status, 200, `${filter}: ${response.text}`)
          assert.equal(response.body.totalResults, 0, filter)
          assert.deepEqual(response.body.Resources, [], filter)
        }
        const searched = await acme.scim('POST', '/Groups/.search', { schemas: [SEARCH], filter })
        assert.equal(searched.status, 200, `${filter}: ${searched.text}`)
        assert.equal(searched.body.totalResults, 0, filter)
        // The same filter does find the group with its own tenant's token.
        assert.equal(
          (await globex.scim('GET', gq(filter))).body.totalResults,
          1,
          `${filter} with globex's token`,
        )
      }
    })

    it("a group list shows only the tenant's own groups, and totalResults counts only them", async () => {
      for (const path of ['/Groups', '/Groups?count=1000', '/Groups?sortBy=displayName', '/Groups?count=0']) {
        const response = await acme.scim('GET', path)
        assert.equal(response.status, 200, response.text)
        assert.equal(response.body.totalResults, 1, path)
        assert.ok(!response.text.includes(research) && !response.text.includes(globexAll), path)
      }
      const listed = await acme.scim('GET', '/Groups')
      assert.deepEqual(
        listed.body.Resources.map((group: { id: string }) => group.id),
        [team],
      )
    })

    it("PUT, PATCH and DELETE of another tenant's group are 404 and leave it unchanged", async () => {
      await unchanged(async () => {
        assertScimError(
          await acme.scim('PUT', `/Groups/${research}`, groupBody('Hijacked', { members: membersOf(alice) })),
          404,
        )
        const patches = [
          { op: 'replace', path: 'displayName', value: 'Hijacked' },
          { op: 'add', path: 'members', value: [{ value: alice }] },
          { op: 'remove', path: 'members' },
          { op: 'remove', path: `members[value eq "${bella}"]` },
          { op: 'replace', path: 'members', value: [] },
        ]
        for (const op of patches) {
          assertScimError(await acme.scim('PATCH', `/Groups/${research}`, patch(op)), 404)
          assertScimError(await acme.scim('PATCH', `/Groups/${research}?attributes=members`, patch(op)), 404)
        }
        assertScimError(await acme.scim('DELETE', `/Groups/${research}`), 404)
        assertScimError(await acme.scim('DELETE', `/Groups/${research}`, undefined, { 'if-match': '*' }), 404)
      })
    })

    it("another tenant's users and groups cannot be made members, in any form (400 naming them)", async () => {
      for (const foreign of [bella, research, globexAll]) {
        const attempts: [string, string, unknown][] = [
          [
            'PATCH',
            `/Groups/${team}`,
            patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: foreign }] }),
          ],
          ['PATCH', `/Groups/${team}`, patch({ op: 'add', path: 'members', value: foreign })],
          ['PATCH', `/Groups/${team}`, patch({ op: 'add', path: 'members', value: [alice, foreign] })],
          [
            'PATCH',
            `/Groups/${team}`,
            patch({ op: 'replace', path: 'members', value: [{ value: foreign }] }),
          ],
          ['PATCH', `/Groups/${team}`, patch({ op: 'replace', value: { members: [{ value: foreign }] } })],
          ['PATCH', `/Groups/${team}`, patch({ op: 'add', value: { members: [{ value: foreign }] } })],
          ['PUT', `/Groups/${team}`, groupBody('Team', { members: membersOf(alice, foreign) })],
          ['POST', '/Groups', groupBody('Smuggler', { members: membersOf(foreign) })],
        ]
        for (const [method, path, body] of attempts) {
          await unchanged(async () => {
            const response = await acme.scim(method, path, body)
            assertScimError(response, 400, 'invalidValue', new RegExp(`members.*${foreign}`))
          })
        }
      }
      const got = await acme.scim('GET', `/Groups/${team}`)
      assert.deepEqual(memberIds(got.body), [alice])
    })

    it("removing another tenant's member from one's own group is a no-op, not a cross-tenant write", async () => {
      await unchanged(async () => {
        const response = await acme.scim(
          'PATCH',
          `/Groups/${team}`,
          patch(
            { op: 'remove', path: 'members', value: [{ value: bella }] },
            { op: 'remove', path: `members[value eq "${research}"]` },
          ),
        )
        assert.equal(response.status, 204, response.text)
      })
    })

    it("a user's groups attribute never shows another tenant's groups", async () => {
      const aliceNow = await acme.scim('GET', `/Users/${alice}`)
      assert.deepEqual(
        aliceNow.body.groups?.map((group: { value: string }) => group.value),
        [team],
      )
      assert.ok(!aliceNow.text.includes(research))
      const bellaNow = await globex.scim('GET', `/Users/${bella}`)
      assert.deepEqual(
        bellaNow.body.groups
          ?.map((group: { value: string; type: string }) => [group.value, group.type])
          ?.sort((left: string[], right: string[]) => left[0]!.localeCompare(right[0]!)),
        [
          [research, 'direct'],
          [globexAll, 'indirect'],
        ].sort((left, right) => left[0]!.localeCompare(right[0]!)),
      )
    })

    it('the same displayName can exist in two tenants (uniqueness is per tenant)', async () => {
      const inAcme = await acme.scim('POST', '/Groups', groupBody('research'))
      assert.equal(inAcme.status, 201, inAcme.text)
      assertScimError(await globex.scim('POST', '/Groups', groupBody('RESEARCH')), 409, 'uniqueness')
      const found = await acme.scim('GET', gq('displayName eq "Research"'))
      assert.deepEqual(
        found.body.Resources.map((group: { id: string }) => group.id),
        [inAcme.body.id],
      )
      assert.equal((await acme.scim('DELETE', `/Groups/${inAcme.body.id}`)).status, 204)
      assert.equal((await globex.scim('GET', `/Groups/${research}`)).status, 200)
    })

    it("deleting one tenant's user or group leaves the other tenant's groups alone", async () => {
      const doomedUser = (await postCreated(acme.scim, '/Users', employee('doomed@acme.test'))).id as string
      const doomedGroup = (
        await postCreated(acme.scim, '/Groups', groupBody('Doomed', { members: membersOf(doomedUser) }))
      ).id as string
      const before = await globexView()
      assert.equal((await acme.scim('DELETE', `/Users/${doomedUser}`)).status, 204)
      assert.equal((await acme.scim('DELETE', `/Groups/${doomedGroup}`)).status, 204)
      assert.deepEqual(await globexView(), before)
    })

    it("group audit events carry the acting tenant's id and token only", async () => {
      const created = await acme.scim('POST', '/Groups', groupBody('Audited'))
      assert.equal(created.status, 201, created.text)
      const id = created.body.id as string
      const patched = await acme.scim(
        'PATCH',
        `/Groups/${id}`,
        patch({ op: 'add', path: 'members', value: alice }),
      )
      const deleted = await acme.scim('DELETE', `/Groups/${id}`)
      const requestIds = [created, patched, deleted].map((response) => response.headers.get('x-request-id'))
      const events = (await auditEvents(server.server.db)).filter((event) =>
        requestIds.includes(event.request_id),
      )
      assert.deepEqual(
        events.map((event) => [event.operation, event.resource_type]),
        [
          ['create', 'Group'],
          ['patch', 'Group'],
          ['delete', 'Group'],
        ],
      )
      for (const event of events) {
        assert.equal(event.tenant_id, acme.tenant.id)
        assert.equal(event.token_id, acme.tokenId)
      }
      const acmeEvents = await auditEvents(server.server.db, acme.tenant.id)
      assert.ok(acmeEvents.every((event) => ![research, globexAll, bella, brian].includes(event.resource_id)))
    })
  })
}
