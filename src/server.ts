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
  close(): Promise<void>
}

/** Opens the store (running migrations), starts HTTP, and closes both in order on close(). */
export async function startServer(
  config: Config,
  options: Pick<AppDependencies, 'logStream'> = {},
): Promise<RunningServer> {
  const db = await openStore({ databaseUrl: config.databaseUrl })
  const links = { scimBaseUrl: `${config.publicUrl}${SCIM_PREFIXES[0]}` }
  const app = await buildApp({ config, db, dialect: sqlDialectOf(db), links, ...options })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await app.close()
    await db.destroy()
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
