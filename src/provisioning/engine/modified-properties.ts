import type { ResolvedAttributes } from '../mapping/attribute-mapping.js'
import type { PatchOperation } from '../mapping/diff-for-patch.js'
import { readTarget } from '../mapping/target-path.js'
import { targetPathOf } from '../mapping/target-paths.js'
import type { ModifiedProperty } from '../state/log-repository.js'

/** old → new for every attribute a create sets. */
export function createdProperties(attributes: ResolvedAttributes): ModifiedProperty[] {
  return Object.entries(attributes)
    .filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))
    .map(([name, value]) => ({ name, old: null, new: value }))
}

/** old → new for every operation of a PATCH, old read from the resource before it. */
export function patchedProperties(
  operations: readonly PatchOperation[],
  current: Readonly<Record<string, unknown>>,
): ModifiedProperty[] {
  return operations.map((operation) => {
    const values = (list: unknown) =>
      Array.isArray(list) ? list.map((member) => (member as { value?: unknown }).value) : list
    if (operation.path === 'members')
      return operation.op === 'remove'
        ? { name: 'members (removed)', old: values(operation.value), new: null }
        : { name: 'members (added)', old: null, new: values(operation.value) }
    let old: unknown = null
    try {
      old = readTarget(current, targetPathOf(operation.path)) ?? null
    } catch {
      old = null
    }
    if (typeof old === 'object' && old !== null && 'value' in old) old = (old as { value: unknown }).value
    const next = operation.op === 'remove' ? null : operation.value
    return {
      name: operation.path,
      old,
      new:
        typeof next === 'object' && next !== null && 'value' in next
          ? (next as { value: unknown }).value
          : next,
    }
  })
}
