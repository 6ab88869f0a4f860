import type { Command } from 'commander'
import { EngineObjectError } from '../provisioning/engine/describe-failure.js'
import { runCycle } from '../provisioning/engine/run-cycle.js'
import {
  type DeprovisionPolicy,
  JobConfigError,
  type ProvisioningJob,
} from '../provisioning/jobs/job-config.js'
import {
  createJob,
  getJob,
  listJobs,
  publicJob,
  setJobState,
  setNeedsInitial,
} from '../provisioning/jobs/jobs-repository.js'
import { listCycles } from '../provisioning/state/cycles-repository.js'
import { deleteAllLinks } from '../provisioning/state/links-repository.js'
import { logEntriesToCsv } from '../provisioning/state/log-csv.js'
import {
  type LogAction,
  type LogQuery,
  type LogStatus,
  queryLogEntries,
} from '../provisioning/state/log-repository.js'
import { testConnection } from '../provisioning/target/test-connection.js'
import type { Db } from '../store/database.js'
import { withDatabase } from './database.js'
import { printJson, printTable } from './output.js'
import { ProgressBar } from './progress-bar.js'

const ACTIONS: readonly LogAction[] = ['create', 'update', 'disable', 'delete', 'skip', 'other']
const STATUSES: readonly LogStatus[] = ['success', 'failure', 'skipped', 'warning']

/** `roster provision job create|list|show|test|start|stop|restart|sync-now|logs`. */
export function provisionCommands(program: Command): void {
  const job = program
    .command('provision')
    .description('the provisioning service: jobs that provision a source directory into a SCIM app')
    .command('job')
    .description('manage provisioning jobs')
  const database = <T>(work: (db: Db) => Promise<T>) => withDatabase(program.opts().databaseUrl, work)

  job
    .command('create')
    .description('create a job (Off); the secret token comes from --token-env (default ROSTER_TARGET_TOKEN)')
    .requiredOption('--name <name>', 'job name')
    .requiredOption('--source <path>', 'directory file (.json or .csv)')
    .requiredOption('--target-url <url>', "the app's SCIM tenant URL")
    .option('--token-env <name>', 'environment variable holding the secret token', 'ROSTER_TARGET_TOKEN')
    .option('--scope <mode>', '"all" or "assigned"', 'all')
    .option('--group <id...>', 'assigned group ids (scope "assigned")')
    .option('--interval <minutes>', 'minutes between incremental cycles (at least 1)', '40')
    .option('--deprovision <policy>', '"delete" (Entra), "disable" (never delete) or "none"', 'delete')
    .option('--deletion-threshold <n>', 'stage a cycle that would disable/delete more than this', '500')
    .option('--rate-limit <n>', 'requests per second toward the target (ceiling)', '25')
    .option('--notification-email <address>', 'who is told about quarantine')
    .option('--json', 'print JSON')
    .action(
      cli(async (options: Record<string, string | string[] | boolean | undefined>) => {
        const token = process.env[String(options['tokenEnv'])]
        if (!token)
          throw new JobConfigError(`set the secret token in the environment variable ${options['tokenEnv']}`)
        const created = await database((db) =>
          createJob(db, {
            name: String(options['name']),
            source: { kind: 'file', path: String(options['source']) },
            targetUrl: String(options['targetUrl']),
            targetToken: token,
            scope: {
              mode: options['scope'] === 'assigned' ? 'assigned' : 'all',
              groupIds: (options['group'] as string[] | undefined) ?? [],
            },
            settings: {
              intervalMinutes: Number(options['interval']),
              deprovision: String(options['deprovision']) as DeprovisionPolicy,
              deletionThreshold: Number(options['deletionThreshold']),
              rateLimitPerSecond: Number(options['rateLimit']),
              ...(options['notificationEmail']
                ? { notificationEmail: String(options['notificationEmail']) }
                : {}),
            },
          }),
        )
        if (options['json']) printJson(publicJob(created))
        else
          process.stdout.write(
            `job ${created.id} created (Off). Test it with: roster provision job test ${created.id}\n`,
          )
      }),
    )

  job
    .command('list')
    .option('--json', 'print JSON')
    .action(
      cli(async (options: { json?: boolean }) => {
        const jobs = (await database(listJobs)).map(publicJob)
        if (options.json) return printJson(jobs)
        printTable(
          jobs.map((one) => ({
            id: one.id,
            name: one.name,
            state: one.state,
            target: one.targetUrl,
            token: one.targetTokenHint,
          })),
          ['id', 'name', 'state', 'target', 'token'],
        )
      }),
    )

  job
    .command('show <id>')
    .option('--json', 'print JSON')
    .action(
      cli(async (id: string, options: { json?: boolean }) => {
        const { found, cycles } = await database(async (db) => {
          const found = await requireJob(db, id)
          return { found, cycles: await listCycles(db, id, 10) }
        })
        if (options.json) return printJson({ job: publicJob(found), cycles })
        const shown = publicJob(found)
        process.stdout.write(
          `${shown.name} (${shown.id}) — ${shown.state}\n  source  ${shown.source.path}\n  target  ${shown.targetUrl} (token ${shown.targetTokenHint})\n` +
            `  scope   ${shown.scope.mode}\n  every   ${shown.settings.intervalMinutes} min, deprovision ${shown.settings.deprovision}, deletion threshold ${shown.settings.deletionThreshold}\n\n`,
        )
        printTable(
          cycles.map((cycle) => ({ ...cycle, ...cycle.counts, counts: undefined })),
          [
            'startedAt',
            'kind',
            'status',
            'processed',
            'inScope',
            'create',
            'update',
            'disable',
            'delete',
            'failure',
            'message',
          ],
        )
      }),
    )

  job
    .command('test <id>')
    .description("Test Connection: a filter query for a random userName, as Entra's")
    .option('--json', 'print JSON')
    .action(
      cli(async (id: string, options: { json?: boolean }) => {
        const found = await database((db) => requireJob(db, id))
        const result = await testConnection({
          tenantUrl: found.targetUrl,
          secretToken: found.targetToken,
          checkGroups: true,
        })
        if (options.json) printJson(result)
        else if (result.ok)
          process.stdout.write(
            `connection OK${result.warnings.map((warning) => `\n  warning: ${warning}`).join('')}\n`,
          )
        else
          process.stdout.write(
            `connection failed (${result.reason}): ${result.message}\n  → ${result.recommendedAction}\n`,
          )
        if (!result.ok) process.exitCode = 1
      }),
    )

  for (const [name, state] of [
    ['start', 'on'],
    ['stop', 'off'],
  ] as const) {
    job
      .command(`${name} <id>`)
      .description(state === 'on' ? 'switch the job On' : 'switch the job Off (a running cycle finishes)')
      .action(
        cli(async (id: string) => {
          await database(async (db) => {
            await requireJob(db, id)
            await setJobState(db, id, state)
          })
          process.stdout.write(`job ${id} is ${state === 'on' ? 'On' : 'Off'}\n`)
        }),
      )
  }

  job
    .command('restart <id>')
    .description('the next cycle is an initial one (links kept); --reset also forgets the links')
    .option('--reset', 'forget every source↔target link: the next cycle matches all accounts again')
    .action(
      cli(async (id: string, options: { reset?: boolean }) => {
        await database(async (db) => {
          await requireJob(db, id)
          if (options.reset) await deleteAllLinks(db, id)
          await setNeedsInitial(db, id, true)
        })
        process.stdout.write(
          `job ${id}: the next cycle is an initial cycle${options.reset ? ' (links forgotten)' : ''}\n`,
        )
      }),
    )

  job
    .command('sync-now <id>')
    .description('run a cycle now and show its progress')
    .option('--allow-deletes', 'carry out disables and deletes beyond the deletion threshold')
    .option('--json', 'print the finished cycle as JSON')
    .action(
      cli(async (id: string, options: { allowDeletes?: boolean; json?: boolean }) => {
        const bar = new ProgressBar()
        const result = await database(async (db) => {
          await requireJob(db, id)
          return runCycle(db, id, {
            trigger: 'manual',
            allowDeletes: options.allowDeletes ?? false,
            onProgress: (progress) => bar.update(progress),
          })
        })
        bar.end()
        if (options.json) return printJson(result)
        const { cycle } = result
        const counts = Object.entries(cycle.counts)
          .map(([action, count]) => `${action} ${count}`)
          .join(', ')
        process.stdout.write(
          `${cycle.kind} cycle ${cycle.id}: ${cycle.status} — ${cycle.processed} processed (${counts})\n`,
        )
        if (cycle.message) process.stdout.write(`  ${cycle.message}\n`)
        if (cycle.status !== 'succeeded') process.exitCode = 1
      }),
    )

  job
    .command('logs <id>')
    .description('provisioning log entries, newest first')
    .option('--cycle <id>', 'only this cycle')
    .option('--object <sourceId>', 'only this source object')
    .option('--action <action>', ACTIONS.join(' | '))
    .option('--status <status>', STATUSES.join(' | '))
    .option('--since <iso>', 'entries at or after this time')
    .option('--limit <n>', 'how many', '100')
    .option('--format <format>', 'table | json | csv', 'table')
    .action(
      cli(async (id: string, options: Record<string, string | undefined>) => {
        const query: LogQuery = { limit: Number.parseInt(options['limit'] ?? '100', 10) }
        if (!Number.isInteger(query.limit) || query.limit! < 1)
          throw new JobConfigError('--limit must be a positive integer')
        if (options['cycle']) query.cycleId = options['cycle']
        if (options['object']) query.sourceId = options['object']
        if (options['since']) query.from = options['since']
        if (options['action']) query.action = oneOf(ACTIONS, options['action'], '--action')
        if (options['status']) query.status = oneOf(STATUSES, options['status'], '--status')
        const entries = await database(async (db) => {
          await requireJob(db, id)
          return queryLogEntries(db, id, query)
        })
        if (options['format'] === 'json') return printJson(entries)
        if (options['format'] === 'csv') return void process.stdout.write(logEntriesToCsv(entries))
        printTable(
          entries.map((entry) => ({
            ...entry,
            object: `${entry.objectType} ${entry.displayName ?? entry.sourceId}`,
          })),
          ['at', 'object', 'action', 'status', 'targetId', 'message'],
        )
      }),
    )
}

async function requireJob(db: Db, id: string): Promise<ProvisioningJob> {
  const found = await getJob(db, id)
  if (!found) throw new JobConfigError(`no provisioning job ${id}; see roster provision job list`)
  return found
}

function oneOf<T extends string>(allowed: readonly T[], value: string, option: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new JobConfigError(`${option} must be one of ${allowed.join(', ')}`)
  return value as T
}

/** Mistakes at the keyboard get one line on stderr and exit code 2, like the rest of the CLI. */
// biome-ignore lint/suspicious/noExplicitAny: commander passes positional arguments and options
function cli<A extends any[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args)
    } catch (error) {
      if (!(error instanceof JobConfigError || error instanceof EngineObjectError)) throw error
      process.stderr.write(`roster: ${error.message}\n`)
      process.exitCode = 2
    }
  }
}
