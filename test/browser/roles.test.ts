import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { launchBrowser, openPage } from '../support/browser.js'
import {
  createTenantWithSetupLink,
  type Person,
  setUpAccount,
  setUpAccountByApi,
  startConsoleServer,
} from '../support/console-server.js'
import type { TestServer } from '../support/server.js'

const OWNER: Person = {
  email: 'owner@globex.example',
  displayName: 'Otto Owner',
  password: 'owner passphrase 1',
}
const VIEWER: Person = {
  email: 'vera@globex.example',
  displayName: 'Vera Viewer',
  password: 'viewer passphrase 1',
}
const ADMIN: Person = {
  email: 'adam@globex.example',
  displayName: 'Adam Admin',
  password: 'admin passphrase 12',
}

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

test('a viewer sees tokens and accounts but no create-token form, invite or revoke, and the API refuses them too', async () => {
  const { setupUrl } = await createTenantWithSetupLink(server, 'globex', 'Globex')
  const owner = await setUpAccountByApi(server, setupUrl, OWNER)
  const created = await owner('POST', '/api/tokens', { name: 'Okta', description: '', scopes: ['scim'] })
  assert.equal(created.status, 201)
  const invited = await owner('POST', '/api/accounts/invite', { email: VIEWER.email, role: 'viewer' })
  assert.equal(invited.status, 201)

  const { page, errors } = await openPage(browser)
  await setUpAccount(page, (invited.body as { setupUrl: string }).setupUrl, VIEWER)
  await page.getByText('Only owners can create access tokens. You are signed in as a viewer.').waitFor()
  await page.getByRole('row', { name: /Okta/ }).waitFor()
  assert.equal(await page.getByLabel('Name', { exact: true }).count(), 0, 'no token form')
  assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0)
  assert.equal(await page.getByRole('button', { name: /^Revoke/ }).count(), 0, 'no revoke for viewers')

  // The server agrees: a viewer's session (with its CSRF token) cannot create a token.
  const refused = (await page.evaluate(`(async () => {
    const session = await (await fetch('/api/session')).json()
    const answer = await fetch('/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ name: 'sneaky', description: '', scopes: ['scim'] }),
    })
    return { status: answer.status, body: await answer.json() }
  })()`)) as { status: number; body: { code: string } }
  assert.equal(refused.status, 403)
  assert.equal(refused.body.code, 'forbidden')

  await page.getByRole('link', { name: 'Accounts' }).click()
  await page.getByRole('row', { name: /Otto Owner/ }).waitFor()
  await page.getByText('Only owners can change roles or remove accounts.').waitFor()
  assert.equal(await page.getByRole('button', { name: 'Create setup link' }).count(), 0, 'no invite form')
  assert.equal(await page.getByRole('combobox').count(), 0, 'no role pickers')
  assert.deepEqual(errors, [])
})

test('an admin may revoke but not create tokens, and invites viewers and admins only', async () => {
  const { setupUrl } = await createTenantWithSetupLink(server, 'initech', 'Initech')
  const owner = await setUpAccountByApi(server, setupUrl, OWNER)
  assert.equal(
    (await owner('POST', '/api/tokens', { name: 'Okta', description: '', scopes: ['scim'] })).status,
    201,
  )
  const invited = await owner('POST', '/api/accounts/invite', { email: ADMIN.email, role: 'admin' })

  const { page, errors } = await openPage(browser)
  await setUpAccount(page, (invited.body as { setupUrl: string }).setupUrl, ADMIN)
  await page.getByText('Only owners can create access tokens. You are signed in as an admin').waitFor()
  await page.getByRole('button', { name: 'Revoke Okta' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click()
  await page.getByRole('row', { name: /Okta/ }).getByText('Revoked').waitFor()

  await page.getByRole('link', { name: 'Accounts' }).click()
  const roles = await page.getByLabel('Role', { exact: true }).locator('option').allTextContents()
  assert.deepEqual(roles, ['viewer', 'admin'])
  assert.deepEqual(errors, [])
})

test('an owner removes an account in the UI: its open session is signed out', async () => {
  const { setupUrl } = await createTenantWithSetupLink(server, 'hooli', 'Hooli')
  const owner = await openPage(browser)
  await setUpAccount(owner.page, setupUrl, OWNER)
  await owner.page.getByRole('link', { name: 'Accounts' }).click()
  await owner.page.getByLabel('Email').fill(VIEWER.email)
  await owner.page.getByRole('button', { name: 'Create setup link' }).click()
  const link = await owner.page.getByRole('dialog').getByLabel('Setup link').inputValue()
  await owner.page.getByRole('dialog').getByRole('button', { name: 'Done' }).click()

  const viewer = await openPage(browser)
  await setUpAccount(viewer.page, link, VIEWER)
  await owner.page.reload()
  await owner.page.getByRole('button', { name: 'Remove Vera Viewer' }).click()
  const confirm = owner.page.getByRole('dialog', { name: 'Remove Vera Viewer?' })
  await confirm.getByRole('button', { name: 'Remove account' }).click()
  await confirm.waitFor({ state: 'detached' })
  // The list is read again after the removal is saved: wait for the row to go.
  await owner.page.getByRole('row', { name: /Vera Viewer/ }).waitFor({ state: 'detached' })
  assert.equal(await owner.page.getByRole('row', { name: /Vera Viewer/ }).count(), 0)

  // The removed viewer's next request gets 401, and the console sends them to the login form.
  await viewer.page.getByRole('link', { name: 'Employees' }).click()
  await viewer.page.waitForURL('**/login?next=%2Femployees')
  await viewer.page.getByRole('button', { name: 'Sign in' }).waitFor()
  assert.deepEqual([...owner.errors, ...viewer.errors], [])
})
