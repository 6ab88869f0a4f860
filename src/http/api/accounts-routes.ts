import type { FastifyInstance, FastifyRequest } from 'fastify'
import {
  type ConsoleAccount,
  changeRole,
  inviteAccount,
  listAccounts,
  parseRole,
  removeAccount,
} from '../../console/accounts.js'
import { forbidden } from '../../console/console-error.js'
import { setupUrl } from '../../console/setup-links.js'
import { type ApiCaller, type ApiOptions, publicUrlOf } from './api-context.js'
import { bodyObject } from './request-input.js'

function accountView(account: ConsoleAccount) {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    role: account.role,
    createdAt: account.createdAt,
    lastLoginAt: account.lastLoginAt,
  }
}

/** Only people act on accounts: a token never invites or changes anyone. */
function signedIn(request: FastifyRequest): Extract<ApiCaller, { kind: 'session' }> {
  const { caller } = request
  if (caller.kind !== 'session') throw forbidden('access tokens cannot manage accounts')
  return caller
}

export async function accountsRoutes(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { db, verifier } = options
  type IdParams = { Params: { id: string } }

  app.get('/accounts', { config: { access: 'viewer' } }, async (request) => ({
    items: (await listAccounts(db, request.caller.tenant.id)).map(accountView),
  }))

  app.post('/accounts/invite', { config: { access: 'admin' } }, async (request, reply) => {
    const caller = signedIn(request)
    const body = bodyObject(request.body)
    const { code } = await inviteAccount(
      db,
      caller.account,
      { email: body.email, role: body.role },
      options.setupLinkDays,
    )
    return reply.code(201).send({ setupUrl: setupUrl(publicUrlOf(options.links), code) })
  })

  app.patch<IdParams>('/accounts/:id', { config: { access: 'owner' } }, async (request) => {
    signedIn(request)
    const body = bodyObject(request.body)
    const role = parseRole(body.role)
    const change = await changeRole(db, request.caller.tenant.id, request.params.id, role)
    // Committed: the revoked tokens must stop working on this node now, not when the cache expires.
    verifier.forget(change.revokedTokenIds)
    return accountView(change.account)
  })

  app.delete<IdParams>('/accounts/:id', { config: { access: 'owner' } }, async (request, reply) => {
    signedIn(request)
    const change = await removeAccount(db, request.caller.tenant.id, request.params.id)
    verifier.forget(change.revokedTokenIds)
    return reply.code(204).send()
  })
}
