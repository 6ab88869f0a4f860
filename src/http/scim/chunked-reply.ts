import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'
import { SCIM_CONTENT_TYPE } from './reply.js'

/** Below this much text a response is sent whole; above it, streamed as it is produced. */
const STREAM_THRESHOLD = 256 * 1024

/**
 * Sends JSON produced as a sequence of text chunks (a group with all its members, a page of such
 * groups). Small answers, nearly all of them, go out as one string with a Content-Length; a large
 * one is streamed chunk by chunk with backpressure, so a 100,000-member group never sits in memory
 * as one object or one string.
 */
export async function sendScimChunks(
  reply: FastifyReply,
  status: number,
  chunks: AsyncIterable<string>,
  etag?: string,
): Promise<FastifyReply> {
  reply.code(status).type(SCIM_CONTENT_TYPE)
  if (etag !== undefined) reply.header('etag', etag)
  const iterator = chunks[Symbol.asyncIterator]()
  const head: string[] = []
  let size = 0
  while (size < STREAM_THRESHOLD) {
    const next = await iterator.next()
    if (next.done) return reply.send(head.join(''))
    head.push(next.value)
    size += next.value.length
  }
  async function* rest(): AsyncGenerator<string> {
    yield head.join('')
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return reply.send(Readable.from(rest(), { objectMode: false }))
}
