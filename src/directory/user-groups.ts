import type { Db } from '../store/database.js'
import { findUserGroups } from '../store/group-members-repository.js'

type Json = Record<string, unknown>

/**
 * The read-only `groups` of each user (RFC 7643 §4.1.2): every group it belongs to, directly or
 * through nested groups, computed from the membership rows when the user is read — never stored
 * on the user, so a membership change or a group rename shows everywhere at once.
 */
export async function groupsOfUsers(
  db: Db,
  tenantId: string,
  userIds: string[],
  baseUrl: string,
): Promise<Map<string, Json[]>> {
  const groups = new Map<string, Json[]>()
  if (userIds.length === 0) return groups
  for (const row of await findUserGroups(db, tenantId, userIds)) {
    const list = groups.get(row.user_id) ?? []
    list.push({
      value: row.group_id,
      $ref: `${baseUrl}/Groups/${row.group_id}`,
      display: row.display_name,
      type: row.direct ? 'direct' : 'indirect',
    })
    groups.set(row.user_id, list)
  }
  return groups
}

/** Adds `groups` to a user's JSON text (an object), leaving it as it is when there are none. */
export function withGroupsJson(json: string, groups: Json[] | undefined): string {
  if (!groups || groups.length === 0) return json
  return `${json.slice(0, json.lastIndexOf('}'))},"groups":${JSON.stringify(groups)}}`
}
