import type { ResolvedValue } from './attribute-mapping.js'

/**
 * Whether a desired value equals what the target holds. Text compares case-sensitively (a case
 * change is a real change); booleans compare by meaning, so "False" equals false and a server
 * that echoes "True" as true is not re-patched every cycle; numbers compare with their text.
 * Multi-valued simple attributes compare as sets.
 */
export function sameValue(desired: ResolvedValue, current: unknown): boolean {
  if (desired === null) return isAbsent(current)
  if (Array.isArray(desired)) {
    if (!Array.isArray(current)) return desired.length === 0 && isAbsent(current)
    const want = new Set(desired.map(text))
    const have = new Set(current.map(text))
    return want.size === have.size && [...want].every((value) => have.has(value))
  }
  if (typeof desired === 'boolean' || typeof current === 'boolean')
    return asBoolean(desired) === asBoolean(current)
  return (typeof current === 'string' || typeof current === 'number') && String(desired) === String(current)
}

export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
}

function text(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const lower = value.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
  }
  return undefined
}
