import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isHttps, setSecurityHeaders } from './security-headers.js'

/**
 * Where Vite builds the console: `dist/console` at the repository root. This file runs from
 * `src/http` (tsx) or `dist/src/http` (compiled); both are two levels below root or dist.
 */
export function defaultConsoleDir(): string {
  const up = fileURLToPath(new URL('../../', import.meta.url))
  return up.replace(/[\\/]+$/, '').endsWith('dist') ? join(up, 'console') : join(up, 'dist', 'console')
}

export interface ConsolePluginOptions {
  consoleDir: string
  publicUrl: () => string
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Roster</title></head>
<body><h1>Roster</h1><p>The admin console has not been built. Run <code>npm run build</code>, then restart.</p>
<p>SCIM is served at <code>/scim/v2</code>; the admin API at <code>/api</code>.</p></body></html>
`

/** Paths the console never answers, whatever the request accepts. */
const NOT_CONSOLE = /^\/(scim|api|healthz)(\/|\?|$)/i

/**
 * The built console: its files (assets immutable-cached, they carry content hashes), and for any
 * other page a browser asks for, index.html (the console routes on the client). Encapsulated, so
 * its headers and 404 handling never touch /scim or /api. Files are routed one by one (no wildcard
 * route), so an unknown SCIM path still gets SCIM's own 404.
 */
export async function consolePlugin(app: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const built = existsSync(join(options.consoleDir, 'index.html'))
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(reply, isHttps(request, options.publicUrl()))
    done()
  })
  if (built) {
    await app.register(fastifyStatic, {
      root: options.consoleDir,
      wildcard: false,
      index: false,
      setHeaders: (response, path) => {
        response.setHeader(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })
  }
  const sendIndex = (reply: FastifyReply) =>
    built
      ? reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })
      : reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT)
  app.get('/', (_request, reply) => sendIndex(reply))
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/'
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !NOT_CONSOLE.test(path) &&
      !path.startsWith('/assets/') &&
      (request.headers.accept ?? '').includes('text/html')
    if (wantsPage) return sendIndex(reply)
    return reply
      .code(404)
      .send({ message: `Route ${request.method}:${path} not found`, error: 'Not Found', statusCode: 404 })
  })
}
