import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { TokenVerifier } from '../access/access-tokens.js'
import { FixedWindowLimiter } from '../access/fixed-window-limiter.js'
import type { Config } from '../config.js'
import { LoginThrottle } from '../console/login-throttle.js'
import type { Db } from '../store/database.js'
import type { SqlDialect } from '../store/dialects/sql-dialect.js'
import { isConnectionFailure } from '../store/errors.js'
import { apiPlugin } from './api/api-plugin.js'
import { scimClientErrorHandler, scimFrameworkErrors } from './client-errors.js'
import { consolePlugin, defaultConsoleDir } from './console-plugin.js'
import { createScimErrorHandler, UNAVAILABLE_RETRY_AFTER_SECONDS } from './error-handler.js'
import type { Links } from './links.js'
import { recordFailedWrite } from './scim/failed-writes.js'
import { scimPlugin } from './scim/scim-plugin.js'
import { TenantCache } from './scim/tenant-cache.js'

export interface AppDependencies {
  config: Config
  db: Db
  dialect: SqlDialect
  /** Shared with the caller so it can correct the URLs once the real port is known. */
  links?: Links
  /** Where JSON log lines go (stdout by default); tests read them to prove no secret is logged. */
  logStream?: { write(line: string): void }
  /** The built console (default: dist/console); missing, `/` says how to build it. */
  consoleDir?: string
}

/** Paths the SCIM service answers on: the documented tenant URL, and the bare /scim root some admins paste. */
export const SCIM_PREFIXES = ['/scim/v2', '/scim'] as const

/**
 * Entra adds compatibility flags to the tenant URL (`…/scim/v2?aadOptscim062020`); if it appends
 * `/Users` after the flag, the path would end up in the query string. Put it back in the path.
 */
export function rewriteFlaggedUrl(url: string): string {
  const match =
    /^([^?]*)\?(aadOptscim062020|AzureAdScimPatch062020|AzureAdScimPatch2017)(\/[^?&]*)(?:[?&](.*))?$/i.exec(
      url,
    )
  if (!match) return url
  const [, root, flag, rest, query] = match
  return `${root}${rest}?${flag}${query ? `&${query}` : ''}`
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, db } = deps
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    rewriteUrl: (request) => rewriteFlaggedUrl(request.url ?? '/'),
    clientErrorHandler: scimClientErrorHandler,
    frameworkErrors: scimFrameworkErrors,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: false },
  })
  // Refused SCIM writes go to the activity; recorded off the success path, after the answer is set.
  app.setErrorHandler(
    createScimErrorHandler((request, status, detail) => recordFailedWrite(db, request, status, detail)),
  )
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })

  // For load balancers: 503 takes a node out of rotation while its database is unreachable (or
  // while it shuts down: Fastify answers 503 once close() began), 200 puts it back.
  app.get('/healthz', async (request, reply) => {
    try {
      await db.selectFrom('tenants').select('id').limit(1).execute()
    } catch (error) {
      if (!isConnectionFailure(error)) throw error
      request.log.warn({ err: error }, 'health check: database unavailable')
      return reply
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .send({ status: 'unavailable', detail: 'the database is unreachable' })
    }
    return { status: 'ok' }
  })

  const verifier = new TokenVerifier(db, config.tokenCacheMs, (error) =>
    app.log.warn({ err: error }, 'token touch failed'),
  )
  const tenants = new TenantCache(db, config.tokenCacheMs)
  // Shared by both mount points, so /scim and /scim/v2 count against the same limits.
  const failures = new FixedWindowLimiter(config.authFailureLimit, config.rateLimit.windowMs)
  const requests = new FixedWindowLimiter(config.rateLimit.max, config.rateLimit.windowMs)
  const links = deps.links ?? { scimBaseUrl: `${config.publicUrl}${SCIM_PREFIXES[0]}` }
  for (const prefix of SCIM_PREFIXES) {
    await app.register(scimPlugin, {
      prefix,
      db,
      dialect: deps.dialect,
      verifier,
      failures,
      requests,
      tenants,
      links,
      maxPageSize: config.maxPageSize,
    })
  }
  // The admin API and the console: encapsulated, so none of their hooks run on SCIM requests.
  await app.register(apiPlugin, {
    prefix: '/api',
    db,
    dialect: deps.dialect,
    verifier,
    tenants,
    failures,
    throttle: new LoginThrottle(config.loginFailureLimit),
    links,
    sessionIdleMinutes: config.sessionIdleMinutes,
    setupLinkDays: config.setupLinkDays,
  })
  await app.register(consolePlugin, {
    consoleDir: deps.consoleDir ?? defaultConsoleDir(),
    publicUrl: () => links.scimBaseUrl.replace(/\/scim\/v2$/, ''),
  })
  return app
}
