import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, openPage } from '../support/browser.js'
import {
  createTenantWithSetupLink,
  createTokenInUi,
  setUpAccount,
  startConsoleServer,
} from '../support/console-server.js'
import { type ScimClient, scimClient, type TestServer } from '../support/server.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const REPORTS = 120

let server: TestServer
let browser: Browser
let page: Page
let errors: string[]
let scim: ScimClient
let bossId: string

function person(given: string, family: string, manager?: string) {
  const userName = `${given}.${family}@wayne.example`.toLowerCase()
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName,
    name: { givenName: given, familyName: family },
    displayName: `${given} ${family}`,
    emails: [{ value: userName, type: 'work' }],
    [ENTERPRISE]: {
      department: 'Operations',
      ...(manager === undefined ? {} : { manager: { value: manager } }),
    },
  }
}

// One manager with a team bigger than an org-chart batch and than an activity page.
before(async () => {
  server = await startConsoleServer()
  browser = await launchBrowser()
  const { setupUrl } = await createTenantWithSetupLink(server, 'wayne', 'Wayne Enterprises')
  ;({ page, errors } = await openPage(browser))
  await setUpAccount(page, setupUrl, {
    email: 'bruce@wayne.example',
    displayName: 'Bruce',
    password: 'not batman at all',
  })
  scim = scimClient(server.scimUrl, await createTokenInUi(page, 'Seeder'))
  await page.keyboard.press('Escape')
  const boss = await scim('POST', '/Users', person('Lucius', 'Fox'))
  assert.equal(boss.status, 201, boss.text)
  bossId = boss.body.id
  for (let i = 1; i <= REPORTS; i++) {
    const created = await scim('POST', '/Users', person('Report', String(i).padStart(3, '0'), bossId))
    assert.equal(created.status, 201, created.text)
  }
})

after(async () => {
  await browser?.close()
  await server?.close()
})

test('the org chart loads one level at a time, batches a large team, and search reveals someone past the batch', async () => {
  const orgRequests: string[] = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.pathname.startsWith('/api/org-chart')) orgRequests.push(url.pathname + url.search)
  })
  await page.getByRole('link', { name: 'Org chart' }).click()
  const toggle = page.getByRole('button', { name: `Expand Lucius Fox's ${REPORTS} direct reports` })
  await toggle.waitFor()
  assert.deepEqual(orgRequests, ['/api/org-chart'], 'only the roots at first')
  await toggle.click()
  await page.getByRole('link', { name: 'Report 001' }).waitFor()
  assert.equal(await page.locator('.org-item').count(), 1 + 50, 'the first batch of reports')
  await page.getByRole('button', { name: `Show 50 more of ${REPORTS - 50}` }).waitFor()
  assert.equal(await page.getByRole('link', { name: 'Report 117' }).count(), 0)

  await page.getByLabel('Find a person').fill('report 117')
  await page.getByRole('button', { name: /Report 117/ }).click()
  const card = page.locator('.org-card.highlighted')
  await card.getByRole('link', { name: 'Report 117' }).waitFor()
  assert.equal(await card.getByRole('link', { name: 'Report 117' }).isVisible(), true)
  assert.equal(await page.locator('.org-item').count(), 1 + REPORTS, 'the batch grew to include the person')
  assert.equal(orgRequests.filter((url) => url.startsWith('/api/org-chart/path/')).length, 1)
  assert.equal(
    orgRequests.filter((url) => url.startsWith('/api/org-chart?manager=')).length,
    1,
    'children are fetched once and cached',
  )
  assert.deepEqual(errors, [])
})

test('the activity pages with Load more, and Live adds new writes on top', async () => {
  await page.getByRole('link', { name: 'Provisioning activity' }).click()
  const rows = page.locator('table.activity > tbody')
  await page.getByRole('button', { name: 'Load more' }).waitFor()
  assert.equal(await rows.count(), 50)
  await page.getByRole('button', { name: 'Load more' }).click()
  await page.getByRole('button', { name: /changes of create Report 021/ }).waitFor()
  assert.equal(await rows.count(), 100)
  await page.getByRole('button', { name: 'Load more' }).click()
  await page.getByText('That is everything.').waitFor()
  assert.equal(await rows.count(), REPORTS + 1)
  await rows.last().getByRole('link', { name: 'Lucius Fox' }).waitFor()

  await page.getByRole('button', { name: 'Live' }).click()
  const renamed = await scim('PATCH', `/Users/${bossId}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'title', value: 'CEO' }],
  })
  assert.ok(renamed.status === 200 || renamed.status === 204, renamed.text)
  await rows
    .first()
    .getByRole('button', { name: /changes of patch Lucius Fox/ })
    .waitFor({ timeout: 6000 })
  assert.equal(await rows.count(), REPORTS + 2, 'prepended, nothing lost or doubled')
  await page.getByRole('button', { name: 'Live' }).click()
  assert.deepEqual(errors, [])
})
