import type { ScimError } from '../errors.js'

/** Parsers return errors as values: a malformed filter or path is an expected client mistake, not a crash. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ScimError }

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value }
}

export function fail(error: ScimError): { ok: false; error: ScimError } {
  return { ok: false, error }
}
