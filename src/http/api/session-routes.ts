import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ConsoleAccount } from '../../console/accounts.js'
import { checkLogin } from '../../console/login.js'
import { endSession, startSession } from '../../console/sessions.js'
import { openSetupLink, redeemSetupLink } from '../../console/setup-links.js'
import type { Tenant } from '../../directory/tenants.js'
import { isHttps } from '../security-headers.js'
import { type ApiOptions, publicUrlOf, SESSION_COOKIE } from './api-context.js'
import { bodyObject } from './request-input.js'

/** The session object the console keeps: who is signed in, where, and the CSRF token to send back. */
export function sessionBody(
  options: ApiOptions,
  account: ConsoleAccount,
  tenant: Tenant,
  csrfToken: string,
): Record<string, unknown> {
  return {
    account: { id: account.id, email: account.email, displayName: account.displayName, role: account.role },
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    csrfToken,
    scimUrl: options.links.scimBaseUrl,
  }
}

/** Setup links, login, logout and the current session. */
export async function sessionRoutes(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { db } = options
  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: isHttps(request, publicUrlOf(options.links)),
  })
  /** A brand-new session (never one the browser already had: no session fixation). */
  const signIn = async (
    request: FastifyRequest,
    reply: FastifyReply,
    account: ConsoleAccount,
    tenant: Tenant,
  ) => {
    const previous = request.cookies[SESSION_COOKIE]
    if (previous) await endSession(db, previous)
    const session = await startSession(db, tenant.id, account.id, options.sessionIdleMinutes)
    // A browser-session cookie (no Max-Age): the server ends the session after the idle timeout,
    // and a cookie that expired by date while the console was in use would sign the person out.
    reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(request))
    return sessionBody(options, account, tenant, session.csrfToken)
  }

  app.get<{ Params: { code: string } }>('/setup/:code', { config: { access: 'public' } }, async (request) => {
    const { link, tenant } = await openSetupLink(db, request.params.code)
    return { tenant: { slug: tenant.slug, name: tenant.name }, role: link.role, email: link.email }
  })

  app.post('/setup', { config: { access: 'public' } }, async (request, reply) => {
    const body = bodyObject(request.body)
    const { account, tenant } = await redeemSetupLink(db, {
      code: body.code,
      email: body.email,
      displayName: body.displayName,
      password: body.password,
    })
    const session = await signIn(request, reply, account, tenant)
    return reply.code(201).send(session)
  })

  app.post('/login', { config: { access: 'public' } }, async (request, reply) => {
    const body = bodyObject(request.body)
    const { account, tenant } = await checkLogin(
      db,
      options.throttle,
      { tenant: body.tenant, email: body.email, password: body.password },
      request.ip,
    )
    return reply.code(200).send(await signIn(request, reply, account, tenant))
  })

  app.post('/logout', { config: { access: 'viewer' } }, async (request, reply) => {
    const { caller } = request
    if (caller.kind === 'session') await endSession(db, caller.sessionId)
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
    return reply.code(204).send()
  })

  app.get('/session', { config: { access: 'viewer' } }, async (request) => {
    const { caller } = request
    if (caller.kind !== 'session') {
      return {
        account: null,
        tenant: { id: caller.tenant.id, slug: caller.tenant.slug, name: caller.tenant.name },
      }
    }
    return sessionBody(options, caller.account, caller.tenant, caller.csrfToken)
  })
}
