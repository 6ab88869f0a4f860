import Fastify from 'fastify'

/**
 * The ceiling: a minimal Fastify 5 app, run as a child process exactly like Roster, with the same
 * logger configuration (pino at LOG_LEVEL, `warn` in the benchmark, so neither writes a line per request).
 */
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } })
app.get('/', async () => ({ hello: 'world' }))

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) })

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
