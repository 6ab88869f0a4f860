import { type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Database, Db, GroupMemberTable } from './database.js'
import { chunks } from './groups-repository.js'
import { preparedStatement } from './prepared-query.js'

export type MemberType = GroupMemberTable['member_type']

export interface MemberRef {
  id: string
  type: MemberType
}

/** Which of `ids` are users or groups of the tenant; ids of nothing (or of another tenant) are absent. */
export async function classifyMemberIds(
  db: Db,
  tenantId: string,
  ids: string[],
): Promise<Map<string, MemberType>> {
  const kinds = new Map<string, MemberType>()
  for (const chunk of chunks(ids)) {
    const users = await db
      .selectFrom('users')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', chunk)
      .execute()
    for (const { id } of users) kinds.set(id, 'User')
    const rest = chunk.filter((id) => !kinds.has(id))
    if (rest.length === 0) continue
    const groups = await db
      .selectFrom('groups')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', rest)
      .execute()
    for (const { id } of groups) kinds.set(id, 'Group')
  }
  return kinds
}

/** Which of `ids` are direct members of the group. */
export async function findMembersAmong(
  db: Db,
  tenantId: string,
  groupId: string,
  ids: string[],
): Promise<Set<string>> {
  const found = new Set<string>()
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('group_members')
      .select('member_id')
      .where('tenant_id', '=', tenantId)
      .where('group_id', '=', groupId)
      .where('member_id', 'in', chunk)
      .execute()
    for (const row of rows) found.add(row.member_id)
  }
  return found
}

/** Every direct member id, or those matching `where` (a condition on the table `group_members`). */
export async function listMemberIds(
  db: Db,
  tenantId: string,
  groupId: string,
  where?: RawBuilder<SqlBool>,
): Promise<string[]> {
  let query = db
    .selectFrom('group_members')
    .select('member_id')
    .where('tenant_id', '=', tenantId)
    .where('group_id', '=', groupId)
  if (where) query = query.where(where)
  return (await query.execute()).map((row) => row.member_id)
}

/** Rows per INSERT: four bound values a row. */
const MEMBERS_PER_INSERT = 200

/** Adds members; ids already members are left alone (the caller filters them for the audit trail). */
export async function insertMembers(
  db: Db,
  tenantId: string,
  groupId: string,
  members: MemberRef[],
): Promise<void> {
  for (const chunk of chunks(members, MEMBERS_PER_INSERT)) {
    await db
      .insertInto('group_members')
      .values(
        chunk.map((member) => ({
          tenant_id: tenantId,
          group_id: groupId,
          member_id: member.id,
          member_type: member.type,
        })),
      )
      .onConflict((conflict) => conflict.doNothing())
      .execute()
  }
}

export async function deleteMembers(db: Db, tenantId: string, groupId: string, ids: string[]): Promise<void> {
  for (const chunk of chunks(ids)) {
    await db
      .deleteFrom('group_members')
      .where('tenant_id', '=', tenantId)
      .where('group_id', '=', groupId)
      .where('member_id', 'in', chunk)
      .execute()
  }
}

export async function deleteAllMembers(db: Db, tenantId: string, groupId: string): Promise<void> {
  await db
    .deleteFrom('group_members')
    .where('tenant_id', '=', tenantId)
    .where('group_id', '=', groupId)
    .execute()
}

/** The groups `memberId` (a user or a group) belongs to directly. */
export async function findParentGroupIds(db: Db, tenantId: string, memberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('tenant_id', '=', tenantId)
    .where('member_id', '=', memberId)
    .execute()
  return rows.map((row) => row.group_id)
}

/** Removes `memberId` from every group of the tenant (it is being deleted). */
export async function deleteMemberships(db: Db, tenantId: string, memberId: string): Promise<void> {
  await db
    .deleteFrom('group_members')
    .where('tenant_id', '=', tenantId)
    .where('member_id', '=', memberId)
    .execute()
}

/**
 * True when `target` is `from` or a group nested (at any depth) inside `from`: adding `from` to
 * `target` would then make a group contain itself. UNION (not UNION ALL) stops on existing cycles.
 */
export async function groupContains(
  db: Db,
  tenantId: string,
  from: string,
  target: string,
): Promise<boolean> {
  if (from === target) return true
  const { rows } = await sql<{ found: number }>`
    with recursive nested(id) as (
      select m.member_id from group_members m
      where m.tenant_id = ${tenantId} and m.group_id = ${from} and m.member_type = 'Group'
      union
      select m.member_id from nested cross join group_members m
      where m.tenant_id = ${tenantId} and m.group_id = nested.id and m.member_type = 'Group'
    )
    select 1 as found from nested where id = ${target} limit 1`.execute(db)
  return rows.length > 0
}

/** One member as rendered: its id, type and the name columns `display` is made from. */
export interface MemberRow {
  member_id: string
  member_type: MemberType
  user_name: string | null
  display_name: string | null
  given_name: string | null
  family_name: string | null
  group_display_name: string | null
}

/**
 * One page of a group's members in id order, after `after` (keyset paging: each page is an index
 * range scan, whatever the group's size). Names come from the current users and groups, so a
 * renamed user shows its new name in every group at once.
 */
export async function readMemberPage(
  db: Db,
  tenantId: string,
  groupId: string,
  after: string | undefined,
  limit: number,
): Promise<MemberRow[]> {
  let query = db
    .selectFrom('group_members as m')
    .leftJoin('users as u', (join) =>
      join.onRef('u.tenant_id', '=', 'm.tenant_id').onRef('u.id', '=', 'm.member_id'),
    )
    .leftJoin('groups as g', (join) =>
      join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.member_id'),
    )
    .select([
      'm.member_id',
      'm.member_type',
      'u.user_name',
      'u.display_name',
      'u.given_name',
      'u.family_name',
      'g.display_name as group_display_name',
    ])
    .where('m.tenant_id', '=', tenantId)
    .where('m.group_id', '=', groupId)
  if (after !== undefined) query = query.where('m.member_id', '>', after)
  return query.orderBy('m.member_id').limit(limit).execute()
}

/** A group a user belongs to, directly or through nested groups. */
export interface UserGroupRow {
  user_id: string
  group_id: string
  display_name: string
  direct: boolean
}

/**
 * The groups of some users, direct and indirect (RFC 7643 §4.1.2 `groups`): direct memberships,
 * then the parents of those groups, transitively. UNION stops on cycles. `users` is the SQL that
 * yields the user ids (one bound id, or a list). CROSS JOIN keeps the (small) closure as SQLite's
 * outer loop: without statistics its planner scanned every membership of the tenant per step.
 */
function userGroupsQuery(tenantId: string, users: RawBuilder<unknown>) {
  return sql<{ user_id: string; group_id: string; display_name: string; depth: number }>`
    with recursive closure(user_id, group_id, depth) as (
      select m.member_id, m.group_id, 0 from group_members m
      where m.tenant_id = ${tenantId} and m.member_type = 'User' and m.member_id in (${users})
      union
      select c.user_id, p.group_id, 1 from closure c cross join group_members p
      where p.tenant_id = ${tenantId} and p.member_id = c.group_id and p.member_type = 'Group'
    )
    select c.user_id, c.group_id, g.display_name, min(c.depth) as depth
    from closure c cross join groups g
    where g.tenant_id = ${tenantId} and g.id = c.group_id
    group by c.user_id, c.group_id, g.display_name
    order by c.user_id, g.display_name`
}

// Every user read renders `groups`: for one user (GET by id) the statement is compiled once.
const oneUserGroups = preparedStatement<Database, [string, string], UserGroupSqlRow>(
  2,
  (db, tenant, user) => ({
    compile: () => userGroupsQuery(tenant as string, sql`${user}`).compile(db),
  }),
)

type UserGroupSqlRow = { user_id: string; group_id: string; display_name: string; depth: number }

function toUserGroup(row: UserGroupSqlRow): UserGroupRow {
  return {
    user_id: row.user_id,
    group_id: row.group_id,
    display_name: row.display_name,
    direct: Number(row.depth) === 0,
  }
}

export async function findUserGroups(db: Db, tenantId: string, userIds: string[]): Promise<UserGroupRow[]> {
  if (userIds.length === 1)
    return (await oneUserGroups(db, tenantId, userIds[0] as string)).rows.map(toUserGroup)
  const result: UserGroupRow[] = []
  for (const chunk of chunks(userIds)) {
    const { rows } = await userGroupsQuery(tenantId, sql.join(chunk)).execute(db)
    result.push(...rows.map(toUserGroup))
  }
  return result
}
