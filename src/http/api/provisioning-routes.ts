import type { FastifyInstance } from 'fastify'
import { ConsoleError } from '../../console/console-error.js'
import { cycleProgress } from '../../provisioning/engine/cycle-progress.js'
import { EngineObjectError } from '../../provisioning/engine/describe-failure.js'
import { provisionOnDemand } from '../../provisioning/engine/provision-on-demand.js'
import { runCycle } from '../../provisioning/engine/run-cycle.js'
import { JobConfigError, type ProvisioningJob, SETTING_NAMES } from '../../provisioning/jobs/job-config.js'
import {
  createJob,
  deleteJob,
  getJob,
  type JobChanges,
  type NewJob,
  publicJob,
  setJobState,
  setNeedsInitial,
  updateJob,
} from '../../provisioning/jobs/jobs-repository.js'
import { listCycles } from '../../provisioning/state/cycles-repository.js'
import { deleteAllLinks } from '../../provisioning/state/links-repository.js'
import { logEntriesToCsv } from '../../provisioning/state/log-csv.js'
import {
  type LogAction,
  type LogQuery,
  type LogStatus,
  queryLogEntries,
} from '../../provisioning/state/log-repository.js'
import { testConnection } from '../../provisioning/target/test-connection.js'
import type { Db } from '../../store/database.js'
import type { ApiOptions } from './api-context.js'
import { bodyObject } from './request-input.js'

type IdParams = { Params: { id: string } }

const ACTIONS: readonly LogAction[] = ['create', 'update', 'disable', 'delete', 'skip', 'other']
const STATUSES: readonly LogStatus[] = ['success', 'failure', 'skipped', 'warning']

function invalid(field: string, detail: string): ConsoleError {
  return new ConsoleError('invalidValue', `${field}: ${detail}`, { field })
}

/** The job, if it belongs to the caller's tenant; another tenant's job is "not found". */
async function tenantJob(db: Db, tenantId: string, id: string): Promise<ProvisioningJob> {
  const row = await db
    .selectFrom('provisioning_jobs')
    .select('id')
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst()
  const job = row && (await getJob(db, row.id))
  if (!job) throw new ConsoleError('notFound', `no provisioning job ${id}`)
  return job
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field]
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'a non-empty string is required')
  return value
}

function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const value = body[field]
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalid(field, 'must be an object')
  return value as Record<string, unknown>
}

/** The fields of a job a request body may hold: POST requires the first four, PATCH takes any. */
const JOB_FIELDS = ['name', 'source', 'targetUrl', 'targetToken', 'mappings', 'scope', 'settings'] as const

/**
 * The job fields of a request body, each checked and named when wrong. 'create': the POST body, with
 * its required fields; 'update': the PATCH body, only the fields it holds (none required).
 */
function jobFieldsOf(body: Record<string, unknown>, mode: 'create'): NewJob
function jobFieldsOf(body: Record<string, unknown>, mode: 'update'): JobChanges
function jobFieldsOf(body: Record<string, unknown>, mode: 'create' | 'update'): JobChanges {
  // A misspelt field would otherwise be dropped in silence, and the job saved without it.
  const unknown = Object.keys(body).find((field) => !(JOB_FIELDS as readonly string[]).includes(field))
  if (unknown !== undefined) throw invalid(unknown, `not a field of a job; one of ${JOB_FIELDS.join(', ')}`)
  const wanted = (field: (typeof JOB_FIELDS)[number]) => mode === 'create' || body[field] !== undefined
  const fields: JobChanges = {}
  if (wanted('name')) fields.name = requireString(body, 'name')
  if (wanted('source')) {
    const source = optionalObject(body, 'source')
    if (!source) throw invalid('source', 'required: { "kind": "file", "path": "<.json or .csv file>" }')
    if (source.kind !== 'file') throw invalid('source.kind', 'must be "file"')
    if (typeof source.path !== 'string' || source.path.trim() === '')
      throw invalid('source.path', 'the path of a .json or .csv directory file is required')
    fields.source = { kind: 'file', path: source.path }
  }
  if (wanted('targetUrl')) {
    const targetUrl = requireString(body, 'targetUrl')
    if (!/^https?:\/\//i.test(targetUrl)) throw invalid('targetUrl', 'must start with http:// or https://')
    fields.targetUrl = targetUrl
  }
  if (wanted('targetToken')) fields.targetToken = requireString(body, 'targetToken')
  const mappings = optionalObject(body, 'mappings')
  if (mappings) {
    for (const kind of ['users', 'groups'] as const)
      if (!Array.isArray(mappings[kind])) throw invalid(`mappings.${kind}`, 'must be an array of mappings')
    fields.mappings = mappings as unknown as NewJob['mappings']
  }
  const scope = optionalObject(body, 'scope')
  if (scope && scope.mode !== 'all' && scope.mode !== 'assigned')
    throw invalid('scope.mode', 'must be "all" or "assigned"')
  if (scope && scope.scopingFilters !== undefined && !Array.isArray(scope.scopingFilters))
    throw invalid('scope.scopingFilters', 'must be an array of filters')
  if (scope) fields.scope = scope as unknown as NewJob['scope']
  const settings = optionalObject(body, 'settings')
  if (settings) fields.settings = settings as NewJob['settings']
  return fields
}

/** The field a JobConfigError message is about (the compilers prefix their messages). */
function fieldOfConfigError(message: string): string {
  if (message.startsWith('user mappings')) return 'mappings.users'
  if (message.startsWith('group mappings')) return 'mappings.groups'
  if (message.startsWith('scoping filters')) return 'scope.scopingFilters'
  if (message.startsWith('scope mode')) return 'scope.mode'
  const setting = /^(\w+) must/.exec(message)?.[1]
  if (setting && SETTING_NAMES.has(setting)) return `settings.${setting}`
  if (message.includes('secret token')) return 'targetToken'
  if (message.includes('tenant URL')) return 'targetUrl'
  if (message.includes('source')) return 'source'
  if (message.includes('name')) return 'name'
  return 'settings'
}

function logQueryOf(query: Record<string, string | undefined>): LogQuery {
  const result: LogQuery = {}
  if (query.cycle) result.cycleId = query.cycle
  if (query.object) result.sourceId = query.object
  if (query.action !== undefined) {
    if (!ACTIONS.includes(query.action as LogAction)) throw invalid('action', `one of ${ACTIONS.join(', ')}`)
    result.action = query.action as LogAction
  }
  if (query.status !== undefined) {
    if (!STATUSES.includes(query.status as LogStatus))
      throw invalid('status', `one of ${STATUSES.join(', ')}`)
    result.status = query.status as LogStatus
  }
  for (const field of ['from', 'to'] as const) {
    const value = query[field]
    if (value === undefined) continue
    if (Number.isNaN(Date.parse(value))) throw invalid(field, 'an ISO 8601 time is required')
    result[field] = new Date(value).toISOString()
  }
  if (query.before !== undefined) {
    if (Number.isNaN(Date.parse(query.before))) throw invalid('before', 'an ISO 8601 time is required')
    // Paging: entries strictly older than the last one shown.
    result.to = new Date(Date.parse(query.before) - 1).toISOString()
  }
  if (query.limit !== undefined) {
    const limit = Number(query.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid('limit', 'an integer 1–1000')
    result.limit = limit
  }
  return result
}

/** Provisioning jobs of the caller's tenant (docs/admin-api.md "Provisioning"). */
export async function provisioningRoutes(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { db } = options

  app.get('/provisioning/jobs', { config: { access: 'viewer' } }, async (request) => {
    const rows = await db
      .selectFrom('provisioning_jobs')
      .select('id')
      .where('tenant_id', '=', request.caller.tenant.id)
      .orderBy('created_at')
      .execute()
    const jobs = await Promise.all(rows.map((row) => getJob(db, row.id)))
    return { items: jobs.filter((job) => job !== undefined).map(publicJob) }
  })

  app.post('/provisioning/jobs', { config: { access: 'admin' } }, async (request, reply) => {
    const input = jobFieldsOf(bodyObject(request.body), 'create')
    let job: ProvisioningJob
    try {
      job = await createJob(db, { ...input, tenantId: request.caller.tenant.id })
    } catch (error) {
      if (error instanceof JobConfigError) throw invalid(fieldOfConfigError(error.message), error.message)
      throw error
    }
    return reply.code(201).send(publicJob(job))
  })

  app.get<IdParams>('/provisioning/jobs/:id', { config: { access: 'viewer' } }, async (request) => {
    const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
    const [latestCycle] = await listCycles(db, job.id, 1)
    return { ...publicJob(job), latestCycle: latestCycle ?? null, progress: cycleProgress(job.id) ?? null }
  })

  app.patch<IdParams>('/provisioning/jobs/:id', { config: { access: 'admin' } }, async (request) => {
    const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
    const body = bodyObject(request.body)
    const changes = jobFieldsOf(body, 'update')
    let updated: ProvisioningJob | undefined
    try {
      updated = await updateJob(db, job.id, changes)
    } catch (error) {
      if (error instanceof JobConfigError) throw invalid(fieldOfConfigError(error.message), error.message)
      throw error
    }
    if (!updated) throw new ConsoleError('notFound', `no provisioning job ${job.id}`)
    return publicJob(updated)
  })

  app.delete<IdParams>('/provisioning/jobs/:id', { config: { access: 'admin' } }, async (request, reply) => {
    const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
    let existed: boolean
    try {
      existed = await deleteJob(db, job.id)
    } catch (error) {
      if (error instanceof EngineObjectError && error.code === 'ERR_CYCLE_RUNNING')
        throw new ConsoleError('conflict', error.message)
      throw error
    }
    if (!existed) throw new ConsoleError('notFound', `no provisioning job ${job.id}`)
    return reply.code(204).send()
  })

  app.post<IdParams>('/provisioning/jobs/:id/test', { config: { access: 'admin' } }, async (request) => {
    const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
    return testConnection({ tenantUrl: job.targetUrl, secretToken: job.targetToken, checkGroups: true })
  })

  for (const [name, state] of [
    ['start', 'on'],
    ['stop', 'off'],
  ] as const) {
    app.post<IdParams>(`/provisioning/jobs/:id/${name}`, { config: { access: 'admin' } }, async (request) => {
      const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
      await setJobState(db, job.id, state)
      return publicJob((await getJob(db, job.id)) ?? job)
    })
  }

  for (const [name, forgetLinks] of [
    ['restart', false],
    ['reset', true],
  ] as const) {
    app.post<IdParams>(`/provisioning/jobs/:id/${name}`, { config: { access: 'admin' } }, async (request) => {
      const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
      if (forgetLinks) await deleteAllLinks(db, job.id)
      await setNeedsInitial(db, job.id, true)
      return publicJob((await getJob(db, job.id)) ?? job)
    })
  }

  app.post<IdParams>(
    '/provisioning/jobs/:id/sync-now',
    { config: { access: 'admin' } },
    async (request, reply) => {
      const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
      const before = cycleProgress(job.id)?.cycleId
      let failure: unknown
      const cycle = runCycle(db, job.id, { trigger: 'manual' }).catch((error: unknown) => {
        failure = error
        request.log.warn({ job: job.id, err: error }, 'provisioning cycle could not run')
      })
      void cycle
      // The cycle registers its progress as soon as it starts; answer with its id.
      for (let waited = 0; waited < 5000; waited += 10) {
        if (failure) {
          const message = failure instanceof Error ? failure.message : String(failure)
          throw new ConsoleError('conflict', message)
        }
        const progress = cycleProgress(job.id)
        if (progress && progress.cycleId !== before)
          return reply.code(202).send({ cycleId: progress.cycleId })
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      const [latest] = await listCycles(db, job.id, 1)
      return reply.code(202).send({ cycleId: latest?.id ?? null })
    },
  )

  app.post<IdParams>(
    '/provisioning/jobs/:id/provision-on-demand',
    { config: { access: 'admin' } },
    async (request) => {
      const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
      const sourceId = requireString(bodyObject(request.body), 'sourceId')
      try {
        const { cycle, entry } = await provisionOnDemand(db, job.id, sourceId)
        return {
          cycleId: cycle.id,
          action: entry.action,
          status: entry.status,
          message: entry.message,
          targetId: entry.targetId,
          steps: entry.steps,
          modified: entry.modified,
          errorCode: entry.errorCode,
        }
      } catch (error) {
        if (error instanceof EngineObjectError && error.code === 'ERR_SOURCE_OBJECT_NOT_FOUND')
          throw invalid('sourceId', error.message)
        if (error instanceof EngineObjectError && error.code === 'ERR_CYCLE_RUNNING')
          throw new ConsoleError('conflict', error.message)
        throw error
      }
    },
  )

  app.get<IdParams>('/provisioning/jobs/:id/cycles', { config: { access: 'viewer' } }, async (request) => {
    const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
    return { items: await listCycles(db, job.id) }
  })

  app.get<IdParams>('/provisioning/jobs/:id/progress', { config: { access: 'viewer' } }, async (request) => {
    const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
    const [latestCycle] = await listCycles(db, job.id, 1)
    return { progress: cycleProgress(job.id) ?? null, latestCycle: latestCycle ?? null }
  })

  app.get<IdParams & { Querystring: Record<string, string | undefined> }>(
    '/provisioning/jobs/:id/logs',
    { config: { access: 'viewer' } },
    async (request) => {
      const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
      return { items: await queryLogEntries(db, job.id, logQueryOf(request.query)) }
    },
  )

  app.get<IdParams & { Querystring: Record<string, string | undefined> }>(
    '/provisioning/jobs/:id/logs.json',
    { config: { access: 'viewer' } },
    async (request, reply) => {
      const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
      const entries = await queryLogEntries(db, job.id, logQueryOf(request.query))
      reply.header('content-disposition', `attachment; filename="provisioning-${job.id}.json"`)
      return entries
    },
  )

  app.get<IdParams & { Querystring: Record<string, string | undefined> }>(
    '/provisioning/jobs/:id/logs.csv',
    { config: { access: 'viewer' } },
    async (request, reply) => {
      const job = await tenantJob(db, request.caller.tenant.id, request.params.id)
      const entries = await queryLogEntries(db, job.id, logQueryOf(request.query))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="provisioning-${job.id}.csv"`)
        .send(logEntriesToCsv(entries))
    },
  )
}
