import type { SourceGroup, SourceIssue, SourceIssueCode, SourceSnapshot, SourceUser } from './connector.js'

/**
 * Checks a snapshot the way the provisioning service depends on it, for any connector: ids unique across
 * users and groups, `userPrincipalName` unique (it is the default matching attribute), `manager` and
 * `members` pointing at objects that exist, no cycle in any manager chain (a reporting line that never
 * reaches the top cannot be provisioned in order). It also normalises: `manager` given as a
 * userPrincipalName becomes the manager's id, an unknown manager becomes null (a warning: the person is
 * still provisioned, without a manager), duplicate members are dropped.
 */

export interface ObjectLocation {
  readonly line?: number
  /** e.g. `users[3]` or `row 4` */
  readonly object: string
}

export interface ValidateSnapshotOptions {
  /** Named in every issue. */
  readonly file?: string
  /** Where `users[index]` / `groups[index]` came from; defaults to the array position. */
  readonly locate?: (objectType: 'user' | 'group', index: number) => ObjectLocation
  /** How the manager reference is called in messages: `manager` (JSON) or the CSV column. */
  readonly managerField?: string
}

export interface ValidatedSnapshot {
  /** Normalised; meaningful only when `issues` has no errors. */
  readonly snapshot: SourceSnapshot
  readonly issues: readonly SourceIssue[]
}

const defaultLocate = (objectType: 'user' | 'group', index: number): ObjectLocation => ({
  object: `${objectType === 'user' ? 'users' : 'groups'}[${index}]`,
})

const TYPED_ATTRIBUTES: Record<string, 'string' | 'boolean'> = {
  userPrincipalName: 'string',
  manager: 'string',
  accountEnabled: 'boolean',
}

export function validateSnapshot(
  snapshot: SourceSnapshot,
  options: ValidateSnapshotOptions = {},
): ValidatedSnapshot {
  const issues: SourceIssue[] = []
  const locate = options.locate ?? defaultLocate
  const managerField = options.managerField ?? 'manager'
  const describe = (objectType: 'user' | 'group', index: number, id: string): ObjectLocation => {
    const where = locate(objectType, index)
    return { ...where, object: id === '' ? where.object : `${where.object} (id "${id}")` }
  }
  const report = (
    severity: 'error' | 'warning',
    code: SourceIssueCode,
    where: ObjectLocation,
    field: string | undefined,
    message: string,
  ): void => {
    issues.push({
      severity,
      code,
      message,
      ...(options.file === undefined ? {} : { file: options.file }),
      ...(where.line === undefined ? {} : { line: where.line }),
      object: where.object,
      ...(field === undefined ? {} : { field }),
    })
  }
  const placeOf = (where: ObjectLocation): string =>
    where.line === undefined ? where.object : `${where.object} (line ${where.line})`

  // Ids: one namespace for users and groups. Locations are looked up only to report (they may cost a scan).
  const firstSeen = new Map<string, readonly ['user' | 'group', number]>()
  const checkId = (objectType: 'user' | 'group', index: number, id: string): void => {
    if (id.trim() === '') {
      report(
        'error',
        'invalid-value',
        describe(objectType, index, id),
        'id',
        'every object needs a non-empty id',
      )
      return
    }
    const previous = firstSeen.get(id)
    if (previous === undefined) {
      firstSeen.set(id, [objectType, index])
      return
    }
    const other = placeOf(locate(...previous))
    report(
      'error',
      'duplicate-id',
      describe(objectType, index, id),
      'id',
      `id "${id}" is already used by ${other}`,
    )
  }
  snapshot.users.forEach((user, index) => {
    checkId('user', index, user.id)
  })
  snapshot.groups.forEach((group, index) => {
    checkId('group', index, group.id)
  })

  const userIndex = new Map<string, number>()
  snapshot.users.forEach((user, index) => {
    if (!userIndex.has(user.id)) userIndex.set(user.id, index)
  })
  const groupIds = new Set(snapshot.groups.map((group) => group.id))

  // Well-known attribute types and userPrincipalName uniqueness (case-insensitive, as Entra's).
  const byPrincipalName = new Map<string, number>()
  snapshot.users.forEach((user, index) => {
    for (const [name, type] of Object.entries(TYPED_ATTRIBUTES)) {
      const value = user.attributes[name]
      if (value !== undefined && value !== null && typeof value !== type) {
        const field = name === 'manager' ? managerField : name
        report('error', 'invalid-value', describe('user', index, user.id), field, `must be a ${type}`)
      }
    }
    const upn = user.attributes.userPrincipalName
    if (typeof upn !== 'string' || upn === '') return
    const key = upn.toLowerCase()
    const previous = byPrincipalName.get(key)
    if (previous === undefined) byPrincipalName.set(key, index)
    else {
      const other = placeOf(describe('user', previous, snapshot.users[previous]!.id))
      report(
        'error',
        'duplicate-user-principal-name',
        describe('user', index, user.id),
        'userPrincipalName',
        `"${upn}" is already used by ${other}`,
      )
    }
  })

  // Managers: an id, or a userPrincipalName resolved to the id.
  const managerIndex: (number | undefined)[] = []
  const users: SourceUser[] = snapshot.users.map((user, index) => {
    const manager = user.attributes.manager
    if (typeof manager !== 'string' || manager === '') return user
    const resolved = userIndex.get(manager) ?? byPrincipalName.get(manager.toLowerCase())
    if (resolved === undefined) {
      const what = groupIds.has(manager)
        ? `"${manager}" is a group, not a user`
        : `no user has id or userPrincipalName "${manager}"`
      report(
        'warning',
        'unknown-manager',
        describe('user', index, user.id),
        managerField,
        `${what}; provisioned without a manager`,
      )
      return { ...user, attributes: { ...user.attributes, manager: null } }
    }
    managerIndex[index] = resolved
    const id = snapshot.users[resolved]!.id
    return id === manager ? user : { ...user, attributes: { ...user.attributes, manager: id } }
  })

  // Manager cycles: each user has at most one manager, so walk each chain once (0 new, 1 on the current
  // walk, 2 known to end at the top).
  const state = new Uint8Array(users.length)
  for (let start = 0; start < users.length; start++) {
    const path: number[] = []
    let at: number | undefined = start
    while (at !== undefined && state[at] === 0) {
      state[at] = 1
      path.push(at)
      at = managerIndex[at]
    }
    if (at !== undefined && state[at] === 1) {
      const cycle = path.slice(path.indexOf(at))
      const chain = [...cycle, at].map((index) => users[index]!.id).join(' → ')
      const first = Math.min(...cycle)
      report(
        'error',
        'manager-cycle',
        describe('user', first, users[first]!.id),
        managerField,
        `the manager chain is a cycle (${chain}); someone in it must report to a manager outside it`,
      )
    }
    for (const index of path) state[index] = 2
  }

  // Members: must exist; duplicates are dropped.
  const groups: SourceGroup[] = snapshot.groups.map((group, index) => {
    if (group.displayName.trim() === '') {
      report('error', 'invalid-value', describe('group', index, group.id), 'displayName', 'must not be empty')
    }
    const seen = new Set<string>()
    for (const member of group.members) {
      if (seen.has(member)) {
        report(
          'warning',
          'duplicate-member',
          describe('group', index, group.id),
          'members',
          `"${member}" is listed twice`,
        )
      } else if (!userIndex.has(member) && !groupIds.has(member)) {
        report(
          'error',
          'unknown-member',
          describe('group', index, group.id),
          'members',
          `no user or group has id "${member}"`,
        )
      }
      seen.add(member)
    }
    return seen.size === group.members.length ? group : { ...group, members: [...seen] }
  })

  const warnings = [...(snapshot.warnings ?? []), ...issues.filter((issue) => issue.severity === 'warning')]
  return {
    snapshot: {
      users,
      groups,
      ...(snapshot.watermark === undefined ? {} : { watermark: snapshot.watermark }),
      ...(warnings.length === 0 ? {} : { warnings }),
    },
    issues,
  }
}
