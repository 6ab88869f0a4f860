import { issueAccessToken } from '../../src/access/access-tokens.js'
import type { Scope } from '../../src/access/scopes.js'
import { type Config, loadConfig } from '../../src/config.js'
import type { HrRules } from '../../src/directory/hr-rules.js'
import { createTenant, type Tenant } from '../../src/directory/tenants.js'
import { type RunningServer, startServer } from '../../src/server.js'
import { createTestDatabase, type DatabaseKind, TEST_DATABASES } from './databases.js'

/** A real Roster on loopback with its own database (SQLite file or PostgreSQL): what every HTTP test talks to. */
export interface TestServer {
  server: RunningServer
  /** SCIM root, e.g. http://127.0.0.1:40123/scim/v2 */
  scimUrl: string
  database: DatabaseKind
  /** The DATABASE_URL the server was started with. */
  databaseUrl: string
  close(): Promise<void>
  addTenant(slug: string, rules?: HrRules): Promise<TestTenant>
}

export interface TestTenant {
  tenant: Tenant
  token: string
  tokenId: string
  /** fetch against this tenant's SCIM root with its bearer token. */
  scim: ScimClient
}

export interface ScimResponse {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies
  body: any
  text: string
}

export type ScimClient = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ScimResponse>

export function scimClient(base: string, token: string | undefined): ScimClient {
  return async (method, path, body, headers = {}) => {
    const init: RequestInit = {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        ...headers,
      },
    }
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
    const response = await fetch(`${base}${path}`, init)
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: response.status, headers: response.headers, body: parsed, text }
  }
}

export interface TestServerOptions extends NonNullable<Parameters<typeof startServer>[1]> {
  /** The database behind the server (a fresh one, dropped on close); the suites pass each of TEST_DATABASES. */
  database?: DatabaseKind
}

export async function startTestServer(
  overrides: Partial<Record<string, string>> = {},
  { database = TEST_DATABASES[0] ?? 'sqlite', ...options }: TestServerOptions = {},
): Promise<TestServer> {
  const created = await createTestDatabase(database)
  let server: RunningServer
  try {
    const config: Config = loadConfig(
      {},
      {
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_URL: created.url,
        TOKEN_CACHE_MS: '0',
        ...overrides,
      },
    )
    server = await startServer(config, options)
  } catch (error) {
    await created.drop()
    throw error
  }
  const scimUrl = `${server.url}/scim/v2`
  return {
    server,
    scimUrl,
    database,
    databaseUrl: created.url,
    async close() {
      try {
        await server.close()
      } finally {
        await created.drop()
      }
    },
    async addTenant(slug, rules = 'alexis') {
      const tenant = await createTenant(server.db, { slug, rules })
      return withToken(server, scimUrl, tenant, ['scim'])
    },
  }
}

export async function withToken(
  server: RunningServer,
  scimUrl: string,
  tenant: Tenant,
  scopes: Scope[],
): Promise<TestTenant> {
  const issued = await issueAccessToken(server.db, tenant.id, { name: 'test', scopes })
  return { tenant, token: issued.token, tokenId: issued.id, scim: scimClient(scimUrl, issued.token) }
}
