import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Principal } from '../../access/access-tokens.js'
import { toAccount } from '../../console/accounts.js'
import { ConsoleError } from '../../console/console-error.js'
import { csrfTokenMatches } from '../../console/csrf.js'
import { atLeast } from '../../console/roles.js'
import { resumeSession } from '../../console/sessions.js'
import { toTenant } from '../../directory/tenants.js'
import { type ApiCaller, type ApiOptions, publicUrlOf, SESSION_COOKIE } from './api-context.js'

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function notAuthenticated(detail = 'sign in first'): ConsoleError {
  return new ConsoleError('notAuthenticated', detail)
}

/**
 * Login and setup have no session to bind a CSRF token to: they must be JSON (a cross-site HTML
 * form cannot send that without a CORS preflight, which we never grant) and, when the browser says
 * where the request comes from, come from this origin.
 */
export function checkSameOrigin(request: FastifyRequest, links: ApiOptions['links']): void {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ConsoleError('csrf', 'this request must have Content-Type application/json')
  }
  const origin = request.headers.origin
  if (origin === undefined) return
  const own = [new URL(publicUrlOf(links)).origin, `${request.protocol}://${request.host}`]
  if (!own.includes(origin)) throw new ConsoleError('csrf', 'cross-origin requests are not accepted')
}

async function fromBearer(request: FastifyRequest, options: ApiOptions, secret: string): Promise<ApiCaller> {
  const blocked = options.failures.retryAfterSeconds(request.ip)
  if (blocked > 0) {
    throw new ConsoleError('tooManyRequests', `too many failed authentications; retry after ${blocked} s`, {
      retryAfter: blocked,
    })
  }
  const verified = await options.verifier.verify(secret)
  if (typeof verified === 'string') {
    options.failures.record(request.ip)
    throw notAuthenticated(
      verified === 'revoked' ? 'the bearer token has been revoked' : 'the bearer token is not valid',
    )
  }
  const principal: Principal = verified
  if (!principal.scopes.includes('api')) {
    throw new ConsoleError('forbidden', 'this token lacks the "api" scope (Public API)')
  }
  const tenant = await options.tenants.get(principal.tenantId)
  if (!tenant) throw notAuthenticated('the bearer token is not valid')
  if (!SAFE_METHODS.has(request.method)) {
    throw new ConsoleError('forbidden', 'access tokens may only read the admin API')
  }
  return { kind: 'token', tenant, role: 'viewer', tokenId: principal.tokenId }
}

async function fromSession(request: FastifyRequest, options: ApiOptions): Promise<ApiCaller> {
  const id = request.cookies[SESSION_COOKIE]
  const found = id ? await resumeSession(options.db, id, options.sessionIdleMinutes) : undefined
  if (!id || !found) throw notAuthenticated()
  const account = toAccount(found.account)
  return {
    kind: 'session',
    tenant: toTenant(found.tenant),
    role: account.role,
    account,
    csrfToken: found.session.csrf_token,
    sessionId: id,
  }
}

/**
 * The admin API's one gate, run before the body is read: it finds the caller (bearer token or
 * session cookie), checks the CSRF token of state-changing session requests, and the route's role.
 */
export function apiGate(options: ApiOptions) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = request.routeOptions.config.access
    if (access === undefined) return
    if (access === 'public') {
      if (!SAFE_METHODS.has(request.method)) checkSameOrigin(request, options.links)
      return
    }
    const match =
      request.headers.authorization === undefined ? undefined : BEARER.exec(request.headers.authorization)
    if (request.headers.authorization !== undefined && !match?.[1]) {
      throw notAuthenticated('Authorization header must be "Bearer <token>"')
    }
    const caller = match?.[1]
      ? await fromBearer(request, options, match[1])
      : await fromSession(request, options)
    if (caller.kind === 'session' && !SAFE_METHODS.has(request.method)) {
      if (!csrfTokenMatches(request.headers['x-csrf-token'], caller.csrfToken)) {
        throw new ConsoleError('csrf', 'the x-csrf-token header is missing or wrong')
      }
    }
    if (!atLeast(caller.role, access)) {
      throw new ConsoleError('forbidden', `this needs the ${access} role; you are ${caller.role}`)
    }
    request.caller = caller
  }
}
