import type { Insertable, Selectable } from 'kysely'
import type { Database, Db, UserTable } from './database.js'
import { preparedQuery } from './prepared-query.js'

export type UserRow = Selectable<UserTable>

/** The columns a SCIM representation is rendered from. */
export type RenderableUser = Pick<
  UserRow,
  'tenant_id' | 'id' | 'resource' | 'active' | 'created' | 'last_modified' | 'version' | 'manager_id'
>

/** A renderable user with its manager's name columns (null when it has no manager). */
export type UserRowWithManager = RenderableUser & {
  manager_user_name: string | null
  manager_display_name: string | null
  manager_given_name: string | null
  manager_family_name: string | null
}

const RENDER_COLUMNS = [
  'users.tenant_id',
  'users.id',
  'users.resource',
  'users.active',
  'users.created',
  'users.last_modified',
  'users.version',
  'users.manager_id',
] as const

/** Selects what rendering needs (fewer columns, cheaper rows). */
export function selectRenderableUsers(db: Db) {
  return db.selectFrom('users').select(RENDER_COLUMNS)
}

/**
 * The same plus the manager's name columns, joined in the same statement, for single-row reads (a
 * second lookup would cost as much as the first). Not for pages: an OFFSET would run the join for
 * every skipped row.
 */
export function selectUsersWithManager(db: Db) {
  return db
    .selectFrom('users')
    .leftJoin('users as manager', (join) =>
      join.onRef('manager.tenant_id', '=', 'users.tenant_id').onRef('manager.id', '=', 'users.manager_id'),
    )
    .select(RENDER_COLUMNS)
    .select([
      'manager.user_name as manager_user_name',
      'manager.display_name as manager_display_name',
      'manager.given_name as manager_given_name',
      'manager.family_name as manager_family_name',
    ])
}

const byIdWithManager = new WeakMap<Db, (tenantId: string, id: string) => Promise<UserRowWithManager[]>>()

/** GET /Users/{id}: the hottest read, so a prepared statement rather than a query built per call. */
export async function findUserWithManager(
  db: Db,
  tenantId: string,
  id: string,
): Promise<UserRowWithManager | undefined> {
  let find = byIdWithManager.get(db)
  if (!find) {
    find = preparedQuery<Database, [string, string], UserRowWithManager>(db, 2, (from, tenant, user) =>
      selectUsersWithManager(from)
        .where('users.tenant_id', '=', tenant as string)
        .where('users.id', '=', user as string),
    )
    byIdWithManager.set(db, find)
  }
  return (await find(tenantId, id))[0]
}

export type UserColumns = Omit<UserRow, 'tenant_id' | 'id' | 'created'>

export async function insertUser(db: Db, row: Insertable<UserTable>): Promise<void> {
  await db.insertInto('users').values(row).execute()
}

export async function findUserById(db: Db, tenantId: string, id: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Ids among `ids` that are users of the tenant (for reference checks such as manager). */
export async function existingUserIds(db: Db, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute()
  return new Set(rows.map((row) => row.id))
}

/**
 * Writes a new state if the row is still at `expectedVersion` (optimistic concurrency: a
 * concurrent writer makes this return false instead of silently losing its update).
 */
export async function updateUser(
  db: Db,
  tenantId: string,
  id: string,
  expectedVersion: number,
  columns: UserColumns,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set(columns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function findDirectReports(db: Db, tenantId: string, managerId: string): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('manager_id', '=', managerId)
    .execute()
}

/** Moves a user to the archive: gone from SCIM, kept for the audit trail. */
export async function archiveUser(
  db: Db,
  row: UserRow,
  deletedAt: string,
  tokenId: string | null,
): Promise<void> {
  await db
    .insertInto('archived_users')
    .values({
      tenant_id: row.tenant_id,
      id: row.id,
      user_name: row.user_name,
      resource: row.resource,
      created: row.created,
      deleted_at: deletedAt,
      deleted_by_token: tokenId,
    })
    .execute()
  await db.deleteFrom('users').where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).execute()
}

export type UserNameColumns = Pick<
  UserRow,
  'id' | 'user_name' | 'display_name' | 'given_name' | 'family_name'
>

/** The name columns of the given users, for rendering references such as manager.displayName. */
export async function findUserNames(db: Db, tenantId: string, ids: string[]): Promise<UserNameColumns[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('users')
    .select(['id', 'user_name', 'display_name', 'given_name', 'family_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute()
}
