import type { Command } from 'commander'
import { EngineObjectError } from '../provisioning/engine/describe-failure.js'
import { runCycle } from '../provisioning/engine/run-cycle.js'
import {
  type DeprovisionPolicy,
  JobConfigError,
  type JobSettings,
  type ProvisioningJob,
} from '../provisioning/jobs/job-config.js'
import {
  createJob,
  deleteJob,
  getJob,
  type JobChanges,
  listJobs,
  publicJob,
  setJobState,
  setNeedsInitial,
  updateJob,
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

const DELETE_AFTER_DAYS_HELP =
  'policy "delete": disable a user gone from the source, and DELETE it once gone this many days'

const ACTIONS: readonly LogAction[] = ['create', 'update', 'disable', 'delete', 'skip', 'other']
const STATUSES: readonly LogStatus[] = ['success', 'failure', 'skipped', 'warning']

/** `roster provision job create|update|delete|list|show|test|start|stop|restart|sync-now|logs`. */
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
    .option('--delete-after-days <n>', DELETE_AFTER_DAYS_HELP)
    .option('--rate-limit <n>', 'requests per second toward the target (ceiling)', '25')
    .option('--notification-email <address>', 'who is told about quarantine')
    .option('--json', 'print JSON')
    .action(
      cli(async (options: Record<string, string | string[] | boolean | undefined>) => {
        const token = tokenFrom(String(options['tokenEnv']))
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
              ...(options['deleteAfterDays'] !== undefined
                ? { deleteAfterDays: Number(options['deleteAfterDays']) }
                : {}),
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
    .command('update <id>')
    .description(
      'change a job (only the options given); a new source or scope makes the next cycle an initial one',
    )
    .option('--name <name>', 'job name')
    .option('--source <path>', 'directory file (.json or .csv)')
    .option('--target-url <url>', "the app's SCIM tenant URL")
    .option('--token-env <name>', 'environment variable holding a new secret token')
    .option('--scope <mode>', '"all" or "assigned"')
    .option('--group <id...>', 'assigned group ids (scope "assigned"), replacing the current ones')
    .option('--interval <minutes>', 'minutes between incremental cycles (at least 1)')
    .option('--deprovision <policy>', '"delete" (Entra), "disable" (never delete) or "none"')
    .option('--deletion-threshold <n>', 'stage a cycle that would disable/delete more than this')
    .option('--delete-after-days <n>', `${DELETE_AFTER_DAYS_HELP}; 0 removes the grace period`)
    .option('--rate-limit <n>', 'requests per second toward the target (ceiling)')
    .option('--notification-email <address>', 'who is told about quarantine')
    .option('--json', 'print JSON')
    .action(
      cli(async (id: string, options: UpdateOptions) => {
        const { before, updated } = await database(async (db) => {
          const before = await requireJob(db, id)
          const changes = changesOf(options, before)
          if (Object.keys(changes).length === 0)
            throw new JobConfigError('nothing to change; see roster provision job update --help')
          return { before, updated: await updateJob(db, id, changes) }
        })
        if (!updated) throw new JobConfigError(`no provisioning job ${id}; see roster provision job list`)
        if (options.json) return printJson(publicJob(updated))
        const restarted = updated.needsInitial && !before.needsInitial
        process.stdout.write(
          `job ${id} updated${restarted ? '; the next cycle is an initial cycle (links kept)' : ''}\n`,
        )
      }),
    )

  job
    .command('delete <id>')
    .description(
      'delete a job with its links, cycles and logs; the accounts it provisioned stay in the target',
    )
    .option('--yes', 'confirm: the job, its links, cycles and logs are gone for good')
    .option('--json', 'print JSON')
    .action(
      cli(async (id: string, options: { yes?: boolean; json?: boolean }) => {
        const deleted = await database(async (db) => {
          const found = await requireJob(db, id)
          if (!options.yes)
            throw new JobConfigError(
              `deleting job ${id} (${found.name}) removes it with its links, cycles and logs for good ` +
                '(the accounts it provisioned stay in the target); run it again with --yes to confirm',
            )
          return deleteJob(db, id)
        })
        if (!deleted) throw new JobConfigError(`no provisioning job ${id}; see roster provision job list`)
        if (options.json) return printJson({ id, deleted: true })
        process.stdout.write(`job ${id} deleted\n`)
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
            `  scope   ${shown.scope.mode}\n  every   ${shown.settings.intervalMinutes} min, deprovision ${shown.settings.deprovision}${graceOf(shown.settings)}, deletion threshold ${shown.settings.deletionThreshold}\n\n`,
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

interface UpdateOptions {
  name?: string
  source?: string
  targetUrl?: string
  tokenEnv?: string
  scope?: string
  group?: string[]
  interval?: string
  deprovision?: string
  deletionThreshold?: string
  deleteAfterDays?: string
  rateLimit?: string
  notificationEmail?: string
  json?: boolean
}

/** What `job update`'s options change: only the options given; --scope and --group edit the current scope. */
function changesOf(options: UpdateOptions, current: ProvisioningJob): JobChanges {
  const changes: JobChanges = {}
  if (options.name !== undefined) changes.name = options.name
  if (options.source !== undefined) changes.source = { kind: 'file', path: options.source }
  if (options.targetUrl !== undefined) changes.targetUrl = options.targetUrl
  if (options.tokenEnv !== undefined) changes.targetToken = tokenFrom(options.tokenEnv)
  if (options.scope !== undefined || options.group !== undefined) {
    changes.scope = { ...current.scope }
    if (options.scope !== undefined) changes.scope.mode = oneOf(['all', 'assigned'], options.scope, '--scope')
    if (options.group !== undefined) changes.scope.groupIds = options.group
  }
  const settings: Partial<JobSettings> = {}
  if (options.interval !== undefined) settings.intervalMinutes = Number(options.interval)
  if (options.deprovision !== undefined) settings.deprovision = options.deprovision as DeprovisionPolicy
  if (options.deletionThreshold !== undefined) settings.deletionThreshold = Number(options.deletionThreshold)
  if (options.deleteAfterDays !== undefined) settings.deleteAfterDays = Number(options.deleteAfterDays)
  if (options.rateLimit !== undefined) settings.rateLimitPerSecond = Number(options.rateLimit)
  if (options.notificationEmail !== undefined) settings.notificationEmail = options.notificationEmail
  if (Object.keys(settings).length > 0) changes.settings = settings
  return changes
}

/** " (users: disabled, deleted after 30 days)" when a grace period applies; nothing otherwise. */
function graceOf(settings: JobSettings): string {
  const days = settings.deleteAfterDays
  return settings.deprovision === 'delete' && days ? ` (users: disabled, deleted after ${days} days)` : ''
}

/** The secret token from an environment variable: never from the command line (shell history, ps). */
function tokenFrom(variable: string): string {
  const token = process.env[variable]
  if (!token) throw new JobConfigError(`set the secret token in the environment variable ${variable}`)
  return token
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
