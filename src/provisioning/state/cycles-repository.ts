import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Db, ProvisioningCycleTable } from '../../store/database.js'

export type CycleKind = 'initial' | 'incremental' | 'on-demand'
export type CycleStatus = 'running' | 'succeeded' | 'failed' | 'quarantined'

/** Objects per action in one cycle, and the failures among them. */
export interface CycleCounts {
  create: number
  update: number
  disable: number
  delete: number
  skip: number
  other: number
  failure: number
}

export const emptyCounts = (): CycleCounts => ({
  create: 0,
  update: 0,
  disable: 0,
  delete: 0,
  skip: 0,
  other: 0,
  failure: 0,
})

export interface Cycle {
  id: string
  jobId: string
  kind: CycleKind
  startedAt: string
  finishedAt: string | null
  status: CycleStatus
  counts: CycleCounts
  inScope: number
  processed: number
  message: string | null
}

export async function startCycle(db: Db, jobId: string, kind: CycleKind, now = new Date()): Promise<Cycle> {
  const cycle: Cycle = {
    id: randomUUID(),
    jobId,
    kind,
    startedAt: now.toISOString(),
    finishedAt: null,
    status: 'running',
    counts: emptyCounts(),
    inScope: 0,
    processed: 0,
    message: null,
  }
  await db
    .insertInto('provisioning_cycles')
    .values({
      id: cycle.id,
      job_id: jobId,
      kind,
      started_at: cycle.startedAt,
      finished_at: null,
      status: 'running',
      counts: JSON.stringify(cycle.counts),
      in_scope: 0,
      processed: 0,
      message: null,
    })
    .execute()
  return cycle
}

/** Progress as it goes (so another process — the CLI, the API — can read it) and the final state. */
export async function saveCycle(db: Db, cycle: Cycle): Promise<void> {
  await db
    .updateTable('provisioning_cycles')
    .set({
      finished_at: cycle.finishedAt,
      status: cycle.status,
      counts: JSON.stringify(cycle.counts),
      in_scope: cycle.inScope,
      processed: cycle.processed,
      message: cycle.message,
    })
    .where('id', '=', cycle.id)
    .execute()
}

/**
 * Cycles left 'running' by a service that stopped (a crash, a kill): marked failed so they are not
 * mistaken for live ones. Their work is not lost: links were saved per object, so the next cycle
 * picks up exactly the objects that were not finished.
 */
export async function failInterruptedCycles(db: Db, jobId: string, now = new Date()): Promise<number> {
  const result = await db
    .updateTable('provisioning_cycles')
    .set({
      status: 'failed',
      finished_at: now.toISOString(),
      message:
        'interrupted: the service stopped during this cycle; the next cycle resumes the objects it had not finished',
    })
    .where('job_id', '=', jobId)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function listCycles(db: Db, jobId: string, limit = 20): Promise<Cycle[]> {
  const rows = await db
    .selectFrom('provisioning_cycles')
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map(cycleOf)
}

function cycleOf(row: Selectable<ProvisioningCycleTable>): Cycle {
  return {
    id: row.id,
    jobId: row.job_id,
    kind: row.kind as CycleKind,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status as CycleStatus,
    counts: JSON.parse(row.counts) as CycleCounts,
    inScope: Number(row.in_scope),
    processed: Number(row.processed),
    message: row.message,
  }
}
