import { badRequest, conflict, notFound, ScimError } from '../scim/errors.js'
import { applyPatchInPlace } from '../scim/patch/apply-patch.js'
import { diffResourcesShared } from '../scim/resource/diff.js'
import { cloneJson } from '../scim/resource/json.js'
import { normalizeResource } from '../scim/resource/normalize.js'
import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/enterprise-user.js'
import { findSchema, userResource } from '../scim/schema/registry.js'
import type { Db } from '../store/database.js'
import { isUniqueViolation } from '../store/errors.js'
import {
  archiveUser,
  changedUserColumns,
  findDirectReports,
  findUserForWrite,
  findUserNamesById,
  findUserWithManager,
  insertUser,
  type UserNameColumns,
  type UserRow,
  type UserRowWithManager,
  updateUser,
} from '../store/users-repository.js'
import { runWrite } from '../store/write-units.js'
import { type Actor, type AuditOperation, appendAuditEvent, recordAudit } from './audit.js'
import { checkHrRules } from './hr-rules.js'
import { checkIfMatch } from './if-match.js'
import { leaveAllGroups } from './memberships.js'
import { newResourceId } from './resource-id.js'
import type { Tenant } from './tenants.js'
import { managerIdOf } from './user-attributes.js'
import { storedResource, userColumns } from './user-record.js'

type Json = Record<string, unknown>

export interface DirectoryContext extends Actor {
  db: Db
  tenant: Tenant
}

/** A write unit found its user changed by another writer since it read it; the unit is undone. */
class LostRace extends Error {}

/** How many times a write is re-applied when another writer changed the same user meanwhile. */
const MAX_WRITE_ATTEMPTS = 5

function duplicateUserName(userName: string): ScimError {
  return conflict(`userName "${userName}" is already taken in this tenant`)
}

/** The user a write unit is about to change (locked until the unit commits, where that matters). */
async function loadUser(db: Db, tenantId: string, id: string): Promise<UserRow> {
  const row = await findUserForWrite(db, tenantId, id)
  if (!row) throw notFound(`User ${id} not found`)
  return row
}

/**
 * The manager must be another employee of the same tenant: never a dangling or foreign reference.
 * Answers the manager's name columns when it checked one, so the response needs no second lookup.
 */
async function checkManager(
  db: Db,
  tenantId: string,
  userId: string,
  user: Json,
  before?: Json,
): Promise<UserNameColumns | undefined> {
  const managerId = managerIdOf(user)
  if (managerId === undefined || (before && managerIdOf(before) === managerId)) return undefined
  const path = `${ENTERPRISE_USER_SCHEMA}:manager`
  if (managerId === userId) throw badRequest('invalidValue', `${path}: a user cannot be their own manager`)
  const manager = await findUserNamesById(db, tenantId, managerId)
  if (!manager) throw badRequest('invalidValue', `${path}: no user with id "${managerId}" in this tenant`)
  return manager
}

/** A written row with its manager's name columns, as reads return it, for rendering. */
function withManagerNames(row: UserRow, manager: UserNameColumns | undefined): UserRow | UserRowWithManager {
  if (!manager) return row
  return {
    ...row,
    manager_user_name: manager.user_name,
    manager_display_name: manager.display_name,
    manager_given_name: manager.given_name,
    manager_family_name: manager.family_name,
  }
}

function validate(ctx: DirectoryContext, user: Json): void {
  checkHrRules(ctx.tenant.rules, user)
}

export async function createUser(
  ctx: DirectoryContext,
  body: unknown,
): Promise<UserRow | UserRowWithManager> {
  const user = normalizeResource(body, userResource)
  validate(ctx, user)
  const id = newResourceId()
  const now = new Date().toISOString()
  const columns = { tenant_id: ctx.tenant.id, id, created: now, ...userColumns(user, now, 1) }
  try {
    const { manager, row } = await runWrite(ctx.db, async (trx) => {
      const manager = await checkManager(trx, ctx.tenant.id, id, user)
      const event = {
        operation: 'create',
        resourceType: 'User',
        resourceId: id,
        changes: { created: columns.resource },
      } as const
      // The event first: the row is inserted with it as the head of its history.
      const row: UserRow = {
        ...columns,
        audit_head: await appendAuditEvent(trx, ctx.tenant.id, ctx, event, null),
      }
      await insertUser(trx, row)
      return { manager, row }
    })
    return withManagerNames(row, manager)
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateUserName(user.userName as string)
    throw error
  }
}

/** A user with its manager's name columns, for rendering. */
export async function getUser(
  ctx: Pick<DirectoryContext, 'db' | 'tenant'>,
  id: string,
): Promise<UserRowWithManager> {
  const row = await findUserWithManager(ctx.db, ctx.tenant.id, id)
  if (!row) throw notFound(`User ${id} not found`)
  return row
}

/**
 * Read-modify-write with optimistic concurrency: `change` computes the new resource from a copy of
 * the current one (which it may modify), and the row is written only if it is still at the version
 * read. The read happens in the same write unit, so on SQLite (one writer, see write-units.ts) the
 * check always holds; with several writers (PostgreSQL) a lost race re-applies the change to the
 * fresh state.
 */
async function writeUser(
  ctx: DirectoryContext,
  id: string,
  operation: AuditOperation,
  ifMatch: string | undefined,
  change: (current: Json) => Json,
): Promise<UserRow> {
  for (let attempt = 1; ; attempt++) {
    let userName: unknown
    let written: UserRow | undefined
    try {
      written = await runWrite(ctx.db, async (trx) => {
        const current = await loadUser(trx, ctx.tenant.id, id)
        checkIfMatch(current.version, ifMatch)
        const before = storedResource(current)
        // `change` gets its own copy to work on.
        const after = change(cloneJson(before))
        validate(ctx, after)
        const changes = diffResourcesShared(before, after)
        if (changes.length === 0) return current
        userName = after.userName
        const now = new Date().toISOString()
        const columns = userColumns(after, now, current.version + 1)
        await checkManager(trx, ctx.tenant.id, id, after, before)
        const changed = changedUserColumns(current, columns)
        // The event first: the UPDATE makes it the head of the user's history.
        const event = { operation, resourceType: 'User', resourceId: id, changes } as const
        const head = await appendAuditEvent(trx, ctx.tenant.id, ctx, event, current.audit_head)
        if (!(await updateUser(trx, ctx.tenant.id, id, current.version, { ...changed, audit_head: head }))) {
          // Another writer got there first (PostgreSQL): undo the event with the unit, and retry.
          throw new LostRace()
        }
        return { ...current, ...columns, audit_head: head }
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateUserName(userName as string)
      if (!(error instanceof LostRace)) throw error
    }
    if (written) return written
    if (attempt >= MAX_WRITE_ATTEMPTS) {
      throw new ScimError(409, undefined, `User ${id} is being changed concurrently; retry the request`)
    }
  }
}

/** PUT: the body replaces every writable attribute. Unknown schemas are an error here (RFC 7644 §3.5.1). */
export async function replaceUser(
  ctx: DirectoryContext,
  id: string,
  body: unknown,
  ifMatch?: string,
): Promise<UserRow> {
  const schemas = (body as Json | null)?.schemas
  if (Array.isArray(schemas)) {
    for (const schema of schemas) {
      if (typeof schema !== 'string' || !findSchema(schema)) {
        throw badRequest('invalidValue', `schemas: unknown schema "${String(schema)}"`)
      }
    }
  }
  const user = normalizeResource(body, userResource)
  return writeUser(ctx, id, 'replace', ifMatch, () => user)
}

export async function patchUser(
  ctx: DirectoryContext,
  id: string,
  body: unknown,
  ifMatch?: string,
): Promise<UserRow> {
  return writeUser(ctx, id, 'patch', ifMatch, (copy) => applyPatchInPlace(copy, body, userResource).resource)
}

/**
 * DELETE: the user leaves SCIM (404 afterwards, userName reusable) and is archived for the audit
 * trail. Direct reports lose the reference in the same transaction, so no manager ever dangles.
 */
export async function deleteUser(ctx: DirectoryContext, id: string, ifMatch?: string): Promise<void> {
  await runWrite(ctx.db, async (trx) => {
    const row = await loadUser(trx, ctx.tenant.id, id)
    checkIfMatch(row.version, ifMatch)
    const now = new Date().toISOString()
    for (const report of await findDirectReports(trx, ctx.tenant.id, id)) {
      const before = storedResource(report)
      const after = cloneJson(before)
      const extension = after[ENTERPRISE_USER_SCHEMA] as Json
      delete extension.manager
      if (Object.keys(extension).length === 0) {
        delete after[ENTERPRISE_USER_SCHEMA]
        after.schemas = (after.schemas as string[]).filter((schema) => schema !== ENTERPRISE_USER_SCHEMA)
      }
      const columns = userColumns(after, now, report.version + 1)
      await updateUser(trx, ctx.tenant.id, report.id, report.version, changedUserColumns(report, columns))
      await recordAudit(trx, ctx.tenant.id, ctx, {
        operation: 'patch',
        resourceType: 'User',
        resourceId: report.id,
        changes: diffResourcesShared(before, after),
      })
    }
    await leaveAllGroups(trx, ctx.tenant.id, id, ctx, now)
    // Recorded while the row (the head of the user's history) still exists.
    await recordAudit(trx, ctx.tenant.id, ctx, {
      operation: 'delete',
      resourceType: 'User',
      resourceId: id,
      changes: diffResourcesShared(storedResource(row), undefined),
    })
    await archiveUser(trx, row, now, ctx.tokenId)
  })
}
