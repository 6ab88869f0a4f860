import type { RawBuilder, SqlBool } from 'kysely'
import { badRequest, conflict, notFound, ScimError } from '../scim/errors.js'
import type { Filter } from '../scim/filter/ast.js'
import { memberIdsOf } from '../scim/membership/member-ids.js'
import { isMembersKey, planGroupPatch } from '../scim/membership/plan-group-patch.js'
import { applyOperations } from '../scim/patch/apply-patch.js'
import { atOperation } from '../scim/patch/operation-error.js'
import { type AttributeChange, diffResources } from '../scim/resource/diff.js'
import { cloneJson, getIgnoreCase, isPlainObject, type Json } from '../scim/resource/json.js'
import { normalizeResource } from '../scim/resource/normalize.js'
import { GROUP_SCHEMA, MICROSOFT_GROUP_SCHEMA } from '../scim/schema/group.js'
import { groupResource } from '../scim/schema/registry.js'
import type { Db } from '../store/database.js'
import { isUniqueViolation } from '../store/errors.js'
import {
  deleteGroupRow,
  findGroupById,
  findGroupForWrite,
  type GroupRow,
  insertGroup,
  updateGroup,
} from '../store/groups-repository.js'
import { runWrite } from '../store/write-units.js'
import { type AuditOperation, recordAudit } from './audit.js'
import { groupColumns, groupResourceOf } from './group-record.js'
import { checkIfMatch } from './if-match.js'
import {
  applyMembershipChange,
  leaveAllGroups,
  MembershipDelta,
  type MembershipTarget,
} from './memberships.js'
import { newResourceId } from './resource-id.js'
import type { DirectoryContext } from './users-service.js'

/** How a `members[…]` value filter becomes SQL; given by the caller, which knows the dialect. */
export type MemberFilterCompiler = (filter: Filter, text: string) => RawBuilder<SqlBool>

export interface GroupsContext extends DirectoryContext {
  memberFilter: MemberFilterCompiler
}

const MAX_WRITE_ATTEMPTS = 5

function duplicateDisplayName(displayName: unknown): ScimError {
  return conflict(`displayName "${String(displayName)}" is already taken in this tenant`)
}

/** The group a write unit is about to change (locked until the unit commits, where that matters). */
async function loadGroup(db: Db, tenantId: string, id: string): Promise<GroupRow> {
  const row = await findGroupForWrite(db, tenantId, id)
  if (!row) throw notFound(`Group ${id} not found`)
  return row
}

/**
 * A POST/PUT body split into the canonical group (members aside) and its member ids. Members never
 * go through the generic resource normaliser: a group may hold far more of them than any
 * multi-valued user attribute, and they are stored as rows.
 */
function readGroupBody(body: unknown): { resource: Json; memberIds: string[] | undefined } {
  if (!isPlainObject(body)) return { resource: normalizeResource(body, groupResource), memberIds: undefined }
  const rest: Json = {}
  let members: unknown
  let hasMembers = false
  for (const [key, value] of Object.entries(body)) {
    if (isMembersKey(key)) {
      members = value
      hasMembers = true
    } else {
      rest[key] = value
    }
  }
  return {
    resource: normalizeResource(rest, groupResource),
    memberIds: hasMembers ? memberIdsOf(members) : undefined,
  }
}

/** PUT names its schemas; unknown ones are an error (RFC 7644 §3.5.1). Entra's own group URI is known. */
function checkSchemas(body: unknown): void {
  const schemas = isPlainObject(body) ? getIgnoreCase(body, 'schemas') : undefined
  if (!Array.isArray(schemas)) return
  for (const schema of schemas) {
    const known =
      typeof schema === 'string' &&
      [GROUP_SCHEMA, MICROSOFT_GROUP_SCHEMA].some((id) => id.toLowerCase() === schema.toLowerCase())
    if (!known) throw badRequest('invalidValue', `schemas: unknown schema "${String(schema)}"`)
  }
}

function membershipTarget(ctx: GroupsContext, db: Db, groupId: string): MembershipTarget {
  return { db, tenantId: ctx.tenant.id, groupId, memberFilter: ctx.memberFilter }
}

function auditChanges(
  before: Json | undefined,
  after: Json | undefined,
  delta: MembershipDelta,
): AttributeChange[] {
  const changes = diffResources(before, after)
  if (!delta.isEmpty) changes.push(delta.toChange())
  return changes
}

export async function createGroup(ctx: GroupsContext, body: unknown): Promise<GroupRow> {
  const { resource, memberIds } = readGroupBody(body)
  const id = newResourceId()
  const now = new Date().toISOString()
  // Its history starts with the create event, recorded in the unit below.
  const row: GroupRow = {
    tenant_id: ctx.tenant.id,
    id,
    created: now,
    ...groupColumns(resource, now, 1),
    audit_head: null,
  }
  try {
    await runWrite(ctx.db, async (trx) => {
      await insertGroup(trx, row)
      const delta = new MembershipDelta()
      if (memberIds && memberIds.length > 0) {
        await applyMembershipChange(membershipTarget(ctx, trx, id), { kind: 'add', ids: memberIds }, delta)
      }
      await recordAudit(trx, ctx.tenant.id, ctx, {
        operation: 'create',
        resourceType: 'Group',
        resourceId: id,
        changes: auditChanges(undefined, resource, delta),
      })
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateDisplayName(resource.displayName)
    throw error
  }
  return row
}

export async function getGroup(ctx: Pick<DirectoryContext, 'db' | 'tenant'>, id: string): Promise<GroupRow> {
  const row = await findGroupById(ctx.db, ctx.tenant.id, id)
  if (!row) throw notFound(`Group ${id} not found`)
  return row
}

/**
 * Read-modify-write of one group in a transaction, with the optimistic version check users have:
 * `change` returns the new resource (members aside) after applying its membership changes to the
 * same transaction. A write that changes nothing keeps the version.
 */
async function writeGroup(
  ctx: GroupsContext,
  id: string,
  operation: AuditOperation,
  ifMatch: string | undefined,
  change: (db: Db, current: Json, delta: MembershipDelta) => Promise<Json>,
): Promise<GroupRow> {
  for (let attempt = 1; ; attempt++) {
    let attempted: Json | undefined
    try {
      return await runWrite(ctx.db, async (trx) => {
        const current = await loadGroup(trx, ctx.tenant.id, id)
        checkIfMatch(current.version, ifMatch)
        const before = groupResourceOf(current)
        const delta = new MembershipDelta()
        const after = await change(trx, before, delta)
        attempted = after
        const changes = auditChanges(before, after, delta)
        if (changes.length === 0) return current
        const columns = groupColumns(after, new Date().toISOString(), current.version + 1)
        // Another writer got in first: throwing rolls this attempt's membership changes back too.
        if (!(await updateGroup(trx, ctx.tenant.id, id, current.version, columns))) throw new StaleGroup()
        await recordAudit(trx, ctx.tenant.id, ctx, {
          operation,
          resourceType: 'Group',
          resourceId: id,
          changes,
        })
        return { ...current, ...columns }
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateDisplayName(attempted?.displayName)
      if (!(error instanceof StaleGroup)) throw error
    }
    if (attempt >= MAX_WRITE_ATTEMPTS) {
      throw new ScimError(409, undefined, `Group ${id} is being changed concurrently; retry the request`)
    }
  }
}

class StaleGroup extends Error {}

/** PUT: displayName, externalId and the whole member list are replaced. */
export async function replaceGroup(
  ctx: GroupsContext,
  id: string,
  body: unknown,
  ifMatch?: string,
): Promise<GroupRow> {
  checkSchemas(body)
  const { resource, memberIds } = readGroupBody(body)
  return writeGroup(ctx, id, 'replace', ifMatch, async (db, _current, delta) => {
    await applyMembershipChange(
      membershipTarget(ctx, db, id),
      { kind: 'replace', ids: memberIds ?? [] },
      delta,
    )
    return resource
  })
}

/** PATCH: attribute operations through the PATCH engine, membership changes as keyed statements. */
export async function patchGroup(
  ctx: GroupsContext,
  id: string,
  body: unknown,
  ifMatch?: string,
): Promise<GroupRow> {
  const plan = planGroupPatch(body)
  return writeGroup(ctx, id, 'patch', ifMatch, async (db, current, delta) => {
    const working = cloneJson(current)
    applyOperations(
      working,
      plan.attributes.map(({ index, item }) => ({ index, operation: item })),
      groupResource,
    )
    const after = normalizeResource(working, groupResource)
    // Membership changes run in request order; each sees the effect of the ones before it.
    for (const { index, item } of plan.members) {
      try {
        await applyMembershipChange(membershipTarget(ctx, db, id), item, delta)
      } catch (error) {
        throw atOperation(index, error)
      }
    }
    return after
  })
}

/** DELETE: the group leaves its parent groups; its own membership rows go with it. */
export async function deleteGroup(ctx: GroupsContext, id: string, ifMatch?: string): Promise<void> {
  await runWrite(ctx.db, async (trx) => {
    const row = await loadGroup(trx, ctx.tenant.id, id)
    checkIfMatch(row.version, ifMatch)
    const now = new Date().toISOString()
    await leaveAllGroups(trx, ctx.tenant.id, id, ctx, now)
    // Recorded while the row (the head of the group's history) still exists.
    await recordAudit(trx, ctx.tenant.id, ctx, {
      operation: 'delete',
      resourceType: 'Group',
      resourceId: id,
      changes: diffResources(groupResourceOf(row), undefined),
    })
    await deleteGroupRow(trx, ctx.tenant.id, id)
  })
}
