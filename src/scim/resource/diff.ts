import { isDeepStrictEqual } from 'node:util'
import { cloneJson, isPlainObject, type Json } from './json.js'

/**
 * What changed between two canonical resources, for the audit trail and to tell a no-op write
 * from a real one. Paths: `userName`, `name.givenName`, `emails` (multi-valued attributes are
 * compared as a whole), `urn:…:enterprise:2.0:User:department`, `urn:…:User:manager.value`.
 * An absent side is `null` (canonical resources never hold null, so it is unambiguous and
 * survives JSON.stringify).
 */
export interface AttributeChange {
  path: string
  old: unknown
  new: unknown
}

export function diffResources(before: Json | undefined, after: Json | undefined): AttributeChange[] {
  return diff(before, after, cloneJson)
}

/**
 * diffResources whose changes share their values with the resources instead of copying them: for a
 * caller that serialises the changes at once (the audit trail), where the copies cost more than
 * the comparison.
 */
export function diffResourcesShared(before: Json | undefined, after: Json | undefined): AttributeChange[] {
  return diff(before, after, (value) => value)
}

type Copy = (value: unknown) => unknown

function diff(before: Json | undefined, after: Json | undefined, copy: Copy): AttributeChange[] {
  const changes: AttributeChange[] = []
  for (const key of unionKeys(before ?? {}, after ?? {})) {
    if (key === 'schemas') continue
    const old = before?.[key]
    const next = after?.[key]
    // Extension attributes sit under their URN key and are reported as `urn:…:attr`.
    if (key.startsWith('urn:') && (isPlainObject(old) || isPlainObject(next))) {
      diffObject(asObject(old), asObject(next), `${key}:`, changes, copy)
    } else {
      diffAttribute(old, next, key, changes, copy)
    }
  }
  return changes
}

function diffObject(before: Json, after: Json, prefix: string, changes: AttributeChange[], copy: Copy): void {
  for (const key of unionKeys(before, after))
    diffAttribute(before[key], after[key], `${prefix}${key}`, changes, copy)
}

/** A single-valued complex attribute is compared per sub-attribute; anything else as a whole. */
function diffAttribute(
  old: unknown,
  next: unknown,
  path: string,
  changes: AttributeChange[],
  copy: Copy,
): void {
  if (isDeepStrictEqual(old, next)) return
  if (isPlainObject(old) || isPlainObject(next)) {
    diffLeaves(asObject(old), asObject(next), `${path}.`, changes, copy)
    return
  }
  changes.push({ path, old: orNull(old, copy), new: orNull(next, copy) })
}

function diffLeaves(before: Json, after: Json, prefix: string, changes: AttributeChange[], copy: Copy): void {
  for (const key of unionKeys(before, after)) {
    if (isDeepStrictEqual(before[key], after[key])) continue
    changes.push({ path: `${prefix}${key}`, old: orNull(before[key], copy), new: orNull(after[key], copy) })
  }
}

function unionKeys(before: Json, after: Json): string[] {
  const keys = Object.keys(after)
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) keys.push(key)
  return keys
}

function asObject(value: unknown): Json {
  return isPlainObject(value) ? value : {}
}

function orNull(value: unknown, copy: Copy): unknown {
  return value === undefined ? null : copy(value)
}
