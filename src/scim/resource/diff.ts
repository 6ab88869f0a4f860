import { isDeepStrictEqual } from 'node:util'
import { isPlainObject, type Json } from './json.js'

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
  const changes: AttributeChange[] = []
  for (const key of unionKeys(before ?? {}, after ?? {})) {
    if (key === 'schemas') continue
    const old = before?.[key]
    const next = after?.[key]
    // Extension attributes sit under their URN key and are reported as `urn:…:attr`.
    if (key.startsWith('urn:') && (isPlainObject(old) || isPlainObject(next))) {
      diffObject(asObject(old), asObject(next), `${key}:`, changes)
    } else {
      diffAttribute(old, next, key, changes)
    }
  }
  return changes
}

function diffObject(before: Json, after: Json, prefix: string, changes: AttributeChange[]): void {
  for (const key of unionKeys(before, after))
    diffAttribute(before[key], after[key], `${prefix}${key}`, changes)
}

/** A single-valued complex attribute is compared per sub-attribute; anything else as a whole. */
function diffAttribute(old: unknown, next: unknown, path: string, changes: AttributeChange[]): void {
  if (isDeepStrictEqual(old, next)) return
  if (isPlainObject(old) || isPlainObject(next)) {
    diffLeaves(asObject(old), asObject(next), `${path}.`, changes)
    return
  }
  changes.push({ path, old: orNull(old), new: orNull(next) })
}

function diffLeaves(before: Json, after: Json, prefix: string, changes: AttributeChange[]): void {
  for (const key of unionKeys(before, after)) {
    if (isDeepStrictEqual(before[key], after[key])) continue
    changes.push({ path: `${prefix}${key}`, old: orNull(before[key]), new: orNull(after[key]) })
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

function orNull(value: unknown): unknown {
  return value === undefined ? null : structuredClone(value)
}
