import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, openPage, unlabelledControls } from '../support/browser.js'
import {
  createTenantWithSetupLink,
  createTokenInUi,
  type Person,
  setUpAccount,
  startConsoleServer,
} from '../support/console-server.js'
import { seedDemoCompany } from '../support/demo-directory.js'
import { scimClient, type TestServer } from '../support/server.js'

const OWNER: Person = {
  email: 'kim@umbrella.example',
  displayName: 'Kim Keyboard',
  password: 'keyboard only please',
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

async function focusedText(page: Page): Promise<string> {
  return page.evaluate(
    'document.activeElement ? document.activeElement.textContent.trim() : ""',
  ) as Promise<string>
}

async function assertLabelled(page: Page, where: string): Promise<void> {
  assert.deepEqual(await unlabelledControls(page), [], `unlabelled controls on ${where}`)
}

test('the token dialog takes focus, keeps it, closes on Escape and gives focus back; every control is labelled', async () => {
  const { setupUrl } = await createTenantWithSetupLink(server, 'umbrella', 'Umbrella')
  const { page, errors } = await openPage(browser)

  await page.goto(setupUrl)
  await page.getByLabel('Display name').waitFor()
  await assertLabelled(page, 'setup')
  await setUpAccount(page, setupUrl, OWNER)
  await assertLabelled(page, 'tokens')
  for (const label of ['Tenant URL', 'Name', 'Description']) {
    assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label)
  }
  for (const scope of ['Provisioning API', 'Public API', 'Both']) {
    assert.equal(await page.getByRole('radio', { name: scope }).count(), 1, scope)
  }

  // Keyboard only: type a name, submit with Enter.
  await page.getByLabel('Name', { exact: true }).focus()
  await page.keyboard.type('Keyboard token')
  await page.getByRole('button', { name: 'Save' }).focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Access token created' })
  await dialog.waitFor()
  assert.equal(await dialog.locator('textarea:focus').count(), 1, 'focus moved into the dialog, on the token')
  const secret = await dialog.getByLabel('Access token').inputValue()
  assert.match(secret, /^rst_/)
  await page.keyboard.press('Tab')
  assert.equal(await focusedText(page), 'Copy')
  await page.keyboard.press('Tab')
  assert.equal(await focusedText(page), 'Done')
  assert.equal(await page.locator('dialog :focus').count(), 1, 'Tab stays in the dialog')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  assert.equal(await focusedText(page), 'Save', 'focus returns to the button that opened it')

  // The Copy button works (clipboard permission granted) and says so.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.getByRole('button', { name: 'Copy' }).click()
  await page.getByRole('status').getByText('Copied to the clipboard.').waitFor()

  // The revoke confirmation: Cancel is focused first, Escape cancels.
  await page.getByRole('button', { name: 'Revoke Keyboard token' }).click()
  await page.getByRole('dialog', { name: 'Revoke access token?' }).waitFor()
  assert.equal(await focusedText(page), 'Cancel')
  await page.keyboard.press('Escape')
  await page.getByRole('dialog').waitFor({ state: 'detached' })
  assert.equal(await focusedText(page), 'Revoke')
  await page
    .getByRole('row', { name: /Keyboard token/ })
    .getByText('Active')
    .waitFor()

  await seedDemoCompany(scimClient(server.scimUrl, secret), 'umbrella.example')
  for (const [path, ready] of [
    ['/settings/accounts', 'kim@umbrella.example'],
    ['/employees', 'Margaret Okafor'],
    ['/org-chart', 'Margaret Okafor'],
    ['/activity', 'Margaret Okafor'],
  ] as const) {
    await page.goto(`${server.server.url}${path}`)
    await page.getByText(ready, { exact: true }).first().waitFor()
    await assertLabelled(page, path)
  }
  await page.getByRole('link', { name: 'Margaret Okafor' }).first().click()
  await page.getByRole('heading', { name: 'Direct reports' }).waitFor()
  await assertLabelled(page, 'employee detail')

  await page.getByRole('button', { name: 'Log out' }).click()
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
  await assertLabelled(page, 'login')
  assert.deepEqual(errors, [])
})

test('sortable headers expose aria-sort, the org chart expands by keyboard, and 375 px has no sideways scroll', async () => {
  const { setupUrl } = await createTenantWithSetupLink(server, 'stark', 'Stark')
  const { page, errors } = await openPage(browser, { width: 375, height: 740 })
  await setUpAccount(page, setupUrl, { ...OWNER, email: 'kim@stark.example' })
  const secret = await createTokenInUi(page, 'Seeder')
  await page.keyboard.press('Escape')
  await seedDemoCompany(scimClient(server.scimUrl, secret), 'stark.example')

  const overflow = () =>
    page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ) as Promise<number>
  assert.equal(await overflow(), 0, 'tokens page fits 375 px')

  for (const [path, ready] of [
    ['/settings/accounts', 'kim@stark.example'],
    ['/org-chart', 'Margaret Okafor'],
    ['/activity', 'Margaret Okafor'],
    ['/employees', 'Margaret Okafor'],
  ] as const) {
    await page.goto(`${server.server.url}${path}`)
    await page.getByText(ready, { exact: true }).first().waitFor()
    assert.equal(await overflow(), 0, `${path} fits 375 px`)
  }
  await page.getByRole('link', { name: 'Margaret Okafor' }).click()
  await page.getByRole('heading', { name: 'Direct reports' }).waitFor()
  assert.equal(await overflow(), 0, 'employee detail fits 375 px')
  await page.goBack()
  await page.getByRole('link', { name: 'Margaret Okafor' }).waitFor()
  // At 375 px rows are stacked cards without the header row; the sort headers are for wide screens.
  await page.setViewportSize({ width: 1280, height: 800 })
  const name = page.getByRole('columnheader', { name: 'Name', exact: true })
  const userName = page.getByRole('columnheader', { name: 'User name' })
  assert.equal(await name.getAttribute('aria-sort'), 'ascending')
  await userName.getByRole('button').click()
  await page.waitForURL('**/employees?sort=userName')
  assert.equal(await userName.getAttribute('aria-sort'), 'ascending')
  assert.equal(await name.getAttribute('aria-sort'), 'none')
  await userName.getByRole('button').click()
  await page.waitForURL('**/employees?sort=userName&order=desc')
  assert.equal(await userName.getAttribute('aria-sort'), 'descending')
  await page.locator('tbody tr').first().getByRole('link', { name: 'Zoe Papadopoulos' }).waitFor()

  await page.goto(`${server.server.url}/org-chart`)
  await page.getByRole('button', { name: 'Zoom in' }).click()
  await page.getByRole('button', { name: 'Zoom in' }).click()
  await page.getByText('120%').waitFor()
  assert.match((await page.locator('.org-canvas').getAttribute('style')) ?? '', /scale\(1\.2\)/)
  await page.getByRole('button', { name: 'Zoom out' }).click()
  await page.getByText('110%').waitFor()
  await page.getByRole('button', { name: 'Reset zoom' }).click()
  await page.getByText('100%').waitFor()
  const expand = page.getByRole('button', { name: "Expand Margaret Okafor's 5 direct reports" })
  await expand.focus()
  await page.keyboard.press('Enter')
  const collapse = page.getByRole('button', { name: "Collapse Margaret Okafor's 5 direct reports" })
  assert.equal(await collapse.getAttribute('aria-expanded'), 'true')
  await page.getByRole('link', { name: 'Daniel Reyes' }).waitFor()
  await page.keyboard.press('Enter')
  await page.getByRole('link', { name: 'Daniel Reyes' }).waitFor({ state: 'detached' })
  assert.deepEqual(errors, [])
})
