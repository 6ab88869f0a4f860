import { badRequest, type ScimError } from '../errors.js'
import { findSubAttribute } from '../schema/registry.js'
import type { AttributeDefinition } from '../schema/types.js'
import { isPlainObject, type Json, jsonType } from './json.js'

/**
 * Checks one attribute value against its definition and returns its canonical form, or undefined
 * when the value means "absent". POST/PUT (normalize.ts) and PATCH (apply-patch.ts) both go
 * through here, so the two code paths accept and reject exactly the same values.
 */

/** Longest string/reference value we store; longer input is a client bug or an attack. */
export const MAX_STRING_LENGTH = 2048
/** Binary values (base64 DER certificates) are legitimately longer than names or emails. */
export const MAX_BINARY_LENGTH = 65_536
/** Most values a multi-valued attribute may hold. */
export const MAX_VALUES = 100

/** Entra and the SCIM Validator send `null` and `""` to mean "no value" (entra-scim.md §3.5.3). */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === ''
}

export function invalidValue(path: string, message: string): ScimError {
  return badRequest('invalidValue', `${path}: ${message}`)
}

function typeError(path: string, expected: string, value: unknown): ScimError {
  return invalidValue(path, `expected ${expected}, got ${jsonType(value)}`)
}

/** Writable on input: readOnly values are ignored (RFC 7643 §2.2) and writeOnly (password) is never stored. */
export function isWritable(attribute: AttributeDefinition): boolean {
  return attribute.mutability !== 'readOnly' && attribute.mutability !== 'writeOnly'
}

/**
 * A single-valued complex attribute pointing at another resource by `value` (enterprise `manager`).
 * Its canonical form drops `$ref`: the server renders it from `value` on output.
 */
export function isReference(attribute: AttributeDefinition): boolean {
  return (
    attribute.type === 'complex' &&
    !attribute.multiValued &&
    findSubAttribute(attribute, 'value') !== undefined &&
    findSubAttribute(attribute, '$ref') !== undefined
  )
}

/** Canonical value of `attribute`, or undefined for absent (null, "", [], {} and {"value":""} alike). */
export function coerceAttributeValue(value: unknown, attribute: AttributeDefinition, path: string): unknown {
  if (isAbsent(value)) return undefined
  if (!attribute.multiValued) return coerceSingle(value, attribute, path)
  if (!Array.isArray(value)) throw typeError(path, 'an array', value)
  if (value.length > MAX_VALUES) throw invalidValue(path, `more than ${MAX_VALUES} values`)
  const elements: unknown[] = []
  value.forEach((element, index) => {
    const coerced = coerceElement(element, attribute, `${path}[${index}]`)
    if (coerced !== undefined) elements.push(coerced)
  })
  checkSinglePrimary(elements, path)
  return elements.length > 0 ? elements : undefined
}

/** One element of a multi-valued attribute; elements of a complex attribute must be objects. */
export function coerceElement(value: unknown, attribute: AttributeDefinition, path: string): unknown {
  if (isAbsent(value)) return undefined
  if (attribute.type !== 'complex') return coerceScalar(value, attribute, path)
  if (!isPlainObject(value)) throw typeError(path, 'an object', value)
  const element = coerceSubAttributes(value, attribute, path)
  // An email or role without its value means nothing; addresses have no `value` and are kept.
  if (element && findSubAttribute(attribute, 'value') && element.value === undefined) return undefined
  return element
}

/** RFC 7643 §2.4: "primary" true MUST appear no more than once. */
function checkSinglePrimary(elements: unknown[], path: string): void {
  const primaries = elements.filter((element) => isPlainObject(element) && element.primary === true)
  if (primaries.length > 1) throw invalidValue(path, 'more than one value has "primary": true')
}

function coerceSingle(value: unknown, attribute: AttributeDefinition, path: string): unknown {
  if (attribute.type !== 'complex') return coerceScalar(value, attribute, path)
  if (isReference(attribute)) return coerceReference(value, attribute, path)
  if (!isPlainObject(value)) throw typeError(path, 'an object', value)
  return coerceSubAttributes(value, attribute, path)
}

/** Entra's manager shapes (entra-scim.md §3.5.4): "id", {"value":"id"}, [{"value":"id","$ref":"…"}]. */
function coerceReference(value: unknown, attribute: AttributeDefinition, path: string): Json | undefined {
  let candidate = Array.isArray(value) ? value[0] : value
  if (typeof candidate === 'string') candidate = { value: candidate }
  if (isAbsent(candidate)) return undefined
  if (!isPlainObject(candidate)) throw typeError(path, 'an object with a "value"', value)
  const { $ref: _derived, ...rest } = coerceSubAttributes(candidate, attribute, path) ?? {}
  return rest.value === undefined ? undefined : rest
}

/** Known, writable sub-attributes under their canonical names; unknown keys are dropped. */
export function coerceSubAttributes(
  value: Json,
  attribute: AttributeDefinition,
  path: string,
): Json | undefined {
  const result: Json = {}
  for (const [key, raw] of Object.entries(value)) {
    const sub = findSubAttribute(attribute, key)
    if (!sub || !isWritable(sub)) continue
    const coerced = coerceAttributeValue(raw, sub, `${path}.${sub.name}`)
    if (coerced !== undefined) result[sub.name] = coerced
  }
  return Object.keys(result).length > 0 ? result : undefined
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/

function coerceScalar(value: unknown, attribute: AttributeDefinition, path: string): unknown {
  switch (attribute.type) {
    case 'boolean':
      return coerceBoolean(value, path)
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw typeError(path, 'an integer', value)
      return value
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(path, 'a number', value)
      return value
    case 'dateTime':
      if (typeof value !== 'string') throw typeError(path, 'an ISO 8601 date-time string', value)
      if (!ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalidValue(path, `"${truncate(value)}" is not an ISO 8601 date-time`)
      }
      return value
    case 'binary':
      return coerceString(value, path, MAX_BINARY_LENGTH)
    case 'complex':
      throw typeError(path, 'an object', value)
    default:
      return coerceString(value, path, MAX_STRING_LENGTH)
  }
}

function coerceString(value: unknown, path: string, maxLength: number): string {
  if (typeof value !== 'string') throw typeError(path, 'a string', value)
  if (value.length > maxLength) throw invalidValue(path, `longer than ${maxLength} characters`)
  // No database text type of ours can hold U+0000 (PostgreSQL rejects it outright): refused on both.
  if (value.includes('\u0000')) throw invalidValue(path, 'contains U+0000 (NUL), which no value may hold')
  return value
}

/** Entra's default `active` mapping yields "True"/"False" strings (entra-scim.md §3.5.3). */
function coerceBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const lower = value.toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
    throw invalidValue(path, `expected a boolean, got "${truncate(value)}"`)
  }
  throw typeError(path, 'a boolean', value)
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
