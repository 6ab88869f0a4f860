import type { FastifyReply, FastifyRequest } from 'fastify'

/** Whether the console is reached over TLS (directly, or as PUBLIC_URL says behind a proxy). */
export function isHttps(request: FastifyRequest, publicUrl: string): boolean {
  return request.protocol === 'https' || publicUrl.startsWith('https:')
}

/**
 * Headers of every console page and API answer (never SCIM's): scripts, styles and data only from
 * this origin, no framing (clickjacking), no MIME sniffing, no Referer (setup codes and ids stay
 * here), and HSTS when served over HTTPS. Set by hand: four constant headers do not need a plugin.
 */
export function setSecurityHeaders(reply: FastifyReply, https: boolean): void {
  reply.header(
    'content-security-policy',
    "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  )
  reply.header('x-content-type-options', 'nosniff')
  reply.header('referrer-policy', 'no-referrer')
  reply.header('x-frame-options', 'DENY')
  reply.header('cross-origin-opener-policy', 'same-origin')
  if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains')
}
