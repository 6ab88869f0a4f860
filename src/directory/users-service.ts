import { badRequest, conflict, notFound, ScimError } from '../scim/errors.js'
import { applyPatch } from '../scim/patch/apply-patch.js'
import { diffResources } from '../scim/resource/diff.js'
import { normalizeResource } from '../scim/resource/normalize.js'
import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/enterprise-user.js'
import { findSchema, userResource } from '../scim/schema/registry.js'
import type { Db } from '../store/database.js'
import { isUniqueViolation } from '../store/errors.js'
import {
  archiveUser,
  existingUserIds,
  findDirectReports,
  findUserById,
  findUserWithManager,
  insertUser,
  type UserRow,
  type UserRowWithManager,
  updateUser,
} from '../store/users-repository.js'
import { type Actor, type AuditOperation, recordAudit } from './audit.js'
import { checkHrRules } from './hr-rules.js'
import { newResourceId } from './resource-id.js'
import type { Tenant } from './tenants.js'
import { managerIdOf } from './user-attributes.js'
import { etagOf, storedResource, userColumns } from './user-record.js'

type Json = Record<string, unknown>

export interface DirectoryContext extends Actor {
  db: Db
  tenant: Tenant
}

/** How many times a write is re-applied when another writer changed the same user meanwhile. */
const MAX_WRITE_ATTEMPTS = 5

function duplicateUserName(userName: string): ScimError {
  return conflict(`userName "${userName}" is already taken in this tenant`)
}

async function loadUser(db: Db, tenantId: string, id: string): Promise<UserRow> {
  const row = await findUserById(db, tenantId, id)
  if (!row) throw notFound(`User ${id} not found`)
  return row
}

function checkIfMatch(row: UserRow, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return
  const tags = ifMatch.split(',').map((tag) => tag.trim())
  if (tags.includes('*') || tags.includes(etagOf(row.version))) return
  throw new ScimError(
    412,
    undefined,
    `If-Match ${ifMatch} does not match the current version ${etagOf(row.version)}`,
  )
}

/** The manager must be another employee of the same tenant: never a dangling or foreign reference. */
async function checkManager(
  db: Db,
  tenantId: string,
  userId: string,
  user: Json,
  before?: Json,
): Promise<void> {
  const managerId = managerIdOf(user)
  if (managerId === undefined || (before && managerIdOf(before) === managerId)) return
  const path = `${ENTERPRISE_USER_SCHEMA}:manager`
  if (managerId === userId) throw badRequest('invalidValue', `${path}: a user cannot be their own manager`)
  const found = await existingUserIds(db, tenantId, [managerId])
  if (!found.has(managerId))
    throw badRequest('invalidValue', `${path}: no user with id "${managerId}" in this tenant`)
}

function validate(ctx: DirectoryContext, user: Json): void {
  checkHrRules(ctx.tenant.rules, user)
}

export async function createUser(ctx: DirectoryContext, body: unknown): Promise<UserRow> {
  const user = normalizeResource(body, userResource)
  validate(ctx, user)
  const id = newResourceId()
  const now = new Date().toISOString()
  const row: UserRow = { tenant_id: ctx.tenant.id, id, created: now, ...userColumns(user, now, 1) }
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await checkManager(trx, ctx.tenant.id, id, user)
      await insertUser(trx, row)
      await recordAudit(trx, ctx.tenant.id, ctx, {
        operation: 'create',
        resourceType: 'User',
        resourceId: id,
        changes: diffResources(undefined, user),
      })
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateUserName(user.userName as string)
    throw error
  }
  return row
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
 * Read-modify-write with optimistic concurrency: `change` computes the new resource from the
 * current one; if another writer got in between, the change is re-applied to the fresh state.
 */
async function writeUser(
  ctx: DirectoryContext,
  id: string,
  operation: AuditOperation,
  ifMatch: string | undefined,
  change: (current: Json) => Json,
): Promise<UserRow> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadUser(ctx.db, ctx.tenant.id, id)
    checkIfMatch(current, ifMatch)
    const before = storedResource(current)
    const after = change(before)
    validate(ctx, after)
    const changes = diffResources(before, after)
    if (changes.length === 0) return current
    const now = new Date().toISOString()
    const columns = userColumns(after, now, current.version + 1)
    let written = false
    try {
      written = await ctx.db.transaction().execute(async (trx) => {
        await checkManager(trx, ctx.tenant.id, id, after, before)
        if (!(await updateUser(trx, ctx.tenant.id, id, current.version, columns))) return false
        await recordAudit(trx, ctx.tenant.id, ctx, {
          operation,
          resourceType: 'User',
          resourceId: id,
          changes,
        })
        return true
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateUserName(after.userName as string)
      throw error
    }
    if (written) return { ...current, ...columns }
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
  return writeUser(ctx, id, 'patch', ifMatch, (current) => applyPatch(current, body, userResource).resource)
}

/**
 * DELETE: the user leaves SCIM (404 afterwards, userName reusable) and is archived for the audit
 * trail. Direct reports lose the reference in the same transaction, so no manager ever dangles.
 */
export async function deleteUser(ctx: DirectoryContext, id: string, ifMatch?: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await loadUser(trx, ctx.tenant.id, id)
    checkIfMatch(row, ifMatch)
    const now = new Date().toISOString()
    for (const report of await findDirectReports(trx, ctx.tenant.id, id)) {
      const before = storedResource(report)
      const after = structuredClone(before)
      const extension = after[ENTERPRISE_USER_SCHEMA] as Json
      delete extension.manager
      if (Object.keys(extension).length === 0) {
        delete after[ENTERPRISE_USER_SCHEMA]
        after.schemas = (after.schemas as string[]).filter((schema) => schema !== ENTERPRISE_USER_SCHEMA)
      }
      await updateUser(
        trx,
        ctx.tenant.id,
        report.id,
        report.version,
        userColumns(after, now, report.version + 1),
      )
      await recordAudit(trx, ctx.tenant.id, ctx, {
        operation: 'patch',
        resourceType: 'User',
        resourceId: report.id,
        changes: diffResources(before, after),
      })
    }
    await archiveUser(trx, row, now, ctx.tokenId)
    await recordAudit(trx, ctx.tenant.id, ctx, {
      operation: 'delete',
      resourceType: 'User',
      resourceId: id,
      changes: diffResources(storedResource(row), undefined),
    })
  })
}
