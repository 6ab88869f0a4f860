import type { Insertable, Selectable } from 'kysely'
import type { AuditEventTable, Db } from './database.js'

export type AuditEventRow = Selectable<AuditEventTable>

export async function insertAuditEvent(db: Db, row: Insertable<AuditEventTable>): Promise<void> {
  await db.insertInto('audit_events').values(row).execute()
}

export interface AuditQuery {
  resourceId?: string
  /** Newest first, at most this many. */
  limit: number
}

export async function listAuditEvents(db: Db, tenantId: string, query: AuditQuery): Promise<AuditEventRow[]> {
  let select = db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId)
  if (query.resourceId !== undefined) select = select.where('resource_id', '=', query.resourceId)
  return select.orderBy('seq', 'desc').limit(query.limit).execute()
}
