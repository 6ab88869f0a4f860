/**
 * Shared pieces of the HTTP-layer suites (bad input, tenant isolation, protocol, groups)
 * and of the conformance suites.
 */
import assert from 'node:assert/strict'
import type { Db } from '../../src/store/database.js'
import type { ScimClient, ScimResponse } from '../support/server.js'

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
/** Entra puts this next to the core Group URN in `schemas` (entra-scim.md §4): accepted, ignored. */
export const MS_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest'

export const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })
export const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`
/** `q` for /Groups. */
export const gq = (filter: string) => `/Groups?filter=${encodeURIComponent(filter)}`

/** A user that satisfies the default (AlexisHR) tenant rules. */
export function employee(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const local = userName.split('@')[0] ?? userName
  return {
    schemas: [USER, ENTERPRISE],
    userName,
    name: { givenName: 'Given', familyName: local },
    emails: [{ type: 'work', value: `${local}@mail.example`, primary: true }],
    ...extra,
  }
}

/** A Group body; `extra` may carry members, externalId or anything else. */
export function groupBody(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [GROUP], displayName, ...extra }
}

/** `members` elements (`{"value": id}`) for these ids. */
export const membersOf = (...ids: string[]) => ids.map((value) => ({ value }))

/** The member ids of a group, sorted: member order is not specified, so lists compare as sets. */
// biome-ignore lint/suspicious/noExplicitAny: group bodies are arbitrary JSON
export function memberIds(group: any): string[] {
  const members: { value: string }[] = group?.members ?? []
  return members.map((member) => member.value).sort()
}

export const sortedIds = (...ids: string[]) => [...ids].sort()

/** POSTs `body` to `path`, asserts 201 and returns the created resource. */
// biome-ignore lint/suspicious/noExplicitAny: resource bodies are arbitrary JSON
export async function postCreated(scim: ScimClient, path: string, body: unknown): Promise<any> {
  const response = await scim('POST', path, body)
  assert.equal(response.status, 201, `POST ${path}: ${response.text}`)
  return response.body
}

/**
 * Resources in a stable order for deep comparison: by id, with the set-valued reference lists
 * (`members`, a user's `groups`) sorted by value, since their order is not specified.
 */
// biome-ignore lint/suspicious/noExplicitAny: resource bodies are arbitrary JSON
export function canonicalResources(resources: any[]): unknown[] {
  const byValue = (left: { value: string }, right: { value: string }) => left.value.localeCompare(right.value)
  return [...resources].sort(byId).map((resource) => ({
    ...resource,
    ...(Array.isArray(resource.members) ? { members: [...resource.members].sort(byValue) } : {}),
    ...(Array.isArray(resource.groups) ? { groups: [...resource.groups].sort(byValue) } : {}),
  }))
}

export function assertScimContentType(response: ScimResponse): void {
  assert.match(
    response.headers.get('content-type') ?? '(none)',
    /^application\/scim\+json/,
    `Content-Type of ${response.status}: ${response.text}`,
  )
}

/** RFC 7644 §3.12: Error URN, string status equal to the code, a non-empty detail, scimType as expected. */
export function assertScimError(
  response: ScimResponse,
  status: number,
  scimType?: string,
  detail?: RegExp,
): void {
  assert.ok(response.status < 500, `a client request produced ${response.status}: ${response.text}`)
  assert.equal(response.status, status, response.text)
  assert.ok(response.body && typeof response.body === 'object', `error body is not JSON: ${response.text}`)
  assert.deepEqual(response.body.schemas, [ERROR], response.text)
  assert.equal(response.body.status, String(status), response.text)
  assert.equal(typeof response.body.detail, 'string', response.text)
  assert.notEqual(response.body.detail.trim(), '', response.text)
  assert.equal(response.body.scimType, scimType, response.text)
  if (detail) assert.match(response.body.detail, detail)
  assertScimContentType(response)
  if (status === 401) assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/)
}

async function countRows(
  db: Db,
  table: 'users' | 'archived_users' | 'groups' | 'group_members',
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | bigint>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Changes in the audit trail; refused writes are recorded too, as activity (outcome failure). */
async function countChanges(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .where('outcome', '=', 'success')
    .select((eb) => eb.fn.countAll<number | bigint>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Everything a write could touch: every tenant's user rows, the archive, every group and
 * membership row, and the audit trail's changes.
 */
export async function storedState(db: Db) {
  return {
    users: await db.selectFrom('users').selectAll().orderBy('tenant_id').orderBy('id').execute(),
    userCount: await countRows(db, 'users'),
    archivedCount: await countRows(db, 'archived_users'),
    groups: await db.selectFrom('groups').selectAll().orderBy('tenant_id').orderBy('id').execute(),
    groupMembers: await db
      .selectFrom('group_members')
      .selectAll()
      .orderBy('tenant_id')
      .orderBy('group_id')
      .orderBy('member_id')
      .execute(),
    groupCount: await countRows(db, 'groups'),
    groupMemberCount: await countRows(db, 'group_members'),
    auditCount: await countChanges(db),
  }
}

/** The audit trail's changes (successful writes), oldest first. */
export async function auditEvents(db: Db, tenantId?: string) {
  let query = db.selectFrom('audit_events').selectAll().where('outcome', '=', 'success')
  if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
  return query.orderBy('seq').execute()
}

// biome-ignore lint/suspicious/noExplicitAny: list bodies are arbitrary JSON
export const byId = (left: any, right: any) => String(left.id).localeCompare(String(right.id))
