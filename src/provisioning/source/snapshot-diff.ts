import { createHash } from 'node:crypto'
import type {
  SourceAttributes,
  SourceAttributeValue,
  SourceChange,
  SourceGroup,
  SourceSnapshot,
  SourceUser,
} from './connector.js'

/**
 * Change detection for sources without a change feed (a file, a plain LDAP server): compare what the
 * source holds now with what it held at the previous cycle.
 *
 * `diffSnapshots` compares two whole snapshots and says exactly which attributes and members changed.
 * Keeping whole snapshots of 100,000 users between cycles is wasteful, so the service can instead keep
 * one content hash per object (`hashSnapshot`) and use `diffHashes`, which finds the same added, changed
 * and deleted objects but cannot say which attributes changed (the engine then compares mapped values).
 *
 * Equality ignores what does not matter to a target: a null attribute equals a missing one, and group
 * members are a set (their order is not compared). Multi-valued attribute values keep their order.
 * Output order is deterministic: user upserts, group upserts, group deletes, user deletes, each by id
 * (code-unit order, independent of locale) — users before groups, as memberships need both.
 */

export interface SnapshotHashes {
  readonly users: ReadonlyMap<string, string>
  readonly groups: ReadonlyMap<string, string>
}

export function diffSnapshots(previous: SourceSnapshot, current: SourceSnapshot): SourceChange[] {
  const oldUsers = byId(previous.users)
  const oldGroups = byId(previous.groups)
  const userChanges: SourceChange[] = []
  for (const user of sortById(current.users)) {
    const old = oldUsers.get(user.id)
    if (old === undefined) {
      userChanges.push({
        kind: 'upsert',
        objectType: 'user',
        object: user,
        delta: {
          added: true,
          attributes: presentNames(user.attributes),
          softDeletedChanged: user.softDeleted === true,
        },
      })
      continue
    }
    const attributes = changedNames(old.attributes, user.attributes)
    const softDeletedChanged = (old.softDeleted === true) !== (user.softDeleted === true)
    if (attributes.length > 0 || softDeletedChanged) {
      userChanges.push({
        kind: 'upsert',
        objectType: 'user',
        object: user,
        delta: { added: false, attributes, softDeletedChanged },
      })
    }
  }
  const groupChanges: SourceChange[] = []
  for (const group of sortById(current.groups)) {
    const old = oldGroups.get(group.id)
    const oldMembers = new Set(old?.members ?? [])
    const members = new Set(group.members)
    const membersAdded = [...members].filter((id) => !oldMembers.has(id)).sort()
    const membersRemoved = [...oldMembers].filter((id) => !members.has(id)).sort()
    if (old === undefined) {
      groupChanges.push({
        kind: 'upsert',
        objectType: 'group',
        object: group,
        delta: {
          added: true,
          displayNameChanged: true,
          attributes: presentNames(group.attributes),
          membersAdded,
          membersRemoved,
        },
      })
      continue
    }
    const displayNameChanged = old.displayName !== group.displayName
    const attributes = changedNames(old.attributes, group.attributes)
    if (displayNameChanged || attributes.length > 0 || membersAdded.length > 0 || membersRemoved.length > 0) {
      groupChanges.push({
        kind: 'upsert',
        objectType: 'group',
        object: group,
        delta: { added: false, displayNameChanged, attributes, membersAdded, membersRemoved },
      })
    }
  }
  const currentUsers = new Set(current.users.map((user) => user.id))
  const currentGroups = new Set(current.groups.map((group) => group.id))
  return [
    ...userChanges,
    ...groupChanges,
    ...deletes(
      'group',
      [...oldGroups.keys()].filter((id) => !currentGroups.has(id)),
    ),
    ...deletes(
      'user',
      [...oldUsers.keys()].filter((id) => !currentUsers.has(id)),
    ),
  ]
}

/**
 * Changes since the cycle whose hashes are `previous`, and the hashes to keep for the next cycle.
 * Added objects carry a delta (everything is new); changed ones carry none (which attributes changed is
 * not known from a hash).
 */
export function diffHashes(
  previous: SnapshotHashes,
  current: SourceSnapshot,
): { changes: SourceChange[]; hashes: SnapshotHashes } {
  const hashes = hashSnapshot(current)
  const changes: SourceChange[] = []
  for (const user of sortById(current.users)) {
    const old = previous.users.get(user.id)
    if (old === undefined) {
      const delta = {
        added: true,
        attributes: presentNames(user.attributes),
        softDeletedChanged: user.softDeleted === true,
      }
      changes.push({ kind: 'upsert', objectType: 'user', object: user, delta })
    } else if (old !== hashes.users.get(user.id)) {
      changes.push({ kind: 'upsert', objectType: 'user', object: user })
    }
  }
  for (const group of sortById(current.groups)) {
    const old = previous.groups.get(group.id)
    if (old === undefined) {
      const delta = {
        added: true,
        displayNameChanged: true,
        attributes: presentNames(group.attributes),
        membersAdded: [...new Set(group.members)].sort(),
        membersRemoved: [],
      }
      changes.push({ kind: 'upsert', objectType: 'group', object: group, delta })
    } else if (old !== hashes.groups.get(group.id)) {
      changes.push({ kind: 'upsert', objectType: 'group', object: group })
    }
  }
  changes.push(
    ...deletes(
      'group',
      [...previous.groups.keys()].filter((id) => !hashes.groups.has(id)),
    ),
  )
  changes.push(
    ...deletes(
      'user',
      [...previous.users.keys()].filter((id) => !hashes.users.has(id)),
    ),
  )
  return { changes, hashes }
}

export function hashSnapshot(snapshot: SourceSnapshot): SnapshotHashes {
  return {
    users: new Map(snapshot.users.map((user) => [user.id, hashUser(user)])),
    groups: new Map(snapshot.groups.map((group) => [group.id, hashGroup(group)])),
  }
}

/**
 * A content hash of a user: equal exactly when `diffSnapshots` sees no change. The canonical form is
 * versioned ("u1") so a future change of form makes every object look changed once, never silently equal.
 * 128 bits of SHA-256 in base64url (22 characters): collision-free in practice, and small in the state
 * kept for 100,000 objects.
 */
export function hashUser(user: SourceUser): string {
  return digest(`["u1",${user.softDeleted === true},${canonicalAttributes(user.attributes)}]`)
}

export function hashGroup(group: SourceGroup): string {
  const members = JSON.stringify([...new Set(group.members)].sort())
  return digest(
    `["g1",${JSON.stringify(group.displayName)},${canonicalAttributes(group.attributes)},${members}]`,
  )
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22)
}

/**
 * `[["name",value],…]` for the attributes with a value, by name: the JSON of the sorted pairs, written
 * out directly because building the pairs first costs more than the hash (100,000 users per cycle).
 */
function canonicalAttributes(attributes: SourceAttributes): string {
  let text = ''
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]
    if (value === null || value === undefined) continue
    text += `${text === '' ? '' : ','}[${JSON.stringify(name)},${JSON.stringify(value)}]`
  }
  return `[${text}]`
}

/** Names of the attributes that have a value, sorted. */
function presentNames(attributes: SourceAttributes): string[] {
  return Object.keys(attributes)
    .filter((name) => attributes[name] !== null && attributes[name] !== undefined)
    .sort()
}

function changedNames(before: SourceAttributes, after: SourceAttributes): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...names].filter((name) => !sameValue(before[name], after[name])).sort()
}

function sameValue(a: SourceAttributeValue | undefined, b: SourceAttributeValue | undefined): boolean {
  if (a === undefined || a === null) return b === undefined || b === null
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((value, i) => value === b[i])
  return a === b
}

function deletes(objectType: 'user' | 'group', ids: string[]): SourceChange[] {
  return ids.sort().map((id) => ({ kind: 'delete', objectType, id }))
}

function byId<T extends { readonly id: string }>(objects: readonly T[]): Map<string, T> {
  return new Map(objects.map((object) => [object.id, object]))
}

function sortById<T extends { readonly id: string }>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => compareIds(a.id, b.id))
}

/** Code-unit order, like the default `Array#sort` of strings (which the string arrays here use). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
