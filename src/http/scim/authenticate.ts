import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Principal, TokenVerifier, Verification } from '../../access/access-tokens.js'
import type { FixedWindowLimiter } from '../../access/fixed-window-limiter.js'
import type { Tenant } from '../../directory/tenants.js'
import { ScimError } from '../../scim/errors.js'
import type { TenantCache } from './tenant-cache.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
    tenant: Tenant
  }
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i

function unauthorized(detail: string): ScimError {
  return new ScimError(401, undefined, detail)
}

function tooMany(reply: FastifyReply, retryAfter: number, reason: string): ScimError {
  reply.header('retry-after', String(retryAfter))
  return new ScimError(429, undefined, `${reason}; retry after ${retryAfter} s`)
}

export interface AuthenticateOptions {
  verifier: TokenVerifier
  /** Failed authentications per client address. */
  failures: FixedWindowLimiter
  /** Requests per access token. */
  requests: FixedWindowLimiter
  tenants: TenantCache
  scope: string
}

/**
 * The bearer token decides the tenant. Every route registered after this needs a live token with
 * `scope`, within its request rate; addresses that keep failing are slowed down.
 */
export const authenticate = fp(async (app: FastifyInstance, options: AuthenticateOptions) => {
  app.decorateRequest('principal', null as unknown as Principal)
  app.decorateRequest('tenant', null as unknown as Tenant)
  const fail = (request: FastifyRequest, detail: string) => {
    options.failures.record(request.ip)
    return unauthorized(detail)
  }
  function admit(
    request: FastifyRequest,
    reply: FastifyReply,
    result: Verification,
  ): asserts result is Principal {
    if (result === 'malformed') throw fail(request, 'the bearer token is not a Roster access token')
    if (result === 'unknown') throw fail(request, 'the bearer token is not valid')
    if (result === 'revoked') throw fail(request, 'the bearer token has been revoked')
    if (!result.scopes.includes(options.scope)) {
      throw new ScimError(403, undefined, `this token lacks the "${options.scope}" scope (Provisioning API)`)
    }
    const wait = options.requests.hit(result.tokenId)
    if (wait > 0) throw tooMany(reply, wait, 'rate limit of this access token exceeded')
    request.principal = result
  }
  const enter = (request: FastifyRequest, tenant: Tenant | undefined) => {
    if (!tenant) throw fail(request, 'the bearer token is not valid')
    request.tenant = tenant
  }
  /** Returns a promise only when a cache missed: cached tokens and tenants are checked synchronously. */
  const check = (request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined => {
    const blocked = options.failures.retryAfterSeconds(request.ip)
    if (blocked > 0) throw tooMany(reply, blocked, 'too many failed authentications')
    const header = request.headers.authorization
    if (header === undefined) throw fail(request, 'Authorization header with a Bearer token is required')
    const match = BEARER.exec(header)
    if (!match?.[1]) throw fail(request, 'Authorization header must be "Bearer <token>"')
    const verified = options.verifier.verify(match[1])
    if (verified instanceof Promise) {
      return verified.then(async (result) => {
        admit(request, reply, result)
        enter(request, await options.tenants.get(request.principal.tenantId))
      })
    }
    admit(request, reply, verified)
    const tenant = options.tenants.get(verified.tenantId)
    if (tenant instanceof Promise) return tenant.then((loaded) => enter(request, loaded))
    enter(request, tenant)
    return undefined
  }
  app.addHook('onRequest', (request, reply, done) => {
    let pending: Promise<void> | undefined
    try {
      pending = check(request, reply)
    } catch (error) {
      return done(error as Error)
    }
    if (pending) pending.then(() => done(), done)
    else done()
  })
})
