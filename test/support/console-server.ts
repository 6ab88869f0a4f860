import type { Page } from 'playwright-core'
import { issueOwnerSetupUrl } from '../../src/console/setup-links.js'
import { createTenant, type Tenant } from '../../src/directory/tenants.js'
import { ensureConsoleBuilt } from './console-build.js'
import { startTestServer, type TestServer } from './server.js'

/**
 * A Roster serving the freshly built console, on the first of the test databases (SQLite unless
 * `ROSTER_TEST_DB=postgres`): one database is enough, the API suites cover both.
 */
export async function startConsoleServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  await ensureConsoleBuilt()
  return startTestServer(overrides)
}

/** What `roster tenant create` does: a tenant and its first owner's setup link. */
export async function createTenantWithSetupLink(
  server: TestServer,
  slug: string,
  name: string,
): Promise<{ tenant: Tenant; setupUrl: string }> {
  const tenant = await createTenant(server.server.db, { slug, name, rules: 'alexis' })
  const { setupUrl } = await issueOwnerSetupUrl(server.server.db, tenant.id, server.server.url, 7)
  return { tenant, setupUrl }
}

export interface Person {
  email: string
  displayName: string
  password: string
}

/** Opens a setup link and creates the account through the form; ends on Settings → Access tokens. */
export async function setUpAccount(page: Page, setupUrl: string, person: Person): Promise<void> {
  await page.goto(setupUrl)
  const email = page.getByLabel('Email')
  await email.waitFor()
  if ((await email.getAttribute('readonly')) === null) await email.fill(person.email)
  await page.getByLabel('Display name').fill(person.displayName)
  await page.getByLabel('Password').fill(person.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL('**/settings/tokens')
}

export async function logIn(page: Page, baseUrl: string, tenant: string, person: Person): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Tenant').fill(tenant)
  await page.getByLabel('Email').fill(person.email)
  await page.getByLabel('Password').fill(person.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
}

/** Creates a token in Settings → Access tokens and returns the secret read from the one-time dialog. */
export async function createTokenInUi(
  page: Page,
  name: string,
  { description = '', scope = 'Provisioning API' }: { description?: string; scope?: string } = {},
): Promise<string> {
  await page.getByLabel('Name', { exact: true }).fill(name)
  if (description !== '') await page.getByLabel('Description').fill(description)
  await page.getByRole('radio', { name: scope }).check()
  await page.getByRole('button', { name: 'Save' }).click()
  const dialog = page.getByRole('dialog', { name: 'Access token created' })
  await dialog.waitFor()
  return dialog.getByLabel('Access token').inputValue()
}

/** fetch against /api with the session cookie and CSRF token of a signed-in account. */
export type ApiCaller = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown }>

/** Redeems a setup link over the API (no browser), for tests whose subject is someone else. */
export async function setUpAccountByApi(
  server: TestServer,
  setupUrl: string,
  person: Person,
): Promise<ApiCaller> {
  const base = server.server.url
  const code = new URL(setupUrl).hash.slice(1)
  const response = await fetch(`${base}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, ...person }),
  })
  if (response.status !== 201) throw new Error(`setup: ${response.status} ${await response.text()}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return async (method, path, body) => {
    const answer = await fetch(`${base}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await answer.text()
    return { status: answer.status, body: text === '' ? undefined : JSON.parse(text) }
  }
}
