import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Principal, TokenVerifier } from '../../access/access-tokens.js'
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
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const blocked = options.failures.retryAfterSeconds(request.ip)
    if (blocked > 0) throw tooMany(reply, blocked, 'too many failed authentications')
    const fail = (detail: string) => {
      options.failures.record(request.ip)
      return unauthorized(detail)
    }
    const header = request.headers.authorization
    if (header === undefined) throw fail('Authorization header with a Bearer token is required')
    const match = BEARER.exec(header)
    if (!match?.[1]) throw fail('Authorization header must be "Bearer <token>"')
    const result = await options.verifier.verify(match[1])
    if (result === 'malformed') throw fail('the bearer token is not a Roster access token')
    if (result === 'unknown') throw fail('the bearer token is not valid')
    if (result === 'revoked') throw fail('the bearer token has been revoked')
    if (!result.scopes.includes(options.scope)) {
      throw new ScimError(403, undefined, `this token lacks the "${options.scope}" scope (Provisioning API)`)
    }
    const wait = options.requests.hit(result.tokenId)
    if (wait > 0) throw tooMany(reply, wait, 'rate limit of this access token exceeded')
    const tenant = await options.tenants.get(result.tenantId)
    if (!tenant) throw fail('the bearer token is not valid')
    request.principal = result
    request.tenant = tenant
  })
})
