import { ConsoleError, invalidValue } from '../../console/console-error.js'

/** Reading the admin API's query strings and bodies; every mistake names its field. */
export type Query = Record<string, unknown>

/** The JSON body as an object; anything else (an array, a string, nothing) is refused. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConsoleError('invalidJson', 'request body must be a JSON object')
  }
  // PostgreSQL text cannot hold U+0000; no field of ours needs it. Refused alike on both databases.
  for (const [field, value] of Object.entries(body)) {
    if (JSON.stringify(value)?.includes('\\u0000')) throw invalidValue(field, 'must not contain U+0000')
  }
  return body as Record<string, unknown>
}

/** A single query value (repeated parameters are refused rather than guessed at). */
function single(query: Query, field: string): string | undefined {
  const value = query[field]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalidValue(field, 'must be given once')
  if (value.includes('\u0000')) throw invalidValue(field, 'must not contain U+0000')
  return value
}

export function optionalText(query: Query, field: string, max: number): string | undefined {
  const value = single(query, field)
  if (value === undefined || value === '') return undefined
  if (value.length > max) throw invalidValue(field, `must be at most ${max} characters`)
  return value
}

export function oneOf<T extends string>(query: Query, field: string, allowed: readonly T[], fallback: T): T
export function oneOf<T extends string>(query: Query, field: string, allowed: readonly T[]): T | undefined
export function oneOf<T extends string>(
  query: Query,
  field: string,
  allowed: readonly T[],
  fallback?: T,
): T | undefined {
  const value = single(query, field)
  if (value === undefined || value === '') return fallback
  if (!(allowed as readonly string[]).includes(value))
    throw invalidValue(field, `must be one of ${allowed.join(', ')}`)
  return value as T
}

export function integer(
  query: Query,
  field: string,
  range: { min: number; max: number },
  fallback?: number,
): number | undefined {
  const value = single(query, field)
  if (value === undefined || value === '') return fallback
  if (!/^\d{1,15}$/.test(value)) throw invalidValue(field, 'must be a whole number')
  const number = Number(value)
  if (number < range.min || number > range.max) {
    throw invalidValue(field, `must be between ${range.min} and ${range.max}`)
  }
  return number
}

/** An ISO-8601 date or date-time, normalised to the stored form (UTC, milliseconds). */
export function dateTime(query: Query, field: string): string | undefined {
  const value = single(query, field)
  if (value === undefined || value === '') return undefined
  const ms = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? Date.parse(value)
    : Number.NaN
  if (Number.isNaN(ms)) throw invalidValue(field, 'must be an ISO-8601 date or date-time')
  return new Date(ms).toISOString()
}
