import type { RawBuilder, SqlBool } from 'kysely'
import { badRequest } from '../scim/errors.js'
import type { Filter } from '../scim/filter/ast.js'
import type { MembershipChange } from '../scim/membership/plan-group-patch.js'
import type { Db } from '../store/database.js'
import {
  classifyMemberIds,
  deleteAllMembers,
  deleteMembers,
  deleteMemberships,
  findMembersAmong,
  findParentGroupIds,
  groupContains,
  insertMembers,
  listMemberIds,
  type MemberRef,
} from '../store/group-members-repository.js'
import { touchGroups } from '../store/groups-repository.js'
import { type Actor, recordAudit } from './audit.js'

/** What a sequence of membership changes did, net: an id added then removed appears in neither. */
export class MembershipDelta {
  readonly added = new Set<string>()
  readonly removed = new Set<string>()

  add(ids: Iterable<string>): void {
    for (const id of ids) if (!this.removed.delete(id)) this.added.add(id)
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) if (!this.added.delete(id)) this.removed.add(id)
  }

  get isEmpty(): boolean {
    return this.added.size === 0 && this.removed.size === 0
  }

  /** The audit trail's view: removed members as the old value, added ones as the new. */
  toChange(): { path: string; old: string[] | null; new: string[] | null } {
    return {
      path: 'members',
      old: this.removed.size > 0 ? [...this.removed] : null,
      new: this.added.size > 0 ? [...this.added] : null,
    }
  }
}

/**
 * Checks that new members are users or groups of the tenant and that no group would end up
 * inside itself; answers what each id is. Never a dangling or foreign reference.
 */
async function resolveNewMembers(
  db: Db,
  tenantId: string,
  groupId: string,
  ids: string[],
): Promise<MemberRef[]> {
  const kinds = await classifyMemberIds(db, tenantId, ids)
  const members: MemberRef[] = []
  for (const id of ids) {
    const type = kinds.get(id)
    if (type === undefined)
      throw badRequest('invalidValue', `members: no user or group with id "${id}" in this tenant`)
    if (type === 'Group' && (await groupContains(db, tenantId, id, groupId))) {
      throw badRequest(
        'invalidValue',
        id === groupId
          ? `members: group "${id}" cannot be a member of itself`
          : `members: group "${id}" already contains group "${groupId}"; adding it would make a cycle`,
      )
    }
    members.push({ id, type })
  }
  return members
}

export interface MembershipTarget {
  db: Db
  tenantId: string
  groupId: string
  /** Compiles a `members[…]` value filter to a condition on the table `group_members`. */
  memberFilter: (filter: Filter, text: string) => RawBuilder<SqlBool>
}

/** Applies one change inside the caller's transaction and records its net effect in `delta`. */
export async function applyMembershipChange(
  target: MembershipTarget,
  change: MembershipChange,
  delta: MembershipDelta,
): Promise<void> {
  const { db, tenantId, groupId } = target
  /** `present`: the members already known, when the caller has read them anyway. */
  const addNew = async (ids: string[], present?: ReadonlySet<string>) => {
    const members = present ?? (await findMembersAmong(db, tenantId, groupId, ids))
    const fresh = ids.filter((id) => !members.has(id))
    await insertMembers(db, tenantId, groupId, await resolveNewMembers(db, tenantId, groupId, fresh))
    delta.add(fresh)
  }
  const removeIds = async (ids: string[]) => {
    await deleteMembers(db, tenantId, groupId, ids)
    delta.remove(ids)
  }
  switch (change.kind) {
    case 'add':
      return addNew(change.ids)
    case 'remove':
      return removeIds([...(await findMembersAmong(db, tenantId, groupId, change.ids))])
    case 'removeWhere':
      return removeIds(
        await listMemberIds(db, tenantId, groupId, target.memberFilter(change.filter, change.text)),
      )
    case 'removeAll': {
      const all = await listMemberIds(db, tenantId, groupId)
      await deleteAllMembers(db, tenantId, groupId)
      delta.remove(all)
      return
    }
    case 'replace': {
      const wanted = new Set(change.ids)
      const current = await listMemberIds(db, tenantId, groupId)
      await removeIds(current.filter((id) => !wanted.has(id)))
      return addNew(change.ids, new Set(current))
    }
  }
}

/**
 * A user or group is being deleted: it leaves every group it belongs to, each of which gets a new
 * version and an audit event, inside the caller's transaction.
 */
export async function leaveAllGroups(
  db: Db,
  tenantId: string,
  memberId: string,
  actor: Actor,
  now: string,
): Promise<void> {
  const parents = await findParentGroupIds(db, tenantId, memberId)
  if (parents.length === 0) return
  await deleteMemberships(db, tenantId, memberId)
  await touchGroups(db, tenantId, parents, now)
  for (const groupId of parents) {
    await recordAudit(db, tenantId, actor, {
      operation: 'patch',
      resourceType: 'Group',
      resourceId: groupId,
      changes: [{ path: 'members', old: [memberId], new: null }],
    })
  }
}
