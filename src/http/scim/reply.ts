import type { FastifyReply } from 'fastify'

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

/** A resource already serialised to JSON text: sent as-is by sendScim, embedded as-is in a list. */
export class ScimJson {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
  /** Serialising it again would be a bug: it would go out as a JSON string, not an object. */
  toJSON(): never {
    throw new TypeError('ScimJson is already JSON; send it with sendScim or listResponse')
  }
}

/** Every SCIM response goes out as application/scim+json (RFC 7644 §3.1). */
export function sendScim(reply: FastifyReply, status: number, body: unknown, etag?: string): FastifyReply {
  reply.code(status).type(SCIM_CONTENT_TYPE)
  if (etag !== undefined) reply.header('etag', etag)
  return reply.send(body instanceof ScimJson ? body.text : body)
}

/** A ListResponse (RFC 7644 §3.4.2) as JSON text; pre-rendered resources are embedded verbatim. */
export function listResponse(resources: unknown[], totalResults: number, startIndex: number): ScimJson {
  const items = resources.map((resource) =>
    resource instanceof ScimJson ? resource.text : JSON.stringify(resource),
  )
  return new ScimJson(
    `{"schemas":["${LIST_RESPONSE_SCHEMA}"],"totalResults":${totalResults},"startIndex":${startIndex},` +
      `"itemsPerPage":${resources.length},"Resources":[${items.join(',')}]}`,
  )
}
