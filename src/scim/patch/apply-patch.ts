import type { Json } from '../resource/json.js'
import { cloneJson } from '../resource/json.js'
import { normalizeResource } from '../resource/normalize.js'
import type { ResourceDescriptor } from '../schema/registry.js'
import { applyOperation } from './apply-operation.js'
import { atOperation } from './operation-error.js'
import { type PatchOperation, parsePatchRequest } from './parse-patch-request.js'

export interface PatchResult {
  /** The new canonical resource (see normalize.ts). */
  resource: Json
}

/**
 * Applies a PatchOp body (RFC 7644 §3.5.2 and the Entra dialect, entra-scim.md §3.5) to a canonical
 * resource. Pure and atomic: works on a deep clone, and any failing operation throws a ScimError
 * whose detail starts with `Operations[i]`, leaving the caller's resource untouched. The result is
 * re-validated as a whole with the POST rules (required attributes, one primary, limits).
 */
export function applyPatch(resource: Json, body: unknown, descriptor: ResourceDescriptor): PatchResult {
  return applyPatchInPlace(cloneJson(resource), body, descriptor)
}

/**
 * applyPatch without the clone, for a caller that owns `working` (e.g. a copy it has just parsed
 * from storage) and discards it when this throws: a failing operation leaves it half-changed.
 */
export function applyPatchInPlace(working: Json, body: unknown, descriptor: ResourceDescriptor): PatchResult {
  applyOperations(
    working,
    parsePatchRequest(body).map((operation, index) => ({ index, operation })),
    descriptor,
  )
  return { resource: normalizeResource(working, descriptor) }
}

/** Applies parsed operations in order; a failure names its index in the request. */
export function applyOperations(
  working: Json,
  operations: readonly { index: number; operation: PatchOperation }[],
  descriptor: ResourceDescriptor,
): void {
  for (const { index, operation } of operations) {
    try {
      applyOperation(working, operation, descriptor)
    } catch (error) {
      throw atOperation(index, error)
    }
  }
}
