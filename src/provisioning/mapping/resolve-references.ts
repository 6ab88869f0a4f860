import { isReference, type MappedAttributes, type ResolvedAttributes } from './attribute-mapping.js'

export interface UnresolvedReference {
  target: string
  sourceId: string
}

/**
 * Replaces source ids by target ids. A reference whose object is not (yet) in the target is
 * left out and reported, never cleared: the engine retries it in a later cycle, so a manager who
 * arrives later is linked then (Entra needs a restart for that, entra-scim.md §10.2).
 */
export function resolveReferences(
  attributes: MappedAttributes,
  targetIdOf: (sourceId: string) => string | undefined,
): { attributes: ResolvedAttributes; unresolved: UnresolvedReference[] } {
  const resolved: ResolvedAttributes = {}
  const unresolved: UnresolvedReference[] = []
  for (const [target, value] of Object.entries(attributes)) {
    if (isReference(value)) {
      const id = targetIdOf(value.reference)
      if (id === undefined) unresolved.push({ target, sourceId: value.reference })
      else resolved[target] = id
    } else if (Array.isArray(value) && value.some(isReference)) {
      const ids: string[] = []
      for (const item of value) {
        if (!isReference(item)) continue
        const id = targetIdOf(item.reference)
        if (id === undefined) unresolved.push({ target, sourceId: item.reference })
        else ids.push(id)
      }
      resolved[target] = ids
    } else {
      resolved[target] = value as ResolvedAttributes[string]
    }
  }
  return { attributes: resolved, unresolved }
}
