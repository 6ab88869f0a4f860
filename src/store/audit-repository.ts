import type { Insertable, Selectable } from 'kysely'
import type { AuditEventTable, Database, Db } from './database.js'
import { preparedStatement } from './prepared-query.js'

export type AuditEventRow = Selectable<AuditEventTable>

const AUDIT_COLUMNS = [
  'tenant_id',
  'at',
  'token_id',
  'request_id',
  'operation',
  'resource_type',
  'resource_id',
  'changes',
] as const satisfies readonly (keyof Insertable<AuditEventTable>)[]

// One row per write: compiled once rather than built per request.
const insertAuditStatement = preparedStatement<Database, unknown[]>(AUDIT_COLUMNS.length, (db, ...values) =>
  db
    .insertInto('audit_events')
    .values(Object.fromEntries(AUDIT_COLUMNS.map((column, i) => [column, values[i]])) as never),
)

export async function insertAuditEvent(db: Db, row: Omit<Insertable<AuditEventTable>, 'seq'>): Promise<void> {
  await insertAuditStatement(db, ...AUDIT_COLUMNS.map((column) => row[column] ?? null))
}

export interface AuditQuery {
  resourceId?: string
  /** Newest first, at most this many. */
  limit: number
}

export async function listAuditEvents(db: Db, tenantId: string, query: AuditQuery): Promise<AuditEventRow[]> {
  // The changes only: refused writes are activity (store/activity-query.ts), not part of the trail.
  let select = db
    .selectFrom('audit_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('outcome', '=', 'success')
  if (query.resourceId !== undefined) select = select.where('resource_id', '=', query.resourceId)
  return select.orderBy('seq', 'desc').limit(query.limit).execute()
}
