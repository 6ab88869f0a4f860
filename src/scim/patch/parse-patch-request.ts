import { badRequest } from '../errors.js'
import { getIgnoreCase, hasIgnoreCase, isPlainObject, jsonType } from '../resource/json.js'

/**
 * Checks the PatchOp envelope (RFC 7644 §3.5.2). Names are matched case-insensitively because Entra
 * sends `"op":"Replace"` (entra-scim.md §3.5) and other clients send `operations`.
 */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/** A bound on work per request; Entra sends one op per changed attribute (a few dozen at most). */
export const MAX_OPERATIONS = 1000

export type PatchOpName = 'add' | 'replace' | 'remove'

export interface PatchOperation {
  op: PatchOpName
  /** Undefined when the op has no `path` (a path-less add/replace). */
  path: string | undefined
  /** Undefined when the op has no `value` member; null when the client sent null. */
  value: unknown
  hasValue: boolean
}

const OP_NAMES: readonly string[] = ['add', 'replace', 'remove']

export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) {
    throw badRequest('invalidSyntax', `the request body must be a JSON object, got ${jsonType(body)}`)
  }
  const schemas = getIgnoreCase(body, 'schemas')
  const wanted = PATCH_OP_SCHEMA.toLowerCase()
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === wanted)) {
    throw badRequest('invalidSyntax', `schemas: must contain "${PATCH_OP_SCHEMA}"`)
  }
  const operations = getIgnoreCase(body, 'Operations')
  if (!Array.isArray(operations) || operations.length === 0) {
    throw badRequest('invalidSyntax', 'Operations: expected a non-empty array')
  }
  if (operations.length > MAX_OPERATIONS) {
    throw badRequest('invalidSyntax', `Operations: more than ${MAX_OPERATIONS} operations`)
  }
  return operations.map((operation, index) => parseOperation(operation, `Operations[${index}]`))
}

function parseOperation(operation: unknown, where: string): PatchOperation {
  if (!isPlainObject(operation)) {
    throw badRequest('invalidSyntax', `${where}: expected an object, got ${jsonType(operation)}`)
  }
  const op = getIgnoreCase(operation, 'op')
  const name = typeof op === 'string' ? op.toLowerCase() : undefined
  if (name === undefined || !OP_NAMES.includes(name)) {
    const got = typeof op === 'string' ? `"${op.slice(0, 40)}"` : jsonType(op)
    throw badRequest('invalidSyntax', `${where}.op: expected "add", "replace" or "remove", got ${got}`)
  }
  const path = getIgnoreCase(operation, 'path')
  if (path !== undefined && path !== null && typeof path !== 'string') {
    throw badRequest('invalidPath', `${where}.path: expected a string, got ${jsonType(path)}`)
  }
  const hasValue = hasIgnoreCase(operation, 'value')
  if (name !== 'remove' && !hasValue) {
    throw badRequest('invalidSyntax', `${where}.value: required for "${name}"`)
  }
  return {
    op: name as PatchOpName,
    path: typeof path === 'string' ? path : undefined,
    value: getIgnoreCase(operation, 'value'),
    hasValue,
  }
}
