import type { Insertable } from 'kysely'
import { historySeqs } from './audit-repository.js'
import type { AuditEventTable, Db } from './database.js'

export interface ActivityQuery {
  /** ISO-8601 bounds on `at`, inclusive. */
  from?: string
  to?: string
  operation?: string
  tokenId?: string
  resourceId?: string
  outcome?: 'success' | 'failure'
  /** Only rows older than this seq (paging back). */
  before?: number
  /** Only rows newer than this seq (polling for new ones). */
  after?: number
  limit: number
}

export interface ActivityRow {
  seq: number
  at: string
  token_id: string | null
  token_name: string | null
  request_id: string | null
  operation: string
  resource_type: string
  resource_id: string
  changes: string
  outcome: string
  status: number | null
  detail: string | null
}

/** The tenant's audit trail, newest first, filtered; served by the (tenant_id, seq) index, and by a resource's history chain. */
export async function listActivity(db: Db, tenantId: string, query: ActivityQuery): Promise<ActivityRow[]> {
  let select = db
    .selectFrom('audit_events')
    .leftJoin('access_tokens', (join) =>
      join
        .onRef('access_tokens.tenant_id', '=', 'audit_events.tenant_id')
        .onRef('access_tokens.id', '=', 'audit_events.token_id'),
    )
    .select([
      'audit_events.seq',
      'audit_events.at',
      'audit_events.token_id',
      'access_tokens.name as token_name',
      'audit_events.request_id',
      'audit_events.operation',
      'audit_events.resource_type',
      'audit_events.resource_id',
      'audit_events.changes',
      'audit_events.outcome',
      'audit_events.status',
      'audit_events.detail',
    ])
    .where('audit_events.tenant_id', '=', tenantId)
  if (query.from !== undefined) select = select.where('audit_events.at', '>=', query.from)
  if (query.to !== undefined) select = select.where('audit_events.at', '<=', query.to)
  if (query.operation !== undefined) select = select.where('audit_events.operation', '=', query.operation)
  if (query.tokenId !== undefined) select = select.where('audit_events.token_id', '=', query.tokenId)
  if (query.resourceId !== undefined) {
    // Its history (a chain, see migration 0008) and its refused writes (a partial index).
    const resourceId = query.resourceId
    select = select.where((eb) =>
      eb.or([
        eb('audit_events.seq', 'in', historySeqs(tenantId, resourceId)),
        eb.and([
          eb('audit_events.outcome', '<>', 'success'),
          eb('audit_events.resource_id', '=', resourceId),
        ]),
      ]),
    )
  }
  if (query.outcome !== undefined) select = select.where('audit_events.outcome', '=', query.outcome)
  if (query.before !== undefined) select = select.where('audit_events.seq', '<', query.before)
  if (query.after !== undefined) select = select.where('audit_events.seq', '>', query.after)
  const rows = await select.orderBy('audit_events.seq', 'desc').limit(query.limit).execute()
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }))
}

/**
 * A SCIM write that was refused: recorded outside the write's transaction (which rolled back),
 * with the status and error detail but never the request body.
 */
export async function insertFailedWrite(
  db: Db,
  row: Omit<Insertable<AuditEventTable>, 'seq' | 'outcome' | 'changes'>,
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({ ...row, outcome: 'failure', changes: '[]' })
    .execute()
}

/** Display names of the resources a page of activity is about (users, archived users, groups). */
export async function resourceNames(db: Db, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  if (ids.length === 0) return names
  const archived = await db
    .selectFrom('archived_users')
    .select(['id', 'user_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute()
  for (const row of archived) names.set(row.id, row.user_name)
  const users = await db
    .selectFrom('users')
    .select(['id', 'user_name', 'display_name', 'given_name', 'family_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute()
  for (const row of users) {
    const full = [row.given_name, row.family_name].filter(Boolean).join(' ')
    names.set(row.id, row.display_name || full || row.user_name)
  }
  const groups = await db
    .selectFrom('groups')
    .select(['id', 'display_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute()
  for (const row of groups) names.set(row.id, row.display_name)
  return names
}
