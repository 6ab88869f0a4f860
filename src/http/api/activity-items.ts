import { auditChangesOf } from '../../directory/audit.js'
import type { ActivityRow } from '../../store/activity-query.js'
import { resourceNames } from '../../store/activity-query.js'
import type { Db } from '../../store/database.js'

export interface ActivityItem {
  seq: number
  at: string
  operation: string
  resourceType: string
  resourceId: string
  resourceName: string | null
  token: { id: string; name: string | null } | null
  requestId: string | null
  outcome: 'success' | 'failure'
  status: number | null
  detail: string | null
  changes: { attribute: string; old: unknown; new: unknown }[]
}

function changesOf(text: string): ActivityItem['changes'] {
  return auditChangesOf(text).map((c) => ({ attribute: c.path, old: c.old, new: c.new }))
}

/** Audit rows as the console shows them, with the names of the resources they are about. */
export async function toActivityItems(
  db: Db,
  tenantId: string,
  rows: ActivityRow[],
): Promise<ActivityItem[]> {
  const names = await resourceNames(db, tenantId, [
    ...new Set(rows.map((row) => row.resource_id).filter(Boolean)),
  ])
  return rows.map((row) => ({
    seq: row.seq,
    at: row.at,
    operation: row.operation,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    resourceName: names.get(row.resource_id) ?? null,
    token: row.token_id === null ? null : { id: row.token_id, name: row.token_name },
    requestId: row.request_id,
    outcome: row.outcome === 'failure' ? 'failure' : 'success',
    status:
      row.status ??
      (row.outcome === 'failure'
        ? null
        : row.operation === 'create'
          ? 201
          : row.operation === 'delete'
            ? 204
            : 200),
    detail: row.detail,
    changes: changesOf(row.changes),
  }))
}
