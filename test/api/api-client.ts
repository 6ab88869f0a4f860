/**
 * A browser-like client of the admin API for the tests: keeps the session cookie and the CSRF
 * token as the console does, and can drop either to play an attacker.
 */
import assert from 'node:assert/strict'
import { issueOwnerSetupUrl } from '../../src/console/setup-links.js'
import type { TestServer } from '../support/server.js'

export interface ApiResponse {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON bodies
  body: any
  text: string
}

export interface RequestOptions {
  headers?: Record<string, string>
  /** Send no x-csrf-token even when the client has one. */
  noCsrf?: boolean
  /** A raw body (sent as is, with the content type of `headers`). */
  raw?: string
}

export class ApiClient {
  readonly base: string
  cookie: string | undefined
  csrfToken: string | undefined
  bearer: string | undefined

  constructor(base: string) {
    this.base = base
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {}
    if (body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json'
    if (this.cookie) headers.cookie = `roster_session=${this.cookie}`
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`
    if (this.csrfToken && !options.noCsrf && method !== 'GET') headers['x-csrf-token'] = this.csrfToken
    Object.assign(headers, options.headers)
    const init: RequestInit = { method, headers, redirect: 'manual' }
    if (options.raw !== undefined) init.body = options.raw
    else if (body !== undefined) init.body = JSON.stringify(body)
    const response = await fetch(`${this.base}${path}`, init)
    for (const line of response.headers.getSetCookie()) {
      const match = /^roster_session=([^;]*)/.exec(line)
      if (match)
        this.cookie =
          match[1] === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line) ? undefined : match[1]
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = undefined
    }
    const result = { status: response.status, headers: response.headers, body: parsed, text }
    if (result.status < 300 && parsed && typeof parsed === 'object' && 'csrfToken' in parsed) {
      this.csrfToken = (parsed as { csrfToken: string }).csrfToken
    }
    return result
  }

  get = (path: string, options?: RequestOptions) => this.request('GET', path, undefined, options)
  post = (path: string, body?: unknown, options?: RequestOptions) =>
    this.request('POST', path, body ?? {}, options)
  patch = (path: string, body?: unknown, options?: RequestOptions) =>
    this.request('PATCH', path, body, options)
  delete = (path: string, options?: RequestOptions) => this.request('DELETE', path, undefined, options)
}

/** The server's base URL (http://127.0.0.1:PORT). */
export const baseOf = (server: TestServer) => server.server.url

/** A new owner setup code for the tenant, as `roster tenant create` issues it. */
export async function ownerSetupCode(server: TestServer, tenantId: string, days = 7): Promise<string> {
  const { setupUrl } = await issueOwnerSetupUrl(server.server.db, tenantId, baseOf(server), days)
  const code = setupUrl.split('#')[1]
  assert.ok(code)
  return code
}

export const PASSWORD = 'correct horse battery staple'

/** Redeems a setup code and answers the signed-in client. */
export async function signUp(
  server: TestServer,
  code: string,
  email: string,
  displayName = email.split('@')[0] ?? email,
): Promise<ApiClient> {
  const client = new ApiClient(`${baseOf(server)}/api`)
  const response = await client.post('/setup', { code, email, displayName, password: PASSWORD })
  assert.equal(response.status, 201, response.text)
  return client
}

/** A signed-in owner of the tenant. */
export async function owner(server: TestServer, tenantId: string, email: string): Promise<ApiClient> {
  return signUp(server, await ownerSetupCode(server, tenantId), email)
}

/** A signed-in account of `role`, invited by `inviter`. */
export async function invited(
  server: TestServer,
  inviter: ApiClient,
  email: string,
  role: 'owner' | 'admin' | 'viewer',
): Promise<ApiClient> {
  const invitation = await inviter.post('/accounts/invite', { email, role })
  assert.equal(invitation.status, 201, invitation.text)
  return signUp(server, invitation.body.setupUrl.split('#')[1], email)
}

/** Asserts the admin API's error shape. */
export function assertApiError(response: ApiResponse, status: number, code: string, field?: string): void {
  assert.ok(response.status < 500, `a client request produced ${response.status}: ${response.text}`)
  assert.equal(response.status, status, response.text)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
  assert.equal(response.body?.status, status, response.text)
  assert.equal(response.body?.code, code, response.text)
  assert.equal(typeof response.body?.detail, 'string')
  if (field !== undefined) {
    assert.equal(response.body.field, field, response.text)
    assert.ok(response.body.detail.startsWith(`${field}:`), response.text)
  }
}
