import type { FastifyInstance } from 'fastify'
import type { TokenVerifier } from '../../access/access-tokens.js'
import type { FixedWindowLimiter } from '../../access/fixed-window-limiter.js'
import { ScimError } from '../../scim/errors.js'
import type { Db } from '../../store/database.js'
import type { SqlDialect } from '../../store/dialects/sql-dialect.js'
import type { Links } from '../links.js'
import { authenticate } from './authenticate.js'
import { discoveryRoutes } from './discovery-routes.js'
import { groupsRoutes } from './groups-routes.js'
import type { TenantCache } from './tenant-cache.js'
import { usersRoutes } from './users-routes.js'

export interface ScimPluginOptions {
  db: Db
  dialect: SqlDialect
  verifier: TokenVerifier
  failures: FixedWindowLimiter
  requests: FixedWindowLimiter
  tenants: TenantCache
  links: Links
  maxPageSize: number
}

/** Resource paths whose other methods answer 405 rather than 404. */
const KNOWN_PATHS = [
  /\/(Users|Groups)(\/[^/]+)?\/?$/i,
  /\/(ServiceProviderConfig|ResourceTypes|Schemas)(\/[^/]+)?\/?$/i,
]

/** The SCIM 2.0 service provider: one encapsulated plugin, mounted at the tenant URL. */
export async function scimPlugin(app: FastifyInstance, options: ScimPluginOptions): Promise<void> {
  // Entra sends application/scim+json; plain application/json is accepted too (RFC 7644 §3.1).
  // Nothing else is a SCIM body: Fastify's text/plain parser would let strings through.
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser(
    ['application/scim+json'],
    { parseAs: 'string', bodyLimit: app.initialConfig.bodyLimit },
    app.getDefaultJsonParser('error', 'error'),
  )
  await app.register(authenticate, {
    verifier: options.verifier,
    failures: options.failures,
    requests: options.requests,
    tenants: options.tenants,
    scope: 'scim',
  })
  // No id holds U+0000 (PostgreSQL text cannot): such an id names nothing, on either database. A
  // callback hook, not an async one: it runs on every request and must cost next to nothing.
  app.addHook('preValidation', (request, _reply, done) => {
    const { id } = (request.params ?? {}) as { id?: unknown }
    if (typeof id === 'string' && id.includes('\u0000')) {
      done(new ScimError(404, undefined, `no resource with id "${id.replaceAll('\u0000', '\\u0000')}"`))
      return
    }
    done()
  })
  await app.register(discoveryRoutes, { links: options.links, maxPageSize: options.maxPageSize })
  await app.register(usersRoutes, {
    db: options.db,
    dialect: options.dialect,
    links: options.links,
    maxPageSize: options.maxPageSize,
  })
  await app.register(groupsRoutes, {
    db: options.db,
    dialect: options.dialect,
    links: options.links,
    maxPageSize: options.maxPageSize,
  })
  app.setNotFoundHandler(async (request) => {
    const path = request.url.split('?')[0] ?? ''
    if (KNOWN_PATHS.some((pattern) => pattern.test(path))) {
      throw new ScimError(405, undefined, `${request.method} is not supported on ${path}`)
    }
    throw new ScimError(404, undefined, `no SCIM endpoint at ${path}`)
  })
}
