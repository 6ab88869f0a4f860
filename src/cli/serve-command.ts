import type { Command } from 'commander'
import { type Config, loadConfig } from '../config.js'
import { issueOwnerSetupUrl } from '../console/setup-links.js'
import { createTenant, TenantError } from '../directory/tenants.js'
import { createDemoJob } from '../provisioning/demo/demo-job.js'
import { EngineObjectError } from '../provisioning/engine/describe-failure.js'
import { JobScheduler } from '../provisioning/engine/job-scheduler.js'
import { type RunningServer, startServer } from '../server.js'
import { listTenants } from '../store/tenants-repository.js'

/**
 * A fresh database gets tenant `demo`, so `npm start` leads straight to the console: the owner's
 * setup link goes to the log and to stderr (a person is watching the terminal).
 */
async function createDemoTenant(server: RunningServer, config: Config): Promise<void> {
  let tenantId: string
  try {
    tenantId = (await createTenant(server.db, { slug: 'demo', name: 'Demo Company' })).id
  } catch (error) {
    // Another node starting on the same empty database made it first.
    if (error instanceof TenantError) return
    throw error
  }
  const publicUrl = config.publicUrlExplicit ? config.publicUrl : server.url
  const { setupUrl } = await issueOwnerSetupUrl(server.db, tenantId, publicUrl, config.setupLinkDays)
  server.app.log.info(
    { tenant: 'demo', setupUrl },
    'created tenant demo: open the setup link to create its owner',
  )
  process.stderr.write(
    `\nRoster created the tenant "demo" (Demo Company). Create its console owner here (one use):\n\n  ${setupUrl}\n\n`,
  )
  const job = await createDemoJob(server.db, tenantId, `${server.url}/scim/v2`)
  server.app.log.info(
    { job: job.id },
    'created the demo provisioning job (Off): `roster provision job start <job>` provisions the sample directory into tenant demo',
  )
}

interface ServeOptions {
  port?: string
  host?: string
  publicUrl?: string
  logLevel?: string
  /** false with --no-migrate. */
  migrate: boolean
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HR app (SCIM 2.0 at /scim/v2) on the configured database')
    .option('--port <port>', 'listen port (env PORT, default 8080)')
    .option('--host <host>', 'listen address (env HOST, default 127.0.0.1)')
    .option('--public-url <url>', 'URL clients use to reach this server (env PUBLIC_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL)')
    .option(
      '--no-migrate',
      'do not apply pending migrations; refuse to start until `roster migrate` ran (env AUTO_MIGRATE=false)',
    )
    .action(async (options: ServeOptions) => {
      const config = loadConfig(process.env, {
        PORT: options.port,
        HOST: options.host,
        PUBLIC_URL: options.publicUrl,
        LOG_LEVEL: options.logLevel,
        DATABASE_URL: program.opts().databaseUrl,
        AUTO_MIGRATE: options.migrate ? undefined : 'false',
      })
      const server = await startServer(config)
      server.app.log.info({ url: server.url, scim: `${config.publicUrl}/scim/v2` }, 'roster is listening')
      // The provisioning service runs beside the HR app: jobs that are On run on their interval.
      const scheduler = new JobScheduler(server.db, {
        onCycle: (job, outcome) =>
          !('error' in outcome)
            ? server.app.log.info({ job, cycle: outcome.cycle }, 'provisioning cycle ended')
            : // Another instance holds the job's lease: expected with several instances, not a warning.
              outcome.error instanceof EngineObjectError && outcome.error.code === 'ERR_CYCLE_RUNNING'
              ? server.app.log.debug({ job, err: outcome.error }, 'provisioning cycle running elsewhere')
              : server.app.log.warn({ job, err: outcome.error }, 'provisioning cycle could not run'),
      })
      let stopping = false
      const stop = (signal: NodeJS.Signals) => {
        stopping = true
        // A second signal means "now": the operator does not want to wait for the drain.
        process.once('SIGINT', () => process.exit(130))
        process.once('SIGTERM', () => process.exit(143))
        server.app.log.info(
          { signal, timeoutMs: config.shutdownTimeoutMs },
          'shutting down: draining requests',
        )
        // Running cycles finish (as Entra's "stop" does) within the shutdown timeout.
        const cycles = Promise.race([
          scheduler.stop(),
          new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
        ])
        cycles
          .then(() => server.close())
          .then(
            () => {
              server.app.log.info('shut down')
              process.exit(0)
            },
            (error: unknown) => {
              server.app.log.error({ err: error }, 'shutdown failed')
              process.exit(1)
            },
          )
      }
      // Before anything else may take time: a signal must always find its handler.
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      try {
        if ((await listTenants(server.db)).length === 0) await createDemoTenant(server, config)
      } catch (error) {
        // A convenience of the first start: never a reason to stop a server that is serving.
        if (!stopping) server.app.log.warn({ err: error }, 'could not create the demo tenant')
      }
      if (!stopping) scheduler.start()
    })
}
