import { badRequest } from '../errors.js'
import type { Filter } from '../filter/ast.js'
import { parsePatchPath } from '../filter/parse-path.js'
import { atOperation } from '../patch/operation-error.js'
import type { PatchOperation } from '../patch/parse-patch-request.js'
import { parsePatchRequest } from '../patch/parse-patch-request.js'
import { isPlainObject, type Json } from '../resource/json.js'
import { GROUP_SCHEMA } from '../schema/group.js'
import { memberIdsOf } from './member-ids.js'

/**
 * One change to a group's member list. Members are rows in the store, never a JSON array, so a
 * PATCH on a 100,000-member group becomes a few keyed statements instead of a rewrite of the list.
 */
export type MembershipChange =
  /** Idempotent: ids already members stay as they are. */
  | { kind: 'add'; ids: string[] }
  /** Only these ids; ids that are not members are ignored. */
  | { kind: 'remove'; ids: string[] }
  | { kind: 'removeAll' }
  /** `members[<filter>]`: the filter reads each member's `value` and `type`. */
  | { kind: 'removeWhere'; filter: Filter; text: string }
  /** The member list becomes exactly these ids. */
  | { kind: 'replace'; ids: string[] }

/** An operation keeps its index in the request so error details can say `Operations[i]`. */
export interface Indexed<T> {
  index: number
  item: T
}

export interface GroupPatchPlan {
  /** Operations on displayName, externalId and the rest, for the ordinary PATCH engine. */
  attributes: Indexed<PatchOperation>[]
  /** Membership changes, to be applied in this order. */
  members: Indexed<MembershipChange>[]
}

const MEMBERS = 'members'
const QUALIFIED_MEMBERS = `${GROUP_SCHEMA}:members`.toLowerCase()

/** `members`, or its URN-qualified name, in any case: the key a body or path names members by. */
export function isMembersKey(key: string): boolean {
  const lower = key.toLowerCase()
  return lower === MEMBERS || lower === QUALIFIED_MEMBERS
}

/**
 * Splits a Group PatchOp body (RFC 7644 §3.5.2, plus Entra's dialect, entra-scim.md §4) into
 * attribute operations and membership changes. Entra's default `Remove` on `members` with a value
 * array removes only the listed members; an RFC-strict reading would empty the group, which is the
 * best-known way SCIM servers lose memberships, so the value is honoured whenever it is present.
 */
export function planGroupPatch(body: unknown): GroupPatchPlan {
  const plan: GroupPatchPlan = { attributes: [], members: [] }
  parsePatchRequest(body).forEach((operation, index) => {
    try {
      planOperation(operation, index, plan)
    } catch (error) {
      throw atOperation(index, error)
    }
  })
  return plan
}

function planOperation(operation: PatchOperation, index: number, plan: GroupPatchPlan): void {
  const { op, path, value } = operation
  if (path === undefined) {
    // Path-less add/replace: `members` inside the value object is a membership change, the rest
    // stays an attribute operation.
    if (!isPlainObject(value)) {
      plan.attributes.push({ index, item: operation })
      return
    }
    const rest: Json = {}
    for (const [key, inner] of Object.entries(value)) {
      if (isMembersKey(key)) {
        const ids = memberIdsOf(inner, 'value.members')
        plan.members.push({ index, item: op === 'replace' ? { kind: 'replace', ids } : { kind: 'add', ids } })
      } else {
        rest[key] = inner
      }
    }
    if (Object.keys(rest).length > 0 || Object.keys(value).length === 0) {
      plan.attributes.push({ index, item: { ...operation, value: rest } })
    }
    return
  }

  const parsed = parsePatchPath(path)
  if (!parsed.ok) throw parsed.error
  const { path: attribute, filter, sub } = parsed.value
  const name = attribute.uri === undefined ? attribute.name : `${attribute.uri}:${attribute.name}`
  if (!isMembersKey(name)) {
    plan.attributes.push({ index, item: operation })
    return
  }
  if (attribute.sub !== undefined || sub !== undefined) {
    throw badRequest(
      'invalidPath',
      `path "${path}": a member is added or removed whole; use "members" or "members[value eq \\"<id>\\"]"`,
    )
  }
  if (filter) {
    if (op !== 'remove') {
      throw badRequest(
        'invalidPath',
        `path "${path}": only "remove" takes a value filter on members; use "add" with path "members" to add`,
      )
    }
    plan.members.push({ index, item: { kind: 'removeWhere', filter, text: path } })
    return
  }
  switch (op) {
    case 'add':
      plan.members.push({ index, item: { kind: 'add', ids: memberIdsOf(value) } })
      return
    case 'replace':
      plan.members.push({ index, item: { kind: 'replace', ids: memberIdsOf(value) } })
      return
    case 'remove':
      plan.members.push({
        index,
        item:
          value === undefined || value === null
            ? { kind: 'removeAll' }
            : { kind: 'remove', ids: memberIdsOf(value) },
      })
      return
  }
}
