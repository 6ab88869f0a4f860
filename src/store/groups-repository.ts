import type { Insertable, Selectable } from 'kysely'
import type { Db, GroupTable } from './database.js'
import { isPostgres } from './dialects/sql-dialect-of.js'

export type GroupRow = Selectable<GroupTable>

/** The columns a write may change (never tenant, id or created). */
/** What a group's SCIM resource decides (its history head is the audit trail's business). */
export type GroupColumns = Omit<GroupRow, 'tenant_id' | 'id' | 'created' | 'audit_head'>

export async function insertGroup(db: Db, row: Insertable<GroupTable>): Promise<void> {
  await db.insertInto('groups').values(row).execute()
}

export async function findGroupById(db: Db, tenantId: string, id: string): Promise<GroupRow | undefined> {
  return selectGroup(db, tenantId, id).executeTakeFirst()
}

/**
 * findGroupById for a read-modify-write inside a write unit: on PostgreSQL the row stays locked
 * until the unit commits, so concurrent membership changes of one group queue rather than fail
 * their version check; SQLite runs one writer at a time (and has no FOR UPDATE).
 */
export async function findGroupForWrite(db: Db, tenantId: string, id: string): Promise<GroupRow | undefined> {
  const select = selectGroup(db, tenantId, id)
  return (isPostgres(db) ? select.forUpdate() : select).executeTakeFirst()
}

function selectGroup(db: Db, tenantId: string, id: string) {
  return db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id)
}

/**
 * Writes a new state if the row is still at `expectedVersion` (optimistic concurrency, as for
 * users): false when another writer got there first.
 */
export async function updateGroup(
  db: Db,
  tenantId: string,
  id: string,
  expectedVersion: number,
  columns: Partial<GroupColumns>,
): Promise<boolean> {
  const result = await db
    .updateTable('groups')
    .set(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Marks groups as changed (a member was removed from under them): new version, new lastModified. */
export async function touchGroups(db: Db, tenantId: string, ids: string[], now: string): Promise<void> {
  for (const chunk of chunks(ids)) {
    await db
      .updateTable('groups')
      .set((eb) => ({ version: eb('version', '+', 1), last_modified: now }))
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', chunk)
      .execute()
  }
}

export async function deleteGroupRow(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('groups')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** The display names of some groups of a tenant, for rendering memberships. */
export async function findGroupNames(db: Db, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('groups')
      .select(['id', 'display_name'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', chunk)
      .execute()
    for (const row of rows) names.set(row.id, row.display_name)
  }
  return names
}

/** Bound parameters per statement stay far below SQLite's and PostgreSQL's limits. */
export const IN_LIST_CHUNK = 500

export function chunks<T>(items: readonly T[], size = IN_LIST_CHUNK): T[][] {
  const result: T[][] = []
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size))
  return result
}
