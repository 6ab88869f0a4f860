import type { FastifyInstance } from 'fastify'
import { forbidden } from '../../console/console-error.js'
import { createToken, listTokens, revokeToken } from '../../console/tokens.js'
import type { ApiOptions } from './api-context.js'
import { bodyObject } from './request-input.js'

export async function tokensRoutes(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { db, verifier } = options

  app.get('/tokens', { config: { access: 'viewer' } }, async (request) => ({
    items: await listTokens(db, request.caller.tenant.id),
  }))

  app.post('/tokens', { config: { access: 'owner' } }, async (request, reply) => {
    const { caller } = request
    if (caller.kind !== 'session') throw forbidden('access tokens cannot create tokens')
    const body = bodyObject(request.body)
    const created = await createToken(db, caller.tenant.id, caller.account.id, {
      name: body.name,
      description: body.description,
      scopes: body.scopes,
    })
    // The secret is shown once: never cache this answer anywhere.
    reply.header('cache-control', 'no-store')
    return reply.code(201).send(created)
  })

  app.post<{ Params: { id: string } }>(
    '/tokens/:id/revoke',
    { config: { access: 'admin' } },
    async (request) => {
      const token = await revokeToken(db, request.caller.tenant.id, request.params.id)
      verifier.forget([token.id])
      return token
    },
  )
}
