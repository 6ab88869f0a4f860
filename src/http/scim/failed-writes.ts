import type { FastifyRequest } from 'fastify'
import { insertFailedWrite } from '../../store/activity-query.js'
import type { Db } from '../../store/database.js'

const OPERATIONS: Partial<Record<string, string>> = {
  POST: 'create',
  PUT: 'replace',
  PATCH: 'patch',
  DELETE: 'delete',
}
const RESOURCE = /\/(Users|Groups)(?:\/([^/?]+))?\/?(?:\?|$)/i
const MAX_DETAIL = 1000

/**
 * Records a refused SCIM write in the tenant's activity (outcome failure, status, the error
 * detail; never the body), so an admin sees why Entra's changes did not land. Runs only on the
 * error path, after the answer is decided, and never fails or delays it: a write that cannot be
 * recorded is logged and dropped.
 */
export function recordFailedWrite(db: Db, request: FastifyRequest, status: number, detail: string): void {
  const operation = OPERATIONS[request.method]
  // Only authenticated SCIM requests have a principal: the tenant and token are known.
  const principal = (request as Partial<Pick<FastifyRequest, 'principal'>>).principal
  if (!operation || !principal) return
  const match = RESOURCE.exec(request.url)
  if (!match || match[2]?.toLowerCase() === '.search') return
  const resourceType = match[1]?.toLowerCase() === 'groups' ? 'Group' : 'User'
  const params = (request.params ?? {}) as { id?: unknown }
  const resourceId = typeof params.id === 'string' && !params.id.includes('\u0000') ? params.id : ''
  insertFailedWrite(db, {
    tenant_id: principal.tenantId,
    at: new Date().toISOString(),
    token_id: principal.tokenId,
    request_id: request.id,
    operation,
    resource_type: resourceType,
    resource_id: resourceId,
    status,
    detail: detail.replaceAll('\u0000', '\\u0000').slice(0, MAX_DETAIL),
  }).catch((error: unknown) => request.log.warn({ err: error }, 'could not record a failed write'))
}
