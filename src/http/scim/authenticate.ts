import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Principal, TokenVerifier } from '../../access/access-tokens.js'
import type { FailedAuthThrottle } from '../../access/failed-auth-throttle.js'
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

export interface AuthenticateOptions {
  verifier: TokenVerifier
  throttle: FailedAuthThrottle
  tenants: TenantCache
  scope: string
}

/** The bearer token decides the tenant. Every route registered after this needs a live token with `scope`. */
export const authenticate = fp(async (app: FastifyInstance, options: AuthenticateOptions) => {
  app.decorateRequest('principal', null as unknown as Principal)
  app.decorateRequest('tenant', null as unknown as Tenant)
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const retryAfter = options.throttle.retryAfterSeconds(request.ip)
    if (retryAfter > 0) {
      reply.header('retry-after', String(retryAfter))
      throw new ScimError(429, undefined, `too many failed authentications; retry after ${retryAfter} s`)
    }
    const fail = (detail: string) => {
      options.throttle.recordFailure(request.ip)
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
    const tenant = await options.tenants.get(result.tenantId)
    if (!tenant) throw fail('the bearer token is not valid')
    request.principal = result
    request.tenant = tenant
  })
})
