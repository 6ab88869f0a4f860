import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { badRequest, isScimError, ScimError } from '../scim/errors.js'
import { isConnectionFailure } from '../store/errors.js'
import { SCIM_CONTENT_TYPE } from './scim/reply.js'

/** Fastify's own client errors, translated to SCIM errors (RFC 7644 §3.12). */
function fromFastifyError(error: FastifyError): ScimError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ScimError(415, undefined, 'Content-Type must be application/scim+json or application/json')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ScimError(413, undefined, 'request body is larger than the configured limit')
    // Fastify's own messages name application/json even for scim+json bodies; say it plainly.
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('invalidSyntax', 'request body is not valid JSON')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('invalidSyntax', 'request body is empty; a JSON object is required')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('invalidSyntax', 'Content-Length does not match the body')
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return badRequest('invalidSyntax', `request body is not valid JSON: ${error.message}`)
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ScimError(error.statusCode, undefined, error.message)
  }
  return undefined
}

/** Seconds a client is asked to wait while the database is unreachable: a restart or failover takes about this long. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5

/** Told about every error answer that is not an outage (to record failed writes). */
export type ErrorObserver = (request: FastifyRequest, status: number, detail: string) => void

/**
 * The one place that owns the error wire format. Client mistakes become SCIM error bodies with a
 * string status; anything unexpected becomes a generic 500 that leaks nothing and is logged whole.
 */
export function createScimErrorHandler(observe?: ErrorObserver) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const sent = answer(error, request, reply)
    // An outage (503) cannot be recorded in the database that is down.
    if (observe && reply.statusCode !== 503) {
      try {
        observe(request, reply.statusCode, detailOf(error, reply.statusCode))
      } catch (failure) {
        request.log.warn({ err: failure }, 'error observer failed')
      }
    }
    return sent
  }
}

function detailOf(error: FastifyError, status: number): string {
  if (isScimError(error)) return error.message
  const translated = fromFastifyError(error)
  return translated ? translated.message : `internal error (status ${status})`
}

export const scimErrorHandler = createScimErrorHandler()

function answer(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (!isScimError(error) && isConnectionFailure(error)) {
    // The request was fine; the database was not. Clients (Entra retries 5xx) should try again.
    request.log.error({ err: error }, 'database unavailable')
    const unavailable = new ScimError(503, undefined, 'the database is unavailable; retry later', {
      cause: error,
    })
    reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
    return reply.code(503).type(SCIM_CONTENT_TYPE).send(unavailable.toBody())
  }
  const scimError = isScimError(error) ? error : fromFastifyError(error)
  if (!scimError) {
    request.log.error({ err: error }, 'unhandled error')
    const internal = new ScimError(
      500,
      undefined,
      `internal error; quote request id ${request.id} to the operator`,
    )
    return reply.code(500).type(SCIM_CONTENT_TYPE).send(internal.toBody())
  }
  if (scimError.status === 401) reply.header('www-authenticate', 'Bearer realm="roster"')
  if (scimError.status >= 500) request.log.error({ err: error }, scimError.message)
  return reply.code(scimError.status).type(SCIM_CONTENT_TYPE).send(scimError.toBody())
}
