/**
 * What the console reads: the employee list (paging, sorting, search, status), one employee in
 * full, the org chart, and the activity (filters, polling, CSV, failed SCIM writes), with the
 * security headers, and never another tenant's data.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ENTERPRISE, employee, groupBody, membersOf, patch, postCreated } from '../http/helpers.js'
import { TEST_DATABASES } from '../support/databases.js'
import { startTestServer, type TestServer, type TestTenant } from '../support/server.js'
import { ApiClient, assertApiError, baseOf, owner } from './api-client.js'

const MISSING_ID = '00000000-0000-4000-8000-000000000000'

/** Parses the CSV the API writes (RFC 4180: quoted cells, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(cell)
      cell = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += char
  }
  return rows
}

for (const database of TEST_DATABASES) {
  describe(`console directory reads [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let globex: TestTenant
    let console: ApiClient
    let globexConsole: ApiClient
    const ids: Record<string, string> = {}

    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
      globex = await server.addTenant('globex')
      const create = async (key: string, userName: string, extra: Record<string, unknown> = {}) => {
        ids[key] = (await postCreated(acme.scim, '/Users', employee(userName, extra))).id
      }
      await create('ceo', 'carla@acme.test', {
        displayName: 'Carla Ceo',
        name: { givenName: 'Carla', familyName: 'Ceo' },
        title: 'CEO',
        [ENTERPRISE]: { department: 'Board' },
      })
      await create('cto', 'tom@acme.test', {
        displayName: 'Tom Tech',
        name: { givenName: 'Tom', familyName: 'Tech' },
        title: 'CTO',
        [ENTERPRISE]: { department: 'Engineering', manager: { value: ids.ceo } },
      })
      await create('dev', 'ada@acme.test', {
        displayName: 'Ada Lovelace',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        title: '=HYPERLINK("http://evil")',
        emails: [{ type: 'work', value: 'countess@mail.example', primary: true }],
        [ENTERPRISE]: { department: 'Engineering', manager: { value: ids.cto } },
      })
      await create('gone', 'zed@acme.test', {
        displayName: 'Zed Former',
        name: { givenName: 'Zed', familyName: 'Former' },
        active: false,
      })
      for (let n = 0; n < 7; n++)
        await create(`extra${n}`, `extra${n}@acme.test`, { displayName: `Extra ${n}` })
      await postCreated(acme.scim, '/Groups', groupBody('Engineers', { members: membersOf(ids.dev ?? '') }))
      // A change and a refused write, for the activity.
      const patched = await acme.scim(
        'PATCH',
        `/Users/${ids.dev}`,
        patch({ op: 'replace', path: 'title', value: 'Engineer, "Lead"\nline two' }),
      )
      assert.equal(patched.status, 204, patched.text)
      const refused = await acme.scim('POST', '/Users', employee('carla@acme.test'))
      assert.equal(refused.status, 409, refused.text)
      await postCreated(
        globex.scim,
        '/Users',
        employee('secret@globex.test', { displayName: 'Globex Secret' }),
      )
      console = await owner(server, acme.tenant.id, 'owner@acme.test')
      globexConsole = await owner(server, globex.tenant.id, 'owner@globex.test')
    })
    after(() => server.close())

    it('lists employees by userName, paged, with the total and their managers', async () => {
      const first = await console.get('/employees?pageSize=5')
      assert.equal(first.status, 200, first.text)
      assert.equal(first.body.total, 11)
      assert.equal(first.body.page, 1)
      assert.equal(first.body.pageSize, 5)
      assert.deepEqual(
        first.body.items.map((item: { userName: string }) => item.userName),
        ['ada@acme.test', 'carla@acme.test', 'extra0@acme.test', 'extra1@acme.test', 'extra2@acme.test'],
      )
      const ada = first.body.items[0]
      assert.deepEqual(ada.manager, { id: ids.cto, displayName: 'Tom Tech' })
      assert.equal(ada.displayName, 'Ada Lovelace')
      assert.equal(ada.department, 'Engineering')
      assert.equal(ada.active, true)
      const third = await console.get('/employees?pageSize=5&page=3')
      assert.deepEqual(
        third.body.items.map((item: { userName: string }) => item.userName),
        ['zed@acme.test'],
      )
      assert.equal(third.body.total, 11)
      const beyond = await console.get('/employees?pageSize=5&page=9')
      assert.deepEqual(beyond.body.items, [])
      assert.equal(beyond.body.total, 11)
    })

    it('sorts by name, title, department and lastModified, both ways', async () => {
      const names = async (query: string) =>
        (await console.get(`/employees?${query}`)).body.items.map(
          (item: { userName: string }) => item.userName,
        )
      const byName = await names('sort=name&pageSize=200')
      assert.ok(byName.indexOf('carla@acme.test') < byName.indexOf('zed@acme.test'), 'Ceo before Former')
      assert.ok(byName.indexOf('zed@acme.test') < byName.indexOf('ada@acme.test'), 'Former before Lovelace')
      const byTitleDesc = await names('sort=title&order=desc&pageSize=200')
      assert.equal(byTitleDesc.length, 11)
      const byDepartment = await names('sort=department&pageSize=3')
      assert.deepEqual(byDepartment, ['carla@acme.test', 'ada@acme.test', 'tom@acme.test'])
      const recent = await names('sort=lastModified&order=desc&pageSize=1')
      assert.deepEqual(recent, ['ada@acme.test'], 'the patched employee is the latest change')
      const reversed = await names('order=desc&pageSize=2')
      assert.deepEqual(reversed, ['zed@acme.test', 'tom@acme.test'])
    })

    it('searches case-insensitive prefixes of userName, names, display name and work email', async () => {
      const find = async (q: string) =>
        (await console.get(`/employees?q=${encodeURIComponent(q)}`)).body.items.map(
          (item: { userName: string }) => item.userName,
        )
      assert.deepEqual(await find('ADA@'), ['ada@acme.test'])
      assert.deepEqual(await find('love'), ['ada@acme.test'], 'family name')
      assert.deepEqual(await find('tom t'), ['tom@acme.test'], 'display name')
      assert.deepEqual(await find('COUNTESS@'), ['ada@acme.test'], 'work email')
      assert.deepEqual(await find('carl'), ['carla@acme.test'], 'given name')
      assert.deepEqual(await find('nobody'), [])
      assert.deepEqual(await find('secret'), [], "never another tenant's employee")
      const total = (await console.get('/employees?q=extra&pageSize=2')).body
      assert.equal(total.total, 7)
      assert.equal(total.items.length, 2)
    })

    it('filters by status', async () => {
      const disabled = (await console.get('/employees?status=disabled')).body
      assert.equal(disabled.total, 1)
      assert.equal(disabled.items[0].userName, 'zed@acme.test')
      assert.equal(disabled.items[0].active, false)
      assert.equal((await console.get('/employees?status=active')).body.total, 10)
    })

    it('shows one employee with the SCIM resource, manager, reports, groups and history', async () => {
      const response = await console.get(`/employees/${ids.cto}`)
      assert.equal(response.status, 200, response.text)
      const { employee: cto } = response.body
      assert.equal(cto.userName, 'tom@acme.test')
      assert.deepEqual(cto.manager, { id: ids.ceo, displayName: 'Carla Ceo', userName: 'carla@acme.test' })
      assert.deepEqual(cto.directReports, [
        {
          id: ids.dev,
          displayName: 'Ada Lovelace',
          userName: 'ada@acme.test',
          title: 'Engineer, "Lead"\nline two',
        },
      ])
      const scim = await acme.scim('GET', `/Users/${ids.cto}`)
      assert.deepEqual(cto.resource, scim.body)
      const dev = (await console.get(`/employees/${ids.dev}`)).body.employee
      assert.deepEqual(dev.resource, (await acme.scim('GET', `/Users/${ids.dev}`)).body)
      assert.deepEqual(
        dev.groups.map((group: { displayName: string }) => group.displayName),
        ['Engineers'],
      )
      assert.deepEqual(
        dev.history.map((item: { operation: string }) => item.operation),
        ['patch', 'create'],
      )
      assert.deepEqual(dev.history[0].changes, [
        { attribute: 'title', old: '=HYPERLINK("http://evil")', new: 'Engineer, "Lead"\nline two' },
      ])
      assert.deepEqual(dev.history[0].token, { id: acme.tokenId, name: 'test' })
    })

    it('walks the org chart: roots, a manager’s reports, the path to someone', async () => {
      const roots = (await console.get('/org-chart')).body.items
      assert.ok(roots.some((item: { id: string }) => item.id === ids.ceo))
      assert.ok(!roots.some((item: { id: string }) => item.id === ids.cto))
      const ceo = roots.find((item: { id: string }) => item.id === ids.ceo)
      assert.deepEqual(ceo, {
        id: ids.ceo,
        displayName: 'Carla Ceo',
        userName: 'carla@acme.test',
        title: 'CEO',
        department: 'Board',
        reportCount: 1,
      })
      const rootNames = roots.map((item: { displayName: string }) => item.displayName.toLowerCase())
      assert.deepEqual(rootNames, [...rootNames].sort(), 'sorted by displayName')
      const reports = (await console.get(`/org-chart?manager=${ids.ceo}`)).body.items
      assert.deepEqual(
        reports.map((item: { id: string }) => item.id),
        [ids.cto],
      )
      const path = (await console.get(`/org-chart/path/${ids.dev}`)).body.path
      assert.deepEqual(
        path.map((item: { id: string }) => item.id),
        [ids.ceo, ids.cto, ids.dev],
      )
      assertApiError(await console.get(`/org-chart/path/${MISSING_ID}`), 404, 'notFound')
      assertApiError(await console.get(`/org-chart?manager=${MISSING_ID}`), 404, 'notFound')
    })

    it('lists the activity newest first, filtered, paged with before and polled with after', async () => {
      const all = (await console.get('/activity')).body
      assert.equal(all.nextBefore, null)
      const seqs = all.items.map((item: { seq: number }) => item.seq)
      assert.deepEqual(
        seqs,
        [...seqs].sort((a: number, b: number) => b - a),
      )
      const failure = all.items.find((item: { outcome: string }) => item.outcome === 'failure')
      assert.ok(failure, 'the refused POST is in the activity')
      assert.equal(failure.status, 409)
      assert.equal(failure.operation, 'create')
      assert.equal(failure.resourceType, 'User')
      assert.match(failure.detail, /carla@acme\.test/)
      assert.deepEqual(failure.token, { id: acme.tokenId, name: 'test' })
      assert.deepEqual(failure.changes, [])
      const failures = (await console.get('/activity?outcome=failure')).body.items
      assert.deepEqual(
        failures.map((item: { seq: number }) => item.seq),
        [failure.seq],
      )
      const patches = (await console.get('/activity?operation=patch')).body.items
      assert.ok(
        patches.length >= 1 && patches.every((item: { operation: string }) => item.operation === 'patch'),
      )
      const mine = (await console.get(`/activity?employee=${ids.dev}`)).body.items
      assert.ok(mine.every((item: { resourceId: string }) => item.resourceId === ids.dev))
      assert.equal(mine[0].resourceName, 'Ada Lovelace')
      const byToken = (await console.get(`/activity?tokenId=${acme.tokenId}`)).body.items
      assert.equal(byToken.length, all.items.length)
      const page = (await console.get('/activity?limit=3')).body
      assert.equal(page.items.length, 3)
      assert.equal(page.nextBefore, page.items[2].seq)
      const next = (await console.get(`/activity?limit=3&before=${page.nextBefore}`)).body
      assert.ok(next.items.every((item: { seq: number }) => item.seq < page.nextBefore))
      const newest = seqs[0]
      assert.deepEqual((await console.get(`/activity?after=${newest}`)).body.items, [])
      await postCreated(acme.scim, '/Users', employee('newcomer@acme.test'))
      const polled = (await console.get(`/activity?after=${newest}`)).body.items
      assert.equal(polled.length, 1)
      assert.equal(polled[0].operation, 'create')
      const future = (await console.get('/activity?from=2999-01-01')).body.items
      assert.deepEqual(future, [])
      const past = (await console.get('/activity?to=2000-01-01T00:00:00Z')).body.items
      assert.deepEqual(past, [])
      const today = (await console.get(`/activity?from=${new Date(Date.now() - 3_600_000).toISOString()}`))
        .body.items
      assert.ok(today.length > 0)
    })

    it('records failed SCIM writes of every method, without the body', async () => {
      const put = await acme.scim(
        'PUT',
        `/Users/${MISSING_ID}`,
        employee('x@acme.test', { password: 'Hunter2-secret!' }),
      )
      assert.equal(put.status, 404)
      const bad = await acme.scim(
        'PATCH',
        `/Users/${ids.dev}`,
        patch({ op: 'replace', path: 'active', value: 'maybe' }),
      )
      assert.equal(bad.status, 400)
      const del = await acme.scim('DELETE', `/Groups/${MISSING_ID}`)
      assert.equal(del.status, 404)
      // Writes are recorded after the answer; give them a moment.
      let failures: {
        operation: string
        resourceId: string
        resourceType: string
        status: number
        detail: string
      }[] = []
      for (let attempt = 0; attempt < 50 && failures.length < 4; attempt++) {
        failures = (await console.get('/activity?outcome=failure')).body.items
        if (failures.length < 4) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      // Recorded after each answer, off the request's path: two can land in either order.
      assert.deepEqual(
        failures
          .slice(0, 3)
          .map((item) => [item.operation, item.resourceType, item.resourceId, item.status])
          .sort(),
        [
          ['delete', 'Group', MISSING_ID, 404],
          ['patch', 'User', ids.dev, 400],
          ['replace', 'User', MISSING_ID, 404],
        ],
      )
      const text = JSON.stringify(await server.server.db.selectFrom('audit_events').selectAll().execute())
      assert.ok(!text.includes('Hunter2-secret!'), 'no request body in the audit trail')
      // A read that fails is not a write.
      assert.equal((await acme.scim('GET', `/Users/${MISSING_ID}`)).status, 404)
      assert.equal((await console.get('/activity?outcome=failure')).body.items.length, failures.length)
    })

    it('exports the activity as CSV: header, quoting, and formulas neutralised', async () => {
      const response = await fetch(`${baseOf(server)}/api/activity.csv?employee=${ids.dev}`, {
        headers: { cookie: `roster_session=${console.cookie}` },
      })
      assert.equal(response.status, 200)
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv/)
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /^attachment; filename="roster-activity-acme\.csv"$/,
      )
      const rows = parseCsv(await response.text())
      assert.deepEqual(rows[0], [
        'seq',
        'at',
        'operation',
        'resourceType',
        'resourceId',
        'resourceName',
        'token',
        'outcome',
        'status',
        'detail',
        'changes',
      ])
      const patchRow = rows.find((row) => row[2] === 'patch' && row[7] === 'success')
      assert.ok(patchRow, 'the title change is exported')
      const changes = JSON.parse(patchRow[10] ?? '[]')
      assert.deepEqual(changes, [
        { attribute: 'title', old: '=HYPERLINK("http://evil")', new: 'Engineer, "Lead"\nline two' },
      ])
      const createRow = rows.find((row) => row[2] === 'create')
      assert.ok(createRow)
      for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@]/, `cell ${cell}`)
      const { csvCell } = await import('../../src/csv/rfc4180.js')
      assert.equal(csvCell('=1+1'), "'=1+1")
      assert.equal(csvCell('+1'), "'+1")
      assert.equal(csvCell('-1'), "'-1")
      assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
      assert.equal(csvCell('a,b'), '"a,b"')
      assert.equal(csvCell('say "hi"'), '"say ""hi"""')
      assert.equal(csvCell('two\nlines'), '"two\nlines"')
      assert.equal(csvCell(null), '')
    })

    it('sends the security headers on API answers and console pages, and none of them on SCIM', async () => {
      const api = await console.get('/session')
      const page = await fetch(`${baseOf(server)}/employees/123`, { headers: { accept: 'text/html' } })
      for (const response of [api, page]) {
        assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/)
        assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/)
        assert.match(response.headers.get('content-security-policy') ?? '', /object-src 'none'/)
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer')
        assert.equal(response.headers.get('x-frame-options'), 'DENY')
        assert.equal(response.headers.get('strict-transport-security'), null, 'plain http')
      }
      assert.equal(page.status, 200)
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
      const scim = await acme.scim('GET', '/Users')
      assert.equal(scim.headers.get('content-security-policy'), null)
      assert.equal(scim.headers.get('set-cookie'), null)
      const notHtml = await fetch(`${baseOf(server)}/nothing-here`, {
        headers: { accept: 'application/json' },
      })
      assert.equal(notHtml.status, 404)
      assert.equal(
        (await fetch(`${baseOf(server)}/scim/v2/Nope`, { headers: { accept: 'text/html' } })).status,
        401,
      )
    })

    it("keeps tenants apart: A's session sees none of B's employees, tokens, activity, org chart or accounts", async () => {
      const bella = (await globex.scim('GET', '/Users')).body.Resources[0].id
      assertApiError(await console.get(`/employees/${bella}`), 404, 'notFound')
      assertApiError(await console.get(`/org-chart/path/${bella}`), 404, 'notFound')
      assertApiError(await console.get(`/org-chart?manager=${bella}`), 404, 'notFound')
      assert.ok(!(await console.get('/employees?pageSize=200')).text.includes('globex'))
      assert.ok(!(await console.get('/org-chart')).text.includes(bella))
      assert.deepEqual((await console.get(`/activity?employee=${bella}`)).body.items, [])
      assert.ok(!(await console.get('/activity?limit=1000')).text.includes(bella))
      assert.ok(!(await console.get('/tokens')).text.includes(globex.tokenId))
      assert.ok(!(await console.get('/accounts')).text.includes('globex'))
      // Acting on B's things from A is a 404 too, and changes nothing.
      assertApiError(await console.post(`/tokens/${globex.tokenId}/revoke`), 404, 'notFound')
      assert.equal((await globex.scim('GET', '/Users')).status, 200)
      const globexOwner = (await globexConsole.get('/session')).body.account.id
      assertApiError(await console.patch(`/accounts/${globexOwner}`, { role: 'viewer' }), 404, 'notFound')
      assertApiError(await console.delete(`/accounts/${globexOwner}`), 404, 'notFound')
      assert.equal((await globexConsole.get('/session')).body.account.role, 'owner')
      // B's bearer token reads only B.
      const { secret } = (await globexConsole.post('/tokens', { name: 'b-api', scopes: ['api'] })).body
      const bApi = new ApiClient(`${baseOf(server)}/api`)
      bApi.bearer = secret
      assertApiError(await bApi.get(`/employees/${ids.dev}`), 404, 'notFound')
      assert.equal((await bApi.get('/employees')).body.total, 1)
      assert.ok(!(await bApi.get('/activity?limit=1000')).text.includes(ids.dev ?? 'x'))
    })
  })
}
