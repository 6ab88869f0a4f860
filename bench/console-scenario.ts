import { randomUUID } from 'node:crypto'
import { hashPassword } from '../src/console/passwords.js'
import { insertConsoleAccount } from '../src/store/console-accounts-repository.js'
import type { Db } from '../src/store/database.js'
import type { Scenario } from './scenarios.js'
import type { SeededTenant } from './seed.js'

export interface ConsoleLogin {
  tenant: string
  email: string
  password: string
}

/** A viewer of the tenant's console, written straight to the store (as a setup link would make it). */
export async function seedConsoleAccount(db: Db, tenant: SeededTenant): Promise<ConsoleLogin> {
  const login = { tenant: tenant.slug, email: `viewer@${tenant.domain}`, password: 'bench console password' }
  const now = new Date().toISOString()
  await insertConsoleAccount(db, {
    id: randomUUID(),
    tenant_id: tenant.tenantId,
    email: login.email,
    email_lower: login.email,
    display_name: 'Bench viewer',
    role: 'viewer',
    password_hash: await hashPassword(login.password),
    created_at: now,
    last_login_at: null,
  })
  return login
}

/**
 * The console's employee list: a signed-in session pages through the whole directory, 50 at a
 * time in the default order (userName), at random pages — every page, not only the first.
 */
export function consoleEmployeesScenario(tenant: SeededTenant, login: ConsoleLogin): Scenario {
  const pages = Math.max(1, Math.floor(tenant.ids.length / 50))
  let state = 7
  const nextPage = () => {
    // A small LCG: deterministic, spread over all pages.
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return 1 + (state % pages)
  }
  const headers: Record<string, string> = {}
  return {
    key: 'console-employees',
    label: 'console GET /api/employees?page=…&pageSize=50',
    headers,
    status: 200,
    async prepare(url) {
      const response = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(login),
      })
      const cookie = response.headers.getSetCookie().find((line) => line.startsWith('roster_session='))
      if (response.status !== 200 || !cookie) {
        throw new Error(`console login answered ${response.status}: ${await response.text()}`)
      }
      headers.cookie = cookie.split(';')[0] as string
    },
    next: () => ({ method: 'GET', path: `/api/employees?page=${nextPage()}&pageSize=50` }),
    check: (body) => {
      const page = body as { total?: unknown; items?: unknown[] }
      return page.total === tenant.ids.length && page.items?.length === 50
        ? undefined
        : `expected 50 of ${tenant.ids.length} employees`
    },
  }
}
