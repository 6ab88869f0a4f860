import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance } from 'fastify'
import { ConsoleError } from '../../console/console-error.js'
import { isHttps, setSecurityHeaders } from '../security-headers.js'
import { accountsRoutes } from './accounts-routes.js'
import { activityRoutes } from './activity-routes.js'
import { apiGate } from './api-auth.js'
import { type ApiOptions, publicUrlOf } from './api-context.js'
import { apiErrorHandler } from './api-errors.js'
import { employeesRoutes } from './employees-routes.js'
import { orgChartRoutes } from './org-chart-routes.js'
import { provisioningRoutes } from './provisioning-routes.js'
import { sessionRoutes } from './session-routes.js'
import { tokensRoutes } from './tokens-routes.js'

/**
 * The admin JSON API behind the console, mounted at /api. An encapsulated plugin: its cookie
 * parsing, headers, gate and error format apply here only, never to SCIM requests.
 */
export async function apiPlugin(app: FastifyInstance, pluginOptions: ApiOptions): Promise<void> {
  // Without Fastify's own keys (prefix), so the route plugins below mount at /api, not /api/api.
  const { prefix: _prefix, ...options } = pluginOptions as ApiOptions & { prefix?: string }
  await app.register(fastifyCookie)
  // JSON only; Fastify's text/plain parser would let strings through as bodies. An empty JSON
  // body (a bodiless POST such as logout or revoke, sent with the JSON content type) is no body.
  app.removeContentTypeParser(['text/plain', 'application/json'])
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined)
    else parseJson(request, String(body), done)
  })
  app.decorateRequest('caller', null as never)
  app.setErrorHandler(apiErrorHandler)
  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(reply, isHttps(request, publicUrlOf(options.links)))
    // Answers about people and tokens are never for shared caches.
    reply.header('cache-control', 'no-store')
    // Ids never contain U+0000 (PostgreSQL text cannot hold it): such an id names nothing.
    const params = (request.params ?? {}) as Record<string, unknown>
    if (Object.values(params).some((value) => typeof value === 'string' && value.includes('\u0000'))) {
      throw new ConsoleError('notFound', 'no such resource')
    }
  })
  app.addHook('onRequest', apiGate(options))
  app.setNotFoundHandler(async (request) => {
    throw new ConsoleError('notFound', `no API endpoint ${request.method} ${request.url.split('?')[0]}`)
  })
  await app.register(sessionRoutes, options)
  await app.register(accountsRoutes, options)
  await app.register(tokensRoutes, options)
  await app.register(employeesRoutes, options)
  await app.register(orgChartRoutes, options)
  await app.register(activityRoutes, options)
  await app.register(provisioningRoutes, options)
}
