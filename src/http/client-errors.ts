import type { Socket } from 'node:net'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { badRequest, ScimError } from '../scim/errors.js'
import { SCIM_CONTENT_TYPE } from './scim/reply.js'

/**
 * Requests Node's HTTP parser rejects before Fastify routes them (oversized headers or URL,
 * malformed HTTP) still get a SCIM error body.
 */
export function scimClientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return
  const scimError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ScimError(431, undefined, 'request headers or URL are larger than the server accepts')
      : badRequest('invalidSyntax', 'the request is not valid HTTP')
  const body = JSON.stringify(scimError.toBody())
  const reason = scimError.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'
  socket.end(
    `HTTP/1.1 ${scimError.status} ${reason}\r\nConnection: close\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

/** Router-level failures (a URL that is not valid percent-encoding) as SCIM errors. */
export function scimFrameworkErrors(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
  const scimError = badRequest('invalidSyntax', `the request URL is malformed: ${error.message}`)
  reply.code(400).type(SCIM_CONTENT_TYPE).send(scimError.toBody())
}
