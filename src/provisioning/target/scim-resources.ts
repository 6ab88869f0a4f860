/**
 * The shapes the provisioning service reads from and sends to a SCIM target, and the checks that an
 * answer really has that shape. Only what the engine relies on is typed; everything else a target
 * returns is kept as it came.
 */

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'

export interface ScimMeta {
  resourceType?: string
  created?: string
  lastModified?: string
  location?: string
  version?: string
}

export interface ScimResource {
  id: string
  schemas?: string[]
  externalId?: string
  meta?: ScimMeta
  [attribute: string]: unknown
}

export interface ScimUser extends ScimResource {
  userName?: string
  active?: boolean
}

export interface ScimGroupMember {
  value: string
  display?: string
  $ref?: string
  type?: string
}

export interface ScimGroup extends ScimResource {
  displayName?: string
  members?: ScimGroupMember[]
}

/** A resource to create: no id yet. */
export type NewScimResource = { schemas: string[]; [attribute: string]: unknown }

export interface ListResponse<T extends ScimResource> {
  totalResults: number
  startIndex: number
  itemsPerPage: number
  Resources: T[]
}

/** One PatchOp operation (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove'
  path?: string
  value?: unknown
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Why `value` is not a SCIM resource, or undefined when it is one (an object with a string id). */
export function resourceProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the body is not a JSON object'
  if (typeof value['id'] !== 'string' || value['id'] === '') return 'the resource has no "id"'
  return undefined
}

/**
 * Why `value` is not a ListResponse, or undefined when it is one. `Resources` may be missing when
 * nothing matched (RFC 7644 §3.4.2); numbers sent as strings are a common slip and are refused.
 */
export function listProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the body is not a JSON object'
  if (typeof value['totalResults'] !== 'number') return 'the body has no numeric "totalResults"'
  const resources = value['Resources']
  if (resources === undefined) return value['totalResults'] === 0 ? undefined : 'the body has no "Resources"'
  if (!Array.isArray(resources)) return '"Resources" is not an array'
  for (const [index, resource] of resources.entries()) {
    const problem = resourceProblem(resource)
    if (problem) return `Resources[${index}]: ${problem.replace('the body', 'the element')}`
  }
  return undefined
}

/** A checked ListResponse with its optional members filled in. */
export function toListResponse<T extends ScimResource>(value: Record<string, unknown>): ListResponse<T> {
  const resources = (value['Resources'] ?? []) as T[]
  return {
    totalResults: value['totalResults'] as number,
    startIndex: typeof value['startIndex'] === 'number' ? value['startIndex'] : 1,
    itemsPerPage: typeof value['itemsPerPage'] === 'number' ? value['itemsPerPage'] : resources.length,
    Resources: resources,
  }
}
