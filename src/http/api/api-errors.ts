import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ConsoleError } from '../../console/console-error.js'
import { isConnectionFailure } from '../../store/errors.js'
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../error-handler.js'

/** Fastify's own client errors (body parsing, limits) in the API's shape. */
function fromFastifyError(error: FastifyError): ConsoleError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ConsoleError('unsupportedMediaType', 'Content-Type must be application/json')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ConsoleError('payloadTooLarge', 'request body is larger than the configured limit')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ConsoleError('invalidJson', 'request body is not valid JSON')
  }
  if (error instanceof SyntaxError) return new ConsoleError('invalidJson', 'request body is not valid JSON')
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ConsoleError('invalidValue', error.message)
  }
  return undefined
}

/**
 * The one place that writes /api errors: `{status, code, detail, field?}` as JSON. Unknown errors
 * are a generic 500 that leaks nothing (the error is logged); a database outage is a 503.
 */
export function apiErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let known = error instanceof ConsoleError ? error : fromFastifyError(error)
  if (!known && isConnectionFailure(error)) {
    request.log.error({ err: error }, 'database unavailable')
    known = new ConsoleError('unavailable', 'the database is unavailable; retry later', {
      retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
    })
  }
  if (!known) {
    request.log.error({ err: error }, 'unhandled error')
    known = new ConsoleError('internal', `internal error; quote request id ${request.id} to the operator`)
  }
  if (known.retryAfter !== undefined) reply.header('retry-after', String(known.retryAfter))
  return reply.code(known.status).type('application/json; charset=utf-8').send(known.toBody())
}
