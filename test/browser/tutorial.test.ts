import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { launchBrowser, openPage } from '../support/browser.js'
import {
  createTenantWithSetupLink,
  createTokenInUi,
  logIn,
  type Person,
  setUpAccount,
  startConsoleServer,
} from '../support/console-server.js'
import { scimClient, type TestServer } from '../support/server.js'

// Issue 5: the tutorial from a setup link to provisioning, all through the browser.
const OWNER: Person = {
  email: 'olga.owner@acme.example',
  displayName: 'Olga Owner',
  password: 'correct horse battery',
}
const SECOND: Person = {
  email: 'sam.second@acme.example',
  displayName: 'Sam Second',
  password: 'another long passphrase',
}
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

let server: TestServer
let browser: Browser

before(async () => {
  server = await startConsoleServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.close()
})

function scimUser(given: string, family: string, title: string, manager?: string) {
  const userName = `${given}.${family}@acme.example`.toLowerCase()
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName,
    name: { givenName: given, familyName: family },
    displayName: `${given} ${family}`,
    title,
    emails: [{ value: userName, type: 'work', primary: true }],
    phoneNumbers: [{ value: '+16175551212', type: 'work' }],
    [ENTERPRISE]: {
      department: 'Engineering',
      ...(manager === undefined ? {} : { manager: { value: manager } }),
    },
  }
}

test('the tutorial: setup link → owner → token → SCIM → employees and activity → revoke → demote', async () => {
  const { setupUrl } = await createTenantWithSetupLink(server, 'acme', 'Acme Corp')
  assert.match(setupUrl, /\/setup#[A-Za-z0-9_-]+$/)
  const { page, errors } = await openPage(browser)

  // The setup link names the tenant and role, and lands on Settings → Access tokens.
  await page.goto(setupUrl)
  await page.getByText('You are joining Acme Corp as owner.').waitFor()
  await setUpAccount(page, setupUrl, OWNER)
  await page.getByRole('heading', { name: 'Settings' }).waitFor()
  assert.equal(await page.getByRole('banner').getByText('Acme Corp').count(), 1, 'top bar shows the tenant')
  assert.equal(await page.getByLabel('Tenant URL').inputValue(), `${server.scimUrl}`)

  // The link is single-use.
  const reused = await openPage(browser)
  await reused.page.goto(setupUrl)
  await reused.page.getByText('already been used or has expired').waitFor()
  await reused.context.close()

  // Log out, then the login form: a wrong password is refused inline, the right one lets in.
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.waitForURL('**/login?tenant=acme')
  assert.equal(await page.getByLabel('Tenant').inputValue(), 'acme')
  await page.goto(`${server.server.url}/employees`)
  await page.waitForURL('**/login?next=%2Femployees')
  await page.getByLabel('Tenant').fill('acme')
  await page.getByLabel('Email').fill(OWNER.email)
  await page.getByLabel('Password').fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('alert').getByText('The tenant, email or password is not right.').waitFor()
  await page.getByLabel('Password').fill(OWNER.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/employees')
  await page.getByRole('heading', { name: 'Employees' }).waitFor()

  // Settings → Access tokens: create a token, read it once from the dialog.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
  await page.waitForURL('**/settings/tokens')
  const secret = await createTokenInUi(page, 'Entra ID', { description: 'Provisioning from Entra' })
  assert.match(secret, /^rst_/)
  const dialog = page.getByRole('dialog', { name: 'Access token created' })
  await dialog.getByText('it will not be shown again').waitFor()
  await dialog.getByRole('button', { name: 'Done' }).click()
  await dialog.waitFor({ state: 'detached' })
  const row = page.getByRole('row', { name: /Entra ID/ })
  await row.getByText('Provisioning API').waitFor()
  await row.getByText('Olga Owner').waitFor()
  await row.getByText('Active').waitFor()
  assert.equal(await page.getByText(secret).count(), 0, 'the secret is not on the page any more')

  // Provision over SCIM with that token.
  const scim = scimClient(server.scimUrl, secret)
  const boss = await scim('POST', '/Users', scimUser('Grace', 'Hopper', 'VP Engineering'))
  assert.equal(boss.status, 201, boss.text)
  const ada = await scim('POST', '/Users', scimUser('Ada', 'Lovelace', 'Principal Engineer', boss.body.id))
  assert.equal(ada.status, 201, ada.text)
  const patched = await scim('PATCH', `/Users/${ada.body.id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'title', value: 'Distinguished Engineer' }],
  })
  assert.ok(patched.status === 204 || patched.status === 200, patched.text)

  // Employees: both appear; search finds one; its detail shows attributes, manager and history.
  await page.getByRole('link', { name: 'Employees' }).click()
  await page.getByRole('link', { name: 'Grace Hopper' }).waitFor()
  await page.getByLabel('Search').fill('lov')
  await page.getByText('1 employee', { exact: true }).waitFor()
  assert.equal(await page.getByRole('link', { name: 'Grace Hopper' }).count(), 0)
  await page.getByRole('link', { name: 'Ada Lovelace' }).click()
  await page.waitForURL(`**/employees/${ada.body.id}`)
  await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor()
  const attributes = page
    .locator('.card')
    .filter({ has: page.getByRole('heading', { name: 'SCIM attributes' }) })
  await attributes.getByRole('cell', { name: 'ada.lovelace@acme.example', exact: true }).waitFor()
  await attributes.getByRole('cell', { name: '+16175551212', exact: true }).waitFor()
  await attributes.getByText('Engineering', { exact: true }).waitFor()
  const history = page.getByRole('listitem').filter({ hasText: 'Update' })
  await history.getByText('Principal Engineer').waitFor()
  await history.getByText('Distinguished Engineer').waitFor()
  await page.getByRole('link', { name: 'Grace Hopper' }).first().click()
  await page.waitForURL(`**/employees/${boss.body.id}`)
  await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor()

  // Provisioning activity: the three writes, by the token; a row expands to old → new.
  await page.getByRole('link', { name: 'Provisioning activity' }).click()
  await page.getByRole('heading', { name: 'Provisioning activity' }).waitFor()
  const rows = page.locator('table.activity > tbody')
  await page.getByRole('button', { name: /changes of patch Ada Lovelace/ }).waitFor()
  assert.equal(await rows.count(), 3)
  await rows.first().getByText('Entra ID').waitFor()
  await page.getByRole('button', { name: /Show changes of patch Ada Lovelace/ }).click()
  const changes = rows.first().locator('table.changes')
  await changes.getByText('title').waitFor()
  await changes.getByText('Distinguished Engineer').waitFor()
  assert.equal(
    await page.getByRole('button', { name: /Hide changes of patch/ }).getAttribute('aria-expanded'),
    'true',
  )
  const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')
  assert.equal(csv, '/api/activity.csv')

  // Filters narrow the table and the export alike.
  await page.getByLabel('Operation').selectOption('patch')
  await page
    .getByRole('link', { name: 'Export CSV' })
    .and(page.locator('[href*="operation=patch"]'))
    .waitFor()
  await page
    .getByRole('button', { name: /changes of create/ })
    .first()
    .waitFor({ state: 'detached' })
  await page.getByRole('button', { name: /changes of patch Ada Lovelace/ }).waitFor()
  assert.equal(await rows.count(), 1)
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await page.getByRole('button', { name: /changes of create Grace Hopper/ }).waitFor()

  // Live: a new SCIM write shows up on its own within a poll or two.
  await page.getByRole('button', { name: 'Live' }).click()
  assert.equal(await page.getByRole('button', { name: 'Live' }).getAttribute('aria-pressed'), 'true')
  const alan = await scim('POST', '/Users', scimUser('Alan', 'Turing', 'Researcher', boss.body.id))
  assert.equal(alan.status, 201, alan.text)
  await rows.first().getByRole('link', { name: 'Alan Turing' }).waitFor({ timeout: 6000 })
  assert.equal(await rows.count(), 4)
  await page.getByRole('button', { name: 'Live' }).click()

  // Revoke in the UI (with a confirmation): SCIM answers 401 at once.
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('button', { name: 'Revoke Entra ID' }).click()
  const confirm = page.getByRole('dialog', { name: 'Revoke access token?' })
  await confirm.getByRole('button', { name: 'Revoke token' }).click()
  await confirm.waitFor({ state: 'detached' })
  await page
    .getByRole('row', { name: /Entra ID/ })
    .getByText('Revoked')
    .waitFor()
  assert.equal((await scim('GET', '/Users')).status, 401)

  // A second owner by invitation; demoting the first revokes the first's tokens.
  const hrToken = await createTokenInUi(page, 'HR sync', { scope: 'Both' })
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click()
  const hrScim = scimClient(server.scimUrl, hrToken)
  assert.equal((await hrScim('GET', '/Users')).status, 200)
  await page.getByRole('link', { name: 'Accounts' }).click()
  await page.getByLabel('Email').fill(SECOND.email)
  await page.getByLabel('Role', { exact: true }).selectOption('owner')
  await page.getByRole('button', { name: 'Create setup link' }).click()
  const invite = page.getByRole('dialog', { name: 'Invitation created' })
  const inviteUrl = await invite.getByLabel('Setup link').inputValue()
  assert.match(inviteUrl, /\/setup#/)
  await invite.getByRole('button', { name: 'Done' }).click()

  const second = await openPage(browser)
  await second.page.goto(inviteUrl)
  await second.page.getByText('You are joining Acme Corp as owner.').waitFor()
  assert.equal(
    await second.page.getByLabel('Email').inputValue(),
    SECOND.email,
    'the invited email is preset',
  )
  await setUpAccount(second.page, inviteUrl, SECOND)
  await second.page.getByRole('link', { name: 'Accounts' }).click()
  await second.page.getByLabel('Role of Olga Owner').selectOption('admin')
  const demote = second.page.getByRole('dialog', { name: 'Make Olga Owner an admin?' })
  await demote.getByText('Every access token Olga Owner created is revoked').waitFor()
  await demote.getByRole('button', { name: 'Change role' }).click()
  await demote.waitFor({ state: 'detached' })
  // The list shows the new role once the change is saved and the accounts are read again.
  const role = second.page.getByLabel('Role of Olga Owner')
  for (let waited = 0; (await role.inputValue()) !== 'admin' && waited < 10_000; waited += 100) {
    await second.page.waitForTimeout(100)
  }
  assert.equal(await role.inputValue(), 'admin')
  assert.equal((await hrScim('GET', '/Users')).status, 401, 'the demoted owner’s token stops working')

  // The demoted account, reloaded, is an admin: it may revoke but not create tokens.
  await page.goto(`${server.server.url}/settings/tokens`)
  await page.getByText('Only owners can create access tokens').waitFor()
  await page
    .getByRole('row', { name: /HR sync/ })
    .getByText('Revoked')
    .waitFor()
  await second.context.close()

  await logIn(page, server.server.url, 'acme', OWNER)
  assert.deepEqual([...errors, ...second.errors], [])
})
