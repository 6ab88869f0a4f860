import type { Insertable, Selectable } from 'kysely'
import type { Database, Db, UserTable } from './database.js'
import { isPostgres } from './dialects/sql-dialect-of.js'
import { preparedStatement } from './prepared-query.js'

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
  /**
   * Whether the user belongs to any group (1/0 on SQLite, a boolean on PostgreSQL; absent on rows
   * from writes): when it does not, rendering skips the lookup of its `groups`.
   */
  in_groups?: number | boolean
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
 * second lookup would cost as much as the first), and whether the user is in any group (an
 * index-only probe; most reads then need no groups query). Not for pages: an OFFSET would run the
 * join for every skipped row.
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
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('group_members')
            .select('group_members.member_id')
            .whereRef('group_members.tenant_id', '=', 'users.tenant_id')
            .whereRef('group_members.member_id', '=', 'users.id'),
        )
        .as('in_groups'),
    )
}

const userWithManagerStatement = preparedStatement<Database, [string, string], UserRowWithManager>(
  2,
  (db, tenant, user) =>
    selectUsersWithManager(db)
      .where('users.tenant_id', '=', tenant as string)
      .where('users.id', '=', user as string),
)

/** GET /Users/{id}: the hottest read, so a prepared statement rather than a query built per call. */
export async function findUserWithManager(
  db: Db,
  tenantId: string,
  id: string,
): Promise<UserRowWithManager | undefined> {
  return (await userWithManagerStatement(db, tenantId, id)).rows[0]
}

/** What a user's SCIM resource decides (its history head is the audit trail's business). */
export type UserColumns = Omit<UserRow, 'tenant_id' | 'id' | 'created' | 'audit_head'>

/** Every column of `users`, in the order the prepared INSERT binds them. */
const USER_TABLE_COLUMNS = [
  'tenant_id',
  'id',
  'user_name',
  'user_name_lower',
  'external_id',
  'work_email_lower',
  'display_name',
  'given_name',
  'family_name',
  'title',
  'active',
  'employee_number',
  'cost_center',
  'organization',
  'division',
  'department',
  'manager_id',
  'created',
  'last_modified',
  'version',
  'resource',
  'audit_head',
] as const satisfies readonly (keyof UserTable)[]
type AssertNever<T extends never> = T
/** Fails to compile when UserTable gains a column the list above lacks. */
export type EveryUserColumnListed = AssertNever<Exclude<keyof UserTable, (typeof USER_TABLE_COLUMNS)[number]>>

// Writes are the hot path of provisioning: their SQL is compiled once, not built per request.
const insertUserStatement = preparedStatement<Database, unknown[]>(
  USER_TABLE_COLUMNS.length,
  (db, ...values) =>
    db
      .insertInto('users')
      .values(Object.fromEntries(USER_TABLE_COLUMNS.map((column, i) => [column, values[i]])) as never),
)

export async function insertUser(db: Db, row: Insertable<UserTable>): Promise<void> {
  await insertUserStatement(db, ...USER_TABLE_COLUMNS.map((column) => row[column] ?? null))
}

const findUserByIdStatement = preparedStatement<Database, [string, string], UserRow>(2, (db, tenant, user) =>
  db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenant as string)
    .where('id', '=', user as string),
)

export async function findUserById(db: Db, tenantId: string, id: string): Promise<UserRow | undefined> {
  return (await findUserByIdStatement(db, tenantId, id)).rows[0]
}

const lockUserStatement = preparedStatement<Database, [string, string], UserRow>(2, (db, tenant, user) =>
  db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenant as string)
    .where('id', '=', user as string)
    .forUpdate(),
)

/**
 * findUserById for a read-modify-write inside a write unit. On PostgreSQL the row is locked until
 * the unit commits, so concurrent writers of one user queue instead of failing their version check
 * over and over; SQLite has one writer at a time already (and no FOR UPDATE).
 */
export async function findUserForWrite(db: Db, tenantId: string, id: string): Promise<UserRow | undefined> {
  if (!isPostgres(db)) return findUserById(db, tenantId, id)
  return (await lockUserStatement(db, tenantId, id)).rows[0]
}

const userNamesStatement = preparedStatement<Database, [string, string], UserNameColumns>(
  2,
  (db, tenant, user) =>
    db
      .selectFrom('users')
      .select(['id', 'user_name', 'display_name', 'given_name', 'family_name'])
      .where('tenant_id', '=', tenant as string)
      .where('id', '=', user as string),
)

/** One user's name columns, or undefined when it is no user of the tenant (a manager check that also names it). */
export async function findUserNamesById(
  db: Db,
  tenantId: string,
  id: string,
): Promise<UserNameColumns | undefined> {
  return (await userNamesStatement(db, tenantId, id)).rows[0]
}

/**
 * The columns of `next` whose value differs from `current`'s. An UPDATE rewrites every index that
 * contains a column it SETs, changed or not, so writing only these is ~3× cheaper on SQLite.
 */
export function changedUserColumns(current: UserColumns, next: UserColumns): Partial<UserColumns> {
  const changed: Partial<UserColumns> = {}
  for (const column of Object.keys(next) as (keyof UserColumns)[]) {
    if (next[column] !== current[column]) (changed as Record<string, unknown>)[column] = next[column]
  }
  return changed
}

type UpdateStatement = ReturnType<typeof preparedStatement<Database, unknown[]>>
/** One compiled UPDATE per set of columns (a handful in practice; bounded against odd clients). */
const updateStatements = new Map<string, UpdateStatement>()
const MAX_UPDATE_STATEMENTS = 256

function updateStatementFor(columns: readonly string[]): UpdateStatement | undefined {
  const key = columns.join(',')
  let statement = updateStatements.get(key)
  if (!statement && updateStatements.size < MAX_UPDATE_STATEMENTS) {
    statement = preparedStatement<Database, unknown[]>(columns.length + 3, (db, ...values) =>
      db
        .updateTable('users')
        .set(Object.fromEntries(columns.map((column, i) => [column, values[i]])) as never)
        .where('tenant_id', '=', values[columns.length] as string)
        .where('id', '=', values[columns.length + 1] as string)
        .where('version', '=', values[columns.length + 2] as never),
    )
    updateStatements.set(key, statement)
  }
  return statement
}

/**
 * Writes `columns` (pass only the changed ones, see changedUserColumns) if the row is still at
 * `expectedVersion` (optimistic concurrency: a concurrent writer makes this return false instead of
 * silently losing its update).
 */
export async function updateUser(
  db: Db,
  tenantId: string,
  id: string,
  expectedVersion: number,
  columns: Partial<UserColumns> & { audit_head?: number | null },
): Promise<boolean> {
  const names = Object.keys(columns).sort() as (keyof typeof columns)[]
  if (names.length === 0) throw new TypeError('updateUser: no columns to write')
  const statement = updateStatementFor(names)
  const result = statement
    ? await statement(db, ...names.map((name) => columns[name]), tenantId, id, expectedVersion)
    : await db
        .updateTable('users')
        .set(columns)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst()
  const updated = 'numUpdatedRows' in result ? result.numUpdatedRows : result.numAffectedRows
  return (updated ?? 0n) > 0n
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
