import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { issueAccessToken } from '../../src/access/access-tokens.js'
import type { Scope } from '../../src/access/scopes.js'
import { type Config, loadConfig } from '../../src/config.js'
import type { HrRules } from '../../src/directory/hr-rules.js'
import { createTenant, type Tenant } from '../../src/directory/tenants.js'
import { type RunningServer, startServer } from '../../src/server.js'

/** A real Roster on loopback with its own SQLite file: what every HTTP test talks to. */
export interface TestServer {
  server: RunningServer
  /** SCIM root, e.g. http://127.0.0.1:40123/scim/v2 */
  scimUrl: string
  dataDir: string
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

export async function startTestServer(
  overrides: Partial<Record<string, string>> = {},
  options: Parameters<typeof startServer>[1] = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roster-test-'))
  const config: Config = loadConfig(
    {},
    {
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: join(dataDir, 'roster.db'),
      TOKEN_CACHE_MS: '0',
      ...overrides,
    },
  )
  const server = await startServer(config, options)
  const scimUrl = `${server.url}/scim/v2`
  return {
    server,
    scimUrl,
    dataDir,
    async close() {
      await server.close()
      rmSync(dataDir, { recursive: true, force: true })
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
