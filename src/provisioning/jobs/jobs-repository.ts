import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Db, ProvisioningJobTable } from '../../store/database.js'
import { compileMappings } from '../mapping/compile-mappings.js'
import { compileScoping } from '../scoping/compile-scoping.js'
import {
  DEFAULT_MAPPINGS,
  JobConfigError,
  type JobMappings,
  type JobScope,
  type JobSettings,
  type JobSource,
  type JobState,
  normalizeSettings,
  type ProvisioningJob,
  tokenHint,
} from './job-config.js'

export interface NewJob {
  name: string
  source: JobSource
  targetUrl: string
  targetToken: string
  mappings?: JobMappings
  scope?: JobScope
  settings?: Partial<JobSettings>
  /** The console tenant whose admins manage the job through the admin API; none: CLI only. */
  tenantId?: string
}

/** A job as it may be shown: the token reduced to a hint. */
export type PublicJob = Omit<ProvisioningJob, 'targetToken'> & { targetTokenHint: string }

/** Validates everything a cycle would trip over, then stores the job Off (it starts when switched On). */
export async function createJob(db: Db, input: NewJob, now = new Date()): Promise<ProvisioningJob> {
  const mappings = input.mappings ?? DEFAULT_MAPPINGS
  const scope: JobScope = input.scope ?? { mode: 'all' }
  checkConfig(input, mappings, scope)
  const at = now.toISOString()
  const job: ProvisioningJob = {
    id: randomUUID(),
    name: input.name,
    source: input.source,
    targetUrl: input.targetUrl,
    targetToken: input.targetToken,
    mappings,
    scope,
    settings: normalizeSettings(input.settings),
    state: 'off',
    createdAt: at,
    updatedAt: at,
    needsInitial: true,
    watermark: null,
  }
  await db
    .insertInto('provisioning_jobs')
    .values({
      id: job.id,
      name: job.name,
      source: JSON.stringify(job.source),
      target_url: job.targetUrl,
      target_token: job.targetToken,
      mappings: JSON.stringify(job.mappings),
      scope: JSON.stringify(job.scope),
      settings: JSON.stringify(job.settings),
      state: job.state,
      created_at: at,
      updated_at: at,
      needs_initial: 1,
      watermark: null,
      tenant_id: input.tenantId ?? null,
    })
    .execute()
  return job
}

function checkConfig(input: NewJob, mappings: JobMappings, scope: JobScope): void {
  if (input.name.trim() === '') throw new JobConfigError('a job needs a name')
  if (input.source.kind !== 'file' || input.source.path.trim() === '')
    throw new JobConfigError(
      'the source must be { kind: "file", path } with the path of a .json or .csv file',
    )
  if (!/^https?:\/\//i.test(input.targetUrl))
    throw new JobConfigError(`the tenant URL must start with http:// or https://; got "${input.targetUrl}"`)
  if (input.targetToken.trim() === '') throw new JobConfigError('the secret token is empty')
  for (const [kind, list] of [
    ['user', mappings.users],
    ['group', mappings.groups],
  ] as const) {
    const compiled = compileMappings(list)
    if (!compiled.ok)
      throw new JobConfigError(
        `${kind} mappings: ${compiled.errors.map((error) => error.message).join('; ')}`,
      )
  }
  if (scope.mode !== 'all' && scope.mode !== 'assigned')
    throw new JobConfigError(`scope mode must be "all" or "assigned"; got "${scope.mode}"`)
  const scoping = compileScoping(scope.scopingFilters ?? [])
  if (!scoping.ok)
    throw new JobConfigError(`scoping filters: ${scoping.errors.map((error) => error.message).join('; ')}`)
}

export async function getJob(db: Db, id: string): Promise<ProvisioningJob | undefined> {
  const row = await db.selectFrom('provisioning_jobs').selectAll().where('id', '=', id).executeTakeFirst()
  return row && jobOf(row)
}

export async function listJobs(db: Db): Promise<ProvisioningJob[]> {
  const rows = await db.selectFrom('provisioning_jobs').selectAll().orderBy('created_at').execute()
  return rows.map(jobOf)
}

export async function setJobState(db: Db, id: string, state: JobState, now = new Date()): Promise<void> {
  await db
    .updateTable('provisioning_jobs')
    .set({ state, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

/** After an initial cycle (false) or on Restart (true: the next cycle compares every object again). */
export async function setNeedsInitial(db: Db, id: string, needsInitial: boolean): Promise<void> {
  await db
    .updateTable('provisioning_jobs')
    .set({ needs_initial: needsInitial ? 1 : 0 })
    .where('id', '=', id)
    .execute()
}

export function publicJob(job: ProvisioningJob): PublicJob {
  const { targetToken, ...rest } = job
  return { ...rest, targetTokenHint: tokenHint(targetToken) }
}

function jobOf(row: Selectable<ProvisioningJobTable>): ProvisioningJob {
  return {
    id: row.id,
    name: row.name,
    source: JSON.parse(row.source) as JobSource,
    targetUrl: row.target_url,
    targetToken: row.target_token,
    mappings: JSON.parse(row.mappings) as JobMappings,
    scope: JSON.parse(row.scope) as JobScope,
    settings: normalizeSettings(JSON.parse(row.settings) as Partial<JobSettings>),
    state: row.state === 'on' ? 'on' : 'off',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    needsInitial: Number(row.needs_initial) === 1,
    watermark: row.watermark,
  }
}
