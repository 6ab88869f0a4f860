import { badRequest } from '../errors.js'
import { invalidValue, isAbsent } from '../resource/coerce.js'
import { isPlainObject, type Json, jsonType } from '../resource/json.js'
import { findExtension } from '../resource/schemas.js'
import type { ResourceDescriptor } from '../schema/registry.js'
import type { PatchOperation, PatchOpName } from './parse-patch-request.js'
import { type PatchTarget, resolvePatchTarget } from './patch-target.js'
import { updateAttribute } from './update-attribute.js'

/** Applies one validated operation to `resource` (a clone owned by applyPatch). */
export function applyOperation(
  resource: Json,
  operation: PatchOperation,
  descriptor: ResourceDescriptor,
): void {
  const { op, path, value, hasValue } = operation
  if (path === undefined) {
    if (op === 'remove') throw badRequest('noTarget', 'path: required for "remove"')
    applyPathless(resource, op, value, descriptor)
    return
  }
  const resolved = resolvePatchTarget(path, descriptor)
  if (!resolved.ok) throw resolved.error
  applyToTarget(resource, op, resolved.value, value, hasValue, descriptor)
}

function applyToTarget(
  resource: Json,
  op: PatchOpName,
  target: PatchTarget,
  value: unknown,
  hasValue: boolean,
  descriptor: ResourceDescriptor,
): void {
  switch (target.kind) {
    case 'ignored':
      return
    case 'extension':
      if (op === 'remove' || isAbsent(value)) delete resource[target.schema.id]
      else applyPathless(resource, op, { [target.schema.id]: value }, descriptor)
      return
    case 'attribute':
      updateAttribute(resource, op, target, value, hasValue)
  }
}

/**
 * A path-less add/replace (RFC 7644 §3.5.2.1): each key of `value` is applied as if it were the
 * op's path. Keys may be plain names, Entra's dotted (`name.givenName`) and URN-qualified keys,
 * or an extension URN holding an object (entra-scim.md §3.5.1). Unknown and readOnly keys are
 * ignored, as in a POST body.
 */
function applyPathless(
  resource: Json,
  op: PatchOpName,
  value: unknown,
  descriptor: ResourceDescriptor,
): void {
  if (!isPlainObject(value)) {
    throw invalidValue('value', `expected an object when "path" is omitted, got ${jsonType(value)}`)
  }
  for (const [key, raw] of Object.entries(value)) {
    if (key.toLowerCase() === 'schemas') continue
    const extension = findExtension(descriptor, key)
    if (!extension) {
      applyKey(resource, op, key, raw, descriptor)
      continue
    }
    if (isAbsent(raw)) continue
    if (!isPlainObject(raw)) throw invalidValue(extension.id, `expected an object, got ${jsonType(raw)}`)
    for (const [name, inner] of Object.entries(raw))
      applyKey(resource, op, `${extension.id}:${name}`, inner, descriptor)
  }
}

function applyKey(
  resource: Json,
  op: PatchOpName,
  key: string,
  value: unknown,
  descriptor: ResourceDescriptor,
): void {
  const resolved = resolvePatchTarget(key, descriptor)
  if (resolved.ok && resolved.value.kind !== 'extension')
    applyToTarget(resource, op, resolved.value, value, true, descriptor)
}
