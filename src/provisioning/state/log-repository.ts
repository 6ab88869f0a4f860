import type { Selectable } from 'kysely'
import type { Db, ProvisioningLogEntryTable } from '../../store/database.js'
import type { ObjectType } from './links-repository.js'

export type LogAction = 'create' | 'update' | 'disable' | 'delete' | 'skip' | 'other'
export type LogStatus = 'success' | 'failure' | 'skipped' | 'warning'
export type StepName = 'import' | 'scoping' | 'matching' | 'action' | 'referenceResolution'

export interface LogStep {
  name: StepName
  status: 'success' | 'failure' | 'skipped' | 'warning'
  description: string
}

export interface ModifiedProperty {
  name: string
  old: unknown
  new: unknown
}

/** One object in one cycle (Entra's provisioningObjectSummary, entra-scim.md §10.11). */
export interface LogEntry {
  id?: number
  jobId: string
  cycleId: string
  at: string
  objectType: ObjectType
  sourceId: string
  displayName: string | null
  targetId: string | null
  action: LogAction
  status: LogStatus
  steps: LogStep[]
  modified: ModifiedProperty[]
  errorCode: string | null
  message: string
  durationMs: number
}

export async function insertLogEntry(db: Db, entry: LogEntry): Promise<void> {
  await db
    .insertInto('provisioning_log_entries')
    .values({
      job_id: entry.jobId,
      cycle_id: entry.cycleId,
      at: entry.at,
      object_type: entry.objectType,
      source_id: entry.sourceId,
      display_name: entry.displayName,
      target_id: entry.targetId,
      action: entry.action,
      status: entry.status,
      steps: JSON.stringify(entry.steps),
      modified: JSON.stringify(entry.modified),
      error_code: entry.errorCode,
      message: entry.message,
      duration_ms: Math.round(entry.durationMs),
    })
    .execute()
}

export interface LogQuery {
  cycleId?: string
  sourceId?: string
  objectType?: ObjectType
  action?: LogAction
  status?: LogStatus
  /** ISO times, inclusive. */
  from?: string
  to?: string
  /** Newest first, at most this many (default 1000). */
  limit?: number
}

export async function queryLogEntries(db: Db, jobId: string, query: LogQuery = {}): Promise<LogEntry[]> {
  let select = db.selectFrom('provisioning_log_entries').selectAll().where('job_id', '=', jobId)
  if (query.cycleId !== undefined) select = select.where('cycle_id', '=', query.cycleId)
  if (query.sourceId !== undefined) select = select.where('source_id', '=', query.sourceId)
  if (query.objectType !== undefined) select = select.where('object_type', '=', query.objectType)
  if (query.action !== undefined) select = select.where('action', '=', query.action)
  if (query.status !== undefined) select = select.where('status', '=', query.status)
  if (query.from !== undefined) select = select.where('at', '>=', query.from)
  if (query.to !== undefined) select = select.where('at', '<=', query.to)
  const rows = await select
    .orderBy('id', 'desc')
    .limit(query.limit ?? 1000)
    .execute()
  return rows.map(entryOf)
}

function entryOf(row: Selectable<ProvisioningLogEntryTable>): LogEntry {
  return {
    id: Number(row.id),
    jobId: row.job_id,
    cycleId: row.cycle_id,
    at: row.at,
    objectType: row.object_type === 'group' ? 'group' : 'user',
    sourceId: row.source_id,
    displayName: row.display_name,
    targetId: row.target_id,
    action: row.action as LogAction,
    status: row.status as LogStatus,
    steps: JSON.parse(row.steps) as LogStep[],
    modified: JSON.parse(row.modified) as ModifiedProperty[],
    errorCode: row.error_code,
    message: row.message,
    durationMs: Number(row.duration_ms),
  }
}
