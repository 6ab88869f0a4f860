import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Db, ProvisioningJobTable } from '../../store/database.js'
import { refuseWhileCycleRuns } from '../engine/refuse-while-cycle-runs.js'
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

/** What an admin may change of a job: any of its configuration; settings are merged onto the current ones. */
export type JobChanges = Partial<Omit<NewJob, 'tenantId'>>

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

function checkConfig(
  input: Pick<NewJob, 'name' | 'source' | 'targetUrl' | 'targetToken'>,
  mappings: JobMappings,
  scope: JobScope,
): void {
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

/**
 * Changes a job's configuration, validated as `createJob` validates a new one: a bad value throws
 * JobConfigError and nothing is stored. `settings` are merged onto the current settings.
 *
 * Changing the source, the mappings or the scope restarts the job, as saving such changes does in
 * Entra: `needs_initial` is set, so the next cycle is an initial one that compares every object in
 * scope again under the new configuration (the links are kept, so nothing is created twice). The
 * same value saved again is no change. Changing the name, the target URL or token, or the settings does not. Undefined: no such job.
 */
export async function updateJob(
  db: Db,
  id: string,
  changes: JobChanges,
  now = new Date(),
): Promise<ProvisioningJob | undefined> {
  const current = await getJob(db, id)
  if (!current) return undefined
  const next = {
    name: changes.name ?? current.name,
    source: changes.source ?? current.source,
    targetUrl: changes.targetUrl ?? current.targetUrl,
    targetToken: changes.targetToken ?? current.targetToken,
    mappings: changes.mappings ?? current.mappings,
    scope: changes.scope ?? current.scope,
  }
  checkConfig(next, next.mappings, next.scope)
  const given = Object.entries(changes.settings ?? {}).filter(([, value]) => value !== undefined)
  const settings = normalizeSettings({ ...current.settings, ...Object.fromEntries(given) })
  const changed = (field: 'source' | 'mappings' | 'scope') =>
    changes[field] !== undefined && JSON.stringify(changes[field]) !== JSON.stringify(current[field])
  const restart = changed('source') || changed('mappings') || changed('scope')
  const at = now.toISOString()
  // Only the columns asked for: a concurrent change of another field (or of the state) is kept.
  await db
    .updateTable('provisioning_jobs')
    .set({
      ...(changes.name !== undefined ? { name: next.name } : {}),
      ...(changes.source !== undefined ? { source: JSON.stringify(next.source) } : {}),
      ...(changes.targetUrl !== undefined ? { target_url: next.targetUrl } : {}),
      ...(changes.targetToken !== undefined ? { target_token: next.targetToken } : {}),
      ...(changes.mappings !== undefined ? { mappings: JSON.stringify(next.mappings) } : {}),
      ...(changes.scope !== undefined ? { scope: JSON.stringify(next.scope) } : {}),
      ...(changes.settings !== undefined ? { settings: JSON.stringify(settings) } : {}),
      ...(restart ? { needs_initial: 1 } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute()
  return getJob(db, id)
}

/**
 * Deletes a job with its links, cycles and log entries, in one transaction; false if there was no
 * such job. Refused (EngineObjectError ERR_CYCLE_RUNNING) while a cycle of the job runs, here or in another process.
 */
export async function deleteJob(db: Db, id: string): Promise<boolean> {
  await refuseWhileCycleRuns(
    db,
    id,
    'delete the job once it has finished (stop the job first so no other starts)',
  )
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('provisioning_log_entries').where('job_id', '=', id).execute()
    await trx.deleteFrom('provisioning_cycles').where('job_id', '=', id).execute()
    await trx.deleteFrom('provisioning_links').where('job_id', '=', id).execute()
    const deleted = await trx.deleteFrom('provisioning_jobs').where('id', '=', id).executeTakeFirst()
    return Number(deleted.numDeletedRows) > 0
  })
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
/**
 * With `unchangedSince` (the job's updatedAt when a cycle read it), only if the job was not edited
 * meanwhile: an initial cycle that ends must not clear the restart a mid-cycle edit (or Restart)
 * asked for. Asking for an initial cycle is an edit itself, so it bumps updatedAt.
 */
export async function setNeedsInitial(
  db: Db,
  id: string,
  needsInitial: boolean,
  unchangedSince?: string,
): Promise<void> {
  let update = db
    .updateTable('provisioning_jobs')
    .set(needsInitial ? { needs_initial: 1, updated_at: new Date().toISOString() } : { needs_initial: 0 })
    .where('id', '=', id)
  if (unchangedSince !== undefined) update = update.where('updated_at', '=', unchangedSince)
  await update.execute()
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
