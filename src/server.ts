import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { type AppDependencies, buildApp, SCIM_PREFIXES } from './http/app.js'
import type { Db } from './store/database.js'
import { sqlDialectOf } from './store/dialects/sql-dialect-of.js'
import { openStore } from './store/open.js'

export interface RunningServer {
  app: FastifyInstance
  db: Db
  url: string
  /**
   * Stops accepting connections, lets in-flight requests finish (cutting the connections still
   * open after `config.shutdownTimeoutMs`), then closes the database (pool, or SQLite connection
   * and its checkpointer thread). Safe to call twice.
   */
  close(): Promise<void>
}

/** Opens the store (running migrations unless told not to), starts HTTP, and closes both in order on close(). */
export async function startServer(
  config: Config,
  options: Pick<AppDependencies, 'logStream'> = {},
): Promise<RunningServer> {
  const db = await openStore({
    databaseUrl: config.databaseUrl,
    migrate: config.autoMigrate ? true : 'require-current',
    postgres: { max: config.databasePoolMax, statementTimeoutMs: config.databaseStatementTimeoutMs },
  })
  const links = { scimBaseUrl: `${config.publicUrl}${SCIM_PREFIXES[0]}` }
  let app: FastifyInstance
  try {
    app = await buildApp({ config, db, dialect: sqlDialectOf(db), links, ...options })
  } catch (error) {
    await db.destroy()
    throw error
  }
  let closing: Promise<void> | undefined
  const shutdown = async () => {
    // Fastify stops listening, closes idle keep-alive connections and answers 503 to requests that
    // arrive on open ones; requests already running finish. A client that never finishes its
    // request must not hold the process: past the deadline its connection is cut.
    const deadline = setTimeout(() => {
      app.log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown: cutting connections still open')
      app.server.closeAllConnections()
    }, config.shutdownTimeoutMs)
    try {
      await app.close()
    } finally {
      clearTimeout(deadline)
      await db.destroy()
    }
  }
  const close = () => {
    closing ??= shutdown()
    return closing
  }
  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (error) {
    await close()
    throw error
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host}:${port}`
  if (!config.publicUrlExplicit) links.scimBaseUrl = `${url}${SCIM_PREFIXES[0]}`
  return { app, db, url, close }
}
