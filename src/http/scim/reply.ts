import type { FastifyReply } from 'fastify'

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

/** Every SCIM response goes out as application/scim+json (RFC 7644 §3.1). */
export function sendScim(reply: FastifyReply, status: number, body: unknown, etag?: string): FastifyReply {
  reply.code(status).type(SCIM_CONTENT_TYPE)
  if (etag !== undefined) reply.header('etag', etag)
  return reply.send(body)
}

export function listResponse(resources: unknown[], totalResults: number, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  }
}
