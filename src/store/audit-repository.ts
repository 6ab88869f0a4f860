import { type Insertable, type Selectable, sql } from 'kysely'
import type { AuditEventTable, Database, Db } from './database.js'
import { isPostgres } from './dialects/sql-dialect-of.js'
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
  'prev_seq',
] as const satisfies readonly (keyof Insertable<AuditEventTable>)[]

// One row per write: compiled once rather than built per request.
const insertAuditStatement = preparedStatement<Database, unknown[], { seq: number }>(
  AUDIT_COLUMNS.length,
  (db, ...values) =>
    db
      .insertInto('audit_events')
      .values(Object.fromEntries(AUDIT_COLUMNS.map((column, i) => [column, values[i]])) as never)
      .returning('seq'),
)

/** Appends one event; answers its seq. */
export async function insertAuditEvent(
  db: Db,
  row: Omit<Insertable<AuditEventTable>, 'seq' | 'outcome' | 'status' | 'detail'>,
): Promise<number> {
  const { rows } = await insertAuditStatement(db, ...AUDIT_COLUMNS.map((column) => row[column] ?? null))
  return Number(rows[0]?.seq)
}

/** The tables whose rows carry the head of their own history (see migration 0008). */
export type AuditedTable = 'users' | 'groups'

type HeadRow = { audit_head: number | string | null }

function headStatement(table: AuditedTable, lock: boolean) {
  return preparedStatement<Database, [string, string], HeadRow>(2, (db, tenant, id) => {
    const select = db
      .selectFrom(table)
      .select('audit_head')
      .where('tenant_id', '=', tenant as string)
      .where('id', '=', id as string)
    return lock ? select.forUpdate() : select
  })
}

function setHeadStatement(table: AuditedTable) {
  return preparedStatement<Database, [number, string, string]>(3, (db, seq, tenant, id) =>
    db
      .updateTable(table)
      .set({ audit_head: seq as unknown as number })
      .where('tenant_id', '=', tenant as string)
      .where('id', '=', id as string),
  )
}

const HEAD_STATEMENTS = {
  users: {
    read: headStatement('users', false),
    lock: headStatement('users', true),
    set: setHeadStatement('users'),
  },
  groups: {
    read: headStatement('groups', false),
    lock: headStatement('groups', true),
    set: setHeadStatement('groups'),
  },
}

/**
 * The seq of the newest event of a live resource (null: none yet), or undefined when it has no row.
 * On PostgreSQL the row is locked until the transaction ends, so concurrent writers of one resource
 * extend its chain one after another instead of forking it.
 */
export async function auditHeadOf(
  db: Db,
  table: AuditedTable,
  tenantId: string,
  id: string,
): Promise<number | null | undefined> {
  const statement = HEAD_STATEMENTS[table][isPostgres(db) ? 'lock' : 'read']
  const row = (await statement(db, tenantId, id)).rows[0]
  if (!row) return undefined
  return row.audit_head === null ? null : Number(row.audit_head)
}

/** Moves a live resource's head to `seq`, in the row the write has just rewritten. */
export async function setAuditHead(
  db: Db,
  table: AuditedTable,
  tenantId: string,
  id: string,
  seq: number,
): Promise<void> {
  await HEAD_STATEMENTS[table].set(db, seq, tenantId, id)
}

/** The head of a deleted resource (its row, and the head column in it, are about to go). */
export async function findDeletedAuditHead(
  db: Db,
  tenantId: string,
  id: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('audit_heads')
    .select('seq')
    .where('tenant_id', '=', tenantId)
    .where('resource_id', '=', id)
    .executeTakeFirst()
  return row === undefined ? undefined : Number(row.seq)
}

export async function keepDeletedAuditHead(db: Db, tenantId: string, id: string, seq: number): Promise<void> {
  await db
    .insertInto('audit_heads')
    .values({ tenant_id: tenantId, resource_id: id, seq })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'resource_id']).doUpdateSet({ seq }))
    .execute()
}

/**
 * The seqs of one resource's successful changes: its chain, walked back from the head in its row
 * (or in audit_heads once it is deleted). A subquery for `seq in (…)`.
 */
export function historySeqs(tenantId: string, resourceId: string) {
  return sql<number>`(
    with recursive chain(seq) as (
      select coalesce(
        (select u.audit_head from users u where u.tenant_id = ${tenantId} and u.id = ${resourceId}),
        (select g.audit_head from groups g where g.tenant_id = ${tenantId} and g.id = ${resourceId}),
        (select h.seq from audit_heads h where h.tenant_id = ${tenantId} and h.resource_id = ${resourceId}))
      union all
      select e.prev_seq from audit_events e join chain c on e.seq = c.seq where e.prev_seq is not null
    )
    select seq from chain where seq is not null)`
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
  if (query.resourceId !== undefined)
    select = select.where('seq', 'in', historySeqs(tenantId, query.resourceId))
  return select.orderBy('seq', 'desc').limit(query.limit).execute()
}
