import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { startServer } from '../server.js'
import { listTenants } from '../store/tenants-repository.js'

interface ServeOptions {
  port?: string
  host?: string
  publicUrl?: string
  logLevel?: string
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HR app (SCIM 2.0 at /scim/v2) on the configured database')
    .option('--port <port>', 'listen port (env PORT, default 8080)')
    .option('--host <host>', 'listen address (env HOST, default 127.0.0.1)')
    .option('--public-url <url>', 'URL clients use to reach this server (env PUBLIC_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL)')
    .action(async (options: ServeOptions) => {
      const config = loadConfig(process.env, {
        PORT: options.port,
        HOST: options.host,
        PUBLIC_URL: options.publicUrl,
        LOG_LEVEL: options.logLevel,
        DATABASE_URL: program.opts().databaseUrl,
      })
      const server = await startServer(config)
      server.app.log.info({ url: server.url, scim: `${config.publicUrl}/scim/v2` }, 'roster is listening')
      if ((await listTenants(server.db)).length === 0) {
        server.app.log.info('no tenants yet: create one with `npm run roster -- tenant create acme`')
      }
      const stop = (signal: string) => {
        server.app.log.info({ signal }, 'shutting down')
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        )
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
