import type { SourceGroup, SourceSnapshot } from './connector.js'

/**
 * Scope by assignment: which source users and groups a job provisions, before attribute scoping filters.
 *
 * - `all`: every user and group ("Sync all users and groups").
 * - `assigned`: the users assigned directly, the groups assigned, and the members of assigned groups
 *   ("Sync only assigned users and groups"). Unlike Entra, nested groups are expanded by default: a
 *   member of a group inside an assigned group is in scope, and so is the inner group. Cycles in nesting
 *   (A in B, B in A) are harmless: each group is expanded once. `nested: false` gives Entra's behaviour
 *   (direct members only; inner groups and their members stay out).
 *
 * Disabled and soft-deleted users stay in scope here: the service disables them in the target (§10.6),
 * which is different from leaving scope.
 */

export type AssignmentScope =
  | { readonly mode: 'all' }
  | {
      readonly mode: 'assigned'
      readonly groupIds: readonly string[]
      readonly userIds?: readonly string[]
      /** Expand nested groups (default true). */
      readonly nested?: boolean
    }

export interface ScopedObjects {
  readonly users: ReadonlySet<string>
  readonly groups: ReadonlySet<string>
  /**
   * For the scoping step of the provisioning logs: the assigned group through which each user is in
   * scope (the first, in assignment order), or null when assigned directly. Empty in `all` mode.
   */
  readonly via: ReadonlyMap<string, string | null>
  /** Assigned ids with no such user or group in the snapshot (deleted from the source, or a typo). */
  readonly unknownAssignments: readonly string[]
}

export function scopeByAssignment(snapshot: SourceSnapshot, scope: AssignmentScope): ScopedObjects {
  if (scope.mode === 'all') {
    return {
      users: new Set(snapshot.users.map((user) => user.id)),
      groups: new Set(snapshot.groups.map((group) => group.id)),
      via: new Map(),
      unknownAssignments: [],
    }
  }
  const nested = scope.nested ?? true
  const userIds = new Set(snapshot.users.map((user) => user.id))
  const groupsById = new Map<string, SourceGroup>(snapshot.groups.map((group) => [group.id, group]))
  const users = new Set<string>()
  const groups = new Set<string>()
  const via = new Map<string, string | null>()
  const unknownAssignments: string[] = []

  for (const id of scope.userIds ?? []) {
    if (!userIds.has(id)) unknownAssignments.push(id)
    else if (!users.has(id)) {
      users.add(id)
      via.set(id, null)
    }
  }
  for (const root of scope.groupIds) {
    if (!groupsById.has(root)) {
      unknownAssignments.push(root)
      continue
    }
    if (groups.has(root)) continue
    // Breadth-first over the groups reachable from this assignment; `groups` doubles as the visited set.
    groups.add(root)
    const queue = [root]
    for (let next = 0; next < queue.length; next++) {
      for (const member of groupsById.get(queue[next]!)!.members) {
        if (userIds.has(member)) {
          if (!users.has(member)) {
            users.add(member)
            via.set(member, root)
          }
        } else if (nested && groupsById.has(member) && !groups.has(member)) {
          groups.add(member)
          queue.push(member)
        }
      }
    }
  }
  return { users, groups, via, unknownAssignments }
}
